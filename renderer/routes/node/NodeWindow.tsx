/**
 * The node configuration window (HOWTO 12.2.5), opened by a row's host button: host name
 * and IP, the openMosix controls showing the node's REAL state (read back from its agent
 * after every change and every few seconds), expel/bring, agent start/stop and the remote
 * proc-box. "all" shows the same for every node, with each node's result of an action.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useCluster } from '../../store/clusterStore.js';
import { Lamp } from '../../components/Lamp.js';
import { openWindow } from '../../windows.js';
import { useWindowTitle, windowTitles } from '../../windowTitle.js';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { NodeId, NodeView } from '../../../shared/domain/node.js';
import type { BalanceState } from '../../../shared/protocol/agentBalance.js';
import type { NodeResult } from '../../../shared/protocol/apiBalance.js';
import { speedSourceLabel } from '../../../shared/loadFigures.js';
import { FLAG_BOXES, balancerLines, combined, describeAgentStart, describeMoves, describeResult, pendingMoves } from './nodeActions.js';

const POLL_MS = 3000;

type Target = NodeId | 'all';
interface NodeEntry {
  state?: BalanceState;
  error?: string;
  result?: string;
}

function useNodeStates(bridge: MosixviewBridge, target: Target) {
  const [entries, setEntries] = useState<Record<number, NodeEntry>>({});
  const [busy, setBusy] = useState(false);
  const alive = useRef(true);

  const applyStates = useCallback((rs: NodeResult<BalanceState>[]) => {
    if (!alive.current) return;
    setEntries((old) => {
      const next = { ...old };
      for (const r of rs) next[r.nodeId] = r.ok ? { ...old[r.nodeId], state: r.value, error: undefined } : { ...old[r.nodeId], state: undefined, error: r.error };
      return next;
    });
  }, []);
  const setResults = useCallback((rs: { nodeId: NodeId; text: string }[]) => {
    setEntries((old) => {
      const next = { ...old };
      for (const r of rs) next[r.nodeId] = { ...old[r.nodeId], result: r.text };
      return next;
    });
  }, []);
  const refresh = useCallback(async () => {
    try {
      applyStates(await bridge.invoke('balance.state', { nodeId: target }));
    } catch {
      /* the connection banner of the main window tells; keep the last state */
    }
  }, [bridge, target, applyStates]);

  useEffect(() => {
    alive.current = true;
    void refresh();
    const t = setInterval(() => void refresh(), POLL_MS);
    return () => {
      alive.current = false;
      clearInterval(t);
    };
  }, [refresh]);

  /** Runs an action; every node's outcome becomes its result line, then the state is read back. */
  const act = useCallback(
    async <T,>(what: string, run: () => Promise<NodeResult<T>[]>, ok: (v: T) => string) => {
      setBusy(true);
      try {
        const rs = await run();
        setResults(rs.map((r) => ({ nodeId: r.nodeId, text: describeResult(what, r, ok) })));
      } catch (e) {
        const ids = target === 'all' ? Object.keys(entries).map(Number) : [target];
        setResults(ids.map((nodeId) => ({ nodeId, text: `${what} failed: ${(e as Error).message}` })));
      } finally {
        await refresh();
        setBusy(false);
      }
    },
    [refresh, setResults, target, entries],
  );
  return { entries, busy, act };
}

function Controls({ bridge, target, states, busy, act }: { bridge: MosixviewBridge; target: Target; states: (BalanceState | undefined)[]; busy: boolean; act: ReturnType<typeof useNodeStates>['act'] }) {
  const known = states.some((s) => s !== undefined);
  const pending = pendingMoves(states);
  return (
    <div className="node-controls">
      <fieldset disabled={busy || !known}>
        <legend>openMosix</legend>
        {FLAG_BOXES.map((box) => {
          const c = combined(states, box);
          return (
            <label key={box.flag}>
              <input
                type="checkbox"
                checked={c === true}
                aria-checked={c === 'mixed' ? 'mixed' : c === true}
                ref={(el) => {
                  if (el) el.indeterminate = c === 'mixed';
                }}
                onChange={(e) => {
                  // Read now: React puts the controlled box back until the agent's state says otherwise.
                  const checked = e.target.checked;
                  const what = `${box.label} ${checked ? 'on' : 'off'}`;
                  void act(what, () => bridge.invoke('balance.setFlag', { nodeId: target, flag: box.flag, value: checked === box.checkedIsOn }), () => `${what}: done`);
                }}
              />
              {box.label}
            </label>
          );
        })}
      </fieldset>
      {/* Each action beside what it would move now, the agent's two buttons together (HOWTO 12.2.5). */}
      <div className="node-buttons">
        <div className="node-action">
          <button type="button" disabled={busy} aria-describedby="pending-guests" onClick={() => void act('expel', () => bridge.invoke('balance.expel', { nodeId: target }), (r) => describeMoves('expel', r))}>Expel guests</button>
          <output id="pending-guests" aria-label="Guests here">{pending?.guests ?? '…'}</output>
        </div>
        <div className="node-action">
          <button type="button" disabled={busy} aria-describedby="pending-away" onClick={() => void act('bring', () => bridge.invoke('balance.bring', { nodeId: target }), (r) => describeMoves('bring', r))}>Bring home</button>
          <output id="pending-away" aria-label="Own jobs away">{pending?.away ?? '…'}</output>
        </div>
        <div className="node-action">
          <button type="button" disabled={busy} onClick={() => void act('start agent', () => bridge.invoke('balance.startAgent', { nodeId: target }), describeAgentStart)}>Start agent</button>
          <button type="button" disabled={busy} onClick={() => void act('stop agent', () => bridge.invoke('balance.stopAgent', { nodeId: target }), () => 'agent stopped')}>Stop agent</button>
        </div>
        <div className="node-action">
          <button type="button" disabled={busy} onClick={() => void act('install map', () => bridge.invoke('membership.installMap', { nodeId: target }), () => "the profile's map is installed")}>
            {target === 'all' ? "Install the profile's map on every node" : `Install the profile's map on node ${target}`}
          </button>
        </div>
      </div>
      <p className="node-policy" role="note" aria-label="What wins">
        What was done on the node wins over Mosixview: a map from <code>setpe -w</code>, <code>setpe -off</code> and the <code>mosctl</code> flags stay;
        Mosixview installs the profile&apos;s map only on a node that has none (the button above overrules the node).
        Stop agent keeps the node&apos;s agent stopped, also after Mosixview restarts and for every other GUI, until Start agent.
      </p>
    </div>
  );
}

function NodeFacts({ node, entry }: { node: NodeView; entry: NodeEntry | undefined }) {
  const s = node.sample;
  const held = entry?.state ? balancerLines(entry.state) : [];
  return (
    <dl>
      <dt>Host name</dt><dd>{s?.hostname ?? '-'}</dd>
      <dt>IP address</dt><dd>{node.address ?? node.host}</dd>
      <dt>Status</dt><dd>{node.status}{node.reason ? `: ${node.reason}` : ''}</dd>
      <dt>Speed</dt><dd>{entry?.state?.speed ?? s?.speed ?? '-'}{s?.speedSource ? ` (${speedSourceLabel(s.speedSource)})` : ''}</dd>
      {entry?.state && (
        <>
          <dt>Balancer</dt><dd>{entry.state.canMigrate ? 'moves jobs' : 'moves no jobs'}{entry.state.note ? `: ${entry.state.note}` : ''}</dd>
        </>
      )}
      {held.length > 0 && (
        <>
          <dt>Held back</dt>
          <dd><ul className="held" aria-label={`Held back on node ${node.id}`}>{held.map((l) => <li key={l}>{l}</li>)}</ul></dd>
        </>
      )}
      {node.isolated && (<><dt>Peers</dt><dd role="alert">{node.isolated}</dd></>)}
      {node.ownMap && (<><dt>Map</dt><dd>{node.ownMap}</dd></>)}
      {entry?.error && (<><dt>Agent</dt><dd role="alert">{entry.error}</dd></>)}
    </dl>
  );
}

function NodePanel({ node, entry, controls }: { node: NodeView; entry: NodeEntry | undefined; controls?: ReactNode }) {
  return (
    <section className="node-facts" aria-label={`Node ${node.id} configuration`}>
      <h2><Lamp id={node.id} status={node.status} reason={node.reason} cutOff={node.isolated} /> Node {node.id}: {node.sample?.hostname ?? node.host}</h2>
      <NodeFacts node={node} entry={entry} />
      {controls}
      <button type="button" className="remote-proc-box" onClick={() => openWindow(`procs/${node.id}`, `procs-${node.id}`)}>remote proc-box</button>
      <p role="status" aria-label={`Result on node ${node.id}`} className="node-result">{entry?.result ?? ''}</p>
    </section>
  );
}

function SingleNode({ bridge, node }: { bridge: MosixviewBridge; node: NodeView }) {
  const { entries, busy, act } = useNodeStates(bridge, node.id);
  const entry = entries[node.id];
  return (
    <NodePanel node={node} entry={entry}
      controls={<Controls bridge={bridge} target={node.id} states={[entry?.state]} busy={busy} act={act} />} />
  );
}

function AllNodes({ bridge, ids, nodes }: { bridge: MosixviewBridge; ids: NodeId[]; nodes: Record<number, NodeView | undefined> }) {
  const { entries, busy, act } = useNodeStates(bridge, 'all');
  return (
    <>
      <section className="node-facts" aria-label="All nodes configuration">
        <h2>All nodes</h2>
        <Controls bridge={bridge} target="all" states={ids.map((id) => entries[id]?.state)} busy={busy} act={act} />
      </section>
      {ids.map((id) => nodes[id] && <NodePanel key={id} node={nodes[id]!} entry={entries[id]} />)}
    </>
  );
}

/** The node configuration window, opened by a row's host button ("all" for every node). */
export function NodeWindow({ which, bridge }: { which: string; bridge: MosixviewBridge }) {
  const order = useCluster((s) => s.order);
  const nodes = useCluster((s) => s.nodes);
  const ids = which === 'all' ? order : order.filter((id) => String(id) === which);
  const one = which === 'all' ? undefined : nodes[Number(which)];
  useWindowTitle(which === 'all' ? windowTitles.allNodes() : windowTitles.node(Number(which) || 0, one?.sample?.hostname ?? one?.host));
  if (order.length === 0) return <p>Loading the cluster...</p>;
  if (ids.length === 0) return <p role="alert">There is no node {which} in this cluster.</p>;
  return (
    <main className="node-window">
      {which === 'all' ? <AllNodes bridge={bridge} ids={ids} nodes={nodes} /> : nodes[ids[0]!] && <SingleNode bridge={bridge} node={nodes[ids[0]!]!} />}
    </main>
  );
}
