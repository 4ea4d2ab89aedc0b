/** One validator per peer request of migration and remote starts (peerJobs.ts), run once in the peer channel's dispatch. */
import type { PeerJobRequests } from './peerJobs.js';
import { jobSpecFields } from './agentJobs.validate.js';
import { jobRef, jobSignal, migrateTo, nice, nodeId } from './fields.validate.js';
import { jobOwner, jobRecord, migrationId, migrationRecord, unstampedMigration } from './jobRecord.validate.js';
import { int, none, obj, oneOf, optional, type Validators } from './validate.js';

export const peerJobValidators = {
  'mig.facts': none,
  'mig.begin': obj({ id: migrationId, job: jobRecord }),
  'mig.restore': obj({ id: migrationId, job: jobRecord }),
  'mig.commit': obj({ id: migrationId, migration: unstampedMigration }),
  'mig.abort': obj({ id: migrationId }),
  'mig.status': obj({ id: migrationId }),
  'mig.moved': obj({ ref: jobRef, where: nodeId, migration: optional(migrationRecord) }),
  'jobs.ended': obj({ ref: jobRef, on: nodeId, state: oneOf(['exited', 'killed', 'lost'] as const, 'an end state: "exited", "killed" or "lost"'), exitStatus: optional(int(0, 255, 'an exit status (0 to 255)')) }),
  'mig.migrate': obj({ ref: jobRef, to: migrateTo }),
  'mig.signal': obj({ ref: jobRef, signal: jobSignal }),
  'mig.renice': obj({ ref: jobRef, nice }),
  // The owner is the home's identified caller: the target runs the job as that uid.
  'jobs.startRemote': obj({ ...jobSpecFields, ref: jobRef, owner: optional(jobOwner) }),
} satisfies Validators<PeerJobRequests>;
