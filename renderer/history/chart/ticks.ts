/**
 * Round axis ticks: times on whole 1/2/5/10/15/30 seconds or minutes or 1/2/3/6/12 hours of
 * the local clock, values on 1, 2, 2.5 or 5 times a power of ten (0/25/50/75/100, 0/50/.../200).
 */
const S = 1000;
const M = 60 * S;
const H = 60 * M;

export const TIME_STEPS = [1 * S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, 24 * H];

/** The local clock's offset from UTC at t, ms (positive east): hours and days fall on the local clock. */
const localOffset = (t: number) => -new Date(t).getTimezoneOffset() * M;

/**
 * Ticks from..to at least `minGapPx` apart on a `widthPx` wide axis: the smallest round step
 * that keeps them apart, on multiples of it in local time.
 */
export function timeTicks(from: number, to: number, widthPx: number, minGapPx = 70): { step: number; ticks: number[] } {
  const span = Math.max(1, to - from);
  const want = (span * minGapPx) / Math.max(1, widthPx);
  const step = TIME_STEPS.find((s) => s >= want) ?? Math.ceil(want / (24 * H)) * 24 * H;
  const off = localOffset(from);
  const ticks: number[] = [];
  for (let t = Math.ceil((from + off) / step) * step - off; t <= to; t += step) ticks.push(t);
  return { step, ticks };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A tick's label: HH:MM, with seconds when the step is under a minute, the date at local midnight. */
export function timeTickLabel(t: number, step: number): string {
  const d = new Date(t);
  if (step >= M && d.getHours() === 0 && d.getMinutes() === 0) return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return step < M ? `${hm}:${pad(d.getSeconds())}` : hm;
}

/**
 * The value axis from 0: the smallest round step that reaches `max` in at most `intervals`
 * steps, and the top it reaches (100 -> 0/25/50/75/100, 200 -> 0/50/100/150/200).
 */
export function valueTicks(max: number, intervals = 4): { top: number; step: number; ticks: number[] } {
  const m = Number.isFinite(max) && max > 0 ? max : 1;
  let p = 10 ** Math.floor(Math.log10(m / intervals));
  let step = p;
  for (;;) {
    const f = [1, 2, 2.5, 5, 10].find((k) => Math.ceil(m / (k * p) - 1e-9) <= intervals);
    if (f !== undefined) {
      step = f * p;
      break;
    }
    p *= 10;
  }
  const n = Math.max(1, Math.ceil(m / step - 1e-9));
  return { top: n * step, step, ticks: Array.from({ length: n + 1 }, (_, i) => Math.round(i * step * 1e9) / 1e9) };
}
