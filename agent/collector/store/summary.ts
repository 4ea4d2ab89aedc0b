/**
 * Per-minute summaries (mosix.sum): for every node and chart metric the minimum, maximum
 * (with the time of the first maximum) and sum of the minute's up seconds. A day drawn on
 * a screen reads 1,440 of these instead of 86,400 seconds, and stays exact: the extremes
 * are real samples, computed from the values exactly as the log stores them.
 */
import { ByteReader, ByteWriter } from './bytes.js';
import { asStored, DamagedRecord } from './records.js';
import { NO_IO, type HistoryNodeSample, type SampleRecord } from '../../../shared/history/types.js';
import type { Span } from '../../../shared/history/downsample.js';
import type { HistoryMetric } from '../../../shared/protocol/agentHistory.js';
import { HISTORY_METRICS, METRIC_ORDER } from '../../history/metrics.js';
import { MINUTE, minuteOf } from '../../../shared/history/grid.js';
import { loadPercentOf } from '../../../shared/loadFigures.js';

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
const scratch: HistoryNodeSample = { id: 0, up: true, load: 0, cpus: 0, speed: 0, util: 0, tmemKb: 0, rmemKb: 0, memKb: 0, ...NO_IO };
const FNS = METRIC_ORDER.map((k) => HISTORY_METRICS[k]);
const newAcc = (): Acc => ({
  total: 0, up: 0, min: new Float64Array(FNS.length).fill(Infinity), max: new Float64Array(FNS.length).fill(-Infinity),
  sum: new Float64Array(FNS.length), maxT: new Float64Array(FNS.length), src: [0, 0, 0, 0],
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
      // The values as a reader of the log will see them: load x 100, whole numbers, rates in kB/s.
      asStored(raw, scratch);
      const li = Math.round(scratch.load * 100);
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

/**
 * HISTORY_METRICS.load (loadPercent) of a stored load and CPU count, without an object per
 * call: a day's summaries decode two per node and minute, and in a daemon's first read (code
 * not yet optimised) those objects were a third of its time (docs/BENCHMARKS.md, "History store").
 */
const loadOf = (li: number, cpus: number): number => loadPercentOf(li / 100, cpus);

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

/**
 * A decoded summary as flat numbers, reused from minute to minute: a day of 64 nodes is
 * 92,000 node-minutes, and an object per node and metric made the day's read mostly
 * allocation and GC. Node k's metric m (METRIC_ORDER index) is at `(k * METRICS + m) * 4`
 * in `spans`: min, max, sum, time of the max; its count is the node's `up`.
 */
export class FlatSummary {
  static readonly METRICS = METRIC_ORDER.length;
  t = 0;
  nodes = 0;
  ids = new Float64Array(0);
  totals = new Float64Array(0);
  ups = new Float64Array(0);
  spans = new Float64Array(0);
  /** Per node: load x 100 and CPUs of the load minimum and maximum. */
  loadSrc = new Float64Array(0);

  /** Room for n nodes (the arrays only grow). */
  room(n: number): void {
    if (this.ids.length >= n) return;
    const size = Math.max(n, this.ids.length * 2, 16);
    this.ids = new Float64Array(size);
    this.totals = new Float64Array(size);
    this.ups = new Float64Array(size);
    this.spans = new Float64Array(size * FlatSummary.METRICS * 4);
    this.loadSrc = new Float64Array(size * 4);
  }
}

/**
 * Decodes into `into`, which holds the whole minute only when this returns: a damaged
 * summary throws DamagedRecord (readers then read the minute's seconds instead), and
 * what it had decoded so far is not a minute to use.
 */
export function decodeSummaryInto(payload: Uint8Array, into: FlatSummary): FlatSummary {
  try {
    return decodeFlat(payload, into);
  } catch (e) {
    throw e instanceof DamagedRecord ? e : new DamagedRecord('summary', (e as Error).message);
  }
}

function decodeFlat(payload: Uint8Array, into: FlatSummary): FlatSummary {
  const r = new ByteReader(payload);
  const t = r.uvar();
  if (t % MINUTE !== 0) throw new DamagedRecord('summary', `${t} is not the start of a minute`);
  const count = r.uvar();
  // Each node takes three bytes at least: a count beyond that is damage, not a reason to allocate.
  if (count * 3 > payload.length) throw new DamagedRecord('summary', `${count} nodes in ${payload.length} bytes`);
  into.room(count);
  const { ids, totals, ups, loadSrc } = into;
  const M = FlatSummary.METRICS;
  for (let k = 0; k < count; k++) {
    ids[k] = r.uvar();
    totals[k] = r.uvar();
    const up = (ups[k] = r.uvar());
    if (!up) continue;
    const spans = into.spans;
    const src = k * 4;
    loadSrc[src] = r.svar();
    loadSrc[src + 1] = r.uvar();
    loadSrc[src + 2] = r.svar();
    loadSrc[src + 3] = r.uvar();
    let o = k * M * 4;
    spans[o] = loadOf(loadSrc[src]!, loadSrc[src + 1]!);
    spans[o + 1] = loadOf(loadSrc[src + 2]!, loadSrc[src + 3]!);
    spans[o + 2] = r.f64();
    spans[o + 3] = t + r.uvar();
    // The other metrics alike, in METRIC_ORDER: a metric added there needs nothing here.
    for (let m = 1; m < M; m++) {
      o += 4;
      const lo = r.svar();
      spans[o] = lo;
      spans[o + 1] = lo + r.uvar();
      spans[o + 2] = r.uvar() + up * lo;
      spans[o + 3] = t + r.uvar();
    }
  }
  if (!r.done) throw new DamagedRecord('summary', `${r.end - r.pos} bytes after the last node`);
  into.t = t;
  into.nodes = count;
  return into;
}

/** Throws DamagedRecord: readers then read the minute's seconds instead. */
export function decodeSummary(payload: Uint8Array): MinuteSummary {
  const f = decodeSummaryInto(payload, new FlatSummary());
  const M = FlatSummary.METRICS;
  const nodes: NodeMinute[] = [];
  for (let k = 0; k < f.nodes; k++) {
    const n: NodeMinute = { id: f.ids[k]!, total: f.totals[k]!, up: f.ups[k]! };
    nodes.push(n);
    if (!n.up) continue;
    n.loadSrc = [...f.loadSrc.subarray(k * 4, k * 4 + 4)] as [number, number, number, number];
    n.spans = Object.fromEntries(METRIC_ORDER.map((key, m) => {
      const o = (k * M + m) * 4;
      return [key, { min: f.spans[o]!, max: f.spans[o + 1]!, sum: f.spans[o + 2]!, count: n.up, maxT: f.spans[o + 3]! }];
    })) as Record<HistoryMetric, Span>;
  }
  return { t: f.t, nodes };
}

/** The minute a summary payload covers, without decoding the rest. */
export const summaryMinute = (payload: Uint8Array): number => new ByteReader(payload).uvar();
