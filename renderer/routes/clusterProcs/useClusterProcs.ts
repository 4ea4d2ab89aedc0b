/**
 * The processes of every node that is up, asked of each node's agent (the process box's
 * `node.procs` and `job.list`) through the one polling hook. A node that is down, still
 * connecting, or answers with an error is named with why; the others' rows still come.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { NodeId } from '../../../shared/domain/node.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { useCluster, type ClusterState } from '../../store/clusterStore.js';
import { usePoll } from '../../components/usePoll.js';
import { clusterRows, nodeAbsence, type ClusterRow, type MissingNode, type NodeAnswer } from './clusterRows.js';
import { reuseUnchanged } from './liveRows.js';

/** Every node is asked at once; a job that changes anywhere asks again at once. */
export const CLUSTER_PROCS_REFRESH_MS = 2000;

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

  const { data, refresh } = usePoll(
    async () => {
      const results = await Promise.all(upRef.current.map((id) => askNode(bridge, id)));
      const answers = results.filter((r): r is NodeAnswer => 'procs' in r);
      const rows = reuseUnchanged(lastRows.current, clusterRows(answers));
      lastRows.current = rows;
      return { rows, failed: results.filter((r): r is MissingNode => 'why' in r) };
    },
    CLUSTER_PROCS_REFRESH_MS,
    [bridge],
  );
  useEffect(() => bridge.on('job.changed', () => void refresh()), [bridge, refresh]);
  // A node that comes up is asked at once (not at the next interval); one that goes is dropped at once.
  const upKey = up.join(',');
  const askedFor = useRef(upKey);
  useEffect(() => {
    if (askedFor.current === upKey) return;
    askedFor.current = upKey;
    void refresh();
  }, [upKey, refresh]);

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
