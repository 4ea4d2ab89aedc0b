/** One validator per peer request of migration and remote starts (peerJobs.ts), run once in the peer channel's dispatch. */
import { PAGE_PART, type PeerJobRequests } from './peerJobs.js';
import { jobSpecFields } from './agentJobs.validate.js';
import { absPath, jobRef, jobSignal, migrateTo, nice, nodeId } from './fields.validate.js';
import { jobOwner, jobRecord, migrationId, migrationRecord, unstampedMigration } from './jobRecord.validate.js';
import { array, custom, dict, int, invalid, none, obj, oneOf, optional, refine, show, type Validators } from './validate.js';

/** What the source sent on each page channel of a migration, by part ('' one dump, 'pre1'.., 'final'). */
const pagesSent = refine(
  dict(obj({ bytes: int(0, Number.MAX_SAFE_INTEGER, 'a byte count (a whole number from 0)') }), 101, 'the bytes sent on each page channel: an object of parts ("", "pre1".."pre99", "final") to { bytes }'),
  (m) => {
    const bad = Object.keys(m).find((k) => !PAGE_PART.test(k));
    return bad === undefined ? undefined : { says: `unknown page channel part ${show(bad)}: send "" (one dump), "pre1".."pre99" or "final"` };
  },
);
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
  'mig.restore': obj({ id: migrationId, job: jobRecord, pages: optional(pagesSent) }),
  'mig.commit': obj({ id: migrationId, migration: unstampedMigration }),
  'mig.abort': obj({ id: migrationId }),
  'mig.status': obj({ id: migrationId }),
  'mig.moved': obj({ ref: jobRef, where: nodeId, migration: optional(migrationRecord) }),
  'jobs.ended': obj({ ref: jobRef, on: nodeId, state: oneOf(['exited', 'killed', 'lost'] as const, 'an end state: "exited", "killed" or "lost"'), exitStatus: optional(int(0, 255, 'an exit status (0 to 255)')) }),
  'mig.migrate': obj({ ref: jobRef, to: migrateTo }),
  'mig.signal': obj({ ref: jobRef, signal: jobSignal }),
  'mig.renice': obj({ ref: jobRef, nice }),
  'share.look': obj({ markers: array(shareMarker, { max: MAX_SHARE_MARKERS }), files: array(absPath, { max: MAX_SHARE_FILES }) }),
  // The owner is the home's identified caller: the target runs the job as that uid.
  'jobs.startRemote': obj({ ...jobSpecFields, ref: jobRef, owner: optional(jobOwner) }),
} satisfies Validators<PeerJobRequests>;
