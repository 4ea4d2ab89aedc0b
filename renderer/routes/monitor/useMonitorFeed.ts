/**
 * Feeds the monitor's store: the job list of every node that is up, asked through the one
 * polling hook, and each `job.changed` record at once (a move is drawn as it lands, and the
 * lists are asked again). A node that does not answer keeps no jobs in the picture; the
 * window names it with why.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { NodeId } from '../../../shared/domain/node.js';
import { useCluster, type ClusterState } from '../../store/clusterStore.js';
import { usePoll } from '../../components/usePoll.js';
import { useAskWhenChanged } from '../../components/useAskWhenChanged.js';
import { nodeAbsence } from '../clusterProcs/clusterRows.js';
import { monitorActions } from './monitorStore.js';
import type { NodeJobs } from './monitorJobs.js';

export const MONITOR_REFRESH_MS = 2000;

const selectUp = (s: ClusterState) => s.order.filter((id) => nodeAbsence(s.nodes[id]) === undefined);

/** Nodes that are up but did not answer, with why. */
export type Unanswered = { nodeId: NodeId; why: string }[];

export function useMonitorFeed(bridge: MosixviewBridge): { failed: Unanswered; loaded: boolean; refresh: () => Promise<void> } {
  const up = useCluster(useShallow(selectUp));
  // Before the first poll's answers can arrive (effects run in order): moves from then on are news.
  useEffect(() => monitorActions.opened(), []);
  const upRef = useRef(up);
  upRef.current = up;

  const { data, refresh } = usePoll(
    async () => {
      const results = await Promise.all(
        upRef.current.map((nodeId) =>
          bridge.invoke('job.list', { nodeId }).then((jobs): NodeJobs => ({ nodeId, jobs }), (e: Error) => ({ nodeId, why: `did not answer: ${e.message}` })),
        ),
      );
      monitorActions.applyAnswers(results.filter((r): r is NodeJobs => 'jobs' in r));
      return results.filter((r): r is { nodeId: NodeId; why: string } => 'why' in r);
    },
    MONITOR_REFRESH_MS,
    [bridge],
  );
  useEffect(
    () => bridge.on('job.changed', (e) => {
      monitorActions.applyRecord(e.nodeId, e.record);
      void refresh();
    }),
    [bridge, refresh],
  );
  useAskWhenChanged(up.join(','), refresh);
  useEffect(() => () => monitorActions.reset(), []);
  return useMemo(() => ({ failed: data ?? [], loaded: data !== undefined, refresh }), [data, refresh]);
}
