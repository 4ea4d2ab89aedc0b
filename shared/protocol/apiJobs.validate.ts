/** One validator per request of the jobs API (apiJobs.ts), run in the main process's dispatch. */
import type { JobApiRequests } from './apiJobs.js';
import { absPath, argv, browsePath, jobRef, jobSignal, migrateTo, nice, nodeId, procTarget, runMode } from './fields.validate.js';
import { bool, obj, type Validators } from './validate.js';

const target = procTarget({ nodeId }, {});

export const jobApiValidators = {
  'job.list': obj({ nodeId }),
  'job.start': obj({ nodeId, argv, cwd: absPath, mode: runMode }),
  'job.precheck': obj({ nodeId, argv, cwd: absPath, mode: runMode }),
  'node.workdir': obj({ nodeId }),
  'job.signal': procTarget({ nodeId }, { signal: jobSignal }),
  'job.renice': procTarget({ nodeId }, { nice }),
  'job.lock': procTarget({ nodeId }, { locked: bool }),
  'job.migrate': procTarget({ nodeId }, { to: migrateTo }),
  'job.status': target,
  'job.forget': obj({ nodeId, ref: jobRef }),
  'node.guests': obj({ nodeId }),
  'node.files': obj({ nodeId, path: browsePath }),
} satisfies Validators<JobApiRequests>;
