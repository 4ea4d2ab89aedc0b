/**
 * A log file the process appends to, rotated by size: at `maxBytes` the file becomes .1, .1
 * becomes .2, ..., and the oldest beyond `keep` goes. Appends reopen the file by name, so
 * after a rotation (ours, or logrotate's) they land in the new one.
 */
import { appendFileSync, renameSync, rmSync, statSync } from 'node:fs';

export const LOG_MAX_BYTES = 5 * 1024 * 1024;
export const LOG_KEEP = 3;

export class LogFile {
  constructor(
    readonly path: string,
    private readonly maxBytes = LOG_MAX_BYTES,
    private readonly keep = LOG_KEEP,
  ) {}

  append(text: string): void {
    let size = 0;
    try {
      size = statSync(this.path).size;
    } catch {
      /* not there yet */
    }
    if (size > 0 && size + Buffer.byteLength(text) > this.maxBytes) this.rotate();
    appendFileSync(this.path, text, { mode: 0o600 });
  }

  private rotate(): void {
    rmSync(`${this.path}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      try {
        renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      } catch {
        /* that generation does not exist yet */
      }
    }
    renameSync(this.path, `${this.path}.1`);
  }
}
