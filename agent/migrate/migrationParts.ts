/**
 * The migration protocol's parts, built once and wired to each other: the node-local steps,
 * the target side, the orchestrator (source side), job control for jobs away, and the peer
 * requests they serve. The daemon's feature (feature.ts) and the protocol simulation (sim/)
 * build them the same way, so the simulation drives exactly the code the agent runs.
 */
import type { NodeId } from '../../shared/domain/node.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import type { PeerJobRequests } from '../../shared/protocol/peerJobs.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { Handlers } from '../../shared/rpc/rpcEndpoint.js';
import type { JobsService } from '../jobs/jobsService.js';
import { JobControl } from './jobControl.js';
import { LocalSteps } from './localSteps.js';
import { Orchestrator, type OrchestratorDeps } from './orchestrator.js';
import type { Clock, Log, PeerLink } from './ports.js';
import type { Failpoint } from './failpoints.js';
import { TargetSide } from './targetSide.js';

export interface MigrationPartsDeps {
  jobs: JobsService;
  stateDir: string;
  clock: Clock;
  link(): PeerLink | undefined;
  /** The node refuses guests (mosctl block). */
  blocksGuests(): boolean;
  bestNode(job: JobRecord): NodeId | undefined;
  log: Log;
  /** Where the end-to-end fault matrix may hold this agent (inert in production). */
  failpoint?: Failpoint;
  onOutcome?: OrchestratorDeps['onOutcome'];
  /** Each step of a migration this node drives, as an event for the GUI sessions. */
  progress?: OrchestratorDeps['progress'];
  /** A job's resident memory in bytes (from the last sample), to say how much a migration moves. */
  jobBytes?: OrchestratorDeps['jobBytes'];
}

export interface MigrationParts {
  steps: LocalSteps;
  target: TargetSide;
  orch: Orchestrator;
  control: JobControl;
  peerHandlers: Handlers<PeerJobRequests>;
  /** After a daemon (re)start: settle whatever a migration left half done. */
  recover(): void;
}

export function migrationParts(d: MigrationPartsDeps): MigrationParts {
  const { jobs } = d;
  const steps = new LocalSteps(jobs, () => d.clock.now());
  const fp = d.failpoint ? { failpoint: d.failpoint } : {};
  const target = new TargetSide({ jobs, steps, stateDir: d.stateDir, clock: d.clock, blocksGuests: d.blocksGuests, log: d.log, ...fp });
  const orch = new Orchestrator({
    jobs, steps, stateDir: d.stateDir, link: d.link, clock: d.clock, bestNode: d.bestNode, log: d.log, ...fp,
    ...(d.progress ? { progress: d.progress } : {}), ...(d.jobBytes ? { jobBytes: d.jobBytes } : {}),
    restoreTimeoutMs: jobs.config.criuTimeoutMs + 15_000,
    ...(d.onOutcome ? { onOutcome: d.onOutcome } : {}),
  });
  const control = new JobControl({ jobs, link: d.link });
  const peerHandlers: Handlers<PeerJobRequests> = {
    'mig.facts': async () => ({ ...(await steps.facts()), blocksGuests: d.blocksGuests() }),
    ...target.handlers(),
    'mig.moved': ({ ref, where, migration: m }) => (steps.noteMoved(ref, where, m), null),
    'jobs.ended': ({ ref, on, state, exitStatus }) => (steps.noteEnded(ref, on, state, exitStatus), null),
    'jobs.startRemote': (spec) => {
      if (d.blocksGuests() && spec.ref.home !== jobs.nodeId) throw new RpcError('EBLOCKED', `node ${jobs.nodeId} blocks guest processes (mosctl block)`);
      return jobs.startJobHere(spec);
    },
    'mig.migrate': ({ ref, to }) => orch.migrate({ ref }, to),
    'mig.signal': ({ ref, signal }) => (jobs.signal({ ref }, signal), null),
    'mig.renice': ({ ref, nice }) => (jobs.renice({ ref }, nice), null),
  };
  return {
    steps, target, orch, control, peerHandlers,
    recover: () => {
      steps.recover();
      target.recover();
      orch.resumePending();
    },
  };
}
