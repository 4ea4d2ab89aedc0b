/**
 * Watching a 64-node test cluster for an hour: the headless GUI attached in Chromium with
 * Autorefresh on, the collector recording on node 1. Reports the memory of the main process
 * and of the page at start and end, the CPU of each agent against an idle `node` process read
 * the same way in the same run, seconds missing from the collector's history, and every entry
 * logged (main process, agents, collector, page console). Needs root (test cluster).
 * Run: npm run bench -- --only soak [--minutes N] (default 60), or npx tsx e2e/bench/soak.ts [--minutes N] [--nodes N]
 * (the latter prints only; --nodes: a smaller cluster for a quick comparison, default 64)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js';
import { startHeadless } from '../support/app.js';
import { downCluster, sshExec, upCluster, type TestCluster } from '../cluster/testCluster.js';
import { netnsPids } from '../cluster/sys.js';
import { HistoryReader } from '../../agent/collector/store/historyReader.js';
import { CURRENT_DIR } from '../../agent/collector/store/rotation.js';
import { parseStartLine } from '../../electron/core/startPhases.js';
import { completeMainWindow, stopChild } from './startup.js';
import { corePercent, cpuTicks, missingSeconds, nodeOfPids, nodeSecondsMissing, tallyEntries, type NodeCpu, type SecondsCount } from './soakFigures.js';
import { exchangeTotals, type ExchangeTotals } from './exchangeCounts.js';
import { formatSoak, SOAK_NODES } from './soakFormat.js';
import { minutesArg } from './mainWindow.js';

const log = (s: string): void => {
  process.stderr.write(`bench:soak: ${s}\n`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const readOr = (p: string, fallback = ''): string => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return fallback;
  }
};
const rssKb = (pid: number): number => Number(/^VmRSS:\s+(\d+)/m.exec(readOr(`/proc/${pid}/status`))?.[1] ?? NaN);
/** NaN once the process is gone (counted as a restart, not a crash of the benchmark). */
const ticksOf = (pid: number): number => {
  const stat = readOr(`/proc/${pid}/stat`);
  return stat ? cpuTicks(stat) : NaN;
};

/** The agent processes of this cluster on the machine (seen from the root namespace), by role. */
function agentProcesses(c: TestCluster): { daemons: number[]; attaches: number[]; collectors: number[] } {
  const out = { daemons: [] as number[], attaches: [] as number[], collectors: [] as number[] };
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const argv = readOr(`/proc/${name}/cmdline`).split('\0');
    const bundleAt = argv.findIndex((a) => a.startsWith(c.dir) && /mosixview-agent-[^/]*\.cjs$/.test(a));
    if (bundleAt < 0) continue;
    const role = argv[bundleAt + 1];
    if (role === 'daemon') out.daemons.push(Number(name));
    else if (role === 'attach') out.attaches.push(Number(name));
    else if (role === 'mosixcollector') out.collectors.push(Number(name));
  }
  return out;
}

/**
 * Each node's sshd session processes (not the listener) seen from the root namespace: with the
 * GUI reaching each daemon's socket over SSH, the relaying is sshd's work, so it is counted.
 */
async function sshdSessions(c: TestCluster): Promise<number[][]> {
  return Promise.all(
    c.nodes.map(async (n) =>
      (await netnsPids(n.netns)).filter((pid) => {
        const title = readOr(`/proc/${pid}/cmdline`).replace(/\0/g, ' ');
        return title.startsWith('sshd:') && !title.includes('[listener]');
      }),
    ),
  );
}

interface Memory {
  mainRssKb: number;
  /** Page JS heap in use after a forced GC (CDP HeapProfiler.collectGarbage, Runtime.getHeapUsage). */
  pageHeapBytes: number;
  agentRssKb: number[];
}

async function memory(mainPid: number, cdp: CDPSession, agents: number[]): Promise<Memory> {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  return { mainRssKb: rssKb(mainPid), pageHeapBytes: heap.usedSize, agentRssKb: agents.map(rssKb) };
}

export interface SoakResult {
  nodes: number;
  minutes: number;
  warmupS: number;
  start: Memory;
  end: Memory;
  /** Every minute: main RSS (kB) and page heap (bytes, without a forced GC). */
  trail: { min: number; mainRssKb: number; pageHeapBytes: number }[];
  /** % of one core over the measured window. */
  daemonCpu: number[];
  /** The same per node (a daemon whose node was not found is left out): which agent is busy, not only how busy. */
  daemonCpuByNode: NodeCpu[];
  attachCpu: number[];
  /** Per node: its sshd session processes together (alive over the whole window). */
  sshdCpu: number[];
  collectorCpu: number[];
  idleNodeCpu: number;
  daemonsRestarted: number;
  history: SecondsCount & { nodeSecondsMissing: number };
  errors: { source: string; entries: { text: string; count: number }[] }[];
  /** Every node's load-exchange counters at the end, summed (mosctl status). */
  exchange: ExchangeTotals;
}

export async function benchSoak(minutes: number, nodes = SOAK_NODES): Promise<SoakResult> {
  if (process.getuid?.() !== 0 || process.platform !== 'linux') throw new Error('bench:soak needs root on Linux (test cluster)');
  if (!existsSync('dist/electron/headless.cjs')) throw new Error('dist/ is missing: run "node build/build.mjs" first');
  let cluster: TestCluster | undefined;
  let browser: Browser | undefined;
  let server: ChildProcess | undefined;
  let idle: ChildProcess | undefined;
  const work = mkdtempSync(join(tmpdir(), 'mv-soak-'));
  const onSignal = (): void => {
    log('interrupted; removing the cluster');
    server?.kill('SIGKILL');
    idle?.kill('SIGKILL');
    void (browser?.close() ?? Promise.resolve()).catch(() => undefined).then(() => (cluster ? downCluster(cluster) : undefined)).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    cluster = await upCluster({ nodes, log });
    const c = cluster;
    // The baseline: a node process that wakes once a second and does nothing, read as the agents are.
    idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const guiLog = join(work, 'gui.log');
    const app = await startHeadless(['--profile', c.profilePath], { MOSIXVIEW_GUI_LOG: guiLog, MOSIXVIEW_CONFIG_DIR: join(work, 'config') });
    server = app.child;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const page: Page = await context.newPage();
    const consoleLines: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    await page.goto(app.url, { timeout: 180_000 });
    await completeMainWindow(page, nodes);
    const autorefresh = page.getByRole('checkbox', { name: 'Autorefresh' });
    if (!(await autorefresh.isChecked())) await autorefresh.check();
    log(`all ${nodes} nodes up, Autorefresh on`);
    const bin = `${c.dir}/agent/bin/mosixcollector`;
    const started = await sshExec(c, 1, `${bin} -d`);
    if (started.code !== 0) throw new Error(`mosixcollector -d on node 1 failed (${started.code}): ${started.stderr.trim()}`);
    const cdp = await context.newCDPSession(page);

    const warmupS = Math.min(60, Math.round(minutes * 6));
    await sleep(warmupS * 1000);
    const procs0 = agentProcesses(c);
    if (procs0.daemons.length !== nodes) throw new Error(`${procs0.daemons.length} agent daemons run, expected ${nodes}`);
    const sshd0 = await sshdSessions(c);
    const daemonNode = nodeOfPids(procs0.daemons, await Promise.all(c.nodes.map(async (n) => ({ node: n.id, pids: await netnsPids(n.netns) }))));
    const all0 = [...procs0.daemons, ...procs0.attaches, ...procs0.collectors, ...sshd0.flat(), idle.pid!];
    const ticks0 = new Map(all0.map((p) => [p, ticksOf(p)]));
    const start = await memory(server.pid!, cdp, procs0.daemons);
    const t0 = Date.now();
    log(`measuring for ${minutes} min: main RSS ${start.mainRssKb} kB, page heap ${start.pageHeapBytes} B`);
    const trail: SoakResult['trail'] = [];
    for (let min = 1; Date.now() - t0 < minutes * 60_000; min++) {
      await sleep(Math.min(t0 + min * 60_000, t0 + minutes * 60_000) - Date.now());
      const m = (await cdp.send('Runtime.getHeapUsage')).usedSize;
      trail.push({ min: Math.round((Date.now() - t0) / 60_000), mainRssKb: rssKb(server.pid!), pageHeapBytes: m });
      log(`min ${trail.at(-1)!.min}: main RSS ${trail.at(-1)!.mainRssKb} kB, page heap ${m} B`);
    }
    const end = await memory(server.pid!, cdp, procs0.daemons);
    const ticks1 = new Map(all0.map((p) => [p, ticksOf(p)]));
    const t1 = Date.now();
    const cpu = (pids: number[]) => pids.map((p) => corePercent(ticks1.get(p)! - ticks0.get(p)!, CLK_TCK, t1 - t0)).filter(Number.isFinite);
    const procs1 = agentProcesses(c);
    const daemonsRestarted = procs0.daemons.filter((p) => !procs1.daemons.includes(p)).length;

    const exchange = await exchangeTotals(c);
    await sshExec(c, 1, `${bin} -k`);
    const node1 = c.nodes[0]!;
    const reader = HistoryReader.open(join(node1.stateDir, 'collector', CURRENT_DIR));
    const records: { t: number; nodes: { id: number; up: boolean }[] }[] = [];
    try {
      reader.samples(t0, t1, (r) => void records.push({ t: r.t, nodes: r.nodes.map((n) => ({ id: n.id, up: n.up })) }));
    } finally {
      reader.close();
    }
    const ids = c.nodes.map((n) => n.id);
    const history = { ...missingSeconds(records.map((r) => r.t), t0, t1), nodeSecondsMissing: nodeSecondsMissing(records, ids, t0, t1) };

    const lines = (text: string) => text.split('\n').filter(Boolean);
    const guiLines = lines(readOr(guiLog)).filter((l) => !parseStartLine(l));
    const serverLines = lines(app.output()).filter((l) => !/headless mode\) at http|A new link/.test(l));
    const agentLines = c.nodes.flatMap((n) => lines(readOr(join(n.stateDir, 'agent.log'))));
    const collectorLines = lines(readOr(join(node1.stateDir, 'collector', 'collector.log')));
    return {
      nodes, minutes, warmupS, start, end, trail,
      daemonCpu: cpu(procs0.daemons),
      daemonCpuByNode: [...daemonNode].flatMap(([pid, node]) => cpu([pid]).map((v) => ({ node, cpu: v }))),
      attachCpu: cpu(procs0.attaches),
      sshdCpu: sshd0.map((pids) => cpu(pids).reduce((a, b) => a + b, 0)),
      collectorCpu: cpu(procs0.collectors), idleNodeCpu: cpu([idle.pid!])[0]!,
      daemonsRestarted, history, exchange,
      errors: [
        { source: 'main process: GUI log (besides each node\'s start-up line)', entries: tallyEntries(guiLines) },
        { source: 'main process: stdout/stderr (besides its URL)', entries: tallyEntries(serverLines) },
        { source: `agents: the ${nodes} nodes' agent.log`, entries: tallyEntries(agentLines) },
        { source: 'collector: collector.log on node 1', entries: tallyEntries(collectorLines) },
        { source: 'page console: errors, warnings, uncaught exceptions', entries: tallyEntries(consoleLines) },
      ],
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await browser?.close().catch(() => undefined);
    if (server) await stopChild(server);
    idle?.kill('SIGKILL');
    if (cluster) await downCluster(cluster, log);
    rmSync(work, { recursive: true, force: true });
  }
}

/** --nodes N of the printing form: a smaller cluster for a quick before/after pair. */
function nodesArg(argv: string[]): number {
  const i = argv.indexOf('--nodes');
  if (i < 0) return SOAK_NODES;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 2) throw new Error(`--nodes needs a whole number of nodes, 2 or more (got "${argv[i + 1] ?? ''}")`);
  return n;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  benchSoak(minutesArg(argv, 60), nodesArg(argv)).then(
    (r) => console.log(formatSoak(r)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
