import { memo } from 'react';
import { useCluster, selectNode, clusterActions } from '../../store/clusterStore.js';
import { Lamp } from '../../components/Lamp.js';
import { Bar, toneOf } from '../../components/Bar.js';
import { SpeedSlider } from './SpeedSlider.js';
import { RowStatus } from './RowStatus.js';
import { formatKb, loadPercent, memoryUsedPercent } from '../../../shared/loadFigures.js';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import { openWindow } from '../../windows.js';

/** The rows show the past: a speed set now would change today's node, not that moment's. */
const REPLAY_NOTE = 'replaying the past: press Live to change speeds';

/** One cluster member: lamp, host button, speed slider + LCD, load and memory bars, CPUs. */
export const NodeRow = memo(function NodeRow({ id, bridge, onOpenNode }: {
  id: number;
  bridge: MosixviewBridge;
  onOpenNode: (id: number) => void;
}) {
  const node = useCluster(selectNode(id));
  const nslookup = useCluster((s) => s.nslookup);
  const actionError = useCluster((s) => s.actionErrors[id]);
  const replaying = useCluster((s) => s.replaying);
  const speedMax = useCluster((s) => s.speedMax);
  if (!node) return null;
  const s = node.status === 'up' ? node.sample : undefined;
  const load = s && loadPercent(s);
  const mem = s && memoryUsedPercent(s);
  const name = nslookup
    ? `${s?.hostname ?? node.host}${node.address && node.address !== (s?.hostname ?? node.host) ? ` (${node.address})` : ''}`
    : node.host;

  const setSpeed = async (speed: number) => {
    try {
      await bridge.invoke('node.setSpeed', { nodeId: id, speed });
      clusterActions.setActionError(id, undefined);
    } catch (e) {
      clusterActions.setActionError(id, `setting the speed failed: ${(e as Error).message}`);
    }
  };

  return (
    <tr aria-label={`Node ${id} row`} className={`node-row node-${node.status}`}>
      <td><Lamp id={id} status={node.status} reason={node.reason} cutOff={node.isolated} /></td>
      <td className="host-cell">
        <button type="button" className="host-button" aria-label={`Node ${id}`} title={`${node.host}: node configuration`} onClick={() => onOpenNode(id)}>
          {name}
        </button>
        <button type="button" className="procs-button" aria-label={`Processes of node ${id}`} title="process box (Mosixview client)" onClick={() => openWindow(`procs/${id}`, `procs-${id}`)}>procs</button>
      </td>
      <td>
        <SpeedSlider id={id} speed={s?.speed} max={speedMax} disabled={!s || replaying} why={replaying ? REPLAY_NOTE : undefined} onCommit={setSpeed} />
      </td>
      <td><Bar label={`Load of node ${id}`} percent={load} tone={toneOf(load)} /></td>
      <td>
        <Bar
          label={`Memory of node ${id}`}
          percent={mem}
          text={s ? `${Math.round(mem ?? 0)}% used, ${formatKb(s.mem.availableKb)} available` : undefined}
        />
      </td>
      <td className="cpus" aria-label={`CPUs of node ${id}`}>{s ? s.cpus : '-'}</td>
      <RowStatus node={node} actionError={actionError} bridge={bridge} />
    </tr>
  );
});
