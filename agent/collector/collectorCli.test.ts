import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mosixcollector } from './collectorCli.js';

let base: string;
let saved: string | undefined;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'mvcli-'));
  saved = process.env.MOSIXVIEW_STATE_DIR;
  writeFileSync(join(base, 'file'), '');
  // Root writes anywhere: a state directory below a plain file is what no one can write.
  process.env.MOSIXVIEW_STATE_DIR = join(base, 'file', 'state');
});
afterEach(() => {
  if (saved === undefined) delete process.env.MOSIXVIEW_STATE_DIR;
  else process.env.MOSIXVIEW_STATE_DIR = saved;
  rmSync(base, { recursive: true, force: true });
});

describe('mosixcollector in a directory it cannot write', () => {
  it('-d and --run say which directory, the errno and what to do', async () => {
    const dir = join(base, 'file', 'state', 'collector');
    const clear = new RegExp(`^cannot start the collector in ${dir} \\(ENOTDIR\\): .*MOSIXVIEW_STATE_DIR`);
    await expect(mosixcollector(['-d'], () => undefined, 'unused')).rejects.toThrow(clear);
    await expect(mosixcollector(['--run'], () => undefined, 'unused')).rejects.toThrow(clear);
  });
});
