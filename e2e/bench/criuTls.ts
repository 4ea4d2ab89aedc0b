/**
 * Feasibility probe for issue 10: CRIU streaming its pages straight to the target's
 * `criu page-server`, encrypted by CRIU's own GnuTLS (--tls), instead of through three Node
 * hops. Per run a fresh job holding MiB of filled memory is dumped (--leave-stopped, then
 * killed) in one of three ways, alternating, median of REPS:
 *   disk: plain `criu dump` into a local directory (the baseline),
 *   tcp:  `criu dump --page-server` -> `criu page-server` on loopback, in the clear,
 *   tls:  the same with --tls and one ephemeral self-signed certificate per side, each side
 *         trusting exactly the other's certificate as its CA file (the proposed design),
 *   tls-fixed: the same with criuTlsRecvFix.c preloaded into the page server: CRIU 4.1.1's
 *         tls_recv_data_to_fd() never frees the TLS records it received (a one-line upstream
 *         fix); what the design would cost with that fixed. Needs gcc; skipped without it.
 * Then checks the security property: a --tls page server refuses a client with another
 * certificate, refuses a plain client, and a client refuses a server with another certificate;
 * in each case the job must be left running. Needs root and CRIU; no test cluster.
 * Run: npx tsx e2e/bench/criuTls.ts [MiB] [reps]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { criuEnv } from '../../agent/jobs/criu.js';
import { median } from './report.js';

const CRIU = process.env.MOSIXVIEW_CRIU ?? '/opt/mosixview-criu/bin/criu';
const MODES = ['disk', 'tcp', 'tls', 'tls-fixed'] as const;
type Mode = (typeof MODES)[number];
/** The agent's flags (agent/jobs/criu.ts): cgroups left alone, -v4 log. */
const COMMON = ['--manage-cgroups=ignore', '-v4'];

/** Fills SIZE bytes (every page written, so CRIU dumps them all), says so in READY, then idles. */
const JOB_JS = `const buf = Buffer.allocUnsafe(Number(process.argv[1])).fill(0xa5);
require('fs').writeFileSync(process.argv[2], 'ready'); setInterval(() => buf[0]++, 1000);`;

export interface Cert { cert: string; key: string }

/**
 * One side's ephemeral identity: a P-256 key and a self-signed certificate, both 0600 in
 * `dir`. openssl writes the key to a file and takes no secret on its command line.
 */
export function makeCert(dir: string, name: string): Cert {
  const c = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const old = process.umask(0o077);
  try {
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', c.key, '-out', c.cert, '-subj', '/CN=mosixview-migration', '-days', '1'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl req failed (${r.status}): ${r.stderr}`);
  } finally {
    process.umask(old);
  }
  for (const f of [c.cert, c.key]) chmodSync(f, 0o600);
  return c;
}

/** CRIU's TLS flags for one side: its own certificate and key, and the peer's certificate as the only CA. */
const tlsArgs = (own: Cert, peer: Cert): string[] =>
  // The CA file holds exactly the peer's one-off certificate, so the name check adds nothing
  // (and CRIU's server would check the client's certificate against its own listen address).
  ['--tls', '--tls-no-cn-verify', '--tls-cacert', peer.cert, '--tls-cert', own.cert, '--tls-key', own.key];

interface Timed { code: number | null; signal: string | null; ms: number; cpuMs: number; maxRssKiB: number }

/** Runs CRIU under /usr/bin/time (its rusage: CPU of CRIU and its children). `ready` waits for --status-fd 3. */
function timedCriu(args: string[], timeFile: string, statusFd = false, preload?: string): { child: ChildProcess; done: Promise<Timed>; ready: Promise<void> } {
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, CRIU, ...args], {
    env: preload ? { ...criuEnv(), LD_PRELOAD: preload } : criuEnv(), stdio: statusFd ? ['ignore', 'ignore', 'pipe', 'pipe'] : ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<Timed>((resolve) =>
    child.once('close', (code, signal) => {
      const ms = performance.now() - t0;
      const times = existsSync(timeFile) ? readFileSync(timeFile, 'utf8') : '';
      const [u, s, rss] = times.trim().split('\n').pop()!.split(' ').map(Number);
      // /usr/bin/time reports a crashed CRIU as "Command terminated by signal N" in its file.
      const sig = /terminated by signal (\d+)/.exec(times)?.[1] ?? signal;
      resolve({ code, signal: sig ? String(sig) : null, ms, cpuMs: ((u ?? NaN) + (s ?? NaN)) * 1000, maxRssKiB: rss ?? NaN });
    }),
  );
  const ready = statusFd
    ? new Promise<void>((resolve, reject) => {
      child.stdio[3]!.once('data', () => resolve());
      void done.then(() => reject(new Error(`criu ${args[0]} exited before it was ready: ${err}`)));
    })
    : Promise.resolve();
  return { child, done, ready };
}

/** The measurement shim (criuTlsRecvFix.c) built into `root`, or undefined without gcc. */
function buildRecvFix(root: string): string | undefined {
  const out = join(root, 'recvfix.so');
  const src = fileURLToPath(new URL('./criuTlsRecvFix.c', import.meta.url));
  const r = spawnSync('gcc', ['-O2', '-shared', '-fPIC', '-o', out, src, '-ldl'], { encoding: 'utf8' });
  return r.status === 0 ? out : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

interface Job { pid: number; state(): string; kill(): void }

/** A job in its own session (as mosrun starts one), ready once its memory is filled. */
async function startJob(dir: string, mib: number): Promise<Job> {
  const ready = join(dir, `ready-${Date.now()}`);
  const c = spawn(process.execPath, ['-e', JOB_JS, String(mib * 2 ** 20), ready], { detached: true, stdio: 'ignore' });
  c.unref();
  const until = Date.now() + 60_000;
  while (!existsSync(ready)) {
    if (Date.now() > until || c.exitCode !== null) throw new Error(`the job (pid ${c.pid}) did not fill ${mib} MiB`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = c.pid!;
  const state = () => {
    try {
      const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return st.slice(st.lastIndexOf(')') + 2)[0]!;
    } catch {
      return 'gone';
    }
  };
  return { pid, state, kill: () => (state() === 'gone' ? undefined : process.kill(pid, 'SIGKILL')) };
}

const pagesBytes = (dir: string): number =>
  readdirSync(dir).filter((f) => /^pages-.*\.img$/.test(f)).reduce((a, f) => a + statSync(join(dir, f)).size, 0);

export interface Run { ms: number; bytes: number; dumpCpuMs: number; serverCpuMs: number; serverRssKiB: number }

/** One dump of a fresh job: `client`/`server` are the TLS identities, or undefined for no TLS. */
async function dumpOnce(root: string, mode: Mode, job: Job, tls?: { client: Cert; server: Cert; clientTrusts?: Cert; serverTrusts?: Cert }, preload?: string) {
  const dir = mkdtempSync(join(root, `${mode}-`));
  const img = join(dir, 'img');
  const psImg = join(dir, 'ps');
  mkdirSync(img);
  mkdirSync(psImg);
  const dumpArgs = ['dump', '-t', String(job.pid), '-D', img, '-o', 'dump.log', '--leave-stopped', ...COMMON];
  let server: ReturnType<typeof timedCriu> | undefined;
  if (mode !== 'disk') {
    const port = await freePort();
    server = timedCriu(['page-server', '-D', psImg, '-o', 'ps.log', '--address', '127.0.0.1', '--port', String(port), '--status-fd', '3', ...COMMON,
      ...(tls ? tlsArgs(tls.server, tls.serverTrusts ?? tls.client) : [])], join(dir, 'ps.time'), true, preload);
    await server.ready;
    dumpArgs.push('--page-server', '--address', '127.0.0.1', '--port', String(port));
    if (mode.startsWith('tls') && tls) dumpArgs.push(...tlsArgs(tls.client, tls.clientTrusts ?? tls.server));
  }
  const t0 = performance.now();
  const dump = timedCriu(dumpArgs, join(dir, 'dump.time'));
  const [d, s] = await Promise.all([dump.done, server?.done]);
  const ms = performance.now() - t0;
  const log = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  return { dir, d, s, ms, bytes: pagesBytes(mode === 'disk' ? img : psImg), dumpLog: log(join(img, 'dump.log')), psLog: log(join(psImg, 'ps.log')) };
}

async function timedRun(root: string, mode: Mode, mib: number, certs: { client: Cert; server: Cert }, fix?: string): Promise<Run> {
  const job = await startJob(root, mib);
  try {
    const r = await dumpOnce(root, mode, job, mode.startsWith('tls') ? certs : undefined, mode === 'tls-fixed' ? fix : undefined);
    if (r.d.code !== 0 || (r.s && r.s.code !== 0)) throw new Error(`${mode}: dump exit ${r.d.code}/${r.d.signal}, page server ${r.s?.code}; see ${r.dir}`);
    if (r.bytes < mib * 2 ** 20) throw new Error(`${mode}: only ${r.bytes} page bytes for ${mib} MiB; see ${r.dir}`);
    rmSync(r.dir, { recursive: true, force: true });
    return { ms: r.ms, bytes: r.bytes, dumpCpuMs: r.d.cpuMs, serverCpuMs: r.s?.cpuMs ?? NaN, serverRssKiB: r.s?.maxRssKiB ?? NaN };
  } finally {
    job.kill();
  }
}

export interface Refusal { name: string; refused: boolean; jobAfter: string; dump: string; serverLog: string; clientLog: string }

/** A --tls page server and a client that must not get through; the job must be left running. */
async function refusal(root: string, name: string, mode: Mode, tls: Parameters<typeof dumpOnce>[3]): Promise<Refusal> {
  const job = await startJob(root, 16);
  try {
    const r = await dumpOnce(root, mode, job, tls);
    // The failed dump resumes the job; give it a moment to be scheduled again.
    await new Promise((res) => setTimeout(res, 300));
    const pick = (log: string) => log.split('\n').filter((l) => /tls:|handshake/i.test(l) && /Error|fail|NOT/i.test(l)).slice(0, 2).map((l) => l.replace(/^\([\d.]+\) /, '')).join(' / ');
    return {
      name, refused: r.d.code !== 0 && r.s?.code !== 0 && r.bytes === 0, jobAfter: job.state(),
      dump: r.d.signal ? `killed by signal ${r.d.signal}` : `exit ${r.d.code}`, serverLog: pick(r.psLog), clientLog: pick(r.dumpLog),
    };
  } finally {
    job.kill();
  }
}

export async function benchCriuTls(mib: number, reps: number) {
  if (process.getuid?.() !== 0) throw new Error('criuTls needs root (CRIU dumps a process)');
  const root = mkdtempSync('/tmp/mosixview-criutls-');
  const log = (s: string) => process.stderr.write(`criuTls: ${s}\n`);
  try {
    const t0 = performance.now();
    const certs = { client: makeCert(root, 'source'), server: makeCert(root, 'target') };
    const certMs = (performance.now() - t0) / 2;
    const keyMode = statSync(certs.client.key).mode & 0o777;
    const fix = buildRecvFix(root);
    const modes = MODES.filter((m) => m !== 'tls-fixed' || fix);
    const runs: Partial<Record<Mode, Run[]>> = {};
    for (let rep = 1; rep <= reps; rep++) {
      for (const mode of rep % 2 ? modes : [...modes].reverse()) {
        const r = await timedRun(root, mode, mib, certs, fix);
        (runs[mode] ??= []).push(r);
        log(`${mode} run ${rep}: ${Math.round(r.ms)} ms, ${r.bytes} page bytes, CPU dump ${Math.round(r.dumpCpuMs)} ms, page server ${Math.round(r.serverCpuMs)} ms`);
      }
    }
    const stranger = makeCert(root, 'stranger');
    const refusals = [
      await refusal(root, 'server refuses a client with another certificate', 'tls', { client: stranger, server: certs.server, serverTrusts: certs.client, clientTrusts: certs.server }),
      await refusal(root, 'server refuses a plain (no TLS) client', 'tcp', { client: certs.client, server: certs.server }),
      await refusal(root, 'client refuses a server with another certificate', 'tls', { client: certs.client, server: stranger, serverTrusts: certs.client, clientTrusts: certs.server }),
    ];
    return { mib, reps, runs, refusals, certMs, keyMode: keyMode.toString(8) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function formatCriuTls(r: Awaited<ReturnType<typeof benchCriuTls>>): string {
  const lines = ['| path | dump ms (median; runs) | MiB/s | criu dump CPU ms | page server CPU ms | page server max RSS MiB |', '|---|---:|---:|---:|---:|---:|'];
  for (const mode of MODES) {
    const rs = r.runs[mode];
    if (!rs) continue;
    const ms = median(rs.map((x) => x.ms));
    const mibs = median(rs.map((x) => x.bytes / 2 ** 20 / (x.ms / 1000)));
    const cpu = (f: (x: Run) => number) => (rs.every((x) => Number.isNaN(f(x))) ? '-' : `${Math.round(median(rs.map(f)))}`);
    const rss = cpu((x) => x.serverRssKiB / 1024);
    lines.push(`| ${mode} | ${Math.round(ms)} (${rs.map((x) => Math.round(x.ms)).join(', ')}) | ${Math.round(mibs)} | ${cpu((x) => x.dumpCpuMs)} | ${cpu((x) => x.serverCpuMs)} | ${rss} |`);
  }
  lines.push('', `Certificates: P-256, self-signed, ${Math.round(r.certMs)} ms each (openssl req), key file mode ${r.keyMode}.`, '');
  for (const x of r.refusals) {
    lines.push(`- ${x.name}: ${x.refused ? 'REFUSED' : 'NOT REFUSED'} (criu dump ${x.dump}; job afterwards: state ${x.jobAfter}); page server: ${x.serverLog || '-'}; dump: ${x.clientLog || '-'}`);
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const mib = Number(process.argv[2] ?? 512);
  const reps = Number(process.argv[3] ?? 3);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  benchCriuTls(mib, reps).then(
    (r) => {
      const out = `${mib} MiB job, ${reps} runs each, alternating; load average before: ${load}\n${formatCriuTls(r)}\n`;
      process.stdout.write(out);
      if (process.env.CRIU_TLS_OUT) writeFileSync(process.env.CRIU_TLS_OUT, out);
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
