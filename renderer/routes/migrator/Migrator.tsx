import { useEffect, useRef, useState } from 'react';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { ApiProcTarget, ProcStatus } from '../../../shared/protocol/apiJobs.js';
import type { NodeId, NodeView } from '../../../shared/domain/node.js';
import { jobKey, parseJobKey } from '../../../shared/domain/process.js';
import { useCluster } from '../../store/clusterStore.js';
import { usePoll } from '../../components/usePoll.js';
import { refusedOutcome } from '../../components/actionOutcome.js';
import { Lamp } from '../../components/Lamp.js';
import { MigratorStatus } from './MigratorStatus.js';
import { NiceSlider } from './NiceSlider.js';
import { migratorView } from './migratorView.js';
import { ProgressLine } from './ProgressLine.js';
import { useWindowTitle, windowTitles } from '../../windowTitle.js';

export const STATUS_REFRESH_MS = 1000;
const TEXT_WIDTH = { maxWidth: '34em' };
/** As wide as the node list's own hint, so a reason wraps instead of widening the column. */
const HINT_WIDTH = { maxWidth: '26em' };

/** Why a node cannot take a process now; undefined while it is up. */
function nodeDown(id: NodeId, status: NodeView['status'] | undefined, reason: string | undefined): string | undefined {
  if (!status || status === 'connecting') return `node ${id} is not connected yet`;
  return status === 'down' ? `node ${id} is down${reason ? `: ${reason}` : ''}` : undefined;
}

/**
 * One node of the list. It selects only its node's status, reason and host: a new sample
 * (every node's, every second) re-renders neither it nor the window.
 */
function NodeChoice({ id, runsOn, moveOff, onMigrate }: { id: NodeId; runsOn: NodeId | undefined; moveOff: string | undefined; onMigrate: (id: NodeId) => void }) {
  const status = useCluster((s) => s.nodes[id]?.status);
  const reason = useCluster((s) => s.nodes[id]?.reason);
  const host = useCluster((s) => s.nodes[id]?.host);
  // A node is a target when the process may move at all, is not there already, and the node is up.
  const off = moveOff ?? (id === runsOn ? `it runs on node ${id} already` : nodeDown(id, status, reason));
  return (
    <li>
      <button
        type="button"
        aria-label={`Migrate to node ${id}`}
        aria-current={id === runsOn ? 'true' : undefined}
        className={`node-choice${id === runsOn ? ' node-current' : ''}`}
        disabled={!!off}
        title={off}
        onClick={() => onMigrate(id)}
      >
        <Lamp id={id} status={status ?? 'connecting'} reason={reason} />
        <span>{host ?? `node ${id}`}</span>
        {id === runsOn && <span className="muted"> (runs here)</span>}
      </button>
    </li>
  );
}

/** "1234" is a PID on the node, "1.5" a job by identity (home 1, id 5). */
export function parseTarget(nodeId: NodeId, which: string): ApiProcTarget {
  const ref = parseJobKey(which);
  return ref ? { nodeId, ref } : { nodeId, pid: Number(which) };
}

/**
 * The migrator of one process: every node (click one to migrate there), Home, Best,
 * Kill, SIGSTOP, SIGCONT, a nice slider and live status. Once the process turns out to
 * be a job it is followed by its identity, so the window keeps up as it moves.
 */
export function Migrator({ nodeId, which, bridge }: { nodeId: NodeId; which: string; bridge: MosixviewBridge }) {
  const order = useCluster((s) => s.order);
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
      setOutcome(refusedOutcome(what, e));
    } finally {
      busyRef.current = false;
      setBusy(undefined);
      refresh();
    }
  };

  // A job is acted on by its identity as soon as this render knows it (the effect above may not have run yet).
  const t = (): ApiProcTarget => {
    const cur = target.current;
    const ref = status?.job?.ref;
    return 'pid' in cur && ref && status ? { nodeId: status.nodeId, ref } : cur;
  };
  const migrate = (to: NodeId | 'home' | 'best', what: string) =>
    act(what, async () => {
      const r = await bridge.invoke('job.migrate', { ...t(), to });
      target.current = { nodeId: r.where || t().nodeId, ref: r.ref };
    });
  const signal = (signal: 'KILL' | 'STOP' | 'CONT', what: string) => act(what, () => bridge.invoke('job.signal', { ...t(), signal }));

  const view = migratorView(status, which);
  const runsOn = view.runsOn;
  const title = status?.job ? `job ${jobKey(status.job.ref)}` : `process ${which}`;
  // The command the admin started, also while the job is elsewhere or has ended.
  const command = status?.proc ? status.proc.args || status.proc.command : status?.job?.argv.join(' ');
  const control = { disabled: !!view.noControl, why: view.noControl };
  const moveOff = view.noControl ?? view.noMove;
  const forget = () => {
    const job = status?.job;
    if (!job) return;
    void act(`Forget job ${jobKey(job.ref)}`, () => bridge.invoke('job.forget', { nodeId: job.ref.home, ref: job.ref }));
  };
  useWindowTitle(windowTitles.migrator(title, runsOn));
  return (
    <main className="migrator">
      <h1>Migrator: {title}{command ? <span className="cluster-name"> {command}</span> : null}</h1>
      <div className="migrator-body">
        <section aria-label="Nodes" className="migrator-nodes">
          <h2>Nodes</h2>
          {/* No invitation to a click that can only fail: why it cannot move instead. */}
          {view.runs && view.noMove && !view.noControl ? (
            <p aria-label="Cannot move" className="muted hint" style={HINT_WIDTH}>It cannot move: {status?.reasons[0]}{(status?.reasons.length ?? 0) > 1 ? ` (and ${status!.reasons.length - 1} more, below)` : ''}.</p>
          ) : status && moveOff ? (
            <p className="muted hint" style={HINT_WIDTH}>No node can take it now: {moveOff}.</p>
          ) : (
            <p className="muted hint">Click (or double-click) a node to migrate the process there.</p>
          )}
          <ul>
            {order.map((id) => (
              <NodeChoice key={id} id={id} runsOn={runsOn} moveOff={moveOff} onMigrate={(to) => void migrate(to, `Migrating to node ${to}`)} />
            ))}
          </ul>
        </section>
        <section aria-label="Process control" className="migrator-control">
          <div className="button-grid">
            <button type="button" disabled={!!moveOff} onClick={() => void migrate('home', 'Sending it home')} title={moveOff ?? 'migrate to its home node'}>Home</button>
            <button type="button" disabled={!!moveOff} onClick={() => void migrate('best', 'Migrating to the best node')} title={moveOff ?? 'migrate to the best node (load, speed, CPUs)'}>Best</button>
            <button type="button" disabled={control.disabled} onClick={() => void signal('KILL', 'Kill')} title={control.why ?? 'SIGKILL: end it now'}>Kill</button>
            <button type="button" disabled={control.disabled} onClick={() => void signal('STOP', 'SIGSTOP')} title={control.why ?? 'pause it'}>SIGSTOP</button>
            <button type="button" disabled={control.disabled} onClick={() => void signal('CONT', 'SIGCONT')} title={control.why ?? 'let it continue'}>SIGCONT</button>
            {view.canForget && status?.job && (
              <button type="button" onClick={forget} title="remove the job's record from its home node: it no longer runs, or its node is gone">Forget job</button>
            )}
          </div>
          {/* Long sentences wrap within the column instead of pushing it under the nodes. */}
          {view.headline?.kind === 'moving' && <p role="status" aria-label="Moving" className="moving" style={TEXT_WIDTH}>{view.headline.text}</p>}
          {view.headline?.kind === 'unreachable' && <p role="status" aria-label="Unreachable" className="moving" style={TEXT_WIDTH}>{view.headline.text}</p>}
          <ProgressLine bridge={bridge} job={status?.job?.ref} />
          <NiceSlider
            nice={status?.proc?.nice}
            disabled={control.disabled}
            onCommit={(nice) => act(`Renice to ${nice}`, () => bridge.invoke('job.renice', { ...t(), nice }))}
          />
          {status?.job && (
            <label className="lock-toggle">
              <input
                type="checkbox"
                checked={status.job.locked}
                disabled={control.disabled}
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
      <MigratorStatus status={status as ProcStatus | undefined} view={view} asked={nodeId} />
    </main>
  );
}
