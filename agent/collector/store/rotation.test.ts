import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupName, backupTime, expiredBackups, listBackups, rotate, shouldRotate, CURRENT_DIR } from './rotation.js';
import { HistoryWriter } from './historyWriter.js';
import { HistoryReader } from './historyReader.js';
import { NO_IO } from '../../../shared/history/types.js';

const day = 86_400_000;
const at = (s: string) => new Date(s).getTime();

describe('rotation policy', () => {
  it('rotates once the history is a day old (or the configured period)', () => {
    const p = { rotateEveryS: 86_400, retentionDays: 7 };
    expect(shouldRotate(0, day - 1, p)).toBe(false);
    expect(shouldRotate(0, day, p)).toBe(true);
    expect(shouldRotate(0, 5000, { ...p, rotateEveryS: 5 })).toBe(true);
  });
  it('names backups by the local date and time they were saved, never twice the same', () => {
    const t = at('2024-03-05T07:08:09');
    expect(backupName(t)).toBe('mosixview-20240305-070809');
    expect(backupName(t, ['mosixview-20240305-070809'])).toBe('mosixview-20240305-070809-2');
    expect(backupTime('mosixview-20240305-070809')).toBe(t);
    expect(backupTime('mosixview')).toBeUndefined();
    expect(listBackups(['x', 'mosixview-20240306-000000', 'mosixview', 'mosixview-20240305-000000'])).toEqual([
      'mosixview-20240305-000000', 'mosixview-20240306-000000',
    ]);
  });
  it('expires backups older than the retention, keeps all with retention 0', () => {
    const names = ['mosixview-20240301-120000', 'mosixview-20240305-120000', 'mosixview-20240309-120000', 'mosixview'];
    const now = at('2024-03-10T12:00:00');
    expect(expiredBackups(names, now, { rotateEveryS: 1, retentionDays: 7 })).toEqual(['mosixview-20240301-120000']);
    expect(expiredBackups(names, now, { rotateEveryS: 1, retentionDays: 2 })).toEqual(['mosixview-20240301-120000', 'mosixview-20240305-120000']);
    expect(expiredBackups(names, now, { rotateEveryS: 1, retentionDays: 0 })).toEqual([]);
  });
});

describe('rotate', () => {
  it('saves the current history as a readable dated backup and deletes expired ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvrot-'));
    try {
      mkdirSync(join(dir, 'mosixview-20000101-000000'));
      const w = HistoryWriter.open(join(dir, CURRENT_DIR), 'n1', at('2024-03-09T10:00:00'), { sync: false });
      w.writeSamples({ t: at('2024-03-09T10:00:01'), nodes: [{ id: 1, up: true, load: 1, cpus: 2, speed: 10000, util: 50, tmemKb: 9, rmemKb: 1, memKb: 2, ...NO_IO }] });
      w.close();
      const saved = rotate(dir, at('2024-03-10T10:00:00'), { rotateEveryS: 86_400, retentionDays: 30 });
      expect(saved).toBe('mosixview-20240310-100000');
      expect(readdirSync(dir).sort()).toEqual([saved]);
      const r = HistoryReader.open(join(dir, saved!));
      let n = 0;
      r.samples(0, Infinity, () => n++);
      expect(n).toBe(1);
      r.close();
      expect(existsSync(join(dir, CURRENT_DIR))).toBe(false);
      expect(rotate(dir, at('2024-03-10T10:00:01'), { rotateEveryS: 1, retentionDays: 30 })).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
