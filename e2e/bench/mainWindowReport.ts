/**
 * The section of docs/BENCHMARKS.md on the main window at 128 nodes (e2e/bench/mainWindow.ts measures):
 * the table of one run and the text that explains it, which a re-run writes again (edit it here).
 * Run alone (prints the section, writes nothing): node build/build.mjs && npx tsx e2e/bench/mainWindowReport.ts [--minutes N]
 */
import { pathToFileURL } from 'node:url';
import { machine, machineLine, median, type Machine } from './report.js';
import { COST_KINDS, percentile, type RoundCost } from './traceCost.js';
import { BLOCK_ROUNDS, NODES, WARMUP_ROUNDS, benchMainWindow, minutesArg, type MainWindowBench } from './mainWindow.js';
import { VIEW_TICK_MS } from '../../electron/core/viewBatch.js';

export const MAINWINDOW_TITLE = `The main window at ${NODES} nodes: one update`;

const f1 = (x: number) => x.toFixed(1);

export function mainWindowSection(r: MainWindowBench, m: Machine = machine()): string {
  const line = (xs: RoundCost[], pick: (c: RoundCost) => number) => {
    const v = xs.map(pick);
    return `${f1(median(v))} / ${f1(percentile(v, 95))}`;
  };
  const rows = ([...COST_KINDS, 'total'] as const).map((k) => {
    const a = r.app.map((c) => c[k]);
    const b = r.baseline.map((c) => c[k]);
    return `| ${k === 'total' ? '**all main-thread tasks**' : k} | ${line(r.app, (c) => c[k])} | ${line(r.baseline, (c) => c[k])} | ${(median(a) / median(b)).toFixed(2)}x / ${(percentile(a, 95) / percentile(b, 95)).toFixed(2)}x |`;
  });
  const p95 = percentile(r.app.map((c) => c.total), 95);
  return [
    `**Measured:** the main window of the built renderer (dist/renderer: the real WebSocket bridge, store and rows) in Chromium`,
    `(1200x800, software rendering, the project's Chromium args), served by the real headless server (\`startHeadlessServer\`)`,
    `whose API has a simulated ${NODES}-node cluster behind it instead of ${NODES} SSH sessions: every second each node's new view`,
    `(load waves with noise and 2% bursts, drifting memory) is handed over, node i at (i + 0.5)/${NODES} of the second, as agents`,
    `sampling at 1 Hz each at its own moment send them, and goes to the page as the main process sends it: gathered per ${VIEW_TICK_MS} ms tick`,
    '(electron/core/viewBatch.ts, as ClusterService uses it), one `cluster.views` message per tick with the nodes that reported in it.',
    'One *update* is one such second of 128 views. A Chromium trace',
    '(devtools.timeline) of the page\'s renderer main thread, cut into seconds by a `console.timeStamp` at each start, gives per',
    'update the main thread\'s CPU time (thread time, not wall time: the machine is shared) as self time of scripting (incl. GC),',
    'style, layout (also when forced from a script) and paint (main-thread paint and compositing; raster is off that thread), and',
    `all its tasks together. ${r.rounds} updates each, traced in blocks of ${BLOCK_ROUNDS} alternating with the baseline, after ${WARMUP_ROUNDS} untimed ones`,
    '(the first collections of V8\'s memory reducer, which shrinks a fresh page\'s heap some 30-40 s after it loaded, fall in those).',
    '',
    `**Baseline:** the same ${NODES} views at the same moments, over a WebSocket of the same browser, into a plain static table of`,
    `${NODES} rows with the same cells and the row layout of the window's stylesheet as it was before (fixed in the benchmark),`,
    'written by direct DOM writes as each message arrives (no framework, no store). The baseline is kept as it was: it still gets',
    'one WebSocket message per node view (128 a second), so the main window\'s batching is part of what the ratio shows.',
    '',
    machineLine(m),
    '',
    '| main-thread CPU ms per update (p50 / p95) | main window | baseline | main / baseline (p50 / p95) |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
    `Goal: p95 under 16 ms per update: ${p95 < 16 ? 'met' : 'not met'} here (${f1(p95)} ms).`,
    '',
    '*Before*, in earlier runs of this benchmark (their baselines: 1.03x / 1.06x, then 0.33x / 0.36x, then 0.09x / 0.12x):',
    '- the renderer of commit 78e9483 (2026-11-29 16:20 UTC, load average 10.2: every view applied and rendered as it arrived, every',
    '  row re-rendered on each new view of its node): all main-thread tasks 457.6 / 615.7 ms per update; script 71.8 / 101.3,',
    '  style 6.8 / 9.1, layout 30.1 / 44.2, paint 247.3 / 382.7;',
    '- the renderer of 16:33 UTC (load average 6.3), with `.bar { contain: strict }` (fd11309 made it `layout paint`; views applied together at',
    '  most every 250 ms in a frame, renderer/store/wireCluster.ts; a row re-rendered only when a figure it shows changed,',
    '  renderer/routes/main/rowFigures.ts): 181.7 / 230.7 ms; script 38.3 / 54.0, style 4.3 / 5.9, layout 12.7 / 34.9, paint 59.6 / 89.6.',
    '  About half of that was the 128 WebSocket messages a second, each its own task (receive, parse, dispatch);',
    '- the renderer of commit 53a9413 (19:15 UTC, load average 3.0: one `cluster.views` message per 250 ms tick with only the views that',
    '  changed, electron/core/viewBatch.ts; what came in applied in one store update per frame; rows out of sight `content-visibility: auto`):',
    '  55.4 / 83.9 ms; script 17.6 / 30.9, style 1.5 / 2.2, layout 6.0 / 16.8, paint 15.2 / 22.3.',
    '',
    '*Now* (same tick, same frames: a figure is at most one tick late), where that time went and what changed, from the traces',
    '(21:37-22:30 UTC, load average 9-15, one or two blocks per variant alternating in one browser):',
    '- script: every store update ran all 128 rows\' selectors, each building the row\'s figures and comparing them with',
    '  zustand\'s `shallow` (two Maps per compare), and the window re-rendered with the balance under the rows (128 row elements',
    '  compared). Now each row\'s figures are kept per node (renderer/store/nodeFigures.ts): an update recomputes only the nodes whose',
    '  view changed and wakes only the rows whose figures changed; the row\'s cells whose figures did not change are memoised; the',
    '  all-nodes row is its own component (renderer/routes/main/AllNodesRow.tsx). Script 20.5 -> 13.9 ms p50 (one block each, 21:40 and 21:50 UTC), JS',
    '  self time in a sampled profile less than half;',
    '- layout: each update laid out the document from the root (3-15 ms a frame: 150-400 dirty objects; rows within about',
    '  1.5 viewports of the window are not skipped by `content-visibility: auto`). A bar is now one element whose background',
    '  fills up to `--bar-to` (no fill div, no text span): a new figure restyles and repaints it and lays out its text alone.',
    '  Layout 12.2 -> 5.3 ms p50, all main-thread tasks 56.8 / 105.3 -> 43.8 / 58.9 ms (p50 / p95) in one run of 20 updates each;',
    '- what is left is mostly paid per frame (4 a second, one per tick): paint, layerize and pre-paint of the rows in and near',
    '  the window, the hover hit test after a layout, `content-visibility`\'s intersection check, task overhead, and per message',
    '  its receive and parse (about 1 ms). A 1 s tick would halve it (measured earlier: 37.6 / 59.4 against 81.7 / 106.9 ms) but',
    '  rows would then be up to a second behind their sample.',
    '',
    'The run of 22:46 UTC that first wrote this table with these changes (load average 3.9) had a baseline 13-24% slower than the',
    'run of 19:15 (669.0 / 845.8 ms): the window 56.0 / 81.8 ms (0.08x / 0.10x of it, before 0.09x / 0.12x); script 13.7 / 19.5,',
    'style 4.1 / 6.8 (up from 1.5 / 2.2: each changed bar is restyled for its new `--bar-to`), layout 6.6 / 18.1, paint 15.4 / 24.9.',
    '',
    'The run of 2026-11-30 00:07 UTC (`--minutes 1`: 40 updates each; load average 1.7) is the first on the tree with the Disk / Network column in every row (the simulated views carry no rates, so the column shows "-"): the window 72.3 / 89.4 ms against a baseline of 837.7 / 896.5 (0.09x / 0.10x).',
    '',
    '*From 2026-11-30 06:00 UTC*, from one run of several renderers side by side in one',
    'browser (05:33 UTC, load average 10.2, 40 updates each, ms per update p50 / p95): main as it was at 250 ms ticks 58.0 / 77.1;',
    'bars `contain: strict` (a bar is its own layout root: a new figure lays out that bar, not the document from its root) and rows',
    'out of sight not re-rendered (one IntersectionObserver, renderer/routes/main/rowInSight.ts; `content-visibility` keeps ~35 rows',
    'beyond the window drawn) 39.0 / 60.4; the same at a 500 ms tick 26.5 / 41.1, at a 1000 ms tick 20.6 / 29.0. The tick is now 1 s',
    '(electron/core/viewBatch.ts): each node samples once a second, so a row is at most one sample behind and draws one frame a',
    'second instead of four. A row out of sight is still told of a new status or its first figures at once and of new figures on',
    'its own second of every 5 (renderer/routes/main/rowFigures.ts: a screen reader reads them; frozen rows had read old figures),',
    'about 20 rows of 128 a second more than frozen rows: the run of 06:12 UTC (load average 4.3) measured 34.5 / 50.9 ms with them.',
    'A fill drawn the whole bar wide and masked past the value measured worse (paint 12.3 / 20.1 against 10.5 / 14.8) and was dropped.',
    '',
    '*From 2026-11-30 09:30 UTC*, where an update\'s time went, from traces of the window alone in the browser',
    '(08:40-09:03 UTC, load average 1.5-3.5; devtools.timeline with V8\'s sampling profiler, 30 updates, ms per update, averages):',
    'one task a second holds nearly all of it, the animation frame in which the tick\'s views are applied. In it: script 2.9 (React',
    'rendering and committing the ~45 rows told of new figures, their DOM writes 0.7 of it; the store update and the figures of the',
    '128 nodes 0.4), style 1.9 (~90 elements: each changed bar and its `::before`), layout 1.0 (~185 objects, partial: each bar',
    'its own layout root; no row or table laid out), paint 1.7, pre-paint 0.9, layerize 0.8 and layer update and commit 0.3 (the',
    'rows drawn: the ~24 in sight and the ~35 below them that `content-visibility` keeps), intersection observers 0.3, the hover',
    'hit test 0.25. Besides: the message\'s receive and parse 0.4, IPC and task overhead about 1.5, and garbage collection: a full',
    'collection of the ~6-9 MB heap every 10-20 updates (1.5-2.5 ms) and, some 30 and 38 s after the page loaded, the memory reducer\'s',
    '(4-13 ms, mostly tracing the DOM), which with 5 untimed updates could fall in the first block (in two side-by-side runs they',
    'did, in the second page\'s: one update of 37 ms, one of 44) and set the p95 of a 40-update run. No style',
    'change spread over the table (the ~90 elements restyled were the changed bars) and no table layout was found to remove.',
    'Measured side by side in one browser (alternating blocks of 20 updates, 40 each, p50 / p95): main 13.6 / 18.7, the same without',
    'the 250 ms throttle of renderer/store/wireCluster.ts (views come once a second; they are applied in the next frame, which a',
    'hidden window does not run) 12.6 / 24.4 (the memory reducer\'s collections in it) and, in a second run, 13.0 / 18.3; rows out of sight never re-rendered 13.9 / 17.0 (their',
    'figures every 5 s cost ~0.6 ms of script: kept, for screen readers); no `content-visibility` 17.5 / 24.2 (paint 7.8: kept); bars',
    'without the fill\'s copy of the text (a measurement only: unreadable in some tones) 9.8 / 16.9 and 9.9 / 15.7, the second text',
    'being a quarter of the frame (its layout and paint). The fill is now a child element as wide as the value holding the text',
    '(renderer/components/Bar.tsx) instead of the bar\'s `::before` with `content: attr(data-text)`: a new figure restyles the fill',
    'alone and changes two text nodes in place, where the `::before` also restyled the bar and rebuilt its generated text: style',
    '0.7 against 1.9 (45 elements instead of 90), 12.4 / 21.7 against 13.0 / 18.3 in the same run (layout and paint as before; the',
    'memory reducer\'s collections fell in the fill\'s first block). The text over the fill stays (contrast: e2e/support/layout.ts checks it).',
    '',
    '*Since 2026-11-30 09:57 UTC* (the table above), a bar draws its text once: the bar is one element with two background layers',
    '(renderer/styles.css), the text\'s (clipped to its glyphs: `background-clip: text`, the text\'s own colour transparent) in the tone',
    'readable on the fill up to the value and the scheme\'s past it, over the fill and the empty part; both are twice the bar wide, change',
    'tone half way and are moved together to the value by one inline `background-position-x` (renderer/components/Bar.tsx). A new figure',
    'restyles the bar alone and changes one text node; the fill child with its copy of the text is gone. Side by side in one browser',
    '(scratch A/B as this benchmark alternates its blocks; ms per update p50 / p95): at 09:38 UTC (load average 1.9, 40 updates each) the',
    'fill child 10.7 / 17.3 (style 0.6, layout 1.0, paint 3.7 p50), the text once with its gradients\' stops at a `var()` set per figure',
    '11.3 / 17.6 (style 1.1: each figure re-resolved and rebuilt both gradients; layout 0.7, paint 3.6; dropped), the text once with',
    'fixed gradients moved by `background-position-x` 10.0 / 14.9 (style 0.5, layout 0.7, paint 3.3); at 09:48 UTC (load average under 2, 80 updates each)',
    'the fill child 10.1 / 17.1 (style 0.6, layout 0.9, paint 3.4), the text once 10.0 / 14.8 (style 0.6, layout 0.7, paint 3.2). The contrast check (e2e/support/layout.ts) reads the two layers\' colours and',
    'stops of probe bars of each tone and fails on a tone under 4.5:1 on what lies under it or layers whose tones change at different points.',
    '',
    'Reproduce: `npm run bench -- --only mainwindow` (3 minutes; `--minutes N` for a shorter or longer run), or',
    '`node build/build.mjs && npx tsx e2e/bench/mainWindowReport.ts --minutes N` to print the section only; `MV_RENDERER_DIR=DIR` measures',
    'another build\'s renderer (one that listens for `cluster.views`: older ones took a `node.view` per node), `MV_TRACE_DUMP=/tmp/t` keeps the traces,',
    '`MV_SCREENSHOT=/tmp/main128.png` saves the window at the top and scrolled to the end.',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const m = machine();
  console.log(mainWindowSection(await benchMainWindow(minutesArg(process.argv.slice(2))), m));
}
