/**
 * Daily rotation: the current history is saved as a dated backup directory beside it
 * (openMosix: /tmp/mosixview[date]) and a new one starts; old backups are deleted after
 * the retention period. The decisions are pure; `rotate` does the renames.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { syncDir } from '../../stateDir.js';
import { nodeIo, type WriteIo } from './writeIo.js';

export const CURRENT_DIR = 'mosixview';
const BACKUP_RE = /^mosixview-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d+))?$/;

export interface RotationPolicy {
  /** Seconds a history runs before it is saved and a new one starts (openMosix: a day). */
  rotateEveryS: number;
  /** Backups older than this many days are deleted at rotation; 0 keeps them all. */
  retentionDays: number;
}

export const DEFAULT_POLICY: RotationPolicy = { rotateEveryS: 86_400, retentionDays: 30 };

export function shouldRotate(started: number, now: number, p: RotationPolicy): boolean {
  return now - started >= p.rotateEveryS * 1000;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The backup's name carries the local date and time it was saved, so names sort by age. */
export function backupName(savedAt: number, taken: readonly string[] = []): string {
  const d = new Date(savedAt);
  const base = `mosixview-${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base}-${i}`;
  return name;
}

/** When a backup was saved (local time), or undefined if the name is not a backup's. */
export function backupTime(name: string): number | undefined {
  const m = BACKUP_RE.exec(name);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(y!, mo! - 1, d!, h!, mi!, s!).getTime();
}

export function listBackups(names: readonly string[]): string[] {
  return names.filter((n) => backupTime(n) !== undefined).sort();
}

export function expiredBackups(names: readonly string[], now: number, p: RotationPolicy): string[] {
  if (p.retentionDays <= 0) return [];
  const limit = now - p.retentionDays * 86_400_000;
  return listBackups(names).filter((n) => backupTime(n)! < limit);
}

/**
 * Renames the current history to a dated backup (the writer may stay open: its files move
 * with the name) and returns the backup's name, or undefined when there was nothing.
 */
export function saveCurrent(collectorDir: string, now: number, io: WriteIo = nodeIo): string | undefined {
  const names = existsSync(collectorDir) ? readdirSync(collectorDir) : [];
  if (!names.includes(CURRENT_DIR)) return undefined;
  const saved = backupName(now, names);
  io.renameSync(join(collectorDir, CURRENT_DIR), join(collectorDir, saved));
  syncDir(collectorDir); // the rename survives a power loss
  return saved;
}

/** Deletes the backups older than the retention; returns their names. */
export function deleteExpired(collectorDir: string, now: number, p: RotationPolicy): string[] {
  const old = expiredBackups(existsSync(collectorDir) ? readdirSync(collectorDir) : [], now, p);
  for (const name of old) rmSync(join(collectorDir, name), { recursive: true, force: true });
  if (old.length) syncDir(collectorDir);
  return old;
}

/** Saves the current history (its writer closed) and deletes expired backups. */
export function rotate(collectorDir: string, now: number, p: RotationPolicy, io: WriteIo = nodeIo): string | undefined {
  const saved = saveCurrent(collectorDir, now, io);
  deleteExpired(collectorDir, now, p);
  return saved;
}
