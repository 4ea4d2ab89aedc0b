/**
 * The main process's log: one line per event on stderr (where an admin running Mosixview
 * from a terminal, or its service manager, sees it). No electron import, so the wiring, the
 * headless server and their unit tests share it; tests pass their own sink.
 */
export type LogLevel = 'info' | 'warn' | 'error';

export interface MainLog {
  info(message: string): void;
  /** Something refused or skipped that an admin may want to look into (e.g. IPC from an untrusted sender). */
  warn(message: string): void;
  error(message: string): void;
}

export type LogSink = (line: string) => void;

const stderrSink: LogSink = (line) => {
  process.stderr.write(line);
};

/** Lines read "2026-11-29T12:00:00.000Z mosixview warn: MESSAGE"; a message's own line breaks are escaped, so one event is one line. */
export function createMainLog(sink: LogSink = stderrSink, now: () => Date = () => new Date()): MainLog {
  const line = (level: LogLevel) => (message: string) => sink(`${now().toISOString()} mosixview ${level}: ${message.replace(/\r?\n/g, '\\n')}\n`);
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

export const mainLog: MainLog = createMainLog();
