/**
 * What the migrator says and allows, from one status answer, so that its parts cannot
 * contradict each other: a process that ended does not "run here", a job that runs is not
 * "not running", a process that cannot move offers no node to move to.
 */
import type { NodeId } from '../../../shared/domain/node.js';
import { jobKey } from '../../../shared/domain/process.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { startFailure } from '../../../shared/jobs/startFailure.js';
import type { ProcStatus } from '../../../shared/protocol/apiJobs.js';

export type Headline = { kind: 'ended' | 'moving' | 'unreachable' | 'pending'; text: string };

export interface MigratorView {
  /** The process (or job) runs: signals, nice and lock make sense. */
  runs: boolean;
  /** The node it runs on, while it runs. */
  runsOn?: NodeId;
  /** "Runs on" in the status. */
  where: string;
  headline?: Headline;
  /** Why Kill, SIGSTOP, SIGCONT, nice and lock are off; undefined when they are on. */
  noControl?: string;
  /** Why the nodes, Home and Best are off; undefined when they are on. */
  noMove?: string;
  /** The job's record may be forgotten: it ended, or its node cannot be reached. */
  canForget: boolean;
}

/** What a job frozen by a migration is waiting for, in the admin's words; undefined when it is not. */
export function movingText(job: JobRecord | undefined): string | undefined {
  if (!job || (job.state !== 'frozen' && !job.pendingCommit)) return undefined;
  const m = job.moving;
  if (job.pendingCommit) {
    const to = job.pendingCommit.to;
    return `Moving: handed to node ${to}, which has not confirmed it yet: frozen here until node ${to} answers, so it never runs twice.`;
  }
  if (job.frozenBy === 'restore') return `Arriving${m ? ` from node ${m.from}` : ''}: restored here, it runs once the source hands it over.`;
  return `Moving${m ? ` to node ${m.to}` : ''}: frozen while its memory is copied.`;
}

const ENDED = new Set<JobRecord['state']>(['exited', 'killed', 'lost']);

function endedText(job: JobRecord): string {
  const failed = startFailure(job);
  if (failed) return `The job could not run its program: ${failed}.`;
  if (job.state === 'exited') return `The job has ended: exit status ${job.exitStatus ?? 'unknown'}.`;
  if (job.state === 'killed') return 'The job has ended: it was killed.';
  return 'The job has ended: its processes are gone and left no exit status (lost).';
}

export function migratorView(status: ProcStatus | undefined, which: string): MigratorView {
  if (!status) return { runs: false, where: '-', noControl: 'asking the node ...', noMove: 'asking the node ...', canForget: false };
  const { proc, job, nodeId, reasons } = status;
  if (status.unreachable && job) {
    const { node, why } = status.unreachable;
    const text = `Job ${jobKey(job.ref)} runs on node ${node}, which cannot be reached: ${why}. Wait for node ${node} to come back (the job goes on there if only the connection was lost), or forget the job if node ${node} is gone for good.`;
    const off = `node ${node} cannot be reached`;
    return { runs: false, where: `node ${node} (unreachable)`, headline: { kind: 'unreachable', text }, noControl: off, noMove: off, canForget: true };
  }
  const moving = movingText(job);
  if (moving) {
    const off = 'the job is being moved: wait until the move has finished';
    return { runs: true, runsOn: nodeId, where: `node ${nodeId}`, headline: { kind: 'moving', text: moving }, noControl: off, noMove: off, canForget: false };
  }
  if (job && ENDED.has(job.state)) {
    return { runs: false, where: '-', headline: { kind: 'ended', text: endedText(job) }, noControl: 'the job has ended', noMove: 'the job has ended', canForget: true };
  }
  if (job?.state === 'pending') {
    const text = `The job has not started yet: it is to be started on node ${job.where}${job.note ? ` (${job.note})` : ''}.`;
    return { runs: false, where: '-', headline: { kind: 'pending', text }, noControl: 'the job has not started yet', noMove: 'the job has not started yet', canForget: true };
  }
  // The job's record says where it runs; the process list may not show it yet (sampled each second).
  const jobRuns = job && job.where === 0 && (job.state === 'running' || job.state === 'stopped');
  if (!proc && !jobRuns) {
    const text = job ? `The job is not running here: it is ${job.state}.` : `Process ${which} is no longer running on node ${nodeId}.`;
    return { runs: false, where: '-', headline: { kind: 'ended', text }, noControl: 'it is not running', noMove: 'it is not running', canForget: false };
  }
  const view: MigratorView = { runs: true, runsOn: nodeId, where: `node ${nodeId}`, canForget: false };
  if (reasons.length) view.noMove = `cannot move: ${reasons[0]}`;
  return view;
}
