/** Where an agent keeps its state (socket, pid file, log, speed, jobs), and how it writes it. */
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface StatePaths {
  dir: string;
  socket: string;
  pidFile: string;
  log: string;
}

/**
 * MOSIXVIEW_STATE_DIR wins (test hosts share one filesystem, so each gets its own);
 * root uses /var/lib/mosixview like other system daemons; other users ~/.local/state.
 */
export function statePaths(env: NodeJS.ProcessEnv = process.env): StatePaths {
  const dir =
    env.MOSIXVIEW_STATE_DIR ||
    (process.getuid?.() === 0 ? '/var/lib/mosixview' : join(env.XDG_STATE_HOME || join(homedir(), '.local/state'), 'mosixview'));
  return { dir, socket: join(dir, 'agent.sock'), pidFile: join(dir, 'agent.pid'), log: join(dir, 'agent.log') };
}

/** Root's agent, the node's system agent: the one every user's tools talk to. */
export const SYSTEM_STATE_DIR = '/var/lib/mosixview';

/**
 * Where a tool finds the agent to talk to: MOSIXVIEW_STATE_DIR, else the node's system agent
 * (run by root, it serves every user) when it runs, else the user's own agent.
 */
export function clientStatePaths(env: NodeJS.ProcessEnv = process.env, systemDir = SYSTEM_STATE_DIR): StatePaths {
  if (env.MOSIXVIEW_STATE_DIR || process.getuid?.() === 0) return statePaths(env);
  const system = statePaths({ MOSIXVIEW_STATE_DIR: systemDir });
  return existsSync(system.socket) ? system : statePaths(env);
}

/**
 * 0700 for a user's own agent. Root's is 0711: users reach its socket (and their identity
 * challenges, callerIdentity.ts) by name, but list nothing; its files are 0600 or meant to be read.
 */
export function ensureStateDir(p: StatePaths): void {
  const mode = process.getuid?.() === 0 ? 0o711 : 0o700;
  mkdirSync(p.dir, { recursive: true, mode });
  try {
    chmodSync(p.dir, mode);
  } catch {
    // Not ours (a state directory given by MOSIXVIEW_STATE_DIR): its owner chose its mode.
  }
}

/** Written, synced, then renamed over the old one: a crash leaves the old file or the new one, never half of one. */
export function writeAtomic(file: string, text: string, mode = 0o600): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/**
 * Makes a directory's entries durable (files created, renamed or removed in it): after a
 * power loss a new file's data is worth nothing if its name was never written.
 */
export function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
