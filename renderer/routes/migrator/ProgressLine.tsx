import { useEffect, useState } from 'react';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import { jobKey, type JobRef } from '../../../shared/domain/process.js';
import { describeProgress, type MigrationProgress } from '../../../shared/jobs/migrationProgress.js';

/**
 * A migration of this job as it happens (phase, memory sent at what rate, freeze time when
 * done), from the agent's progress events: whoever started it, the admin or the balancer.
 */
export function ProgressLine({ bridge, job }: { bridge: MosixviewBridge; job: JobRef | undefined }) {
  const [p, setP] = useState<MigrationProgress | undefined>(undefined);
  const key = job && jobKey(job);
  useEffect(() => {
    setP(undefined);
    if (!key) return undefined;
    return bridge.on('job.progress', (e) => {
      if (jobKey(e.progress.ref) === key) setP(e.progress);
    });
  }, [bridge, key]);
  if (!p) return null;
  const share = p.bytes !== undefined && p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : undefined;
  return (
    <div className="migration-progress">
      <p role="status" aria-label="Migration progress">
        {describeProgress(p)}
      </p>
      {share !== undefined && p.phase !== 'done' && p.phase !== 'failed' && (
        <progress aria-label="Memory sent" max={1} value={share} />
      )}
      {p.path && p.phase === 'checking' && <p className="muted hint">{p.why}</p>}
    </div>
  );
}
