/**
 * "Stop agent" kept on the node: a file in the state dir that `attach` honours, so the
 * agent stays stopped across reconnects and GUI restarts (any GUI's) until `attach --start`
 * ("Start agent"). A daemon started by other means (systemd, `mosixview-agent daemon`) runs
 * regardless: the file only keeps attach (and the GUI's start script) from starting one.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../stateDir.js';
import { ADMIN_STOP_FILE } from '../../shared/protocol/agent.js';

export const STOP_FILE = ADMIN_STOP_FILE;

export interface AdminStop {
  /** ISO time of the stop. */
  at: string;
  /** Who, in words (e.g. "Stop agent in Mosixview from 10.0.0.9"). */
  by: string;
}

export function recordAdminStop(dir: string, stop: AdminStop): void {
  writeAtomic(join(dir, STOP_FILE), JSON.stringify(stop) + '\n', 0o600);
}

/** The recorded stop; a damaged file still counts as a stop (the admin's intent is not lost). */
export function readAdminStop(dir: string): AdminStop | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, STOP_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const s = JSON.parse(text) as Partial<AdminStop>;
    return { at: typeof s.at === 'string' ? s.at : 'unknown time', by: typeof s.by === 'string' ? s.by : 'the admin' };
  } catch {
    return { at: 'unknown time', by: 'the admin' };
  }
}

export function clearAdminStop(dir: string): void {
  rmSync(join(dir, STOP_FILE), { force: true });
}

/** What the GUI's row shows for a stopped agent (attach prints it, then exits ATTACH_EXIT_STOPPED). */
export function describeAdminStop(s: AdminStop): string {
  return `agent stopped by the admin (${s.by}, ${s.at}): it stays stopped until "Start agent" in Mosixview`;
}
