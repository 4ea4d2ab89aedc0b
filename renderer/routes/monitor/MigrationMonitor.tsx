/**
 * The migration monitor (openMosixview's migmon): every node as a circle on a ring, every
 * job as a dot in the node where it runs, every move drawn as it lands with its freeze, and
 * listed in the "Migrations" log with by whom. Drag a job onto a node to migrate it there;
 * or select a job (Enter) and then a node (Enter). A move goes through the migrator's
 * `job.migrate`, and a refusal says why in the migrator's words.
 */
import { useCallback, useRef, useState } from 'react';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { NodeId } from '../../../shared/domain/node.js';
import { parseJobKey } from '../../../shared/domain/process.js';
import { refusedOutcome, type ActionOutcome } from '../../components/actionOutcome.js';
import { useWindowTitle, windowTitles } from '../../windowTitle.js';
import { monitorActions, useMonitor } from './monitorStore.js';
import { useMonitorFeed } from './useMonitorFeed.js';
import { MonitorRing } from './MonitorRing.js';
import { MoveLog } from './MoveLog.js';

/** The node a job runs on now, as the monitor last heard. */
function nodeOfJob(key: string): NodeId | undefined {
  const jobs = useMonitor.getState().jobs;
  for (const [id, list] of Object.entries(jobs)) if (list.some((j) => j.key === key)) return Number(id);
  return undefined;
}

export function MigrationMonitor({ bridge }: { bridge: MosixviewBridge }) {
  useWindowTitle(windowTitles.monitor());
  const { failed, loaded, refresh } = useMonitorFeed(bridge);
  const selected = useMonitor((s) => s.selected);
  const [busy, setBusy] = useState<string>();
  const busyRef = useRef(false);
  const [outcome, setOutcome] = useState<ActionOutcome>();

  /** One move at a time from this window: a second drop while one is under way waits for nothing, it is refused. */
  const migrate = useCallback(async (key: string, to: NodeId) => {
    const ref = parseJobKey(key);
    const from = nodeOfJob(key);
    if (!ref || from === undefined) return;
    const what = `Migrating job ${key} to node ${to}`;
    if (from === to) {
      setOutcome({ ok: true, text: `${what}: nothing to do, it runs on node ${to} already` });
      return;
    }
    if (busyRef.current) {
      setOutcome({ ok: false, text: `${what} failed: ${busy ?? 'another move'} is under way: wait until it has finished` });
      return;
    }
    busyRef.current = true;
    setBusy(what);
    setOutcome(undefined);
    try {
      await bridge.invoke('job.migrate', { nodeId: from, ref, to });
      setOutcome({ ok: true, text: `${what}: done` });
    } catch (e) {
      setOutcome(refusedOutcome(what, e));
    } finally {
      busyRef.current = false;
      setBusy(undefined);
      monitorActions.select(undefined);
      void refresh();
    }
  }, [bridge, busy, refresh]);

  const onDrop = useCallback((key: string, _from: NodeId, to: NodeId) => void migrate(key, to), [migrate]);
  const onTapJob = useCallback((key: string) => monitorActions.toggle(key), []);
  const onNode = useCallback((id: NodeId) => {
    const key = useMonitor.getState().selected;
    if (key) void migrate(key, id);
    else setOutcome({ ok: false, text: `Node ${id}: select a job first (click it, or Tab to it and press Enter), then the node it is to go to` });
  }, [migrate]);

  return (
    <main className="monitor-window" onKeyDown={(e) => e.key === 'Escape' && monitorActions.select(undefined)}>
      <div className="toolbar">
        <h1>Migration monitor</h1>
        <span className="muted hint">Drag a job onto a node to migrate it there, or select a job (Enter) and then a node (Enter). Esc lets go.</span>
      </div>
      <div className="monitor-status">
        {selected && !busy && <p role="status" aria-label="Selected job">Job {selected} selected: choose the node it is to go to.</p>}
        {busy && <p role="status" aria-label="Action in progress">{busy} ...</p>}
        {outcome && <p role={outcome.ok ? 'status' : 'alert'} aria-label="Last action" className={outcome.ok ? 'muted' : 'row-message'}>{outcome.text}</p>}
        {!loaded && <p className="muted">asking the nodes for their jobs ...</p>}
        {failed.length > 0 && (
          <p role="status" aria-label="Missing nodes" className="row-message">
            Jobs not known: {failed.map((f) => `node ${f.nodeId} (${f.why})`).join('; ')}
          </p>
        )}
      </div>
      <div className="monitor-body">
        <MonitorRing onDrop={onDrop} onTapJob={onTapJob} onTapNode={onNode} onEnterNode={onNode} />
        <MoveLog />
      </div>
    </main>
  );
}
