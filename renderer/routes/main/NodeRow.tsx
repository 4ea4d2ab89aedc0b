import { memo, useCallback } from 'react';
import { clusterActions } from '../../store/clusterStore.js';
import { Lamp } from '../../components/Lamp.js';
import { Bar, toneOf } from '../../components/Bar.js';
import { SpeedSlider } from './SpeedSlider.js';
import { RowStatus } from './RowStatus.js';
import { useRowFigures } from './rowFigures.js';
import { useRowOutOfSight } from './rowInSight.js';
import { IoFigures } from './IoFigures.js';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import { openWindow } from '../../windows.js';
import { routes } from '../../../shared/windows.js';

/** The rows show the past: a speed set now would change today's node, not that moment's. */
const REPLAY_NOTE = 'replaying the past: press Live to change speeds';

/**
 * One cluster member: lamp, host button, speed slider + LCD, load and memory bars, disk and network rates, CPUs.
 * The row re-renders when one of its figures changed (rowFigures.ts) while it is near sight (rowInSight.ts); its cells that take
 * only unchanged figures (memoised, flat props) are skipped, so a new load redraws the bars alone.
 */
export const NodeRow = memo(function NodeRow({ id, bridge, onOpenNode }: {
  id: number;
  bridge: MosixviewBridge;
  onOpenNode: (id: number) => void;
}) {
  // Out of sight, the row is told of new figures less often (rowInSight.ts, rowFigures.ts).
  const [rowRef, outOfSight] = useRowOutOfSight();
  const row = useRowFigures(id, outOfSight);
  const setSpeed = useCallback(async (speed: number) => {
    try {
      await bridge.invoke('node.setSpeed', { nodeId: id, speed });
      clusterActions.setActionError(id, undefined);
    } catch (e) {
      clusterActions.setActionError(id, `setting the speed failed: ${(e as Error).message}`);
    }
  }, [bridge, id]);
  if (!row) return null;

  return (
    <tr ref={rowRef} aria-label={`Node ${id} row`} className={`node-row node-${row.status}`}>
      <td><Lamp id={id} status={row.status} reason={row.reason} cutOff={row.isolated} /></td>
      <HostCell id={id} host={row.host} name={row.name} onOpenNode={onOpenNode} />
      <td>
        <SpeedSlider id={id} speed={row.speed} max={row.speedMax} disabled={row.speed === undefined || row.replaying} why={row.replaying ? REPLAY_NOTE : undefined} onCommit={setSpeed} />
      </td>
      <td><Bar label={`Load of node ${id}`} percent={row.loadPercent} tone={toneOf(row.loadPercent)} /></td>
      <td><Bar label={`Memory of node ${id}`} percent={row.memPercent} text={row.memText} /></td>
      <td className="io-cell"><IoFigures id={id} disk={row.diskText} net={row.netText} /></td>
      <td className="cpus" aria-label={`CPUs of node ${id}`}>{row.cpus ?? '-'}</td>
      <RowStatus node={row} actionError={row.actionError} bridge={bridge} />
    </tr>
  );
});

const HostCell = memo(function HostCell({ id, host, name, onOpenNode }: { id: number; host: string; name: string; onOpenNode: (id: number) => void }) {
  return (
    <td className="host-cell">
      <button type="button" className="host-button" aria-label={`Node ${id}`} title={`${host}: node configuration`} onClick={() => onOpenNode(id)}>
        {name}
      </button>
      <button type="button" className="procs-button" aria-label={`Processes of node ${id}`} title="process box (Mosixview client)" onClick={() => openWindow(routes.procs(id), `procs-${id}`)}>procs</button>
    </td>
  );
});
