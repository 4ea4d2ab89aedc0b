import { useEffect, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { NodeId } from '../../../shared/domain/node.js';
import { jobKey, parseJobKey, type JobRef } from '../../../shared/domain/process.js';
import { REMOTE_ID_BASE, type JobRecord } from '../../../shared/jobs/job.js';
import { formatKb } from '../../../shared/loadFigures.js';
import { useCluster } from '../../store/clusterStore.js';
import { usePoll } from '../../components/usePoll.js';
import { openWindow } from '../../windows.js';
import { routes } from '../../../shared/windows.js';
import { useWindowTitle, windowTitles } from '../../windowTitle.js';
import { MoveMarks } from './MoveMarks.js';
import { boxRows, countRows, type BoxRow } from './boxRows.js';

export const PROCS_REFRESH_MS = 1000;

/** The migrator of a PID on the node, or of a job by identity (HOME.ID). */
export function openMigrator(nodeId: NodeId, which: number | JobRef): void {
  const name = typeof which === 'number' ? String(which) : jobKey(which);
  openWindow(routes.migrator(nodeId, which), `migrator-${nodeId}-${name}`);
}

/**
 * The process box (the Mosixview client) of one node: its processes once a second, with
 * the node each runs on (0 = here). A job is one row, the command its user started; "show
 * job internals" adds unshare and the sh -c wrapper under it. Like openMosix, a job of this
 * node that migrated still shows here, with the node it went to; guests, computed here for
 * other nodes, have a table of their own.
 */
export function ProcessBox({ nodeId, bridge }: { nodeId: NodeId; bridge: MosixviewBridge }) {
  const host = useCluster((s) => s.nodes[nodeId]?.host);
  const [internals, setInternals] = useState(false);
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

  const rows = useMemo(() => (data ? boxRows(data.procs, data.jobs, internals, nodeId) : { own: [], guests: [] }), [data, internals, nodeId]);
  const guests = countRows(rows.guests);
  const count = `${countRows(rows.own)} processes and jobs${guests ? `, ${guests} guest${guests > 1 ? 's' : ''}` : ''}`;

  return (
    <main className="proc-box">
      <div className="toolbar">
        <h1>Processes of node {nodeId}{host ? <span className="cluster-name"> ({host})</span> : null}</h1>
        <button type="button" onClick={() => openWindow(routes.remote(nodeId), `remote-${nodeId}`)}>Manage procs from remote</button>
        <button type="button" onClick={() => openWindow(routes.exec(nodeId), `exec-${nodeId}`)}>Advanced execution</button>
        <label title="each mosrun job runs as unshare, a small sh -c wrapper that records its exit status, and the command">
          <input type="checkbox" checked={internals} onChange={(e) => setInternals(e.target.checked)} /> Show job internals
        </label>
        <span className="muted" role="status" aria-label="Process count">{data ? count : 'loading ...'}</span>
      </div>
      {error && <p role="alert" className="row-message">Cannot list the processes of node {nodeId}: {error}</p>}
      <p className="muted hint">Double-click a process (or press Enter on it) to manage it in the migrator. Node: 0 = running here, N = running on node N.</p>
      <ProcTable label={`Processes of node ${nodeId}`} nodeHead={<th title="0 = running here, else the node it runs on">Node</th>} nodeId={nodeId} rows={rows.own} />
      {rows.guests.length > 0 && (
        <>
          <h2>Guests: jobs of other nodes computed here</h2>
          <ProcTable label={`Guests on node ${nodeId}`} nodeHead={<th title="the job's home node">From node</th>} nodeId={nodeId} rows={rows.guests} />
        </>
      )}
    </main>
  );
}

/** One table of processes: the node's own, or its guests (whose node column is their home). */
function ProcTable({ label, nodeHead, nodeId, rows }: { label: string; nodeHead: ReactNode; nodeId: NodeId; rows: BoxRow[] }) {
  return (
    <table className="procs proc-table" aria-label={label}>
      <thead>
        <tr>
          <th aria-label="Marks" />
          <th>PID</th>
          {nodeHead}
          <th>User</th>
          <th>State</th>
          <th>CPU %</th>
          <th>Memory</th>
          <th>Nice</th>
          <th>Command</th>
        </tr>
      </thead>
      <tbody>{rows.map((row) => <Row key={rowKey(row)} nodeId={nodeId} row={row} />)}</tbody>
    </table>
  );
}

function rowKey(row: BoxRow): string {
  if (row.kind === 'away') return `a${jobKey(row.r.ref)}`;
  if (row.kind === 'job') return `j${row.key}`;
  return `${row.kind === 'internal' ? 'i' : 'p'}${row.p.pid}`;
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

function Row({ nodeId, row }: { nodeId: NodeId; row: BoxRow }) {
  if (row.kind === 'away') return <AwayRow nodeId={nodeId} r={row.r} user={row.user} />;
  const p = row.p;
  const guest = p.guestFrom !== undefined;
  const internal = row.kind === 'internal';
  const label = row.kind === 'job' ? `${guest ? 'Guest job' : 'Job'} ${row.key}` : internal ? `Process ${p.pid} (${row.role} of job ${row.key})` : `Process ${p.pid}`;
  // A job is managed as a whole, by its identity: the migrator follows it when it moves.
  const which = row.kind === 'proc' ? p.pid : parseJobKey(row.key) ?? p.pid;
  const migrated = guest && !internal ? `guest from node ${p.guestFrom}` : undefined;
  return (
    <tr aria-label={label} className={`proc-row${migrated ? ' proc-migrated' : ''}${internal ? ' muted' : ''}`} {...activate(() => openMigrator(nodeId, which))}>
      <td>{internal ? null : <MoveMarks migrated={migrated} cantMove={p.cantMove} job={p.job} moving={p.moving && `from node ${p.moving.from} to node ${p.moving.to}`} />}</td>
      <td className="num">{p.pid}</td>
      <td className="num">{guest ? p.guestFrom : p.where}</td>
      <td>{p.user}</td>
      <td>{p.state}</td>
      <td className="num">{p.cpu.toFixed(1)}</td>
      <td className="num">{formatKb(p.rssKb)}</td>
      <td className="num">{p.nice}</td>
      <td className="cmd" title={p.args || p.command} style={internal ? { paddingLeft: '2em' } : undefined}>{p.args || p.command}</td>
    </tr>
  );
}

/** A job of this node that now runs elsewhere: no PID here, the migrator follows its identity. */
function AwayRow({ nodeId, r, user }: { nodeId: NodeId; r: JobRecord; user: string | undefined }) {
  const key = jobKey(r.ref);
  const pending = r.state === 'pending';
  return (
    <tr aria-label={`Job ${key}`} className={`proc-row${pending ? ' proc-pending' : ' proc-migrated'}`} {...activate(() => openMigrator(nodeId, r.ref))}>
      <td><MoveMarks migrated={pending ? undefined : `runs on node ${r.where}`} cantMove={r.locked ? 'it is locked' : undefined} job={r.ref} /></td>
      <td className="num" title={`job ${key}`}>{r.ref.id < REMOTE_ID_BASE ? r.ref.id : '-'}</td>
      <td className="num">{r.where}</td>
      <td>{user}</td>
      <td title={r.note}>{pending ? 'pending' : 'M'}</td>
      <td className="num">-</td>
      <td className="num">-</td>
      <td className="num">-</td>
      <td className="cmd">{r.argv.join(' ')}</td>
    </tr>
  );
}
