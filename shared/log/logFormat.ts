/**
 * How one log entry looks. Under systemd with stderr connected to the journal, each line starts
 * with its syslog priority (sd-daemon(3): "<3>" error, "<4>" warning, "<6>" info) and carries no
 * time of its own (the journal stamps it); anywhere else (a log file, a terminal, an SSH session)
 * a line starts with the time in ISO 8601, UTC.
 */
export type Level = 'error' | 'warn' | 'info';

export const PRIORITY: Record<Level, number> = { error: 3, warn: 4, info: 6 };

export interface FileId {
  dev: number;
  ino: number;
}

/**
 * systemd sets JOURNAL_STREAM=DEV:INODE for the stream it connects to the journal; stderr is
 * the journal only when its own device and inode are those (a child may inherit the variable
 * with stderr sent elsewhere: then it is not).
 */
export function isJournalStream(journalStream: string | undefined, stderr: FileId | undefined): boolean {
  const m = /^(\d+):(\d+)$/.exec(journalStream ?? '');
  return !!m && !!stderr && Number(m[1]) === stderr.dev && Number(m[2]) === stderr.ino;
}

/** The entry as text ending in a newline; every line of a multi-line message gets the priority. */
export function formatEntry(level: Level, message: string, o: { journal: boolean; tag: string; now: Date }): string {
  const lines = `${o.tag}: ${message}`.split('\n');
  if (o.journal) return lines.map((l) => `<${PRIORITY[level]}>${l}`).join('\n') + '\n';
  return `${o.now.toISOString()} ${lines.join('\n')}\n`;
}
