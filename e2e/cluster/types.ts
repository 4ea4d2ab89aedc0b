/**
 * Shapes of a test cluster. The same object is written to <run>/cluster.json, so
 * teardown after a crash needs nothing but that file (or even just the run id).
 */

export interface TestNode {
  /** openMosix node ID, as in the map file (1, 2, ...). */
  id: number;
  /** What `hostname` prints inside the node: mvnode<ID>. */
  hostname: string;
  /** IPv4 address on the run's bridge; sshd listens here on port 22. */
  address: string;
  /** Network namespace name: mvt<run>-n<ID>. */
  netns: string;
  /** Root-namespace end of the node's veth pair (on the bridge); cutLink sets it down. */
  vethOuter: string;
  /** Namespace end of the veth pair. */
  vethInner: string;
  /**
   * The node's own state directory, seen from the machine: inside the node it is the agent's
   * default, /var/lib/mosixview, and no other node sees it.
   */
  stateDir: string;
  /** Node directory: sshd config, host key, logs. */
  dir: string;
  sshdConfig: string;
  sshdLog: string;
  /** What `nproc` prints inside the node. */
  expectedCpus: number;
  /** CPU the node is pinned to, or null when it may use every CPU. */
  pinnedCpu: number | null;
  /** PID (root namespace) of the node's `unshare`; 0 until started. Its child sshd is PID 1 inside. */
  pid: number;
  /**
   * The node has a system of its own: /usr, /etc and /var are overlays in its mount namespace
   * (the machine's below, the node's writes on a tmpfs that goes with the node), so a test may
   * `dpkg -i` there and leave the machine untouched. Its /var/lib/mosixview is still stateDir.
   */
  ownSystem?: boolean;
}

export interface TestUser {
  name: string;
  uid: number;
  /** Seen from the machine; /home/<name> inside a node. */
  home: string;
}

export interface TestCluster {
  runId: string;
  /**
   * /srv/mvt-<run>: the site's shared file system, the same path on every node and on the
   * machine (keys, profile, the agent, jobs' working directories). Each node's /tmp, /var/tmp,
   * /var/lib (state) are its own; /root and /home are shared homes under this directory.
   */
  dir: string;
  /** root's home on every node (shared, as homes usually are), seen from the machine. */
  rootHome: string;
  /** Where mosrun puts job directories by default (~/.mosixview/jobs of root), seen from the machine. */
  jobsDir: string;
  /** A non-root user on every node (same key as root), with a shared home. */
  user: TestUser;
  /** A second non-root user, set up like the first: jobs of two users on one agent. */
  user2: TestUser;
  profilePath: string;
  mapPath: string;
  knownHostsPath: string;
  emptyKnownHostsPath: string;
  clientKeyPath: string;
  sshConfigPath: string;
  authorizedKeysPath: string;
  bridge: string;
  /** CIDR, e.g. 10.201.7.0/24; the bridge holds .1, node k holds .(k+1). */
  subnet: string;
  bridgeAddress: string;
  nodes: TestNode[];
  /** ISO time of creation, for `list`. */
  createdAt: string;
  /** PID of the process that ran upCluster (it may be gone: the cluster outlives it). */
  ownerPid: number;
  /** Who made it: a test run's clusters are removed by the next test run once their owner died. */
  purpose?: 'tests' | 'manual';
}

export interface SshResult {
  stdout: string;
  stderr: string;
  /** ssh's exit code: the remote command's, or 255 when ssh itself failed; -1 when killed by our timeout. */
  code: number;
  timedOut: boolean;
}

export interface SshOptions {
  /** Kill ssh after this long (default 30000 ms). */
  timeoutMs?: number;
  /** ssh's ConnectTimeout in seconds (default 5). */
  connectTimeoutSec?: number;
  /** known_hosts to check against instead of the cluster's (e.g. emptyKnownHostsPath). */
  knownHostsFile?: string;
  /** Written to the remote command's stdin. */
  input?: string;
  /** Log in as this user (default root). */
  user?: string;
}

export const RUN_ID = /^[0-9a-f]{4}$/;
/** Outside /tmp, which every node has to itself. */
export const RUNS_ROOT = '/srv';
export const runDir = (runId: string): string => `${RUNS_ROOT}/mvt-${runId}`;
/** Every interface and namespace of a run starts with this; nothing else on the machine does. */
export const runPrefix = (runId: string): string => `mvt${runId}`;

/** Where a node's agent keeps its state, seen from inside the node (its /var/lib is the node's own). */
export const NODE_STATE_DIR = '/var/lib/mosixview';
