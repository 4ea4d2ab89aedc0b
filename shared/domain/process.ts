import type { NodeId } from './node.js';

/** One process as the process box shows it (the Mosixview client's list). */
export interface ProcInfo {
  pid: number;
  ppid: number;
  user: string;
  /** Short command name (comm). */
  command: string;
  /** Full command line, when readable. */
  args: string;
  /** Linux state letter: R, S, D, Z, T, I ... */
  state: string;
  /** CPU use over the last interval, % of one CPU. */
  cpu: number;
  rssKb: number;
  nice: number;
  /** openMosix "where": 0 = running here, else the node it runs on. */
  where: NodeId;
  /** Set for jobs started through the agent (mosrun): only these can migrate. */
  job?: JobRef;
  /** Set when the process cannot migrate: why, in words an admin understands. */
  cantMove?: string;
  /** Set when the process runs here as a guest: its home node. */
  guestFrom?: NodeId;
  /** Set while its job is in the middle of a migration: where it is going (or coming from). */
  moving?: { from: NodeId; to: NodeId };
  /**
   * Set on the home node's row of its job that runs elsewhere (`where` = that node), as
   * openMosix's deputy kept it in the home's process list under the job's PID. Not a process
   * computed here: state "M" (migrated), no CPU, no memory, and no `job` field.
   */
  away?: JobRef;
}

/** Cluster-wide identity of a mosrun job: it survives migration. */
export interface JobRef {
  home: NodeId;
  /** Job number on its home node; also its PID there when it started. */
  id: number;
}

export function jobKey(j: JobRef): string {
  return `${j.home}.${j.id}`;
}

/** The job a key like "1.5" names (jobKey's inverse); undefined for anything else. */
export function parseJobKey(key: string): JobRef | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(key);
  return m ? { home: Number(m[1]), id: Number(m[2]) } : undefined;
}
