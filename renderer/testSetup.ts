/**
 * Renderer tests wait for what the UI shows, not for a time: testing-library's 1 s default
 * for findBy/waitFor fails on a 2-core machine busy with other work, so allow 10 s.
 */
import { configure } from '@testing-library/react';

configure({ asyncUtilTimeout: 10_000 });
