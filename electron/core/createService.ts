/** Builds the cluster service with the right launcher per node: local child process or SSH. */
import { ClusterService } from './clusterService.js';
import { findAgentBundle } from './agentBundle.js';
import { LocalLauncher } from './localLauncher.js';
import { SshLauncher } from './sshLauncher.js';
import { API_FEATURES } from './apiFeatures.js';
import { ClusterKeyStore } from './clusterKeyFile.js';
import { DaemonMemoryFile } from './daemonMemory.js';
import type { ClusterConfig } from './profile.js';
import type { SaveDialog } from '../history/exportFile.js';

/** `saveDialog`: the desktop app's (electron/app/saveDialog.ts); the headless mode has none. */
export function createClusterService(cluster: ClusterConfig, opts: { agentBundle?: string; saveDialog?: SaveDialog } = {}): ClusterService {
  const bundle = findAgentBundle(opts.agentBundle);
  const daemons = new DaemonMemoryFile();
  return new ClusterService(cluster, {
    clientVersion: bundle.version,
    features: API_FEATURES,
    ...(opts.saveDialog ? { saveDialog: opts.saveDialog } : {}),
    keys: cluster.clusterKeyFile ? new ClusterKeyStore(cluster.clusterKeyFile) : undefined,
    launcherFor: (node, decide) => (node === 'local' ? new LocalLauncher(bundle) : new SshLauncher(node, bundle, decide, daemons)),
  });
}
