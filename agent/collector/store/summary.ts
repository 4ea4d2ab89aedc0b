/**
 * Per-minute summaries (mosix.sum): for every node and chart metric the minimum, maximum
 * (with the time of the first maximum) and sum of the minute's up seconds. A day drawn on
 * a screen reads 1,440 of these instead of 86,400 seconds, and stays exact: the extremes
 * are real samples, computed from the values exactly as the log stores them.
 */
import { ByteReader, ByteWriter } from './bytes.js';
import { DamagedRecord } from './records.js';
import type { HistoryNodeSample, SampleRecord } from '../../../shared/history/types.js';
import type { Span } from '../../../shared/history/downsample.js';
import type { HistoryMetric } from '../../../shared/protocol/agentHistory.js';
import { HISTORY_METRICS, METRIC_ORDER, MINUTE, minuteOf } from '../../../shared/history/metrics.js';

export interface NodeMinute {
  id: number;
  /** Seconds the node was recorded in this minute, and of those, up. */
  total: number;
  up: number;
  /** Absent when the node was down the whole minute. */
  spans?: Record<HistoryMetric, Span>;
  /** load x 100 and CPUs of the load minimum and maximum: what load% was computed from. */
  loadSrc?: [number, number, number, number];
}

export interface MinuteSummary {
  /** Start of the minute (ms, a multiple of 60,000). */
  t: number;
  nodes: NodeMinute[];
}

interface Acc {
  total: number;
  up: number;
  min: Float64Array;
  max: Float64Array;
  sum: Float64Array;
  maxT: Float64Array;
  /** load x 100 and CPUs of the load extremes: load% is stored as what it came from. */
  src: [number, number, number, number];
}

/** Scratch sample for the metric functions: one a second per node would be 5 M allocations a day. */
const scratch: HistoryNodeSample = { id: 0, up: true, load: 0, cpus: 0, speed: 0, util: 0, tmemKb: 0, rmemKb: 0, memKb: 0 };
const FNS = METRIC_ORDER.map((k) => HISTORY_METRICS[k]);
const newAcc = (): Acc => ({
  total: 0, up: 0, min: new Float64Array(4).fill(Infinity), max: new Float64Array(4).fill(-Infinity),
  sum: new Float64Array(4), maxT: new Float64Array(4), src: [0, 0, 0, 0],
});

/** Collects the seconds of one minute; `take` hands over the summary when the minute closes. */
export class MinuteAccumulator {
  private minute: number | undefined;
  private readonly nodes = new Map<number, Acc>();

  get current(): number | undefined {
    return this.minute;
  }

  /** Adds a record; returns the summary of the previous minute if this record closes it. */
  add(rec: SampleRecord): MinuteSummary | undefined {
    const m = minuteOf(rec.t);
    const closed = this.minute !== undefined && m !== this.minute ? this.take() : undefined;
    this.minute = m;
    for (const raw of rec.nodes) {
      let a = this.nodes.get(raw.id);
      if (!a) this.nodes.set(raw.id, (a = newAcc()));
      a.total++;
      if (!raw.up) continue;
      a.up++;
      // The values as a reader of the log will see them: load x 100 and whole numbers.
      const li = Math.round(raw.load * 100);
      scratch.load = li / 100;
      scratch.cpus = Math.round(raw.cpus);
      scratch.memKb = Math.round(raw.memKb);
      scratch.rmemKb = Math.round(raw.rmemKb);
      scratch.tmemKb = Math.round(raw.tmemKb);
      for (let i = 0; i < FNS.length; i++) {
        const v = FNS[i]!(scratch);
        a.sum[i]! += v;
        if (v < a.min[i]!) {
          a.min[i] = v;
          if (i === 0) {
            a.src[0] = li;
            a.src[1] = scratch.cpus;
          }
        }
        if (v > a.max[i]!) {
          a.max[i] = v;
          a.maxT[i] = rec.t;
          if (i === 0) {
            a.src[2] = li;
            a.src[3] = scratch.cpus;
          }
        }
      }
    }
    return closed;
  }

  /** The summary of the minute collected so far (empty after), or undefined if there is none. */
  take(): MinuteSummary | undefined {
    if (this.minute === undefined) return undefined;
    const t = this.minute;
    const nodes = [...this.nodes.entries()].sort(([a], [b]) => a - b).map(([id, a]) => toNodeMinute(id, a));
    this.nodes.clear();
    this.minute = undefined;
    return { t, nodes };
  }
}

function toNodeMinute(id: number, a: Acc): NodeMinute {
  const out: NodeMinute = { id, total: a.total, up: a.up };
  if (a.up > 0) {
    out.spans = Object.fromEntries(METRIC_ORDER.map((k, i) => [k, { min: a.min[i]!, max: a.max[i]!, sum: a.sum[i]!, count: a.up, maxT: a.maxT[i]! }])) as Record<HistoryMetric, Span>;
    out.loadSrc = a.src;
  }
  return out;
}

const loadOf = (li: number, cpus: number): number => HISTORY_METRICS.load({ load: li / 100, cpus } as HistoryNodeSample);

/**
 * Payload: documented in docs/HISTORY.md. Offsets against the minute's own values keep the
 * numbers short without tying one record to another.
 */
export function encodeSummary(s: MinuteSummary): Buffer {
  const w = new ByteWriter(64 + s.nodes.length * 40);
  w.uvar(s.t);
  w.uvar(s.nodes.length);
  for (const n of s.nodes) {
    w.uvar(n.id);
    w.uvar(n.total);
    w.uvar(n.up);
    if (!n.up || !n.spans || !n.loadSrc) continue;
    const [minLi, minCpus, maxLi, maxCpus] = n.loadSrc;
    w.svar(minLi);
    w.uvar(minCpus);
    w.svar(maxLi);
    w.uvar(maxCpus);
    w.f64(n.spans.load.sum);
    w.uvar(n.spans.load.maxT - s.t);
    for (const k of METRIC_ORDER.slice(1)) {
      const sp = n.spans[k];
      w.svar(sp.min);
      w.uvar(sp.max - sp.min);
      w.uvar(sp.sum - sp.count * sp.min);
      w.uvar(sp.maxT - s.t);
    }
  }
  return w.result();
}

/** Throws DamagedRecord: readers then read the minute's seconds instead. */
export function decodeSummary(payload: Uint8Array): MinuteSummary {
  try {
    return decodeSummaryOrThrow(payload);
  } catch (e) {
    throw e instanceof DamagedRecord ? e : new DamagedRecord('summary', (e as Error).message);
  }
}

function decodeSummaryOrThrow(payload: Uint8Array): MinuteSummary {
  const r = new ByteReader(payload);
  const t = r.uvar();
  if (t % MINUTE !== 0) throw new DamagedRecord('summary', `${t} is not the start of a minute`);
  const count = r.uvar();
  const nodes: NodeMinute[] = [];
  for (let k = 0; k < count; k++) {
    const n: NodeMinute = { id: r.uvar(), total: r.uvar(), up: r.uvar() };
    nodes.push(n);
    if (!n.up) continue;
    const src: [number, number, number, number] = [r.svar(), r.uvar(), r.svar(), r.uvar()];
    const load = { min: loadOf(src[0], src[1]), max: loadOf(src[2], src[3]), sum: r.f64(), count: n.up, maxT: t + r.uvar() };
    const spans = { load } as Record<HistoryMetric, Span>;
    for (const key of METRIC_ORDER.slice(1)) {
      const lo = r.svar();
      const hi = lo + r.uvar();
      spans[key] = { min: lo, max: hi, sum: r.uvar() + n.up * lo, count: n.up, maxT: t + r.uvar() };
    }
    n.spans = spans;
    n.loadSrc = src;
  }
  if (!r.done) throw new DamagedRecord('summary', `${r.end - r.pos} bytes after the last node`);
  return { t, nodes };
}

/** The minute a summary payload covers, without decoding the rest. */
export const summaryMinute = (payload: Uint8Array): number => new ByteReader(payload).uvar();
