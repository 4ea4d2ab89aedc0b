/**
 * Live migration on a 2-node test cluster: freeze time and total time of `migrate PID 2`
 * (CRIU dump on node 1, images over the agents' TLS channel, restore on node 2, commit)
 * for jobs holding 10 MiB, 100 MiB and 1 GiB, against plain `criu dump` on node 1 +
 * `criu restore` on node 2 of the same kind of job, alternated in one run. Also records
 * whether iterative pre-dump can work on this kernel. Needs root (network namespaces).
 * Run: node build/build.mjs && npx tsx e2e/bench/migration.ts
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { startHeadless } from '../support/app.js';
import { on, tool, type Counter } from '../support/jobs.js';
import { downCluster, sshExec, upCluster, type TestCluster } from '../cluster/testCluster.js';
import { kill9, sleep } from '../cluster/sys.js';
import type { JobRecord, MigrationRecord } from '../../shared/jobs/job.js';
import { formatMigration } from './migrationReport.js';

export const REPS = 3;
export const SIZES = [
  { label: '10 MiB', bytes: 10 * 2 ** 20 },
  { label: '100 MiB', bytes: 100 * 2 ** 20 },
  { label: '1 GiB', bytes: 2 ** 30 },
];
const LONG = 10 * 60_000;
/** The same flags and environment as agent/jobs/criu.ts: cgroups ignored, -v4 log into the image dir, CRIU_FAULT=130 (criuEnv). */
const COMMON = '--manage-cgroups=ignore -v4';
/** The shell init mosrun puts in front of a job (agent/jobs/spawnJob.ts). */
const JOB_INIT = `'"$@" 3>&-; echo $? >&3' mosixview-job`;

/**
 * Touches SIZE bytes, then every 100 ms dirties one page and writes "<count> <host> ok|bad"
 * to ./count; "bad" if the last value it wrote or a spot check of the buffer is wrong,
 * i.e. the memory did not survive the move.
 */
const JOB_JS = `const fs = require('fs'), os = require('os');
const size = Number(process.argv[2]), PAGE = 4096, buf = Buffer.allocUnsafe(size).fill(0xa5);
const probes = Array.from({ length: 64 }, (_, i) => Math.floor((i * size) / 64 / PAGE) * PAGE + 2048);
let n = 0;
setInterval(() => {
  const ok = probes.every((p) => buf[p] === 0xa5) && (n === 0 || buf.readUInt32LE((n % 256) * PAGE) === n);
  n++;
  buf.writeUInt32LE(n, (n % 256) * PAGE);
  fs.writeFileSync('count.tmp', n + ' ' + os.hostname() + ' ' + (ok ? 'ok' : 'bad'));
  fs.renameSync('count.tmp', 'count');
}, 100);`;

/** Where one Mosixview freeze went, from the target's record of the migration (MigrationRecord.phases). */
export interface FreezePhases { dumpMs: number; sendMs: number; restoreMs: number; commitMs: number }

/**
 * Per repetition. Mosixview: freeze from the tool, `migrate` timed on node 1 (cmdMs) and over
 * ssh from here (totalMs), bytes moved, where the freeze went; baseline: criu dump / restore
 * timed on the node, both ssh commands from here.
 */
export interface SizeResult {
  label: string;
  bytes: number;
  freezeMs: number[]; cmdMs: number[]; totalMs: number[]; moved: number[]; phases: FreezePhases[]; path: string[];
  dumpMs: number[]; restoreMs: number[]; baseTotalMs: number[];
}

export interface MigrationResult {
  sizes: SizeResult[];
  preDump: { code: number; output: string };
  /** `ssh node1 true`, for the over-ssh columns. */
  sshLoginMs: number[];
}

const log = (s: string): boolean => process.stderr.write(`bench:migration: ${s}\n`);

interface Job extends Counter {
  ok(): boolean;
}

let seq = 0;

/**
 * Writes job.js into a fresh directory, runs `start(dir)` on node 1 (it prints the job's key
 * and PID as [key, pid]) and waits until the job counts: 1 GiB takes a while to touch.
 */
async function startJob(c: TestCluster, start: (dir: string) => Promise<[string, number]>): Promise<Job> {
  // On the shared file system: the job's cwd must exist on every node it runs on.
  const dir = `${c.dir}/shared/bench-${process.pid}-${++seq}`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/job.js`, JOB_JS);
  const read = (): string[] => (existsSync(`${dir}/count`) ? readFileSync(`${dir}/count`, 'utf8').split(' ') : ['0', '', '']);
  const [key, pid] = await start(dir);
  const job: Job = { dir, stdout: `${c.jobsDir}/${key}/stdout`, pid, key, count: () => Number(read()[0]), host: () => read()[1] ?? '', ok: () => read()[2] === 'ok' };
  const until = Date.now() + 60_000;
  while (job.count() < 3) {
    if (Date.now() > until) throw new Error(`the job in ${dir} does not count`);
    await sleep(100);
  }
  return job;
}

/** Mosixview's kind of job: `mosrun node job.js SIZE` on node 1. */
const startMosrunJob = (c: TestCluster, size: number): Promise<Job> =>
  startJob(c, async (dir) => {
    const out = await on(c, 1, `cd ${dir} && ${tool(c, 'mosrun')} ${process.execPath} job.js ${size}`);
    const m = /job (\d+\.\d+) started, pid (\d+)/.exec(out);
    if (!m) throw new Error(`mosrun did not start the job: ${out}`);
    return [m[1]!, Number(m[2])];
  });

/** The baseline's job, started as mosrun does: init of its own PID namespace and session leader. */
const startPlainJob = (c: TestCluster, size: number): Promise<Job> =>
  startJob(c, async (dir) => {
    const out = await on(c, 1, `cd ${dir} || exit 1; unshare --pid --fork setsid sh -c ${JOB_INIT} ${process.execPath} job.js ${size} </dev/null >out 2>&1 3>exit &
p=$!; for i in $(seq 200); do k=$(awk '{print $1}' /proc/$p/task/$p/children 2>/dev/null); [ -n "$k" ] && [ "$(cut -d' ' -f6 /proc/$k/stat)" = "$k" ] && { echo $k; exit 0; }; sleep 0.05; done; exit 1`);
    return ['plain', Number(out.trim())];
  });

/** The job's node processes (seen from the root PID namespace) with their state and node, by network namespace. */
function jobProcs(c: TestCluster, dir: string): { pid: string; state: string; node: number }[] {
  const nodeOfNs = new Map(c.nodes.map((n) => [`net:[${statSync(`/run/netns/${n.netns}`).ino}]`, n.id]));
  const out: { pid: string; state: string; node: number }[] = [];
  for (const pid of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes(' (node) ') || readlinkSync(`/proc/${pid}/cwd`) !== dir) continue;
      out.push({ pid, state: stat.slice(stat.lastIndexOf(')') + 2)[0]!, node: nodeOfNs.get(readlinkSync(`/proc/${pid}/ns/net`)) ?? 0 });
    } catch {
      /* gone */
    }
  }
  return out;
}

/** The run is only valid if the job counts on `node`, past `before`, with its memory intact, once. */
async function verify(c: TestCluster, job: Job, node: number, before: number): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    const procs = jobProcs(c, job.dir);
    const running = procs.filter((p) => !'Tt'.includes(p.state));
    if (job.host() === `mvnode${node}` && job.count() > before + 1 && running.length === 1 && running[0]!.node === node) break;
    if (Date.now() > until) {
      throw new Error(`invalid run: the job in ${job.dir} does not count on node ${node} alone (count ${job.count()} from ${before}, host ${job.host()}, processes ${JSON.stringify(procs)})`);
    }
    await sleep(50);
  }
  if (!job.ok()) throw new Error(`invalid run: the job in ${job.dir} lost memory contents on node ${node}`);
}

/** The target's own record of the job's last migration: its agent's registry file, read from the host (node.stateDir). */
function targetRecord(c: TestCluster, node: number, key: string): MigrationRecord {
  const file = `${c.nodes.find((n) => n.id === node)!.stateDir}/jobs/${key}.json`;
  const m = (JSON.parse(readFileSync(file, 'utf8')) as JobRecord).lastMigration;
  if (!m) throw new Error(`${file} holds no last migration`);
  return m;
}

const nodeMs = (cmd: string): string => `t0=$(date +%s%N); ${cmd}; rc=$?; t1=$(date +%s%N); echo "ms $(( (t1 - t0) / 1000000 ))"; exit $rc`;
const msOf = (out: string): number => Number(/^ms (\d+)$/m.exec(out)?.[1] ?? NaN);

async function timedSsh(c: TestCluster, node: number, cmd: string): Promise<{ out: string; wallMs: number }> {
  const t0 = performance.now();
  const out = await on(c, node, cmd, LONG);
  return { out, wallMs: performance.now() - t0 };
}

async function mosixviewRep(c: TestCluster, job: Job, r: SizeResult): Promise<void> {
  const before = job.count();
  const { out, wallMs } = await timedSsh(c, 1, nodeMs(`${tool(c, 'migrate')} ${job.pid} 2`));
  const m = /now runs on node 2 \(frozen (\d+) ms, (\d+) bytes moved\)/.exec(out);
  if (!m) throw new Error(`migrate printed no freeze time: ${out}`);
  await verify(c, job, 2, before);
  const rec = targetRecord(c, 2, job.key);
  const p = rec.phases;
  if (!p) throw new Error(`node 2's record of job ${job.key} says nothing of where the freeze went: ${JSON.stringify(rec)}`);
  r.phases.push({ dumpMs: p.dumpMs, sendMs: p.sendMs, restoreMs: p.restoreMs, commitMs: p.commitMs ?? NaN });
  r.path.push(rec.path ?? '?');
  r.freezeMs.push(Number(m[1]));
  r.moved.push(Number(m[2]));
  r.cmdMs.push(msOf(out));
  r.totalMs.push(wallMs);
  log(`${r.label} mosixview: frozen ${m[1]} ms (dump ${p.dumpMs}, send ${p.sendMs}, restore ${p.restoreMs}, commit ${p.commitMs}; ${rec.path}), migrate ${msOf(out)} ms, over ssh ${wallMs.toFixed(0)} ms, ${m[2]} bytes`);
  // Back home, untimed, so every repetition starts from node 1.
  const back = job.count();
  // Away, the home node knows the job by its job id (the PID mosrun printed first).
  const home = await on(c, 1, `${tool(c, 'migrate')} ${job.key.split('.')[1]} home`, LONG);
  // Back home the job runs under its restored init's PID, not the one mosrun printed: ask mps
  // (its process list comes from the agent's last sample, so the job can take a moment to show).
  const re = new RegExp(`^\\s*(\\d+)\\s+0\\s+${job.key.replace('.', '\\.')}\\s`, 'm');
  let mps = '';
  let line: RegExpExecArray | null = null;
  for (let i = 0; i < 20 && !line; i++) {
    if (i) await sleep(500);
    line = re.exec((mps = await on(c, 1, `${tool(c, 'mps')} -j`)));
  }
  if (!line) throw new Error(`mps -j on node 1 does not show job ${job.key} running there; migrate home said: ${home}\nmps -j:\n${mps}`);
  job.pid = Number(line[1]);
  await verify(c, job, 1, back);
}

/** criu dump on `from` (as the agent: --leave-stopped), criu restore -d on `to`; the source is killed after. */
async function criuMove(c: TestCluster, job: Job, from: number, to: number, img: string) {
  const before = job.count();
  const dump = await timedSsh(c, from, `rm -rf ${img} && mkdir -p ${img} && ${nodeMs(`CRIU_FAULT=130 criu dump -t ${job.pid} -D ${img} -o dump.log ${COMMON} --leave-stopped`)}`);
  const restore = await timedSsh(c, to, `${nodeMs(`CRIU_FAULT=130 criu restore -D ${img} -o restore.log -d --pidfile ${img}/restored.pid ${COMMON}`)}`);
  await on(c, from, `kill -9 ${job.pid}`);
  const pid = Number(readFileSync(`${img}/restored.pid`, 'utf8').trim());
  const bytes = readdirSync(img).reduce((a, f) => a + (f.endsWith('.img') ? statSync(`${img}/${f}`).size : 0), 0);
  await on(c, to, `rm -rf ${img}`);
  job.pid = pid;
  await verify(c, job, to, before);
  return { dumpMs: msOf(dump.out), restoreMs: msOf(restore.out), wallMs: dump.wallMs + restore.wallMs, bytes };
}

async function baselineRep(c: TestCluster, job: Job, r: SizeResult): Promise<void> {
  const img = `${c.dir}/shared/bench-img`;
  const t = await criuMove(c, job, 1, 2, img);
  r.dumpMs.push(t.dumpMs);
  r.restoreMs.push(t.restoreMs);
  r.baseTotalMs.push(t.wallMs);
  log(`${r.label} baseline: dump ${t.dumpMs} ms + restore ${t.restoreMs} ms, over ssh ${t.wallMs.toFixed(0)} ms, ${t.bytes} image bytes`);
  await criuMove(c, job, 2, 1, img); // back, untimed
}

/** Every process whose cwd is one of our job dirs (seen from the root PID namespace, which sees all nodes). */
function killJobs(c: TestCluster): void {
  for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      if (readlinkSync(`/proc/${p}/cwd`).startsWith(`${c.dir}/shared/bench-`)) kill9(Number(p));
    } catch {
      /* gone, or not ours to read */
    }
  }
}

/** The GUI connects once: it installs the agents, the cluster key and the map. */
async function connectOnce(c: TestCluster): Promise<void> {
  const app = await startHeadless(['--profile', c.profilePath]);
  try {
    const until = Date.now() + 180_000;
    for (const n of c.nodes) {
      for (;;) {
        const r = existsSync(tool(c, 'mosctl')) ? await sshExec(c, n.id, `${tool(c, 'mosctl')} status`) : undefined;
        if (r?.stdout.includes('peer channel listening')) break;
        if (Date.now() > until) throw new Error(`node ${n.id}: no peer channel after 180 s: ${r?.stdout ?? ''}${r?.stderr ?? ''}\n${app.output()}`);
        await sleep(500);
      }
    }
  } finally {
    // The agents keep running with their key; the GUI's polling would only add noise.
    const exited = new Promise((r) => (app.child.exitCode === null ? app.child.once('exit', r) : r(null)));
    app.child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    app.child.kill('SIGKILL');
  }
}

export async function benchMigration(): Promise<MigrationResult> {
  if (process.getuid?.() !== 0 || process.platform !== 'linux') throw new Error('bench:migration needs root on Linux (test cluster)');
  if (!existsSync('dist/electron/headless.cjs')) throw new Error('dist/ is missing: run "node build/build.mjs" first');
  let cluster: TestCluster | undefined;
  const onSignal = (): void => {
    log('interrupted; removing the jobs and the cluster');
    if (cluster) killJobs(cluster);
    void (cluster ? downCluster(cluster) : Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    cluster = await upCluster({ nodes: 2, log });
    const c = cluster;
    await connectOnce(c);
    // Automatic migration off: the balancer would otherwise move the job (node 2 has one CPU) mid-measurement.
    for (const n of c.nodes) await on(c, n.id, `${tool(c, 'mosctl')} stay`);
    const check = await sshExec(c, 1, 'criu check --feature mem_dirty_track 2>&1');
    const preDump = { code: check.code, output: check.stdout.trim() };
    log(`pre-dump check: exit ${preDump.code}: ${preDump.output}`);
    const sshLoginMs: number[] = [];
    for (let i = 0; i < REPS; i++) sshLoginMs.push((await timedSsh(c, 1, 'true')).wallMs);
    const sizes: SizeResult[] = [];
    for (const s of SIZES) {
      const r: SizeResult = { ...s, freezeMs: [], cmdMs: [], totalMs: [], moved: [], phases: [], path: [], dumpMs: [], restoreMs: [], baseTotalMs: [] };
      const mv = await startMosrunJob(c, s.bytes);
      const plain = await startPlainJob(c, s.bytes);
      for (let i = 0; i < REPS; i++) {
        // Alternating order: Mosixview first in odd repetitions, the baseline first in even ones.
        const steps = [() => mosixviewRep(c, mv, r), () => baselineRep(c, plain, r)];
        for (const step of i % 2 ? steps.reverse() : steps) await step();
      }
      await on(c, 1, `${tool(c, 'migrate')} ${mv.pid} kill`);
      killJobs(c);
      sizes.push(r);
    }
    return { sizes, preDump, sshLoginMs };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (cluster) {
      killJobs(cluster);
      await downCluster(cluster, log);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchMigration().then(
    (r) => console.log(`${formatMigration(r)}\n\npre-dump check (exit ${r.preDump.code}): ${r.preDump.output}`),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
