/**
 * The node's openMosix speed: measured by the CPU time a fixed CPU-bound workload takes,
 * kept in the agent's state directory so restarts do not re-measure it in full (and so a
 * noisy measurement does not make the node's speed wander), checked by one quick run at each
 * start, and overridable by the admin, whose setting the agent never changes.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_SPEED, MIN_SPEED, STANDARD_SPEED, type SpeedSource } from '../../shared/domain/node.js';
import { readSmallFile } from '../sampler/procfs.js';
import { parseSchedstat } from '../sampler/procText.js';
import { syncDir, writeAtomic } from '../stateDir.js';

/** Iterations of the workload: ~90-160 ms of CPU on a 2020s x86-64 core under Node 20. */
const WORK_ITERATIONS = 30_000_000;
/** The workload's result; a different value means the loop was miscompiled or changed. */
const WORK_CHECKSUM = -538466095;

/**
 * CPU time the reference CPU (STANDARD_SPEED, a 1 GHz Pentium III in openMosix) is deemed to
 * need for the workload. Not measured on such a CPU: chosen so that a current core
 * (~160 ms) rates about 50000, i.e. five reference CPUs, in line with how openMosix speeds
 * were scaled. Only ratios between nodes matter to the balancer.
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

/**
 * CPU time of the calling thread in ms. The wall clock would count the time other processes
 * ran while the workload waited for a CPU, so a node calibrated while busy got a speed far
 * too low, for good. /proc/thread-self/schedstat is this thread's time on a CPU in ns;
 * without it, the process's CPU time (the other threads are idle while the workload runs).
 */
export function threadCpuMs(): number {
  const t = readSmallFile('/proc/thread-self/schedstat');
  const s = t === undefined ? undefined : parseSchedstat(t);
  if (s) return s.runNs / 1e6;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU ms of the workload, best of `runs`: the least disturbed run (caches, JIT) is the closest to what the CPU can do. */
export function measureWorkloadMs(runs = 3): number {
  let best = Infinity;
  for (let k = 0; k < runs; k++) {
    const t0 = threadCpuMs();
    const r = workload(WORK_ITERATIONS);
    const ms = threadCpuMs() - t0;
    if (r !== WORK_CHECKSUM) throw new Error(`speed workload checksum ${r} != ${WORK_CHECKSUM}`);
    best = Math.min(best, ms);
  }
  return best;
}

export function calibrateSpeed(runs = 3): number {
  return speedFromMs(measureWorkloadMs(runs));
}

/** A calibration (best of 3) and the start-up check (one run: about 0.1 s of CPU on a current core). */
export interface SpeedMeasure {
  full(): number;
  quick(): number;
}
const CPU_TIME: SpeedMeasure = { full: () => calibrateSpeed(3), quick: () => calibrateSpeed(1) };

/**
 * How far a fresh measurement may be from the calibrated speed before it is calibrated again.
 * A single run is up to ~10% slower than the best of 3 (the JIT warms up); a speed calibrated
 * under load by the wall clock was off by 2.5x to 40x.
 */
export const RECHECK_MARGIN = 0.25;

export interface SpeedState {
  /** Speed measured by calibrateSpeed(). */
  calibrated?: number;
  /** How `calibrated` was timed; absent: by the wall clock (agents before it was CPU time). */
  timedBy?: 'cpu-time';
  /** Speed set by the admin (setspeed, the GUI's slider): wins, and the agent never changes it. */
  admin?: number;
}

/**
 * speed.json: `{"source": "calibrated" | "admin", "speed": the speed in use, "calibrated": N,
 * "timedBy": "cpu-time"}`. Older agents wrote `{"calibrated": N, "speed"?: M}`, where `speed`
 * was only ever the admin's: read that way.
 */
interface SpeedFile {
  source?: unknown;
  speed?: unknown;
  calibrated?: unknown;
  timedBy?: unknown;
}

const validSpeed = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= MIN_SPEED && v <= MAX_SPEED;

export function speedSource(s: SpeedState): SpeedSource {
  return s.admin !== undefined ? 'admin' : s.calibrated !== undefined ? 'calibrated' : 'provisional';
}

/** The speed in use: the admin's, else the calibrated one, else the standard speed until the first calibration ends. */
export function speedInUse(s: SpeedState): number {
  return s.admin ?? s.calibrated ?? STANDARD_SPEED;
}

export class SpeedStore {
  readonly file: string;

  constructor(
    readonly stateDir: string,
    private readonly measure: SpeedMeasure = CPU_TIME,
  ) {
    this.file = join(stateDir, 'speed.json');
  }

  /** The stored state; a missing or damaged file counts as empty. */
  read(): SpeedState {
    let j: SpeedFile;
    try {
      j = JSON.parse(readFileSync(this.file, 'utf8')) as SpeedFile;
    } catch {
      return {};
    }
    const out: SpeedState = {};
    if (validSpeed(j.calibrated)) out.calibrated = j.calibrated;
    if (out.calibrated !== undefined && j.timedBy === 'cpu-time') out.timedBy = 'cpu-time';
    if (validSpeed(j.speed) && (j.source === 'admin' || j.source === undefined)) out.admin = j.speed;
    return out;
  }

  /** Stored state, calibrating (and storing the result) only when nothing was calibrated yet. */
  load(): SpeedState {
    const s = this.read();
    if (s.calibrated === undefined) this.calibrate(s);
    return s;
  }

  /**
   * At daemon start: a speed the admin set stays as it is, and nothing is measured (a node
   * without a calibration gets one when the admin's setting is cleared). A calibrated speed
   * is checked by one quick run and calibrated again when the two disagree by more than
   * RECHECK_MARGIN, or when it was timed by the wall clock; `log` says why.
   */
  startupCheck(log: (message: string) => void): SpeedState {
    const s = this.read();
    if (s.admin !== undefined) return s;
    if (s.calibrated === undefined) return this.calibrate(s);
    const old = s.calibrated;
    let why: string;
    if (s.timedBy !== 'cpu-time') {
      why = 'was timed by the wall clock, which counts the time other processes ran';
    } else {
      const fresh = this.measure.quick();
      if (Math.abs(fresh / old - 1) <= RECHECK_MARGIN) return s;
      why = `disagrees with a fresh measurement (${fresh})`;
    }
    this.calibrate(s);
    log(`speed ${old} (calibrated) ${why}: calibrated again: ${s.calibrated}`);
    return s;
  }

  /** The node's speed now: the admin's if set, else the calibrated one. */
  current(): number {
    const s = this.load();
    return s.admin ?? (s.calibrated as number);
  }

  /** Admin override; undefined goes back to the calibrated speed. Measures nothing: the daemon's thread must stay free. */
  setSpeed(speed: number | undefined): SpeedState {
    if (speed !== undefined && !validSpeed(speed)) {
      throw new RangeError(`speed must be ${MIN_SPEED}..${MAX_SPEED}, got ${speed}`);
    }
    const s = this.read();
    if (speed === undefined) delete s.admin;
    else s.admin = Math.round(speed);
    this.write(s);
    return s;
  }

  /**
   * Measures, then writes the figure into the file as it is by then: the admin may have set
   * a speed meanwhile (the measurement runs in a process of its own while the daemon serves).
   */
  private calibrate(s: SpeedState): SpeedState {
    const measured = this.measure.full();
    const now = this.read();
    if (now.admin !== undefined) s.admin = now.admin;
    else delete s.admin;
    s.calibrated = measured;
    s.timedBy = 'cpu-time';
    this.write(s);
    return s;
  }

  /** Temp file + fsync + rename + directory fsync: a crash leaves the old or the new file, never half. */
  private write(s: SpeedState): void {
    mkdirSync(this.stateDir, { recursive: true });
    const file = { source: speedSource(s), speed: s.admin ?? s.calibrated, calibrated: s.calibrated, timedBy: s.timedBy };
    writeAtomic(this.file, JSON.stringify(file) + '\n', 0o644);
    try {
      syncDir(this.stateDir);
    } catch {
      /* some filesystems refuse fsync on a directory; the rename is still atomic */
    }
  }
}
