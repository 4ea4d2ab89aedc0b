/**
 * The openMosix job tools on this node (HOWTO 8.5), talking to the local daemon:
 *   mosrun [options] COMMAND [ARGS]      start a job (see MOSRUN_USAGE)
 *   nomig | runhome | cpujob | iojob | nodecay | slowdecay | fastdecay COMMAND [ARGS]
 *   runon N COMMAND [ARGS]
 *   migrate PID {N|home|best|kill|stop|cont|lock|unlock|check|nice N}
 *   mps [-j]                             ps with openMosix's node column (-j: jobs only)
 */
import { resolve } from 'node:path';
import type { JobRecord } from '../../shared/jobs/job.js';
import { MOSRUN_USAGE, RUN_MODE_SCRIPTS, parseMosrunArgs, scriptToMosrunArgs, type RunModeScript } from '../../shared/jobs/runModes.js';
import { jobKey } from '../../shared/domain/process.js';
import { REMOTE_ID_BASE } from './jobsService.js';
import { CliError, connectDaemon, type DaemonClient } from '../cli/daemonClient.js';
import { jobOfPid, watchProgress } from './migrateProgress.js';

export const JOB_TOOLS = ['mosrun', 'migrate', 'mps', ...RUN_MODE_SCRIPTS] as const;

const MIGRATE_USAGE = 'usage: migrate PID {NODE | home | best | kill | stop | cont | lock | unlock | check | nice N}';

type Out = (s: string) => void;

async function withDaemon<T>(fn: (d: DaemonClient) => Promise<T>): Promise<T> {
  const d = await connectDaemon();
  try {
    return await fn(d);
  } finally {
    d.end();
  }
}

function describe(r: JobRecord): string {
  if (r.state === 'pending') return `job ${jobKey(r.ref)}: to be started on node ${r.where} (${r.note ?? 'by the cluster channel'})`;
  return `job ${jobKey(r.ref)} started, pid ${r.pid}; output in ${r.dir}`;
}

function stringEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return env;
}

async function mosrun(args: string[], out: Out): Promise<void> {
  if (args.length === 0 || args[0] === '--help') {
    out(MOSRUN_USAGE);
    return;
  }
  let parsed;
  try {
    parsed = parseMosrunArgs(args);
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n${MOSRUN_USAGE}`);
  }
  const spec = { argv: parsed.argv, cwd: process.cwd(), mode: parsed.mode, env: stringEnv(), ...(parsed.jobsDir ? { jobsDir: resolve(parsed.jobsDir) } : {}) };
  await withDaemon(async (d) => {
    const started = await d.request('jobs.start', spec, 30_000);
    for (const r of started) out(describe(r));
    const local = started.find((r) => r.state !== 'pending');
    if (!parsed.wait || !local) return;
    for (;;) {
      const r = await d.request('jobs.get', { ref: local.ref });
      if (['exited', 'killed', 'lost'].includes(r.state)) {
        process.exitCode = r.exitStatus ?? (r.state === 'killed' ? 137 : 1);
        return;
      }
      await new Promise((res) => setTimeout(res, 500));
    }
  });
}

async function migrate(args: string[], out: Out): Promise<void> {
  const [pidText, what, arg] = args;
  if (!pidText || !what || !/^\d+$/.test(pidText)) throw new CliError(MIGRATE_USAGE);
  const pid = Number(pidText);
  await withDaemon(async (d) => {
    switch (what) {
      case 'kill':
      case 'stop':
      case 'cont':
        await d.request('jobs.signal', { pid, signal: what.toUpperCase() as 'KILL' | 'STOP' | 'CONT' });
        return;
      case 'nice':
        if (!arg || !/^-?\d+$/.test(arg)) throw new CliError('nice needs a value from -20 to 19');
        await d.request('jobs.renice', { pid, nice: Number(arg) });
        return;
      case 'lock':
      case 'unlock': {
        const job = (await d.request('jobs.list', null)).find((r) => r.pid === pid && r.where === 0);
        if (!job) throw new CliError(`process ${pid} is not a mosrun job on this node: only jobs can be locked`);
        await d.request('jobs.lock', { ref: job.ref, locked: what === 'lock' });
        return;
      }
      case 'check': {
        const { reasons } = await d.request('jobs.check', { pid });
        out(reasons.length ? reasons.map((r) => `cannot move: ${r}`).join('\n') : `process ${pid} can move`);
        if (reasons.length) process.exitCode = 1;
        return;
      }
      default: {
        if (what !== 'home' && what !== 'best' && !/^\d+$/.test(what)) throw new CliError(MIGRATE_USAGE);
        const to = what === 'home' || what === 'best' ? what : Number(what);
        const job = jobOfPid(await d.request('jobs.list', null), pid);
        const watch = await watchProgress(d, job && jobKey(job.ref), process.stdout.isTTY ? process.stdout : undefined);
        let r;
        try {
          r = await d.request('jobs.migrate', { pid, to }, 10 * 60_000);
        } finally {
          watch.stop();
        }
        const m = r.lastMigration;
        const path = watch.path();
        out(`job ${jobKey(r.ref)} now runs on node ${r.where}${m ? ` (frozen ${m.freezeMs} ms, ${m.bytes} bytes moved)` : ''}${path ? `; ${path}` : ''}`);
      }
    }
  });
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

async function mps(args: string[], out: Out): Promise<void> {
  const jobsOnly = args.includes('-j');
  await withDaemon(async (d) => {
    const [procs, jobs] = await Promise.all([d.request('procs', null), d.request('jobs.list', null)]);
    out(`${pad('PID', 7)} ${pad('NODE', 4)} ${'JOB'.padEnd(12)} S ${pad('NI', 3)} ${pad('%CPU', 5)} ${pad('RSS', 8)} COMMAND`);
    for (const p of procs) {
      if (jobsOnly && !p.job) continue;
      const job = p.job ? jobKey(p.job) : '-';
      out(`${pad(p.pid, 7)} ${pad(p.where, 4)} ${job.padEnd(12)} ${p.state} ${pad(p.nice, 3)} ${pad(p.cpu.toFixed(1), 5)} ${pad(p.rssKb, 8)} ${p.args || p.command}`);
    }
    // Like openMosix, a job that migrated away still shows at home, with the node it runs on.
    for (const r of jobs.filter((j) => j.state === 'away' || j.state === 'pending')) {
      // A job started here keeps its PID (its job id) while away, as under openMosix.
      const pid = r.ref.id < REMOTE_ID_BASE ? r.ref.id : '-';
      out(`${pad(pid, 7)} ${pad(r.where, 4)} ${jobKey(r.ref).padEnd(12)} ${r.state === 'away' ? 'M' : 'P'} ${pad('-', 3)} ${pad('-', 5)} ${pad('-', 8)} ${r.argv.join(' ')}`);
    }
  });
}

export async function jobsCli(tool: string, args: string[], out: Out): Promise<void> {
  if (tool === 'mosrun') return mosrun(args, out);
  if (tool === 'migrate') return migrate(args, out);
  if (tool === 'mps') return mps(args, out);
  if ((RUN_MODE_SCRIPTS as readonly string[]).includes(tool)) {
    if (args.length === 0) throw new CliError(`usage: ${tool} ${tool === 'runon' ? 'NODE ' : ''}COMMAND [ARGS...]`);
    return mosrun(scriptToMosrunArgs(tool as RunModeScript, args), out);
  }
  throw new CliError(`unknown tool ${tool}`);
}
