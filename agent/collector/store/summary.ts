/**
 * Per-minute summaries (mosix.sum): for every node and chart metric the minimum, maximum
 * (with the time of the first maximum) and sum of the minute's up seconds. A day drawn on
 * a screen reads 1,440 of these instead of 86,400 seconds, and stays exact: the extremes
 * are real samples, computed from the values exactly as the log stores them.
 */
import { ByteReader, ByteWriter } from './bytes.js';
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

/** The node as a reader of the log will see it: the log keeps load x 100 and whole numbers. */
function quantized(n: HistoryNodeSample): HistoryNodeSample {
  return {
    id: n.id, up: n.up, load: Math.round(n.load * 100) / 100, cpus: Math.round(n.cpus), speed: Math.round(n.speed),
    util: Math.round(n.util * 10) / 10, tmemKb: Math.round(n.tmemKb), rmemKb: Math.round(n.rmemKb), memKb: Math.round(n.memKb),
  };
}

interface Acc {
  total: number;
  up: number;
  min: number[];
  max: number[];
  sum: number[];
  maxT: number[];
  /** The samples holding the load extremes: load% is stored as the (load, CPUs) it came from. */
  loMin?: HistoryNodeSample;
  loMax?: HistoryNodeSample;
}

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
      if (!a) this.nodes.set(raw.id, (a = { total: 0, up: 0, min: [], max: [], sum: [0, 0, 0, 0], maxT: [] }));
      a.total++;
      if (!raw.up) continue;
      a.up++;
      const n = quantized(raw);
      METRIC_ORDER.forEach((k, i) => {
        const v = HISTORY_METRICS[k](n);
        a.sum[i]! += v;
        if (a.min[i] === undefined || v < a.min[i]!) {
          a.min[i] = v;
          if (i === 0) a.loMin = n;
        }
        if (a.max[i] === undefined || v > a.max[i]!) {
          a.max[i] = v;
          a.maxT[i] = rec.t;
          if (i === 0) a.loMax = n;
        }
      });
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
    out.loadSrc = [Math.round(a.loMin!.load * 100), a.loMin!.cpus, Math.round(a.loMax!.load * 100), a.loMax!.cpus];
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

export function decodeSummary(payload: Uint8Array): MinuteSummary {
  const r = new ByteReader(payload);
  const t = r.uvar();
  if (t % MINUTE !== 0) throw new RangeError(`summary at ${t} is not on a minute`);
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
  return { t, nodes };
}

/** The minute a summary payload covers, without decoding the rest. */
export const summaryMinute = (payload: Uint8Array): number => new ByteReader(payload).uvar();
