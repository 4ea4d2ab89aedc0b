import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Sampler } from './sampler.js';

describe.runIf(process.platform === 'linux')('Sampler on the real /proc', () => {
  it('sees a busy child as > 50% cpu and demand >= 1', async () => {
    const child = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
    try {
      await sleep(200); // let it exec and start spinning
      const s = new Sampler({ selfPids: () => [process.pid], speed: () => 10000 });
      s.sample();
      await sleep(1000);
      const { sample, procs } = s.sample();
      const me = procs.find((p) => p.pid === child.pid);
      expect(me?.command).toBe('node');
      expect(me?.args).toContain('for(;;){}');
      expect(me!.cpu).toBeGreaterThan(50);
      expect(sample.demand).toBeGreaterThanOrEqual(1);
      expect(sample.util).toBeGreaterThan(0);
      expect(sample.cpus).toBeGreaterThanOrEqual(1);
      expect(sample.mem.totalKb).toBeGreaterThan(0);
      expect(sample.procCount).toBe(procs.length);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
