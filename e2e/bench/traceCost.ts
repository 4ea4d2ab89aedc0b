/**
 * Main-thread cost per update round from a Chromium trace (devtools.timeline categories):
 * the page's renderer main thread's events, split into rounds by `console.timeStamp` marks
 * the benchmark sets between rounds, and each round's time attributed by self time to
 * scripting, style, layout and paint (a forced layout inside a script counts as layout), in
 * main-thread CPU time: on a busy machine wall time mostly measures the wait for a core.
 */

export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread CPU time of a complete event: what the thread ran, not how long other processes kept it waiting. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { message?: string } };
}

export type CostKind = 'script' | 'style' | 'layout' | 'paint';
export const COST_KINDS: CostKind[] = ['script', 'style', 'layout', 'paint'];

const KIND: Record<string, CostKind> = {
  FunctionCall: 'script', EvaluateScript: 'script', EventDispatch: 'script', TimerFire: 'script', FireAnimationFrame: 'script',
  RunMicrotasks: 'script', 'v8.evaluateModule': 'script', FireIdleCallback: 'script', MajorGC: 'script', MinorGC: 'script',
  'V8.GC_SCAVENGER': 'script', 'V8.GC_MARK_COMPACTOR': 'script', ParseHTML: 'script',
  UpdateLayoutTree: 'style', RecalculateStyles: 'style', ParseAuthorStyleSheet: 'style',
  Layout: 'layout', UpdateLayerTree: 'paint', PrePaint: 'paint', Paint: 'paint', PaintImage: 'paint', Layerize: 'paint',
  CompositeLayers: 'paint', Commit: 'paint', RasterTask: 'paint',
};

/** CPU time where the trace has it (Chromium's complete events do), else wall time. */
const cpu = (e: TraceEvent): number => e.tdur ?? e.dur!;

export type RoundCost = Record<CostKind, number> & { total: number };

/** The renderer main thread that logged the marks (a page has exactly one). */
function mainThreadOf(events: TraceEvent[], mark: string): { pid: number; tid: number } {
  const m = events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === mark);
  if (!m) throw new Error(`the trace holds no "${mark}" TimeStamp: did the page run console.timeStamp?`);
  return { pid: m.pid, tid: m.tid };
}

/**
 * CPU ms per round between consecutive marks: self time of each classified event (its duration
 * less its classified children's), summed by kind; `total` is every top-level task (RunTask)
 * of the main thread that started in the round, so it also holds what no kind names (e.g. parsing).
 */
export function roundCosts(events: TraceEvent[], mark: string): RoundCost[] {
  const main = mainThreadOf(events, mark);
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid);
  const marks = mine.filter((e) => e.name === 'TimeStamp' && e.args?.data?.message === mark).map((e) => e.ts).sort((a, b) => a - b);
  const rounds: RoundCost[] = marks.slice(1).map(() => ({ script: 0, style: 0, layout: 0, paint: 0, total: 0 }));
  const roundOf = (ts: number): RoundCost | undefined => {
    if (ts < marks[0]! || ts >= marks[marks.length - 1]!) return undefined;
    let lo = 0;
    let hi = marks.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (marks[mid]! <= ts) lo = mid;
      else hi = mid;
    }
    return rounds[lo];
  };
  const complete = mine.filter((e) => e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  for (const e of complete) if (e.name === 'RunTask') { const r = roundOf(e.ts); if (r) r.total += cpu(e) / 1000; }
  const classified = complete.filter((e) => KIND[e.name] !== undefined);
  const stack: { end: number; self: number; kind: CostKind; ts: number }[] = [];
  const close = (upTo: number) => {
    while (stack.length && stack[stack.length - 1]!.end <= upTo) {
      const s = stack.pop()!;
      const r = roundOf(s.ts);
      if (r) r[s.kind] += Math.max(0, s.self) / 1000;
    }
  };
  for (const e of classified) {
    close(e.ts);
    const parent = stack[stack.length - 1];
    if (parent) parent.self -= cpu(e);
    stack.push({ end: e.ts + e.dur!, self: cpu(e), kind: KIND[e.name]!, ts: e.ts });
  }
  close(Infinity);
  return rounds;
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
