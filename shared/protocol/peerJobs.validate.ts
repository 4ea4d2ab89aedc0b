/** One validator per peer request of migration and remote starts (peerJobs.ts), run once in the peer channel's dispatch. */
import type { PeerJobRequests } from './peerJobs.js';
import { jobSpecFields } from './agentJobs.validate.js';
import { absPath, jobRef, jobSignal, migrateTo, nice, nodeId } from './fields.validate.js';
import { jobRecord, migrationId, migrationRecord, unstampedMigration } from './jobRecord.validate.js';
import { array, custom, int, invalid, none, obj, oneOf, optional, show, type Validators } from './validate.js';

/** Text made of `digits` hex digits after `prefix`: a marker's name or token, never a path. */
const hexText = (prefix: string, digits: number) => {
  const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}[0-9a-f]{${digits}}$`);
  return custom<string>(`"${prefix}" and ${digits} hex digits`, (v, at) => {
    if (typeof v !== 'string' || !re.test(v)) throw invalid(at, `expected "${prefix}" and ${digits} hex digits, got ${show(v)}`);
    return v;
  });
};
/** How many markers and files one share.look may ask about. */
export const MAX_SHARE_MARKERS = 64;
export const MAX_SHARE_FILES = 1024;
const shareMarker = obj({ dir: absPath, name: hexText('.mosixview-share-', 32), token: hexText('', 64) });

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
  'share.look': obj({ markers: array(shareMarker, { max: MAX_SHARE_MARKERS }), files: array(absPath, { max: MAX_SHARE_FILES }) }),
  'jobs.startRemote': obj({ ...jobSpecFields, ref: jobRef }),
} satisfies Validators<PeerJobRequests>;
