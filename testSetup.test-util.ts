/**
 * Set up for every unit test file (vitest.config.ts).
 * - Renderer tests wait for what the UI shows, not for a time: testing-library's 1 s default
 *   for findBy/waitFor fails on a 2-core machine busy with other work, so allow 10 s.
 * - Property tests (fast-check) run the same inputs every time, so `npm test` says the same
 *   thing twice; `MOSIXVIEW_FC_SEED=random npm run test:unit` (or a number) explores others,
 *   and fast-check prints the seed of any failure to replay it.
 * - The GUI's log file goes to the temp dir, not the home of whoever runs the tests.
 */
import { configure } from '@testing-library/react';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';

configure({ asyncUtilTimeout: 10_000 });

// The main process's log (electron/core/log.ts) goes to a file of its own, not the user's.
process.env.MOSIXVIEW_GUI_LOG ??= join(tmpdir(), `mosixview-unit-gui-${process.pid}.log`);

const seed = process.env.MOSIXVIEW_FC_SEED;
if (seed !== 'random') fc.configureGlobal({ seed: Number(seed) || 20261129 });
