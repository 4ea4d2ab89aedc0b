/**
 * Who may make which request of the node's agent. One system agent serves every local user
 * (and the GUI, as the user it logged in as over SSH): everyone sees everything, as with ps;
 * a user acts on their own jobs and processes only; root (or the user an agent of its own
 * runs as) does all. The balancer is not a caller: it moves jobs inside the agent, as root.
 */
import type { AgentRequests, CallerInfo } from '../../shared/protocol/agent.js';
import { RpcError } from '../../shared/protocol/rpc.js';

/**
 * anyone: also a connection that has not proved who it is (reading, proving);
 * user: any proved caller; owner: the owner of the job or process it names, or an admin;
 * admin: root, or the user the agent runs as.
 */
export type Access = 'anyone' | 'user' | 'owner' | 'admin';

/** Every request, classified: a request added to the protocol without a class does not compile. */
export const REQUEST_ACCESS: Record<keyof AgentRequests, Access> = {
  hello: 'anyone',
  'auth.challenge': 'anyone',
  'auth.prove': 'anyone',
  sample: 'anyone',
  subscribe: 'anyone',
  procs: 'anyone',
  getSpeed: 'anyone',
  setSpeed: 'admin',
  'cluster.configure': 'admin',
  'cluster.info': 'anyone',
  'cluster.key': 'admin',
  shutdown: 'admin',
  metrics: 'anyone',
  'jobs.start': 'user',
  'jobs.list': 'anyone',
  'jobs.get': 'anyone',
  'jobs.signal': 'owner',
  'jobs.renice': 'owner',
  'jobs.lock': 'owner',
  'jobs.facts': 'anyone',
  // It reads the process's open files, which only its owner may.
  'jobs.check': 'owner',
  // Asked before a start, of no job yet: whoever may start jobs may ask (markers are removed at once).
  'jobs.precheck': 'user',
  'jobs.workdir': 'user',
  'jobs.setNodeId': 'admin',
  'jobs.migrate': 'owner',
  'jobs.forget': 'owner',
  'balance.state': 'anyone',
  'balance.view': 'anyone',
  'balance.set': 'admin',
  'balance.setDecay': 'admin',
  'balance.expel': 'admin',
  'balance.bring': 'admin',
  'balance.ping': 'anyone',
  'balance.sampleOf': 'anyone',
  'alerts.inputs': 'anyone',
  'alerts.list': 'anyone',
  'alerts.set': 'admin',
  // The collector tells only that something changed; its GUI sessions read the list again.
  'alerts.report': 'anyone',
  'history.clusterView': 'anyone',
  // Everyone sees every process, as with ps (and the Cluster processes window).
  'history.clusterProcs': 'anyone',
  'history.observe': 'user',
  'history.status': 'anyone',
  'history.start': 'admin',
  'history.stop': 'admin',
  'history.checkpoint': 'admin',
  'history.rotate': 'admin',
  'history.series': 'anyone',
  'history.procs': 'anyone',
  'history.at': 'anyone',
  'history.export': 'anyone',
  // The agent (root) would list directories the caller may not read.
  'fs.list': 'admin',
};

/** What an owner request acts on, and whose it is. */
export interface Owned {
  /** "job 1.234" or "process 567". */
  what: string;
  uid: number;
  user: string;
}

const who = (c: CallerInfo) => `${c.user} (uid ${c.uid})`;

/** What a request does to its target, in the words of the refusal. */
export function actionOf(method: string, params: unknown): string {
  const p = (params ?? {}) as { signal?: string; locked?: boolean };
  switch (method) {
    case 'jobs.signal':
      return p.signal === 'KILL' ? 'kill' : p.signal === 'STOP' ? 'stop' : 'continue';
    case 'jobs.renice':
      return 'renice';
    case 'jobs.lock':
      return p.locked === false ? 'unlock' : 'lock';
    case 'jobs.migrate':
      return 'move';
    case 'jobs.forget':
      return 'forget';
    case 'jobs.check':
      return 'check';
    default:
      return `do "${method}" on`;
  }
}

/**
 * Why `caller` may not make the request, or undefined when it may. `owned` is the target of
 * an owner request (undefined when there is none: the request's own handler says so).
 */
export function refusal(
  method: keyof AgentRequests,
  params: unknown,
  caller: CallerInfo | undefined,
  agentUid: number,
  owned?: Owned,
): RpcError | undefined {
  const access = REQUEST_ACCESS[method];
  if (access === 'anyone') return undefined;
  if (!caller) {
    return new RpcError('EPERM', `"${method}" needs to know who you are, and this connection has not proved it: use the node's tools (mosrun, migrate, mps, mosctl) or the GUI, which prove it first (auth.challenge)`);
  }
  const admin = caller.uid === 0 || caller.uid === agentUid;
  if (admin || access === 'user') return undefined;
  if (access === 'admin') {
    return new RpcError('EPERM', `"${method}" is for the node's admin, and you are ${who(caller)}: run it as root (for example with sudo)`);
  }
  if (!owned || owned.uid === caller.uid) return undefined;
  const verb = actionOf(method, params);
  return new RpcError(
    'ENOTOWNER',
    `${owned.what} belongs to ${owned.user} (uid ${owned.uid}), and you are ${who(caller)}: only its owner or root may ${verb} it; ask ${owned.user} or the node's admin`,
  );
}
