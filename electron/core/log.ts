/**
 * The GUI's log file (main process): ~/.local/state/mosixview/mosixview.log (XDG_STATE_HOME
 * respected; MOSIXVIEW_GUI_LOG names another file), rotated by size. What goes there: refused
 * IPC senders, node sessions that fail, start-up problems. log.error/warn/info(message).
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { LogFile } from '../../shared/log/logFile.js';
import { Logger, type LogTarget } from '../../shared/log/logger.js';

export function guiLogPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return env.MOSIXVIEW_GUI_LOG || join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'mosixview', 'mosixview.log');
}

/** Entries with a timestamp, appended to `path` (its directory made on the first entry). */
export function fileTarget(path: string, tag = 'mosixview'): LogTarget {
  const file = new LogFile(path);
  let ready = false;
  return {
    tag,
    journal: false,
    write: (text) => {
      if (!ready) {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        ready = true;
      }
      file.append(text);
    },
    now: Date.now,
  };
}

/** What the main process's modules log through (tests hand in a Logger with their own target). */
export type MainLog = Pick<Logger, 'info' | 'warn' | 'error'>;

export const log = new Logger(fileTarget(guiLogPath()), (tag, path) => fileTarget(path ?? guiLogPath(), tag));
