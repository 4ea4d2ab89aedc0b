/**
 * The agent's logger (one per process: the daemon, the collector): log.error/warn/info(message).
 * Entries go to the journal with priorities when stderr is the journal, else to stderr with a
 * timestamp; when stderr is the process's own log file (the daemon started by `attach`, the
 * collector started by `mosixcollector`), entries are appended to that file by name instead, so
 * it can be rotated. Repeats are rate-limited (rateLimit.ts). A failing write never throws.
 */
import { fstatSync, statSync } from 'node:fs';
import { isJournalStream } from '../../shared/log/logFormat.js';
import { LogFile } from '../../shared/log/logFile.js';
import { Logger, type LogTarget } from '../../shared/log/logger.js';

export { Logger, type LogTarget };

function stderrId(): { dev: number; ino: number } | undefined {
  try {
    return fstatSync(2);
  } catch {
    return undefined;
  }
}

/** Whether stderr is this file (same device and inode). */
function stderrIs(path: string): boolean {
  try {
    const a = fstatSync(2);
    const b = statSync(path);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

export function defaultTarget(tag: string, logFile?: string): LogTarget {
  const journal = isJournalStream(process.env.JOURNAL_STREAM, stderrId());
  const file = !journal && logFile && stderrIs(logFile) ? new LogFile(logFile) : undefined;
  return {
    tag, journal,
    write: (text) => (file ? file.append(text) : process.stderr.write(text)),
    now: Date.now,
  };
}

export const log = new Logger(defaultTarget('mosixview-agent'), defaultTarget);
