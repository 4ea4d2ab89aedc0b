/**
 * The openMosix job tools on this node (HOWTO 8.5), talking to the local daemon:
 *   mosrun [options] COMMAND [ARGS]      start a job (see MOSRUN_USAGE)
 *   nomig | runhome | cpujob | iojob | nodecay | slowdecay | fastdecay COMMAND [ARGS]
 *   runon N COMMAND [ARGS]
 *   migrate PID {N|home|best|kill|stop|cont|lock|unlock|check|nice N}
 *   mps [-j] [-u USER] [-p PID] [PID...]  ps with openMosix's node column (-j: jobs only)
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JobRecord } from '../../shared/jobs/job.js';
import { MOSRUN_USAGE, RUN_MODE_SCRIPTS, parseMosrunArgs, scriptToMosrunArgs, type RunModeScript } from '../../shared/jobs/runModes.js';
import { jobKey } from '../../shared/domain/process.js';
import { CliError, connectDaemon, type DaemonClient } from '../cli/daemonClient.js';
import { jobOfPid, watchProgress } from './migrateProgress.js';
import { describeStarted, mpsLines, parseMpsArgs } from './cliText.js';

export const JOB_TOOLS = ['mosrun', 'migrate', 'mps', ...RUN_MODE_SCRIPTS] as const;

export const MIGRATE_USAGE = 'usage: migrate PID {NODE | home | best | kill | stop | cont | lock | unlock | check | nice N}';

type Out = (s: string) => void;
/** A little more than the agent's sample interval. */
const SAMPLE_MS = 1200;
const toStderr: Out = (s) => process.stderr.write(`${s}\n`);

async function withDaemon<T>(fn: (d: DaemonClient) => Promise<T>): Promise<T> {
  const d = await connectDaemon();
  try {
    return await fn(d);
  } finally {
    d.end();
  }
}

function stringEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return env;
}

async function mosrun(args: string[], out: Out, err: Out): Promise<void> {
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
    const answered = await d.request('jobs.start', spec, 60_000);
    // A copy started on another node has run its program, or failed to, by now: its home
    // learns which from the job directory when asked.
    const started: JobRecord[] = await Promise.all(answered.map((r) => (r.state === 'away' ? d.request('jobs.get', { ref: r.ref }).catch(() => r) : r)));
    const report = describeStarted(started);
    report.out.forEach(out);
    report.err.forEach(err);
    if (report.exitCode !== undefined) {
      process.exitCode = report.exitCode;
      return;
    }
    // -w: also a job that has ended already (a quick one) gives its status.
    const local = started.find((r) => r.where === 0 && r.state !== 'pending');
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
        // By PID: the agent finds the job, also by the PID mosrun printed after the job moved.
        const r = await d.request('jobs.lock', { pid, locked: what === 'lock' });
        out(`job ${jobKey(r.ref)} ${r.locked ? 'locked: it stays on its node' : 'unlocked: it may migrate'}`);
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

async function mps(args: string[], out: Out): Promise<void> {
  let filter;
  try {
    filter = parseMpsArgs(args);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  await withDaemon(async (d) => {
    const ask = () => Promise.all([d.request('procs', null), d.request('jobs.list', null)]);
    let [procs, jobs] = await ask();
    // The agent's list is its last sample (once a second): a PID asked for that exists but is
    // not in it yet (just started) is in the next one.
    const missing = filter.pids.some((pid) => !procs.some((p) => p.pid === pid || (p.job ?? p.away)?.id === pid) && existsSync(`/proc/${pid}`));
    if (missing) {
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
      [procs, jobs] = await ask();
    }
    mpsLines(procs, jobs, filter).forEach(out);
  });
}

export async function jobsCli(tool: string, args: string[], out: Out, toErr: Out = toStderr): Promise<void> {
  // As the tools' other errors: prefixed with the tool's name.
  const err: Out = (s) => toErr(`${tool}: ${s}`);
  if (tool === 'mosrun') return mosrun(args, out, err);
  if (tool === 'migrate') return migrate(args, out);
  if (tool === 'mps') return mps(args, out);
  if ((RUN_MODE_SCRIPTS as readonly string[]).includes(tool)) {
    if (args.length === 0) throw new CliError(`usage: ${tool} ${tool === 'runon' ? 'NODE ' : ''}COMMAND [ARGS...]`);
    return mosrun(scriptToMosrunArgs(tool as RunModeScript, args), out, err);
  }
  throw new CliError(`unknown tool ${tool}`);
}
