import { useEffect, useMemo, type KeyboardEvent } from 'react';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { NodeId } from '../../../shared/domain/node.js';
import { jobKey, type ProcInfo } from '../../../shared/domain/process.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { formatKb } from '../../../shared/loadFigures.js';
import { useCluster } from '../../store/clusterStore.js';
import { usePoll } from '../../components/usePoll.js';
import { openWindow } from '../../windows.js';
import { useWindowTitle, windowTitles } from '../../windowTitle.js';
import { MoveMarks } from './MoveMarks.js';

export const PROCS_REFRESH_MS = 1000;

/** A row of the box: a process here, or one of this node's jobs that runs elsewhere. */
type Row =
  | { kind: 'proc'; p: ProcInfo }
  | { kind: 'away'; r: JobRecord };

export function openMigrator(nodeId: NodeId, which: string): void {
  openWindow(`migrator/${nodeId}/${which}`, `migrator-${nodeId}-${which}`);
}

/**
 * The process box (the Mosixview client) of one node: its processes once a second, with
 * the node each runs on (0 = here). Like openMosix, a job of this node that migrated
 * still shows here, with the node it went to.
 */
export function ProcessBox({ nodeId, bridge }: { nodeId: NodeId; bridge: MosixviewBridge }) {
  const host = useCluster((s) => s.nodes[nodeId]?.host);
  useWindowTitle(windowTitles.processBox(nodeId));
  const { data, error, refresh } = usePoll(
    async () => {
      const [procs, jobs] = await Promise.all([
        bridge.invoke('node.procs', { nodeId }),
        // An agent without jobs still lists its processes.
        bridge.invoke('job.list', { nodeId }).catch(() => [] as JobRecord[]),
      ]);
      return { procs, jobs };
    },
    PROCS_REFRESH_MS,
    [nodeId, bridge],
  );
  useEffect(() => bridge.on('job.changed', (e) => e.nodeId === nodeId && refresh()), [bridge, nodeId, refresh]);

  const rows = useMemo<Row[]>(() => {
    if (!data) return [];
    const procs = [...data.procs].sort((a, b) => a.pid - b.pid).map((p): Row => ({ kind: 'proc', p }));
    const away = data.jobs.filter((r) => r.where > 0 && (r.state === 'away' || r.state === 'pending')).map((r): Row => ({ kind: 'away', r }));
    return [...procs, ...away];
  }, [data]);

  return (
    <main className="proc-box">
      <div className="toolbar">
        <h1>Processes of node {nodeId}{host ? <span className="cluster-name"> ({host})</span> : null}</h1>
        <button type="button" onClick={() => openWindow(`remote/${nodeId}`, `remote-${nodeId}`)}>Manage procs from remote</button>
        <button type="button" onClick={() => openWindow(`exec?node=${nodeId}`, `exec-${nodeId}`)}>Advanced execution</button>
        <span className="muted" role="status" aria-label="Process count">{data ? `${rows.length} processes` : 'loading ...'}</span>
      </div>
      {error && <p role="alert" className="row-message">Cannot list the processes of node {nodeId}: {error}</p>}
      <p className="muted hint">Double-click a process (or press Enter on it) to manage it in the migrator.</p>
      <table className="procs proc-table" aria-label={`Processes of node ${nodeId}`}>
        <thead>
          <tr>
            <th aria-label="Marks" />
            <th>PID</th>
            <th title="0 = running here, else the node it runs on">Node</th>
            <th>User</th>
            <th>State</th>
            <th>CPU %</th>
            <th>Memory</th>
            <th>Nice</th>
            <th>Command</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (row.kind === 'proc' ? <ProcRow key={`p${row.p.pid}`} nodeId={nodeId} p={row.p} /> : <AwayRow key={`j${jobKey(row.r.ref)}`} nodeId={nodeId} r={row.r} />))}
        </tbody>
      </table>
    </main>
  );
}

function activate(open: () => void) {
  return {
    tabIndex: 0,
    onDoubleClick: open,
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Enter') open();
    },
  };
}

function ProcRow({ nodeId, p }: { nodeId: NodeId; p: ProcInfo }) {
  const migrated = p.guestFrom !== undefined || p.where !== 0;
  return (
    <tr aria-label={`Process ${p.pid}`} className={`proc-row${migrated ? ' proc-migrated' : ''}`} {...activate(() => openMigrator(nodeId, String(p.pid)))}>
      <td><MoveMarks migrated={migrated ? (p.guestFrom !== undefined ? `guest from node ${p.guestFrom}` : `runs on node ${p.where}`) : undefined} cantMove={p.cantMove} job={p.job} moving={p.moving && `from node ${p.moving.from} to node ${p.moving.to}`} /></td>
      <td className="num">{p.pid}</td>
      <td className="num">{p.where}</td>
      <td>{p.user}</td>
      <td>{p.state}</td>
      <td className="num">{p.cpu.toFixed(1)}</td>
      <td className="num">{formatKb(p.rssKb)}</td>
      <td className="num">{p.nice}</td>
      <td className="cmd" title={p.args || p.command}>{p.args || p.command}</td>
    </tr>
  );
}

/** A job of this node that now runs elsewhere: no PID here, the migrator follows its identity. */
function AwayRow({ nodeId, r }: { nodeId: NodeId; r: JobRecord }) {
  const key = jobKey(r.ref);
  const pending = r.state === 'pending';
  return (
    <tr aria-label={`Job ${key}`} className={`proc-row${pending ? ' proc-pending' : ' proc-migrated'}`} {...activate(() => openMigrator(nodeId, key))}>
      <td><MoveMarks migrated={pending ? undefined : `runs on node ${r.where}`} cantMove={r.locked ? 'it is locked' : undefined} job={r.ref} /></td>
      <td className="num" title={`job ${key}`}>-</td>
      <td className="num">{r.where}</td>
      <td />
      <td title={r.note}>{pending ? 'pending' : 'M'}</td>
      <td className="num">-</td>
      <td className="num">-</td>
      <td className="num">-</td>
      <td className="cmd">{r.argv.join(' ')}</td>
    </tr>
  );
}
