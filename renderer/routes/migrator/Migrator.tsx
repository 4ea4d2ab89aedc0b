import { useEffect, useRef, useState } from 'react';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { ApiProcTarget, ProcStatus } from '../../../shared/protocol/apiJobs.js';
import type { NodeId } from '../../../shared/domain/node.js';
import { jobKey } from '../../../shared/domain/process.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { useCluster } from '../../store/clusterStore.js';
import { usePoll } from '../../components/usePoll.js';
import { Lamp } from '../../components/Lamp.js';
import { MigratorStatus } from './MigratorStatus.js';
import { NiceSlider } from './NiceSlider.js';
import { ProgressLine } from './ProgressLine.js';
import { useWindowTitle, windowTitles } from '../../windowTitle.js';

export const STATUS_REFRESH_MS = 1000;

/** What a job frozen by a migration is waiting for, in the admin's words; undefined when it is not. */
export function movingText(job: JobRecord | undefined): string | undefined {
  if (!job || (job.state !== 'frozen' && !job.pendingCommit)) return undefined;
  const m = job.moving;
  if (job.pendingCommit) {
    const to = job.pendingCommit.to;
    return `Moving: handed to node ${to}, which has not confirmed it yet: frozen here until node ${to} answers, so it never runs twice.`;
  }
  if (job.frozenBy === 'restore') return `Arriving${m ? ` from node ${m.from}` : ''}: restored here, it runs once the source hands it over.`;
  return `Moving${m ? ` to node ${m.to}` : ''}: frozen while its memory is copied.`;
}

/** "1234" is a PID on the node, "1.5" a job by identity (home 1, id 5). */
export function parseTarget(nodeId: NodeId, which: string): ApiProcTarget {
  const m = /^(\d+)\.(\d+)$/.exec(which);
  return m ? { nodeId, ref: { home: Number(m[1]), id: Number(m[2]) } } : { nodeId, pid: Number(which) };
}

/**
 * The migrator of one process: every node (click one to migrate there), Home, Best,
 * Kill, SIGSTOP, SIGCONT, a nice slider and live status. Once the process turns out to
 * be a job it is followed by its identity, so the window keeps up as it moves.
 */
export function Migrator({ nodeId, which, bridge }: { nodeId: NodeId; which: string; bridge: MosixviewBridge }) {
  const order = useCluster((s) => s.order);
  const nodes = useCluster((s) => s.nodes);
  const target = useRef<ApiProcTarget>(parseTarget(nodeId, which));
  const { data: status, error: statusError, refresh } = usePoll(() => bridge.invoke('job.status', target.current), STATUS_REFRESH_MS, [nodeId, which, bridge]);
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const busyRef = useRef(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>(undefined);

  useEffect(() => {
    if (!status) return;
    const ref = status.job?.ref;
    target.current = ref ? { nodeId: status.nodeId, ref } : { ...target.current, nodeId: status.nodeId };
  }, [status]);

  useEffect(
    () => bridge.on('job.changed', (e) => {
      const t = target.current;
      if ('ref' in t && jobKey(e.record.ref) === jobKey(t.ref)) refresh();
    }),
    [bridge, refresh],
  );

  /** One action at a time: a double-click on a node must not start two migrations. */
  const act = async (what: string, run: () => Promise<unknown>, done?: string) => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(what);
    setOutcome(undefined);
    try {
      await run();
      setOutcome({ ok: true, text: done ?? `${what}: done` });
    } catch (e) {
      setOutcome({ ok: false, text: `${what} failed: ${(e as Error).message}` });
    } finally {
      busyRef.current = false;
      setBusy(undefined);
      refresh();
    }
  };

  const t = () => target.current;
  const migrate = (to: NodeId | 'home' | 'best', what: string) =>
    act(what, async () => {
      const r = await bridge.invoke('job.migrate', { ...t(), to });
      target.current = { nodeId: r.where || t().nodeId, ref: r.ref };
    });
  const signal = (signal: 'KILL' | 'STOP' | 'CONT', what: string) => act(what, () => bridge.invoke('job.signal', { ...t(), signal }));

  const running = !!status?.proc;
  const moving = movingText(status?.job);
  // A job in the middle of a move takes no command: only the protocol may resume or end it.
  const off = !running || !!moving;
  const why = moving ? 'the job is being moved: wait until the move has finished' : undefined;
  const runsOn = status?.nodeId;
  const title = status?.job ? `job ${jobKey(status.job.ref)}` : `process ${which}`;
  useWindowTitle(windowTitles.migrator(title, running || status?.job?.state === 'away' ? runsOn : undefined));
  return (
    <main className="migrator">
      <h1>Migrator: {title}{status?.proc ? <span className="cluster-name"> {status.proc.args || status.proc.command}</span> : null}</h1>
      <div className="migrator-body">
        <section aria-label="Nodes" className="migrator-nodes">
          <h2>Nodes</h2>
          <p className="muted hint">Click (or double-click) a node to migrate the process there.</p>
          <ul>
            {order.map((id) => (
              <li key={id}>
                <button
                  type="button"
                  aria-label={`Migrate to node ${id}`}
                  aria-current={id === runsOn ? 'true' : undefined}
                  className={`node-choice${id === runsOn ? ' node-current' : ''}`}
                  disabled={off}
                  title={why}
                  onClick={() => void migrate(id, `Migrating to node ${id}`)}
                >
                  <Lamp id={id} status={nodes[id]?.status ?? 'connecting'} reason={nodes[id]?.reason} />
                  <span>{nodes[id]?.host ?? `node ${id}`}</span>
                  {id === runsOn && <span className="muted"> (runs here)</span>}
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section aria-label="Process control" className="migrator-control">
          <div className="button-grid">
            <button type="button" disabled={off} onClick={() => void migrate('home', 'Sending it home')} title={why ?? 'migrate to its home node'}>Home</button>
            <button type="button" disabled={off} onClick={() => void migrate('best', 'Migrating to the best node')} title={why ?? 'migrate to the best node (load, speed, CPUs)'}>Best</button>
            <button type="button" disabled={off} onClick={() => void signal('KILL', 'Kill')} title={why ?? 'SIGKILL: end it now'}>Kill</button>
            <button type="button" disabled={off} onClick={() => void signal('STOP', 'SIGSTOP')} title={why ?? 'pause it'}>SIGSTOP</button>
            <button type="button" disabled={off} onClick={() => void signal('CONT', 'SIGCONT')} title={why ?? 'let it continue'}>SIGCONT</button>
          </div>
          {moving && <p role="status" aria-label="Moving" className="moving">{moving}</p>}
          <ProgressLine bridge={bridge} job={status?.job?.ref} />
          <NiceSlider
            nice={status?.proc?.nice}
            disabled={off}
            onCommit={(nice) => act(`Renice to ${nice}`, () => bridge.invoke('job.renice', { ...t(), nice }))}
          />
          {status?.job && (
            <label className="lock-toggle">
              <input
                type="checkbox"
                checked={status.job.locked}
                disabled={off}
                onChange={(e) => {
                  const locked = e.target.checked;
                  void act(locked ? 'Lock' : 'Unlock', () => bridge.invoke('job.lock', { ...t(), locked }));
                }}
              />
              Locked (stays on its node)
            </label>
          )}
          {busy && <p role="status" aria-label="Action in progress">{busy} ...</p>}
          {outcome && (
            <p role={outcome.ok ? 'status' : 'alert'} aria-label="Last action" className={outcome.ok ? 'muted' : 'row-message'}>{outcome.text}</p>
          )}
        </section>
      </div>
      {statusError && <p role="alert" className="row-message">No status: {statusError}</p>}
      <MigratorStatus status={status as ProcStatus | undefined} asked={nodeId} which={which} />
    </main>
  );
}
