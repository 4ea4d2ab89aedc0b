import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Logger } from '../../shared/log/logger.js';
import { fileTarget, guiLogPath } from './log.js';

describe('the GUI log', () => {
  it('lives under the user\'s state dir', () => {
    expect(guiLogPath({}, '/home/ann')).toBe('/home/ann/.local/state/mosixview/mosixview.log');
    expect(guiLogPath({ XDG_STATE_HOME: '/xdg' }, '/home/ann')).toBe('/xdg/mosixview/mosixview.log');
    expect(guiLogPath({ MOSIXVIEW_GUI_LOG: '/tmp/x.log' }, '/home/ann')).toBe('/tmp/x.log');
  });

  it('makes its directory and appends timestamped lines', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'guilog-')), 'state', 'mosixview', 'mosixview.log');
    const log = new Logger(fileTarget(path));
    log.warn('node 2 (n2): connection refused');
    log.error('IPC from an untrusted sender (https://evil) refused');
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z mosixview: node 2 \(n2\): connection refused$/);
    expect(lines[1]).toMatch(/Z mosixview: IPC from an untrusted sender \(https:\/\/evil\) refused$/);
  });
});
