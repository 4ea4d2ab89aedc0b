/** One validator per agent request of mosrun jobs and their migration (agentJobs.ts, agentFiles.ts). */
import type { TargetFacts } from '../jobs/targetFacts.js';
import type { JobAgentRequests } from './agentJobs.js';
import type { FileAgentRequests } from './agentFiles.js';
import { absPath, argv, browsePath, jobRef, jobSignal, MAX_NODE, migrateTo, nice, nodeId, procTarget, runMode } from './fields.validate.js';
import { array, bool, dict, int, none, obj, optional, str, type Validator, type Validators } from './validate.js';

const text = str({ max: 4096 });
const paths = array(text, { max: 1024 });
export const targetFacts: Validator<TargetFacts> = obj({
  node: int(0, MAX_NODE),
  criu: obj({ path: optional(text), version: optional(text), problem: optional(text), preDump: bool }),
  blocksGuests: bool,
  sharedRoots: paths,
  localRoots: paths,
});

/** The fields of a JobSpec (mosrun's start; a peer's remote start adds the job's identity). */
export const jobSpecFields = {
  argv,
  cwd: absPath,
  mode: runMode,
  env: optional(dict(str({ max: 1 << 20 }), 4096)),
  jobsDir: optional(absPath),
  nodes: optional(array(nodeId, { max: MAX_NODE })),
};

export const jobAgentValidators = {
  'jobs.start': obj(jobSpecFields),
  'jobs.list': none,
  'jobs.get': obj({ ref: jobRef }),
  'jobs.signal': procTarget({}, { signal: jobSignal }),
  'jobs.renice': procTarget({}, { nice }),
  'jobs.lock': procTarget({}, { locked: bool }),
  'jobs.facts': none,
  'jobs.check': procTarget({}, { target: optional(targetFacts) }),
  'jobs.precheck': obj({ argv, cwd: absPath, mode: runMode }),
  'jobs.workdir': none,
  'jobs.setNodeId': obj({ node: nodeId }),
  'jobs.migrate': procTarget({}, { to: migrateTo }),
  'jobs.forget': obj({ ref: jobRef, unreachable: optional(bool) }),
} satisfies Validators<JobAgentRequests>;

export const fileAgentValidators = {
  'fs.list': obj({ path: browsePath }),
} satisfies Validators<FileAgentRequests>;
