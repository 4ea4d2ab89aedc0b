/** The core API's handlers (shared/protocol/api.ts CoreApiRequests): cluster, node speed and processes, host keys. */
import type { ClusterSnapshot } from '../../shared/protocol/api.js';
import type { CoreApiRequests } from '../../shared/protocol/api.js';
import type { NodeId } from '../../shared/domain/node.js';
import type { ApiHandlers } from './clusterTypes.js';
import type { NodeSessions } from './nodeSessions.js';
import type { HostKeyPrompts } from './hostKeyPrompts.js';

export interface CoreParts {
  sessions: NodeSessions;
  hostKeys: HostKeyPrompts;
  snapshot(): ClusterSnapshot;
  /** Pushes the node's row again (its host-key mark changed). */
  emitNode(nodeId: NodeId): void;
}

export function coreHandlers({ sessions, hostKeys, snapshot, emitNode }: CoreParts): Pick<ApiHandlers, keyof CoreApiRequests> {
  return {
    'cluster.get': async () => snapshot(),
    'cluster.refresh': async () => {
      await Promise.all(
        sessions.all().map(async (s) => {
          if (s.view.status !== 'up') return s.kick();
          const sample = await s.request('sample', null).catch(() => undefined);
          if (sample) s.update({ sample });
        }),
      );
      return snapshot();
    },
    'node.setSpeed': async ({ nodeId, speed }) => sessions.get(nodeId).request('setSpeed', { speed }),
    'node.procs': async ({ nodeId }) => sessions.get(nodeId).request('procs', null),
    'hostKey.answer': async (req) => {
      const { nodeId, accept } = hostKeys.answer(req);
      if (accept) sessions.find(nodeId)?.kick();
      emitNode(nodeId);
      return null;
    },
    'hostKey.askAgain': async (req) => {
      const s = sessions.get(req.nodeId);
      hostKeys.askAgain(s.id);
      emitNode(s.id);
      // Reconnecting meets the unknown key again, and so asks; a changed key is refused as ever, never asked about.
      s.kick();
      return null;
    },
  };
}
