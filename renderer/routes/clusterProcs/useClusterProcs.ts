/**
 * The processes of every node that is up, asked of each node's agent (the process box's
 * `node.procs` and `job.list`) through the one polling hook. A node that is down, still
 * connecting, or answers with an error is named with why; the others' rows still come, also
 * while one node is slow to answer (it is named as such until its answer is in).
 */
import { useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { NodeId } from '../../../shared/domain/node.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { useCluster, type ClusterState } from '../../store/clusterStore.js';
import { usePoll } from '../../components/usePoll.js';
import { useAskWhenChanged } from '../../components/useAskWhenChanged.js';
import { clusterRows, nodeAbsence, type ClusterRow, type MissingNode, type NodeAnswer } from './clusterRows.js';
import { reuseUnchanged } from './liveRows.js';

/** Every node is asked at once; a job that changes anywhere asks again at once. */
export const CLUSTER_PROCS_REFRESH_MS = 2000;
/** The table waits this long for the nodes' answers; one slower than that does not hold back the others. */
export const SLOW_NODE_MS = 1500;
/** A slow node's last answer stays in the table until it is this old; then the node is named instead. */
const LAST_ANSWER_KEPT_MS = 3 * CLUSTER_PROCS_REFRESH_MS;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const selectOrder = (s: ClusterState) => s.order;
/** Per node in map order: '' when up, else why not (strings, so an unchanged cluster is the same list). */
const selectAbsences = (s: ClusterState) => s.order.map((id) => nodeAbsence(s.nodes[id]) ?? '');

async function askNode(bridge: MosixviewBridge, nodeId: NodeId): Promise<NodeAnswer | MissingNode> {
  try {
    const [procs, jobs] = await Promise.all([
      bridge.invoke('node.procs', { nodeId }),
      // An agent without jobs still lists its processes.
      bridge.invoke('job.list', { nodeId }).catch(() => [] as JobRecord[]),
    ]);
    return { nodeId, procs, jobs };
  } catch (e) {
    return { nodeId, why: `did not answer: ${(e as Error).message}` };
  }
}

export interface ClusterProcs {
  /** Undefined until the first answers are in. */
  rows: ClusterRow[] | undefined;
  /** Nodes whose processes are not among the rows, in map order. */
  missing: MissingNode[];
  /** Nodes whose processes are. */
  listed: NodeId[];
}

export function useClusterProcs(bridge: MosixviewBridge): ClusterProcs {
  const order = useCluster(selectOrder);
  const absences = useCluster(useShallow(selectAbsences));
  const up = useMemo(() => order.filter((_, i) => absences[i] === ''), [order, absences]);
  const upRef = useRef(up);
  upRef.current = up;
  const lastRows = useRef<ClusterRow[]>([]);
  /** Each node's last answer and when it came; and when a node still being asked was asked (it is not asked twice). */
  const lastAnswers = useRef(new Map<NodeId, { answer: NodeAnswer | MissingNode; at: number }>());
  const asking = useRef(new Map<NodeId, number>());

  const { data, refresh } = usePoll(
    async () => {
      const ids = upRef.current;
      const asks = ids.filter((id) => !asking.current.has(id)).map((id) => {
        asking.current.set(id, Date.now());
        return askNode(bridge, id).then((answer) => {
          lastAnswers.current.set(id, { answer, at: Date.now() });
          asking.current.delete(id);
        });
      });
      await Promise.race([Promise.all(asks), sleep(SLOW_NODE_MS)]);
      const now = Date.now();
      for (const id of lastAnswers.current.keys()) if (!ids.includes(id)) lastAnswers.current.delete(id);
      const results = ids.map((id): NodeAnswer | MissingNode => {
        const last = lastAnswers.current.get(id);
        const askedAt = asking.current.get(id);
        if (last && (askedAt === undefined || now - last.at <= LAST_ANSWER_KEPT_MS)) return last.answer;
        return { nodeId: id, why: `no answer yet: asked ${((now - (askedAt ?? now)) / 1000).toFixed(1)} s ago` };
      });
      const answers = results.filter((r): r is NodeAnswer => 'procs' in r);
      const rows = reuseUnchanged(lastRows.current, clusterRows(answers));
      lastRows.current = rows;
      return { rows, failed: results.filter((r): r is MissingNode => 'why' in r) };
    },
    CLUSTER_PROCS_REFRESH_MS,
    [bridge],
  );
  useEffect(() => bridge.on('job.changed', () => void refresh()), [bridge, refresh]);
  // One that goes is dropped at once (the rows are filtered by `up` below).
  useAskWhenChanged(up.join(','), refresh);

  return useMemo(() => {
    const upNow = new Set(up);
    const failed = new Map((data?.failed ?? []).filter((f) => upNow.has(f.nodeId)).map((f) => [f.nodeId, f]));
    const missing = order.flatMap((id, i): MissingNode[] => {
      if (absences[i]) return [{ nodeId: id, why: absences[i] }];
      const f = failed.get(id);
      return f ? [f] : [];
    });
    const rows = data?.rows.filter((r) => upNow.has(r.nodeId) && !failed.has(r.nodeId));
    return { rows, missing, listed: up.filter((id) => !failed.has(id)) };
  }, [data, order, absences, up]);
}
