/** The processes of one stored minute, of one node or of every node (then with a Node column), and the nodes that have no list. */
import type { ProcHistory } from '../../shared/protocol/agentHistory.js';
import type { NodeProcs } from '../../shared/history/types.js';
import { REMOTE_ID_BASE } from '../../shared/jobs/job.js';
import { clock } from './timeFormat.js';

const nodeName = (n: { id: number; host: string }) => `node ${n.id}${n.host ? ` (${n.host})` : ''}`;

/** Why a node of the minute has no list, one line each: never an empty table standing in for it. */
export function MissingNodes({ nodes }: { nodes: ProcHistory['nodes'] }) {
  const missing = nodes.filter((n) => n.missing !== undefined);
  if (!missing.length) return null;
  return (
    <ul className="missing-nodes" aria-label="Nodes without a process list">
      {missing.map((n) => (
        <li key={n.id}>No process list of {nodeName(n)} at this minute: {n.missing}</li>
      ))}
    </ul>
  );
}

export function ProcHistoryTable({ t, lists, allNodes }: { t: number; lists: NodeProcs[]; allNodes: boolean }) {
  const only = !allNodes ? lists[0] : undefined;
  return (
    <table className="procs" aria-label={`Processes at ${clock(t)}${only ? ` on node ${only.id}` : ''}`}>
      <thead>
        <tr>
          {allNodes && <th>Node</th>}
          <th>PID</th><th title="0 = running on that node, N = running on node N (a job of that node that migrated)">Where</th>
          <th>User</th><th>Command</th><th>State</th><th>CPU %</th><th>RSS kB</th>
        </tr>
      </thead>
      <tbody>
        {lists.flatMap((n) =>
          (n.procs ?? []).map((p, i) => {
            // A job that runon or parallel started on another node never had a PID on its home.
            const noPid = p.where > 0 && p.pid >= REMOTE_ID_BASE;
            const who = noPid ? `Job started on another node (no PID on node ${n.id})` : `Process ${p.pid} of node ${n.id}`;
            // A PID may show twice: a job away keeps its PID at home, which a new process can reuse.
            return (
              <tr key={`${n.id}-${p.pid}-${p.where}-${i}`} aria-label={p.where ? `${who}, running on node ${p.where}` : who}
                className={p.where ? 'proc-row proc-migrated' : undefined}>
                {allNodes && <td title={n.host}>{n.id}</td>}
                <td>{noPid ? '-' : p.pid}</td><td>{p.where}</td><td>{p.user}</td><td title={p.args}>{p.command}</td><td>{p.state}</td>
                <td>{p.cpu.toFixed(1)}</td><td>{p.rssKb}</td>
              </tr>
            );
          }),
        )}
      </tbody>
    </table>
  );
}

/** The node chooser's entries: every node of the minute with its count or "no list", and the chosen node even when that minute lacks it. */
export function nodeChoices(nodes: ProcHistory['nodes'], chosen: number | undefined): { id: number; label: string }[] {
  const out = nodes.map((n) => ({ id: n.id, label: `Node ${n.id}${n.host ? ` (${n.host})` : ''}: ${n.procs === null ? 'no list' : `${n.procs} process${n.procs === 1 ? '' : 'es'}`}` }));
  if (chosen !== undefined && !nodes.some((n) => n.id === chosen)) out.push({ id: chosen, label: `Node ${chosen}: not recorded at this minute` });
  return out.sort((a, b) => a.id - b.id);
}
