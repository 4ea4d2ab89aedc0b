/**
 * Time from start to the first complete main window on a test cluster of 16 and one of 64 nodes
 * (every lamp "up", every load bar with a value), each against what an admin would otherwise
 * type: one OpenSSH fan-out to as many nodes reading the same /proc files. Cold and warm app
 * starts and the baseline alternate in one run so machine noise hits them alike; where the
 * app's time went comes from each node's start-up line in the GUI's log (electron/core/startPhases.ts).
 * Needs root (network namespaces). Run: npx tsx e2e/bench/startup.ts [--nodes 16,64]
 */
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js';
import { startHeadless } from '../support/app.js';
import { lamp } from '../support/mainWindow.js';
import { downCluster, upCluster, type TestCluster } from '../cluster/testCluster.js';
import { median } from './report.js';
import { chromiumQuiet } from './chromiumQuiet.js';
import { agentsQuiet, daemonsRunning, makeCold } from './startupNodes.js';
import { cpuSnapshot, cpuSpent, type CpuGroup } from './cpuByGroup.js';
import { formatStartup } from './startupTable.js';
import { goneHint, timeDaemonsAlone, timeSsh } from './startupReferences.js';

export { formatStartup };
import { parseStartLine, type StartPhases } from '../../electron/core/startPhases.js';

export const NODE_COUNTS = [16, 64];
export const REPS = 3;
const WINDOW_TIMEOUT_MS = 180_000;

export interface AppRun {
  /** Spawn of the headless server to the complete main window. */
  totalMs: number;
  /** Spawn until the server printed its URL. */
  urlMs: number;
  /** Spawn until the page's load event. */
  pageMs: number;
  /** Spawn until the main process logged the last node up (GUI log timestamps, ms resolution). */
  allUpMs: number;
  /** Each node's start-up phases as the main process logged them. */
  phases: StartPhases[];
  /** Nodes whose agent was reached through its socket over SSH (the others: an `attach` relay). */
  viaSocket: number;
  /** The server's own view (serverProbe.cjs): its longest event-loop delay, and when the page's first request and WebSocket reached it. */
  server: ServerProbe;
  /** CPU ms spent from spawn to the complete window: the machine's, and by kind of process (cpuByGroup.ts). */
  cpu: Record<CpuGroup | 'machine', number>;
}

export interface ServerProbe {
  delayMaxMs: number;
  delayP99Ms: number;
  firstRequestMs: number;
  upgradeMs: number;
}

const SERVER_PROBE = fileURLToPath(new URL('./serverProbe.cjs', import.meta.url));

/** The last line serverProbe.cjs printed. */
export function parseServerProbe(output: string): ServerProbe {
  const m = [...output.matchAll(/bench-server-probe: max=(\d+) p99=(\d+) request=(-?\d+) upgrade=(-?\d+)/g)].pop();
  if (!m) throw new Error(`the headless server printed no bench-server-probe line (NODE_OPTIONS --require ${SERVER_PROBE})`);
  return { delayMaxMs: Number(m[1]), delayP99Ms: Number(m[2]), firstRequestMs: Number(m[3]), upgradeMs: Number(m[4]) };
}

export interface StartupResult {
  nodes: number;
  /** Whole repetitions measured. */
  reps: number;
  /** Why fewer than REPS were measured. */
  incomplete?: string;
  cold: AppRun[];
  warm: AppRun[];
  /** Wall time of the `nodes` parallel ssh, per repetition. */
  sshMs: number[];
  /** The machine's CPU ms during each fan-out (/proc/stat), to set beside the app's. */
  sshCpuMs: number[];
  /** Per repetition: one daemon started in every node at once, nothing else, until each said ready (startupReferences.ts). */
  daemonsAlone: { wall: number; cpu: number }[];
  coldMedianMs: number;
  warmMedianMs: number;
  sshMedianMs: number;
  coldRatio: number;
  warmRatio: number;
  /** One Chromium launch, before all repetitions and not counted in any of them. */
  browserLaunchMs: number;
}

const log = (s: string): void => {
  process.stderr.write(`bench:startup: ${s}\n`);
};

/** Waits until every lamp says "Node N up" and every row's load bar has a value. */
export async function completeMainWindow(page: Page, nodes: number, timeout = WINDOW_TIMEOUT_MS): Promise<void> {
  // One in-page poll every 20 ms: Playwright's expect() backs off up to 1 s between tries,
  // which would blur the figure more than the thing measured.
  await page.waitForFunction(
    (n: number) => {
      for (let i = 1; i <= n; i++) {
        if (!document.querySelector(`[role="img"][aria-label="Node ${i} up"]`)) return false;
        const bar = document.querySelector(`[role="progressbar"][aria-label="Load of node ${i}"]`);
        if (!bar?.hasAttribute('aria-valuenow')) return false;
      }
      return true;
    },
    nodes,
    { polling: 20, timeout },
  );
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

let liveApp: ChildProcess | undefined;

/** The start-up lines of every node in the GUI log, with the time each was written. */
function startLines(file: string): { at: number; phases: StartPhases; route?: string }[] {
  const out: { at: number; phases: StartPhases; route?: string }[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const p = parseStartLine(line);
    if (p) out.push({ at: Date.parse(line.slice(0, line.indexOf(' '))), phases: p.phases, route: p.route });
  }
  return out;
}

/**
 * The GUI's own state (XDG_STATE_HOME: where it remembers each node's daemon, daemonMemory.ts):
 * emptied for a cold run, which is a GUI that never reached these nodes either; a warm run (a
 * GUI restart) keeps what the cold run before it remembered. Never the machine's own.
 */
async function timeApp(c: TestCluster, browser: Browser, guiState: string): Promise<AppRun> {
  const nodes = c.nodes.length;
  const logDir = mkdtempSync(join(tmpdir(), 'mv-startup-'));
  const guiLog = join(logDir, 'gui.log');
  // The admin's browser window (a fresh context: nothing cached) is open before Mosixview
  // starts, as a desktop app's is: opening a tab in Chromium while 16 nodes connect on 2 cores
  // took it about 3 s before its first request, none of it Mosixview's.
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  // Open means done opening: Chromium works on a new page for a while after newPage resolves.
  await settle();
  const cpu0 = cpuSnapshot();
  const wall0 = Date.now();
  const t0 = performance.now();
  const server = await startHeadless(['--profile', c.profilePath], { MOSIXVIEW_GUI_LOG: guiLog, XDG_STATE_HOME: guiState, NODE_OPTIONS: `--require ${SERVER_PROBE}` }).catch(async (e: unknown) => {
    await context.close();
    throw e;
  });
  liveApp = server.child;
  const urlMs = performance.now() - t0;
  try {
    // With 64 nodes connecting, the busy main process serves the page slowly: the load event is part of the figure, not a failure.
    await page.goto(server.url, { timeout: WINDOW_TIMEOUT_MS });
    const pageMs = performance.now() - t0;
    // One in-page poll every 20 ms: Playwright's expect() backs off up to 1 s between tries,
    // which would blur the figure more than the thing measured.
    await completeMainWindow(page, nodes);
    const totalMs = performance.now() - t0;
    const cpu = cpuSpent(cpu0, cpuSnapshot());
    // Untimed: the same state as a screen reader sees it (role and accessible name).
    for (let i = 1; i <= nodes; i++) {
      if ((await lamp(page, i, 'up').count()) !== 1) throw new Error(`no img "Node ${i} up" by accessible name\n${server.output()}`);
    }
    const lines = startLines(guiLog);
    if (lines.length < nodes) throw new Error(`the GUI log has ${lines.length} node start-up lines, expected ${nodes} (${guiLog})`);
    return {
      totalMs, urlMs, pageMs, allUpMs: Math.max(...lines.map((l) => l.at)) - wall0, phases: lines.map((l) => l.phases),
      viaSocket: lines.filter((l) => l.route === 'socket').length, server: parseServerProbe(server.output()), cpu,
    };
  } catch (e) {
    throw new Error(`${(e as Error).message}${goneHint(c)}\napp output:\n${server.output()}`);
  } finally {
    await context.close();
    await stopChild(server.child);
    liveApp = undefined;
    rmSync(logDir, { recursive: true, force: true });
    // The next measurement (often the fan-out) should not pay for Chromium closing this window.
    await settle();
  }
}

/** Waits for the bench's Chromium to go quiet (chromiumQuiet.ts); says so when it did not within its limit. */
async function settle(): Promise<void> {
  const { quiet, waitedMs } = await chromiumQuiet();
  if (!quiet) log(`Chromium still busy after ${waitedMs.toFixed(0)} ms; measuring anyway`);
}

export async function benchStartup(nodes: number): Promise<StartupResult> {
  if (process.getuid?.() !== 0 || process.platform !== 'linux') throw new Error('bench:startup needs root on Linux (test cluster)');
  if (!existsSync('dist/electron/headless.cjs')) throw new Error('dist/ is missing: run "node build/build.mjs" first');
  let cluster: TestCluster | undefined;
  let browser: Browser | undefined;
  // Ctrl-C must still take the namespaces down; finally alone does not run on a signal.
  const onSignal = (): void => {
    log('interrupted; removing the cluster');
    if (liveApp) liveApp.kill('SIGKILL');
    void (browser?.close() ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => (cluster ? downCluster(cluster) : undefined))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    cluster = await upCluster({ nodes, log });
    const c = cluster;
    const tb = performance.now();
    const b = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    browser = b;
    const browserLaunchMs = performance.now() - tb;
    await settle();
    // Untimed warm-up of the client side (ssh binary, page cache, Chromium's first context),
    // then a cold state again: repetition 1 should not pay for first-use costs of this machine.
    const guiState = mkdtempSync(join(tmpdir(), 'mv-startup-gui-'));
    const freshGui = (): string => {
      rmSync(guiState, { recursive: true, force: true });
      mkdirSync(guiState);
      return guiState;
    };
    await timeSsh(c);
    await timeApp(c, b, freshGui());

    const cold: AppRun[] = [];
    const warm: AppRun[] = [];
    const sshMs: number[] = [];
    const sshCpuMs: number[] = [];
    const daemonsAlone: { wall: number; cpu: number }[] = [];
    let incomplete: string | undefined;
    for (let i = 0; i < REPS; i++) {
      try {
        await oneRepetition(i);
      } catch (e) {
        // A loaded machine's own ssh may time out at 64 nodes: the repetitions done stay measured.
        if (i === 0) throw e;
        incomplete = `repetition ${i + 1} of ${REPS} failed, ${i} done: ${(e as Error).message.split('\n')[0]}`;
        log(incomplete);
        break;
      }
    }
    async function oneRepetition(i: number): Promise<void> {
      await makeCold(c);
      if ((await daemonsRunning(c)) !== 0) throw new Error('agent daemons still run after makeCold');
      cold.push(await timeApp(c, b, freshGui()));
      const up = await daemonsRunning(c);
      if (up !== nodes) throw new Error(`after the cold start ${up} daemons run, expected ${nodes}`);
      log(`${nodes} nodes, rep ${i + 1} cold ${cold[i]!.totalMs.toFixed(0)} ms (url ${cold[i]!.urlMs.toFixed(0)}, page ${cold[i]!.pageMs.toFixed(0)}, all up ${cold[i]!.allUpMs.toFixed(0)})`);
      // The cold start left every node calibrating its speed: the fan-out and the warm start are measured after that.
      log(`${nodes} nodes, rep ${i + 1}: speed checks done ${(await agentsQuiet()).toFixed(0)} ms after the cold run`);
      const fanOut = await timeSsh(c);
      sshMs.push(fanOut.wall);
      sshCpuMs.push(fanOut.cpu);
      log(`${nodes} nodes, rep ${i + 1} ssh  ${sshMs[i]!.toFixed(0)} ms`);
      // Warm: agent installed, daemons left running by the previous app (as after a GUI restart).
      warm.push(await timeApp(c, b, guiState));
      daemonsAlone.push(await timeDaemonsAlone(c));
      log(`${nodes} nodes, rep ${i + 1} daemons alone ${daemonsAlone[i]!.wall.toFixed(0)} ms`);
      log(`${nodes} nodes, rep ${i + 1} warm ${warm[i]!.totalMs.toFixed(0)} ms (url ${warm[i]!.urlMs.toFixed(0)}, page ${warm[i]!.pageMs.toFixed(0)}, all up ${warm[i]!.allUpMs.toFixed(0)})`);
    }
    rmSync(guiState, { recursive: true, force: true });
    // Only whole repetitions (cold, fan-out, warm) count.
    const done = Math.min(cold.length, sshMs.length, warm.length);
    cold.length = done;
    sshMs.length = done;
    sshCpuMs.length = done;
    daemonsAlone.length = done;
    warm.length = done;
    const coldMedianMs = median(cold.map((r) => r.totalMs));
    const warmMedianMs = median(warm.map((r) => r.totalMs));
    const sshMedianMs = median(sshMs);
    return {
      nodes, reps: done, ...(incomplete ? { incomplete } : {}), cold, warm, sshMs, sshCpuMs, daemonsAlone, coldMedianMs, warmMedianMs, sshMedianMs,
      coldRatio: coldMedianMs / sshMedianMs, warmRatio: warmMedianMs / sshMedianMs, browserLaunchMs,
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (liveApp) await stopChild(liveApp);
    await browser?.close().catch(() => undefined);
    if (cluster) await downCluster(cluster, log);
  }
}

export function nodesArg(argv: string[]): number[] {
  const i = argv.indexOf('--nodes');
  if (i < 0) return NODE_COUNTS;
  const ns = (argv[i + 1] ?? '').split(',').map(Number);
  if (ns.length === 0 || ns.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--nodes needs node counts like 16,64 (got "${argv[i + 1] ?? ''}")`);
  return ns;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  (async () => {
    const rs: StartupResult[] = [];
    for (const n of nodesArg(process.argv.slice(2))) rs.push(await benchStartup(n));
    return rs;
  })().then(
    (rs) => console.log(formatStartup(rs)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
