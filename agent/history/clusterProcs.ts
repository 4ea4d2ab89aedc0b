/**
 * The process lists of every node at one moment, as the collector records them once a minute:
 * this node's own, and each other node's asked over the peer channel, all at once, each with a
 * deadline, so one slow node costs only its own list. A node without a list is recorded as
 * missing with the reason, never as an empty list.
 */
import type { ProcInfo } from '../../shared/domain/process.js';
import type { NodeId } from '../../shared/domain/node.js';
import type { HistoryProc, NodeProcs } from '../../shared/history/types.js';
import type { ClusterViewNode } from '../../shared/protocol/agentHistory.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { historyProcList } from '../../shared/protocol/peerHistory.validate.js';

/** How long another node's list is waited for; the record is written when all answered or this passed. */
export const PEER_PROCS_TIMEOUT_MS = 4000;
/** Command lines are cut here: the window shows them in a tooltip, and a minute of 64 nodes stays small. */
export const ARGS_KEPT = 200;

export const toHistoryProc = (p: ProcInfo): HistoryProc => ({
  pid: p.pid, user: p.user, command: p.command, args: p.args.slice(0, ARGS_KEPT), state: p.state, cpu: p.cpu, rssKb: p.rssKb, where: p.where,
});

export interface ProcSources {
  /** This node's ID in the view. */
  self: NodeId;
  /** This node's list, or undefined before its first sample. */
  own(): HistoryProc[] | undefined;
  /** Asks node `id` for its list; undefined when this node cannot ask others (no cluster). */
  ask: ((id: NodeId) => Promise<unknown>) | undefined;
  timeoutMs?: number;
}

/** Every node of the view, in ID order, with its list or why there is none. */
export async function clusterProcs(view: readonly ClusterViewNode[], src: ProcSources): Promise<NodeProcs[]> {
  const sorted = [...view].sort((a, b) => a.id - b.id);
  return Promise.all(sorted.map(async (n): Promise<NodeProcs> => {
    const head = { id: n.id, host: n.host };
    if (n.id === src.self) {
      const procs = src.own();
      return procs ? { ...head, procs } : { ...head, missing: 'this node had not read its processes yet' };
    }
    if (n.status !== 'up') return { ...head, missing: 'down: the collector\'s node had no news of it' };
    if (!src.ask) return { ...head, missing: 'the collector\'s node is not in a cluster (no map and key installed), so it cannot ask other nodes' };
    const why = await answerOf(src.ask, n.id, src.timeoutMs ?? PEER_PROCS_TIMEOUT_MS);
    return 'procs' in why ? { ...head, procs: why.procs } : { ...head, missing: why.missing };
  }));
}

async function answerOf(ask: (id: NodeId) => Promise<unknown>, id: NodeId, timeoutMs: number): Promise<{ procs: HistoryProc[] } | { missing: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  try {
    const answer = await Promise.race([ask(id), deadline]);
    if (answer === 'late') return { missing: `no answer within ${timeoutMs / 1000} s` };
    try {
      return { procs: historyProcList.check(answer, 'its answer') };
    } catch (e) {
      return { missing: `its agent sent no usable process list: ${(e as Error).message}` };
    }
  } catch (e) {
    if (e instanceof RpcError && e.code === 'ENOMETHOD') return { missing: 'its agent is too old to send its process list: deploy the current agent there' };
    if (e instanceof RpcError && e.code === 'ETIMEDOUT') return { missing: `no answer within ${timeoutMs / 1000} s` };
    return { missing: `no answer: ${(e as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}
