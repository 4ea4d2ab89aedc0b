import { describe, expect, it } from 'vitest';
import type { HistorySeries } from '../../../shared/protocol/agentHistory.js';
import { drawChart, type CanvasLike, type DrawSpec } from './drawChart.js';
import { ALERT_COLOUR, CHECKPOINT_COLOUR, nodeColour, WARN_COLOUR } from './chartColours.js';

/** Records what is stroked and filled, with the style in effect. */
function recorder() {
  const strokes: { colour: string; alpha: number; width: number; points: number; clip?: [number, number]; dash: number[] }[] = [];
  const fills: { colour: string; y: number; h: number }[] = [];
  const bands: { colour: string; alpha: number; points: number }[] = [];
  let points = 0;
  let rect: [number, number] | undefined;
  let dash: number[] = [];
  // A band is bars: a path of vertical strokes only, faint.
  let vertical = true;
  let lastX = 0;
  const clips: [number, number][] = [];
  const ctx = {
    fillStyle: '', strokeStyle: '', lineWidth: 1, globalAlpha: 1, lineJoin: 'miter',
    setTransform() {}, clearRect() {}, closePath() {},
    save() { clips.push(clips.at(-1) ?? [-Infinity, Infinity]); },
    restore() { clips.pop(); },
    rect(_x: number, y: number, _w: number, h: number) { rect = [y, y + h]; },
    clip() { clips[clips.length - 1] = rect!; },
    setLineDash(d: number[]) { dash = d; },
    fill() { bands.push({ colour: String(this.fillStyle), alpha: this.globalAlpha, points }); },
    fillRect(_x: number, y: number, _w: number, h: number) { fills.push({ colour: String(this.fillStyle), y, h }); },
    beginPath() { points = 0; vertical = true; },
    moveTo(x: number) { points++; lastX = x; },
    lineTo(x: number) { points++; if (x !== lastX) vertical = false; lastX = x; },
    stroke() {
      if (vertical && points > 0 && this.globalAlpha < 1) bands.push({ colour: String(this.strokeStyle), alpha: this.globalAlpha, points });
      else strokes.push({ colour: String(this.strokeStyle), alpha: this.globalAlpha, width: this.lineWidth, points, clip: clips.at(-1), dash });
    },
  };
  return { ctx: ctx as unknown as CanvasLike, strokes, fills, bands };
}

const stats = { avg: null, peak: null, peakT: null, samples: 0 };
const series: HistorySeries = {
  backup: null, started: 0, last: 100, from: 0, to: 100, buckets: 10, first: 0, next: 90,
  checkpoints: [{ t: 50, label: 'cp' }],
  nodes: [1, 2, 3].map((id) => ({ id, host: `n${id}`, series: { load: { min: [id, id, id], max: [id, id, 90], mean: [id, id, 30], stats, settled: stats } } })),
};
/** Four columns; the means climb: node 1 stays at 10, node 2 reaches 60, node 3 60 then 90. */
const climbing: HistorySeries = {
  ...series, buckets: 4, next: 75,
  nodes: [[10, 10, 10, 10], [10, 10, 60, 60], [10, 10, 60, 90]].map((v, i) => ({ id: i + 1, host: `n${i + 1}`, series: { load: { min: v, max: v, mean: v, stats, settled: stats } } })),
};
const spec = (over: Partial<DrawSpec> = {}): DrawSpec => ({
  series, metric: 'load', range: [0, 100], top: 100, scale: 1, levels: true,
  box: { left: 0, top: 0, width: 100, height: 100 }, size: { width: 100, height: 100, dpr: 1 },
  timeTicks: [], valueTicks: [], ...over,
});
const nodeColours = [1, 2, 3].map(nodeColour);
const lines = (r: ReturnType<typeof recorder>) => r.strokes.filter((s) => nodeColours.includes(s.colour) && s.points > 0);

describe('drawing a history chart', () => {
  it('draws every node\'s band, faint, then its line in its colour, and the checkpoints in blue', () => {
    const r = recorder();
    drawChart(r.ctx, spec());
    expect(r.bands.map((b) => b.colour)).toEqual([1, 2, 3].map(nodeColour));
    expect(r.bands.every((b) => b.alpha > 0 && b.alpha < 0.5 && b.points === 6)).toBe(true);
    expect(lines(r).map((s) => s.colour)).toEqual([1, 2, 3].map(nodeColour));
    expect(lines(r).every((s) => s.alpha === 1 && s.points === 3)).toBe(true);
    expect(r.strokes.find((s) => s.colour === CHECKPOINT_COLOUR)!.points).toBe(2);
  });
  it('puts the highlighted node on top, wider, and fades the others', () => {
    const r = recorder();
    drawChart(r.ctx, spec({ highlight: 2 }));
    const l = lines(r);
    expect(l.map((s) => s.colour)).toEqual([1, 3, 2].map(nodeColour));
    expect(l[2]).toMatchObject({ alpha: 1, width: 2.5 });
    expect(l[0]!.alpha).toBeLessThan(0.5);
    expect(r.bands.at(-1)!.colour).toBe(nodeColour(2));
    expect(r.bands.at(-1)!.alpha).toBeGreaterThan(r.bands[0]!.alpha);
    const none = recorder();
    drawChart(none.ctx, spec({ highlight: 9 })); // a node not in the chart: nothing fades
    expect(lines(none).every((s) => s.alpha === 1)).toBe(true);
  });
  it('draws each line in the Mosixload colours: its own below 50, yellow above, red above 80; memory in its own colour alone', () => {
    const r = recorder();
    drawChart(r.ctx, spec({ series: climbing }));
    // The box is 100 px high for 0..100: 50 is at y 50, 80 at y 20. Node 1 stays below 50, node 2 reaches 60, node 3 90.
    const part = (colour: string) => r.strokes.filter((s) => s.colour === colour && s.dash.length === 0).map((s) => s.clip);
    expect(lines(r).map((s) => s.clip)).toEqual([[50, 100], [50, 100], [50, 100]]);
    expect(part(WARN_COLOUR)).toEqual([[20, 50], [20, 50]]);
    expect(part(ALERT_COLOUR)).toEqual([[0, 20]]);
    // The levels themselves: dashed guides at 50 and 80.
    expect(r.strokes.filter((s) => s.dash.length > 0).map((s) => s.colour)).toEqual([WARN_COLOUR, ALERT_COLOUR]);
    const mem = recorder();
    drawChart(mem.ctx, spec({ series: climbing, levels: false }));
    expect(mem.strokes.map((s) => s.colour)).not.toContain(WARN_COLOUR);
    expect(lines(mem).map((s) => s.clip)).toEqual([[0, 100], [0, 100], [0, 100]]);
    expect(lines(mem).map((s) => s.points)).toEqual([4, 4, 4]);
  });
  it('draws in each level\'s colour only the stretches of a line that reach it', () => {
    const r = recorder();
    drawChart(r.ctx, spec({ series: climbing }));
    // Points (moveTo and lineTo) per stroke: node 3 (y 90, 90, 40, 10) has two of its three segments
    // below 80 and two above 50 (one in each shares a point), and one above 80.
    expect(lines(r).map((s) => s.points)).toEqual([4, 3, 3]);
    expect(r.strokes.filter((s) => s.colour === WARN_COLOUR && s.dash.length === 0).map((s) => s.points)).toEqual([3, 3]);
    expect(r.strokes.filter((s) => s.colour === ALERT_COLOUR && s.dash.length === 0).map((s) => s.points)).toEqual([2]);
  });
});
