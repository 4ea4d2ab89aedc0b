/**
 * The soak benchmark's arithmetic (e2e/bench/soak.ts), apart from its I/O: CPU time from
 * /proc/PID/stat, seconds missing from a history, log entries counted by kind.
 */

/** utime + stime of a /proc/PID/stat line, in clock ticks (the command may hold spaces and parentheses). */
export function cpuTicks(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of the line; rest[0] is field 3 (state).
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`not a /proc/PID/stat line: "${stat.slice(0, 80)}"`);
  return utime + stime;
}

/** Share of one core, in %, that `ticks` of CPU time are over `wallMs`. */
export function corePercent(ticks: number, clkTck: number, wallMs: number): number {
  return (100 * (ticks / clkTck) * 1000) / wallMs;
}

export interface SecondsCount {
  /** Whole seconds from..to (both ends included). */
  expected: number;
  present: number;
  missing: number;
  /** Up to 10 of the missing seconds (ms since the epoch), for a closer look. */
  firstMissing: number[];
}

/** Seconds of [fromMs, toMs] with no record at all (records carry ms times; one a second is expected). */
export function missingSeconds(times: readonly number[], fromMs: number, toMs: number): SecondsCount {
  const first = Math.ceil(fromMs / 1000);
  const last = Math.floor(toMs / 1000);
  const seen = new Set<number>();
  for (const t of times) {
    const s = Math.floor(t / 1000);
    if (s >= first && s <= last) seen.add(s);
  }
  const expected = Math.max(0, last - first + 1);
  const firstMissing: number[] = [];
  for (let s = first; s <= last && firstMissing.length < 10; s++) if (!seen.has(s)) firstMissing.push(s * 1000);
  return { expected, present: seen.size, missing: expected - seen.size, firstMissing };
}

/** Node-seconds in records of [fromMs, toMs] where a node of `ids` is absent or not up. */
export function nodeSecondsMissing(records: readonly { t: number; nodes: readonly { id: number; up: boolean }[] }[], ids: readonly number[], fromMs: number, toMs: number): number {
  let missing = 0;
  for (const r of records) {
    if (r.t < fromMs || r.t > toMs) continue;
    const up = new Set(r.nodes.filter((n) => n.up).map((n) => n.id));
    for (const id of ids) if (!up.has(id)) missing++;
  }
  return missing;
}

/** Log entries counted by kind: timestamp dropped, numbers as N, so 64 agents' "daemon 812 serving" are one line. */
export function tallyEntries(lines: readonly string[]): { text: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const raw of lines) {
    const line = raw.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, '').trim();
    if (!line) continue;
    const text = line.replace(/\d+(\.\d+)?/g, 'N');
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return [...counts].map(([text, count]) => ({ text, count })).sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
}

/** (end - start) / start in %. */
export const growthPercent = (start: number, end: number): number => (100 * (end - start)) / start;

export interface NodeCpu {
  node: number;
  /** % of one core over the measured window. */
  cpu: number;
}

/** The `n` busiest of `xs`, busiest first (ties by node ID, so a report reads the same each run). */
export function busiest(xs: readonly NodeCpu[], n = 3): NodeCpu[] {
  return [...xs].sort((a, b) => b.cpu - a.cpu || a.node - b.node).slice(0, n);
}

/** Each process's node from the node PID lists (one per node, as its network namespace holds them); a PID in none is left out. */
export function nodeOfPids(pids: readonly number[], nodePids: readonly { node: number; pids: readonly number[] }[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const { node, pids: inNode } of nodePids) for (const p of inNode) if (pids.includes(p)) out.set(p, node);
  return out;
}
