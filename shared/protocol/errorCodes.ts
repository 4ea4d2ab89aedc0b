/**
 * Every error code that crosses a channel (agent <-> main, agent <-> agent, CLI <-> daemon,
 * main <-> window), with what it means and what the admin does about it. The set is closed:
 * RpcError takes only an ErrorCode, and a code read from the wire that is not here becomes
 * EFAIL (see wireError in rpc.ts). The operating system's own errno codes (ENOENT, ENOSPC,
 * ECONNREFUSED...) are not ours: a raw one that reaches a channel travels as EIO, its errno
 * kept in the message. The message of an error says the particulars; the code is for branching.
 */
export const ERROR_CODES = {
  // Requests that are wrong in themselves
  EINVAL: 'a request parameter is missing, malformed or out of range: fix the value the message names',
  ENOCHANNEL: 'the window asked the main process for a request it does not serve: reload the window; if it stays, the window and the main process are of different builds',
  ENOMETHOD: 'the other side does not serve this request: its agent is of another version; reconnect the node so Mosixview deploys its own agent',
  EPERM: 'not allowed: the request came from an untrusted sender, needs root, or the agent lacks the right (renice below 0): act from a Mosixview window, run it as root, or run the agent as root',

  // Connections
  ETIMEDOUT: 'no answer in time: the node or its agent is overloaded or unreachable; try again, and look at its row in the main window',
  ECLOSED: 'the connection closed before the answer: the agent stopped or the link broke; Mosixview reconnects by itself, try again then',
  ENODEDOWN: 'the node is not connected now: wait until its row says up, or fix what its row says',
  EPEER: "an agent cannot reach another node's agent: check that node, the network and the firewall (the agents' peer port)",

  // Cluster, nodes and keys
  ENONODE: 'there is no such node in the cluster map: check the node ID, or add the node to the map',
  ENOCLUSTER: 'no cluster key or map here yet: open the cluster in Mosixview (--profile FILE), or run setpe -w -f MAP on the node',
  ENOKEY: 'the node holds no cluster key: there is nothing to adopt from it',
  EKEYCHANGE: "a node refuses to replace its cluster key silently: adopt the cluster's key, or rotate the key on every node at once",
  EKEYCONFLICT: "the cluster key question is open: adopt the cluster's key or rotate first; nothing is installed meanwhile",
  ENOPROMPT: 'that host key question was already answered or has expired: nothing to do',

  // Jobs and processes
  ENOTFOUND: 'there is no such job or process (it ended, or the ID is wrong): refresh the list',
  EGONE: 'the job or process has ended: nothing to do',
  ENOTJOB: 'the process was not started with mosrun: only mosrun jobs can migrate or be locked; start it with mosrun',
  EAWAY: 'the job runs on another node now: act on it there (its migrator follows it)',
  EBUSY: 'the job is in a state that refuses this now (not started yet, being moved, running elsewhere): wait, or do what the message says first',
  EMOVING: 'the job is being moved and is frozen meanwhile: try again in a few seconds; it settles by itself',
  EALREADY: 'it already is as asked (Home on a job at home, Best on the best node): nothing to do',
  ENOTOWNER: "the job or process belongs to another user: only its owner or root may signal, renice, move, lock or kill it; ask its owner or the node's admin",
  EEXIST: 'the job already runs on the target node: a second copy is refused; nothing to do',

  // Migration
  ENOBEST: 'no better node is known yet: the load exchange has no view of other nodes; wait a few seconds',
  ECANTMOVE: 'the job cannot move to that node (its files, sockets or run mode tie it here): the message lists why',
  EBLOCKED: 'the target node blocks guest processes (mosctl block): unblock it, or choose another node',
  ENOCRIU: 'CRIU is not available on the node: install it (or set MOSIXVIEW_CRIU) to migrate from or to it',
  ENOTSUP: "the node's kernel lacks a feature this needs (soft-dirty tracking for pre-copy): migrate with a single dump",
  EDUMP: "CRIU could not checkpoint the job; it goes on where it was: the message says CRIU's reason",
  ERESTORE: "CRIU could not restore the job on the target; the source keeps it: the message says CRIU's reason",
  EMIGRATE: 'the move failed and the job goes on where it was: the message says why; try again once that is fixed',
  EUNCERTAIN: 'the target did not confirm the move: the job stays frozen until it answers, so it never runs twice; it settles by itself',
  ENOMIGRATION: 'the target holds no such migration (discarded or unknown): the source keeps the job; nothing to do',
  ECOMMITTED: 'that migration was committed already: nothing to do',
  ESTATE: "the agent cannot record the job in its state directory: free space or fix permissions there (MOSIXVIEW_STATE_DIR)",

  // History
  ENOHISTORY: 'no history is recorded on that node yet: start the collector there (Start collector, or mosixcollector -d)',
  ENOTRUNNING: 'the collector is not running: start it first',

  // Catch-alls, each with its message
  EIO: "a system call failed on that machine, or the agent has no data yet (/proc, a sample): the message names the errno or what is missing",
  EFAIL: 'it failed without a more particular code (or the other side sent a code this version does not know): the message says what happened',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** True for a code of the closed set; own keys only ("toString" is in every object). */
export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && Object.hasOwn(ERROR_CODES, v);
}
