/**
 * Cost of one agent sample against the obvious alternative, running `ps`, on a node with
 * 1,000 extra sleeping processes and a few active multi-threaded ones (the sampler reads the
 * schedstat of every thread of a process that ran in the interval; a sleeper costs no such
 * read). Samples are a second apart, as in the agent; ps runs in between. Both are timed
 * alternately in the same run so that machine noise hits them alike.
 * Run: npx tsx e2e/bench/sampleCost.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Sampler } from '../../agent/sampler/sampler.js';

const EXTRA_PROCESSES = 1000;
/** Node.js processes that run ~15 ms every second: each is read thread by thread every sample. */
const ACTIVE_PROCESSES = 10;
const ACTIVE_JS = 'setInterval(() => { const t = Date.now(); while (Date.now() - t < 15) {} }, 1000)';
const BATCH = 100;
const RUNS = 20;
const INTERVAL_MS = 1000;
const PS_ARGS = ['-eo', 'pid,user,stat,pcpu,rss,ni,comm'];

export interface SampleCost {
  /** Processes the sampler listed (the ones started plus whatever else runs). */
  processes: number;
  /** The active processes started for the run, and their threads. */
  active: number;
  activeThreads: number;
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

async function startProcesses(n: number, into: ChildProcess[], cmd: string, args: string[]): Promise<void> {
  for (let i = 0; i < n; i += BATCH) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) {
      const c = spawn(cmd, args, { stdio: 'ignore' });
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function threadsOf(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/task`).length;
  } catch {
    return 0;
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
  const started: ChildProcess[] = [];
  const killAll = (): void => {
    for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.once('exit', killAll); // also when the caller dies before finally runs
  try {
    await startProcesses(EXTRA_PROCESSES, started, 'sleep', ['600']);
    await startProcesses(ACTIVE_PROCESSES, started, process.execPath, ['-e', ACTIVE_JS]);
    const active = started.slice(EXTRA_PROCESSES);
    await sleep(1500); // started up and into their once-a-second rhythm
    const activeThreads = active.reduce((n, c) => n + threadsOf(c.pid!), 0);
    const sampler = new Sampler({ selfPids: () => [process.pid], speed: () => 10000 });
    // Untimed warm-up: a running agent has every process's owner cached and the code
    // optimised; ps gets the same chance to fill the page cache.
    let processes = sampler.sample().procs.length;
    let last = performance.now();
    await runPs();

    const agent: number[] = [];
    const ps: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await sleep(Math.max(0, last + INTERVAL_MS - performance.now()));
      const t0 = performance.now();
      last = t0;
      processes = sampler.sample().procs.length;
      agent.push(performance.now() - t0);
      ps.push(await runPs());
    }
    const agentMs = median(agent);
    const psMs = median(ps);
    return { processes, active: ACTIVE_PROCESSES, activeThreads, agentMs, psMs, ratio: agentMs / psMs, runs: RUNS };
  } finally {
    killAll();
    process.removeListener('exit', killAll);
  }
}

export function formatSampleCost(r: SampleCost): string {
  const f = (x: number): string => x.toFixed(2);
  return [
    `| processes | of them active (threads) | runs | agent sample (median ms) | ps (median ms) | agent / ps |`,
    `|---:|---:|---:|---:|---:|---:|`,
    `| ${r.processes} | ${r.active} (${r.activeThreads}) | ${r.runs} | ${f(r.agentMs)} | ${f(r.psMs)} | ${f(r.ratio)} |`,
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
