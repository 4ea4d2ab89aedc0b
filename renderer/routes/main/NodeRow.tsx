import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCluster, clusterActions } from '../../store/clusterStore.js';
import { Lamp } from '../../components/Lamp.js';
import { Bar, toneOf } from '../../components/Bar.js';
import { SpeedSlider } from './SpeedSlider.js';
import { RowStatus } from './RowStatus.js';
import { rowFigures } from './rowFigures.js';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import { openWindow } from '../../windows.js';
import { routes } from '../../../shared/windows.js';

/** The rows show the past: a speed set now would change today's node, not that moment's. */
const REPLAY_NOTE = 'replaying the past: press Live to change speeds';

/** One cluster member: lamp, host button, speed slider + LCD, load and memory bars, CPUs. */
export const NodeRow = memo(function NodeRow({ id, bridge, onOpenNode }: {
  id: number;
  bridge: MosixviewBridge;
  onOpenNode: (id: number) => void;
}) {
  // One subscription per row, compared field by field: a view that changes nothing shown re-renders nothing.
  const row = useCluster(useShallow((st) => rowFigures(st, id)));
  if (!row) return null;

  const setSpeed = async (speed: number) => {
    try {
      await bridge.invoke('node.setSpeed', { nodeId: id, speed });
      clusterActions.setActionError(id, undefined);
    } catch (e) {
      clusterActions.setActionError(id, `setting the speed failed: ${(e as Error).message}`);
    }
  };

  return (
    <tr aria-label={`Node ${id} row`} className={`node-row node-${row.status}`}>
      <td><Lamp id={id} status={row.status} reason={row.reason} cutOff={row.isolated} /></td>
      <td className="host-cell">
        <button type="button" className="host-button" aria-label={`Node ${id}`} title={`${row.host}: node configuration`} onClick={() => onOpenNode(id)}>
          {row.name}
        </button>
        <button type="button" className="procs-button" aria-label={`Processes of node ${id}`} title="process box (Mosixview client)" onClick={() => openWindow(routes.procs(id), `procs-${id}`)}>procs</button>
      </td>
      <td>
        <SpeedSlider id={id} speed={row.speed} max={row.speedMax} disabled={row.speed === undefined || row.replaying} why={row.replaying ? REPLAY_NOTE : undefined} onCommit={setSpeed} />
      </td>
      <td><Bar label={`Load of node ${id}`} percent={row.loadPercent} tone={toneOf(row.loadPercent)} /></td>
      <td><Bar label={`Memory of node ${id}`} percent={row.memPercent} text={row.memText} /></td>
      <td className="cpus" aria-label={`CPUs of node ${id}`}>{row.cpus ?? '-'}</td>
      <RowStatus node={row} actionError={row.actionError} bridge={bridge} />
    </tr>
  );
});
