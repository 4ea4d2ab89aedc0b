/**
 * The history benchmark's record of earlier figures (docs/BENCHMARKS.md, "History store"): what
 * was measured before a change, with its date and load, where that code is not kept or the
 * comparison was a run of its own. Hand-written: history.ts puts it into the section as it is.
 */
export const HISTORY_NOTES: string[] = [
  'Before the flat summary decode (no object per node and',
  'minute), the CRC through zlib and the level colours drawn only where a line reaches them, on 2026-11-29 16:18 UTC (load',
  'average 8.36, not measured in this run: that code is not kept): read 801 ms, open to drawn chart 2707 ms (runs 3484, 2707, 2146).',
  'The same window drew SVG paths (renderer/history/bandPaths.ts, until 2026-11-29) and took',
  '1279 ms after, 7184 ms before (2026-11-22, same machine). Previous canvas figure, recorded on 2026-11-29 09:37 UTC (load',
  'average 5.01): 1508 ms after (runs 2797, 1508, 1383), before the per-node table was laid out after the first drawn chart and',
  'the line geometry stopped making an object per column (that path is not kept, so it is not measured in the same run).',
  'Before `history.prepare` and the daemon\'s warming read (commit 781ca2d opened by the same click in this harness, on',
  '2026-11-30 09:38 UTC, load average 1.93, not measured in this run): first open 640 ms (page 195, round trip 328, drawing 107),',
  'opened again 322 ms; its own harness (window.open, popups 1200 px wide) measured 1327 ms / 673 ms at 06:38 UTC (load average',
  '2.14) and 435 ms / 245 ms at 08:59 UTC (load average 3.13): the first open moves with the load of the shared machine.',
  'The UI\'s files served cacheable with validation (ETag and `no-cache` instead of `no-store`, so Chromium may reuse app.js and',
  'its V8 code cache; branch s9-hist-cache, not kept) measured no better on 2026-11-30 12:05-12:15 UTC (load average 8-16),',
  'A/B alternated in one run: opened by the button as here, first open 378 ms with `no-store` vs 393 ms cached (medians of 4',
  'fresh GUIs), opened again 199 vs 213 ms (Playwright\'s context is off the record); the page alone in a persistent profile',
  '(window.open until it sends `history.series`) 75 vs 65 ms (medians of 20), but the first window after the main one (the second',
  'load of app.js, where Chromium only makes its code cache) 83 vs 89 ms: the gain comes from the third load on; off the record',
  '70 vs 71 ms.',
  'The page\'s first script, boot.js (renderer/boot.ts, 19 kB, in its head; renderer/bridge/earlyStart.ts), opens the WebSocket',
  'and sends the window\'s first `history.series` while app.js (391 kB) still loads; before it, app.js sent it once it had',
  'arrived, compiled and run. A/B in one run (e2e/bench/historyAB.ts: 8 rounds, each a fresh GUI of every build opening the',
  'window twice by its button, the order turned every round; 2026-11-30 18:15-18:23 UTC, load average below 2): first open',
  '286 ms without boot.js (runs 311, 296, 333, 248, 292, 252, 256, 281; page 163, round trip 24, drawing 74), 259 ms with it',
  '(runs 259, 301, 238, 300, 259, 258, 296, 208; page 125, round trip 31, drawing 71), and 259 ms with the chart\'s line runs',
  'in one pass and the cheaper visible-peak loop as well (runs 261, 313, 287, 226, 258, 253, 228, 290; page 136, round trip 35,',
  'drawing 72: no difference within this spread); opened again 187, 170 and 184 ms. The request leaves some 30 ms earlier, but',
  'its answer (757 kB) now crosses the main process and Chromium\'s network service while app.js does, and drawing waits for',
  'app.js; where the agent\'s prepared read came late (4 of the 24 first opens, round trip 94-137 ms) the answer set the pace.',
];
