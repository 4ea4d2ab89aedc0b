import { jobKey, type JobRef } from '../../../shared/domain/process.js';

/** The process box's icons: moving now, green for a migrated process, a lock (with the reason) for one that cannot move. */
export function MoveMarks({ migrated, cantMove, job, moving }: { migrated?: string | undefined; cantMove?: string | undefined; job?: JobRef | undefined; moving?: string | undefined }) {
  return (
    <span className="move-marks">
      {moving && (
        <span role="img" aria-label={`Moving: ${moving}`} title={`moving: ${moving}`} className="mark-moving">⇄</span>
      )}
      {migrated ? (
        <span role="img" aria-label={`Migrated: ${migrated}`} title={`migrated: ${migrated}`} className="mark-migrated">●</span>
      ) : job ? (
        <span role="img" aria-label={`Job ${jobKey(job)}`} title={`job ${jobKey(job)}`} className="mark-job">○</span>
      ) : null}
      {cantMove && (
        <span role="img" aria-label={`Cannot move: ${cantMove}`} title={cantMove} className="mark-lock">
          {/* Drawn, not an emoji: the nodes' and kiosks' fonts often have no lock glyph. */}
          <svg width="10" height="12" viewBox="0 0 10 12" aria-hidden="true">
            <path d="M2.5 5V3.5a2.5 2.5 0 0 1 5 0V5" fill="none" stroke="currentColor" strokeWidth="1.4" />
            <rect x="1" y="5" width="8" height="6.5" rx="1" fill="currentColor" />
          </svg>
        </span>
      )}
    </span>
  );
}
