/**
 * The node's openMosix speed: measured once by a fixed CPU-bound workload, kept in the
 * agent's state directory so restarts do not re-measure (and so a noisy measurement
 * does not make the node's speed wander), and overridable by the admin.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_SPEED, MIN_SPEED, STANDARD_SPEED } from '../../shared/domain/node.js';

/** Iterations of the workload: ~160 ms on a 2020s x86-64 core under Node 20. */
const WORK_ITERATIONS = 30_000_000;
/** The workload's result; a different value means the loop was miscompiled or changed. */
const WORK_CHECKSUM = -538466095;

/**
 * Time the reference CPU (STANDARD_SPEED, a 1 GHz Pentium III in openMosix) is deemed to
 * need for the workload. Not measured on such a CPU: chosen so that a current core
 * (~160 ms here) rates about 50000, i.e. five reference CPUs, in line with how openMosix
 * speeds were scaled. Only ratios between nodes matter to the balancer.
 */
export const REFERENCE_MS = 800;

/** xorshift32 plus a multiply-accumulate: integer-only, branchy, no allocation, no I/O. */
function workload(n: number): number {
  let x = 0x9e3779b9 | 0;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    acc = (Math.imul(acc, 31) + (x & 0xffff)) | 0;
    if ((x & 7) === 0) acc ^= i;
  }
  return acc;
}

export function speedFromMs(measuredMs: number): number {
  if (!(measuredMs > 0)) return MAX_SPEED;
  const s = Math.round((STANDARD_SPEED * REFERENCE_MS) / measuredMs);
  return Math.min(MAX_SPEED, Math.max(MIN_SPEED, s));
}

/** Best of 3: the least disturbed run is the closest to what the CPU can do. */
export function measureWorkloadMs(runs = 3): number {
  let best = Infinity;
  for (let k = 0; k < runs; k++) {
    const t0 = process.hrtime.bigint();
    const r = workload(WORK_ITERATIONS);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r !== WORK_CHECKSUM) throw new Error(`speed workload checksum ${r} != ${WORK_CHECKSUM}`);
    best = Math.min(best, ms);
  }
  return best;
}

export function calibrateSpeed(): number {
  return speedFromMs(measureWorkloadMs());
}

export interface SpeedState {
  /** Speed measured by calibrateSpeed(). */
  calibrated?: number;
  /** Speed set by the admin; wins over the calibrated one. undefined = not set. */
  speed?: number;
}

const validSpeed = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= MIN_SPEED && v <= MAX_SPEED;

export class SpeedStore {
  readonly file: string;

  constructor(
    readonly stateDir: string,
    private readonly calibrate: () => number = calibrateSpeed,
  ) {
    this.file = join(stateDir, 'speed.json');
  }

  /** The stored state; a missing or damaged file counts as empty. */
  read(): SpeedState {
    try {
      const j = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, unknown>;
      const out: SpeedState = {};
      if (validSpeed(j.calibrated)) out.calibrated = j.calibrated;
      if (validSpeed(j.speed)) out.speed = j.speed;
      return out;
    } catch {
      return {};
    }
  }

  /** Stored state, calibrating (and storing the result) only when nothing was calibrated yet. */
  load(): SpeedState {
    const s = this.read();
    if (s.calibrated === undefined) {
      s.calibrated = this.calibrate();
      this.write(s);
    }
    return s;
  }

  /** The node's speed now: the admin's if set, else the calibrated one. */
  current(): number {
    const s = this.load();
    return s.speed ?? (s.calibrated as number);
  }

  /** Admin override; undefined goes back to the calibrated speed. */
  setSpeed(speed: number | undefined): SpeedState {
    if (speed !== undefined && !validSpeed(speed)) {
      throw new RangeError(`speed must be ${MIN_SPEED}..${MAX_SPEED}, got ${speed}`);
    }
    const s = this.load();
    if (speed === undefined) delete s.speed;
    else s.speed = Math.round(speed);
    this.write(s);
    return s;
  }

  /** Temp file + fsync + rename + directory fsync: a crash leaves the old or the new file, never half. */
  private write(s: SpeedState): void {
    mkdirSync(this.stateDir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o644);
    try {
      writeSync(fd, JSON.stringify(s) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    try {
      const dfd = openSync(this.stateDir, 'r');
      try {
        fsyncSync(dfd);
      } finally {
        closeSync(dfd);
      }
    } catch {
      /* some filesystems refuse fsync on a directory; the rename is still atomic */
    }
  }
}
