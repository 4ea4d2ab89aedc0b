import { useEffect, useMemo, useRef, useState } from 'react';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { NodeId } from '../../../shared/domain/node.js';
import { jobKey, type ProcInfo } from '../../../shared/domain/process.js';
import { formatKb } from '../../../shared/loadFigures.js';
import { groupJobs, internalPids, jobAsProcess } from '../../../shared/jobs/jobView.js';
import { useCluster } from '../../store/clusterStore.js';
import { usePoll } from '../../components/usePoll.js';
import { useWindowTitle, windowTitles } from '../../windowTitle.js';

export const GUESTS_REFRESH_MS = 1000;

/**
 * The remote processes window of a node: the guests now running there, migrated in from
 * their home nodes, each of which can be sent home or to the best node.
 */
export function RemoteProcs({ nodeId, bridge }: { nodeId: NodeId; bridge: MosixviewBridge }) {
  const host = useCluster((s) => s.nodes[nodeId]?.host);
  useWindowTitle(windowTitles.remote(nodeId));
  const { data: guests, error, refresh } = usePoll(() => bridge.invoke('node.guests', { nodeId }), GUESTS_REFRESH_MS, [nodeId, bridge]);
  // A guest job is one row: the command its user started, not its sh -c wrapper.
  const data = useMemo(() => {
    if (!guests) return undefined;
    const jobs = groupJobs(guests);
    const inJobs = internalPids(jobs);
    return [...guests.filter((p) => !inJobs.has(p.pid)), ...[...jobs.values()].map((m) => jobAsProcess(m))].sort((a, b) => a.pid - b.pid);
  }, [guests]);
  useEffect(() => bridge.on('job.changed', () => refresh()), [bridge, refresh]);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  const busy = useRef(false);

  const send = async (p: ProcInfo, to: 'home' | 'best') => {
    if (busy.current) return;
    busy.current = true;
    const what = `Sending process ${p.pid}${p.job ? ` (job ${jobKey(p.job)})` : ''} ${to === 'home' ? `home to node ${p.guestFrom}` : 'to the best node'}`;
    setOutcome({ ok: true, text: `${what} ...` });
    try {
      const target = p.job ? { nodeId, ref: p.job } : { nodeId, pid: p.pid };
      const r = await bridge.invoke('job.migrate', { ...target, to });
      setOutcome({ ok: true, text: `${what}: done, it runs on ${r.where ? `node ${r.where}` : 'its home node'} now` });
    } catch (e) {
      setOutcome({ ok: false, text: `${what} failed: ${(e as Error).message}` });
    } finally {
      busy.current = false;
      refresh();
    }
  };

  return (
    <main className="remote-procs">
      <h1>Remote processes on node {nodeId}{host ? <span className="cluster-name"> ({host})</span> : null}</h1>
      <p className="muted hint">Processes that migrated here from other nodes and are computed on node {nodeId} now.</p>
      {error && <p role="alert" className="row-message">Cannot list the guests of node {nodeId}: {error}</p>}
      {outcome && <p role={outcome.ok ? 'status' : 'alert'} aria-label="Last action" className={outcome.ok ? 'muted' : 'row-message'}>{outcome.text}</p>}
      {data && data.length === 0 && <p role="status" aria-label="No guests">No processes from other nodes run on node {nodeId}.</p>}
      {!!data?.length && <table className="procs proc-table" aria-label={`Guests of node ${nodeId}`}>
        <thead>
          <tr><th>PID</th><th>From node</th><th>Job</th><th>User</th><th>CPU %</th><th>Memory</th><th>Command</th><th aria-label="Actions" /></tr>
        </thead>
        <tbody>
          {(data ?? []).map((p) => (
            <tr key={p.pid} aria-label={`Guest ${p.pid}`} className="proc-row proc-migrated">
              <td className="num">{p.pid}</td>
              <td className="num">{p.guestFrom}</td>
              <td>{p.job ? jobKey(p.job) : '-'}</td>
              <td>{p.user}</td>
              <td className="num">{p.cpu.toFixed(1)}</td>
              <td className="num">{formatKb(p.rssKb)}</td>
              <td className="cmd" title={p.cantMove ? `cannot move: ${p.cantMove}` : undefined}>{p.args || p.command}</td>
              <td className="actions">
                <button type="button" onClick={() => void send(p, 'home')}>goto home node</button>
                <button type="button" onClick={() => void send(p, 'best')}>goto best node</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>}
    </main>
  );
}
