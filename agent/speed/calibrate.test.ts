import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SPEED, MIN_SPEED, STANDARD_SPEED } from '../../shared/domain/node.js';
import { calibrateSpeed, RECHECK_MARGIN, REFERENCE_MS, SpeedStore, speedFromMs, speedInUse, speedSource, type SpeedMeasure } from './calibrate.js';

const dirs: string[] = [];
const hogs: ChildProcess[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  for (const h of hogs.splice(0)) h.kill('SIGKILL');
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'mosix-speed-'));
  dirs.push(d);
  return d;
}
const fileOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'speed.json'), 'utf8')) as unknown;
/** A measurement that says `full` for a calibration and `quick` for a start-up check, counting both. */
function measure(full: number, quick = full) {
  const calls = { full: 0, quick: 0 };
  const m: SpeedMeasure = { full: () => (calls.full++, full), quick: () => (calls.quick++, quick) };
  return { m, calls };
}

describe('calibrateSpeed', () => {
  it('converts time to openMosix units and clamps', () => {
    expect(speedFromMs(REFERENCE_MS)).toBe(10000);
    expect(speedFromMs(REFERENCE_MS / 5)).toBe(50000);
    expect(speedFromMs(1e-6)).toBe(MAX_SPEED);
    expect(speedFromMs(1e9)).toBe(MIN_SPEED);
  });

  it('gives the same figure while two CPU hogs run on this machine: it times its own CPU time', async () => {
    const quiet = calibrateSpeed();
    for (let i = 0; i < 2; i++) hogs.push(spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
    await new Promise((r) => setTimeout(r, 200));
    const busy = calibrateSpeed();
    console.log(`calibrated speed on this machine: ${quiet}; with two CPU hogs: ${busy}`);
    expect(quiet).toBeGreaterThanOrEqual(MIN_SPEED);
    expect(quiet).toBeLessThanOrEqual(MAX_SPEED);
    expect(Math.abs(busy / quiet - 1)).toBeLessThan(0.15);
  });
});

describe('SpeedStore', () => {
  it('calibrates once, records that the speed was calibrated and how, and survives restarts', () => {
    const dir = join(tmp(), 'state');
    const { m, calls } = measure(43210);
    expect(new SpeedStore(dir, m).current()).toBe(43210);
    expect(new SpeedStore(dir, m).current()).toBe(43210);
    expect(calls.full).toBe(1);
    expect(fileOf(dir)).toEqual({ source: 'calibrated', speed: 43210, calibrated: 43210, timedBy: 'cpu-time' });
    expect(readdirSync(dir)).toEqual(['speed.json']); // no temp file left
  });

  it("marks the admin's speed as such, and clearing it goes back to the calibrated one", () => {
    const dir = tmp();
    new SpeedStore(dir, measure(20000).m).load();
    const { m, calls } = measure(1);
    const store = new SpeedStore(dir, m);
    expect(store.setSpeed(15000)).toEqual({ calibrated: 20000, timedBy: 'cpu-time', admin: 15000 });
    expect(fileOf(dir)).toEqual({ source: 'admin', speed: 15000, calibrated: 20000, timedBy: 'cpu-time' });
    expect(new SpeedStore(dir, measure(1).m).current()).toBe(15000);
    store.setSpeed(undefined);
    expect(new SpeedStore(dir, measure(1).m).current()).toBe(20000);
    expect(fileOf(dir)).toMatchObject({ source: 'calibrated', speed: 20000 });
    expect(() => store.setSpeed(5)).toThrow(RangeError);
    expect(calls).toEqual({ full: 0, quick: 0 });
  });

  it('measures nothing when the admin sets a speed on a node never calibrated (the daemon serves on that thread)', () => {
    const dir = tmp();
    const { m, calls } = measure(20000);
    expect(new SpeedStore(dir, m).setSpeed(15000)).toEqual({ admin: 15000 });
    expect(fileOf(dir)).toEqual({ source: 'admin', speed: 15000 });
    expect(calls).toEqual({ full: 0, quick: 0 });
  });

  it('keeps a speed the admin set while a calibration was measuring (it runs off the daemon\'s thread)', () => {
    const dir = tmp();
    const m: SpeedMeasure = {
      full: () => {
        new SpeedStore(dir).setSpeed(25000); // the daemon's setSpeed, during the measurement
        return 60000;
      },
      quick: () => 60000,
    };
    expect(new SpeedStore(dir, m).startupCheck(() => {})).toEqual({ admin: 25000, calibrated: 60000, timedBy: 'cpu-time' });
    expect(fileOf(dir)).toEqual({ source: 'admin', speed: 25000, calibrated: 60000, timedBy: 'cpu-time' });
  });

  it('says the speed is provisional, and the standard speed, while nothing was calibrated nor set', () => {
    expect(speedSource({})).toBe('provisional');
    expect(speedInUse({})).toBe(STANDARD_SPEED);
    expect(speedSource({ calibrated: 30000 })).toBe('calibrated');
    expect(speedInUse({ calibrated: 30000 })).toBe(30000);
    expect(speedSource({ calibrated: 30000, admin: 20000 })).toBe('admin');
    expect(speedInUse({ calibrated: 30000, admin: 20000 })).toBe(20000);
  });

  it('recalibrates when the file is damaged or lacks a calibrated value', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'speed.json'), '{"speed": 30000');
    expect(new SpeedStore(dir, measure(25000).m).read()).toEqual({});
    writeFileSync(join(dir, 'speed.json'), '{"speed": 30000}');
    expect(new SpeedStore(dir, measure(25000).m).load()).toEqual({ calibrated: 25000, timedBy: 'cpu-time', admin: 30000 });
  });
});

describe('the check at daemon start', () => {
  it('replaces a calibrated speed that a fresh measurement contradicts, and says so', () => {
    const dir = tmp();
    // Calibrated while 64 nodes started together on one machine: far too low, kept for good.
    writeFileSync(join(dir, 'speed.json'), JSON.stringify({ source: 'calibrated', speed: 2100, calibrated: 2100, timedBy: 'cpu-time' }));
    const log: string[] = [];
    const { m, calls } = measure(85000, 80000);
    expect(new SpeedStore(dir, m).startupCheck((s) => log.push(s))).toMatchObject({ calibrated: 85000 });
    expect(calls).toEqual({ quick: 1, full: 1 });
    expect(fileOf(dir)).toMatchObject({ source: 'calibrated', speed: 85000 });
    expect(log).toEqual(['speed 2100 (calibrated) disagrees with a fresh measurement (80000): calibrated again: 85000']);
  });

  it('keeps a calibrated speed the fresh measurement agrees with, within the margin', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'speed.json'), JSON.stringify({ source: 'calibrated', speed: 85000, calibrated: 85000, timedBy: 'cpu-time' }));
    const log: string[] = [];
    const { m, calls } = measure(1, 85000 * (1 - RECHECK_MARGIN + 0.01));
    expect(new SpeedStore(dir, m).startupCheck((s) => log.push(s)).calibrated).toBe(85000);
    expect(calls).toEqual({ quick: 1, full: 0 });
    expect(log).toEqual([]);
  });

  it('re-measures a speed an older agent timed by the wall clock, once', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'speed.json'), '{"calibrated": 30000}\n');
    const log: string[] = [];
    const { m, calls } = measure(85000);
    expect(new SpeedStore(dir, m).startupCheck((s) => log.push(s)).calibrated).toBe(85000);
    expect(log).toEqual(['speed 30000 (calibrated) was timed by the wall clock, which counts the time other processes ran: calibrated again: 85000']);
    expect(new SpeedStore(dir, m).startupCheck((s) => log.push(s)).calibrated).toBe(85000);
    expect(calls).toEqual({ quick: 1, full: 1 });
  });

  it("never touches a speed the admin set, whatever a measurement says (old files too)", () => {
    const dir = tmp();
    writeFileSync(join(dir, 'speed.json'), '{"calibrated": 2100, "speed": 15000}\n');
    const log: string[] = [];
    const { m, calls } = measure(85000);
    const s = new SpeedStore(dir, m);
    expect(s.startupCheck((x) => log.push(x))).toMatchObject({ admin: 15000 });
    expect(s.current()).toBe(15000);
    expect(calls).toEqual({ quick: 0, full: 0 });
    expect(log).toEqual([]);
  });

  it('measures nothing for a node whose speed the admin set, even without a calibration', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'speed.json'), '{"source": "admin", "speed": 40000}\n');
    const { m, calls } = measure(60000);
    expect(new SpeedStore(dir, m).startupCheck(() => {})).toEqual({ admin: 40000 });
    expect(calls).toEqual({ quick: 0, full: 0 });
  });

  it('calibrates a node that has no speed yet, without a second check', () => {
    const dir = tmp();
    const { m, calls } = measure(60000);
    expect(new SpeedStore(dir, m).startupCheck(() => {})).toMatchObject({ calibrated: 60000 });
    expect(calls).toEqual({ quick: 0, full: 1 });
  });
});
