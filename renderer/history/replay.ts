/**
 * Replay in the main window: the rows show recorded views instead of live ones. The store's
 * mode holds live views back (clusterStore.ts), so no other part of the main window needs
 * to know about replay; "Live" returns to the mode before it and reads the rows afresh.
 */
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import { clusterActions } from '../store/clusterStore.js';

export async function backToLive(bridge: MosixviewBridge): Promise<void> {
  clusterActions.leaveReplay();
  clusterActions.applySnapshot(await bridge.invoke('cluster.get', null));
}
