import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SPEED, MIN_SPEED } from '../../shared/domain/node.js';
import { calibrateSpeed, REFERENCE_MS, SpeedStore, speedFromMs } from './calibrate.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'mosix-speed-'));
  dirs.push(d);
  return d;
}

describe('calibrateSpeed', () => {
  it('converts time to openMosix units and clamps', () => {
    expect(speedFromMs(REFERENCE_MS)).toBe(10000);
    expect(speedFromMs(REFERENCE_MS / 5)).toBe(50000);
    expect(speedFromMs(1e-6)).toBe(MAX_SPEED);
    expect(speedFromMs(1e9)).toBe(MIN_SPEED);
  });
  it('rates this machine within range', () => {
    const s = calibrateSpeed();
    console.log(`calibrated speed on this machine: ${s}`);
    expect(s).toBeGreaterThanOrEqual(MIN_SPEED);
    expect(s).toBeLessThanOrEqual(MAX_SPEED);
  });
});

describe('SpeedStore', () => {
  it('calibrates once and survives restarts', () => {
    const dir = join(tmp(), 'state');
    let calls = 0;
    const cal = () => (++calls, 43210);
    expect(new SpeedStore(dir, cal).current()).toBe(43210);
    expect(new SpeedStore(dir, cal).current()).toBe(43210);
    expect(calls).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'speed.json'), 'utf8'))).toEqual({ calibrated: 43210 });
    expect(readdirSync(dir)).toEqual(['speed.json']); // no temp file left
  });
  it('lets the admin override and clear the speed', () => {
    const dir = tmp();
    const store = new SpeedStore(dir, () => 20000);
    expect(store.setSpeed(15000)).toEqual({ calibrated: 20000, speed: 15000 });
    expect(new SpeedStore(dir, () => 1).current()).toBe(15000);
    store.setSpeed(undefined);
    expect(new SpeedStore(dir, () => 1).current()).toBe(20000);
    expect(() => store.setSpeed(5)).toThrow(RangeError);
  });
  it('recalibrates when the file is damaged or lacks a calibrated value', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'speed.json'), '{"speed": 30000');
    expect(new SpeedStore(dir, () => 25000).read()).toEqual({});
    writeFileSync(join(dir, 'speed.json'), '{"speed": 30000}');
    expect(new SpeedStore(dir, () => 25000).load()).toEqual({ calibrated: 25000, speed: 30000 });
  });
});
