/**
 * Cost of one agent sample against the obvious alternative, running `ps`, on a node with
 * 1,000 extra (sleeping) processes. Both are timed alternately in the same run so that
 * machine noise hits them alike. Run: npx tsx e2e/bench/sampleCost.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { Sampler } from '../../agent/sampler/sampler.js';

const EXTRA_PROCESSES = 1000;
const BATCH = 100;
const RUNS = 20;
const PS_ARGS = ['-eo', 'pid,user,stat,pcpu,rss,ni,comm'];

export interface SampleCost {
  /** Processes the sampler listed (the sleepers plus whatever else runs). */
  processes: number;
  /** Median ms of one Sampler.sample(). */
  agentMs: number;
  /** Median ms of spawning ps and reading all its output. */
  psMs: number;
  /** agentMs / psMs. */
  ratio: number;
  runs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function startSleepers(n: number, into: ChildProcess[]): Promise<void> {
  for (let i = 0; i < n; i += BATCH) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) {
      const c = spawn('sleep', ['600'], { stdio: 'ignore' });
      into.push(c);
      batch.push(
        new Promise((resolve, reject) => {
          c.once('spawn', () => resolve());
          c.once('error', reject);
        }),
      );
    }
    await Promise.all(batch);
  }
}

function runPs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const ps = spawn('ps', PS_ARGS, { stdio: ['ignore', 'pipe', 'ignore'] });
    let lines = 0;
    ps.stdout.on('data', (b: Buffer) => {
      for (const byte of b) if (byte === 10) lines++;
    });
    ps.once('error', reject);
    ps.once('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0 || lines < 2) reject(new Error(`ps exited ${code} after ${lines} lines`));
      else resolve(ms);
    });
  });
}

export async function benchSampleCost(): Promise<SampleCost> {
  const sleepers: ChildProcess[] = [];
  const killAll = (): void => {
    for (const c of sleepers) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.once('exit', killAll); // also when the caller dies before finally runs
  try {
    await startSleepers(EXTRA_PROCESSES, sleepers);
    const sampler = new Sampler({ selfPids: () => [process.pid], speed: () => 10000 });
    // Untimed warm-up: a running agent has every process's owner cached and the code
    // optimised; ps gets the same chance to fill the page cache.
    let processes = sampler.sample().procs.length;
    await runPs();

    const agent: number[] = [];
    const ps: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      processes = sampler.sample().procs.length;
      agent.push(performance.now() - t0);
      ps.push(await runPs());
    }
    const agentMs = median(agent);
    const psMs = median(ps);
    return { processes, agentMs, psMs, ratio: agentMs / psMs, runs: RUNS };
  } finally {
    killAll();
    process.removeListener('exit', killAll);
  }
}

export function formatSampleCost(r: SampleCost): string {
  const f = (x: number): string => x.toFixed(2);
  return [
    `| processes | runs | agent sample (median ms) | ps (median ms) | agent / ps |`,
    `|---:|---:|---:|---:|---:|`,
    `| ${r.processes} | ${r.runs} | ${f(r.agentMs)} | ${f(r.psMs)} | ${f(r.ratio)} |`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchSampleCost().then(
    (r) => console.log(formatSampleCost(r)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
