/**
 * Micro-benchmark of a migration's page channel, without CRIU: a writer process pushes N MiB
 * into its fd 3 (as `criu dump --page-server --ps-socket 3` does), a reader process takes them
 * from its fd 3 (as `criu page-server --ps-socket 3`), and in between:
 *   tls:   the production path: two agent processes (peerNet.ts on 127.0.0.1 and 127.0.0.2,
 *          TLS with a cluster key), openPages / servePages and StreamPageChannel.bridge
 *   tcp:   the same two processes and the same code over plain TCP (what the TLS costs)
 *   copy:  one Node process copying the writer's fd 3 into the reader's (one plain socket copy)
 *   pipe:  `writer | reader` in a shell: what the two ends cost without any Node at all.
 * Reports the wall time (writer spawned -> reader done) and each agent's CPU time, median of
 * REPS runs, modes alternating. Needs 127.0.0.2 (Linux has all of 127/8 on lo).
 * Run: npx tsx e2e/bench/pageRelay.ts [MiB] [reps] [modes,...]
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { PeerNet } from '../../agent/peer/peerNet.js';
import { deriveKey } from '../../agent/peer/clusterSecrets.js';
import { openPages, servePages } from '../../agent/peer/pageLink.js';
import { StreamPageChannel } from '../../agent/jobs/pageChannel.js';

const MODES = ['tls', 'tcp', 'copy', 'pipe'] as const;
type Mode = (typeof MODES)[number];
const NODES = [
  { id: 1, host: '127.0.0.1', aliases: [], line: 1 },
  { id: 2, host: '127.0.0.2', aliases: [], line: 2 },
];
/** CRIU's dump splices up to 1 MiB at a time into its page-server socket. */
const writerCmd = (mib: number) => `dd if=/dev/zero bs=1M count=${mib} status=none >&3`;
/** The page server splices its socket into the image file; here into /dev/null (the disk is not measured). */
const READER_CMD = 'cat <&3 >/dev/null';

const withFd3 = (cmd: string): ChildProcess => spawn('sh', ['-c', cmd], { stdio: ['ignore', 'ignore', 'inherit', 'pipe'] });
const fd3 = (c: ChildProcess) => c.stdio[3] as Duplex;
const exited = (c: ChildProcess) => new Promise<void>((r) => c.once('close', () => r()));
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

type AgentMsg = { ready: true } | { done: true; bytes: number; cpuMs: number };
type ParentMsg = { send: string; mib: number } | { exit: true };

/** One agent of a pair, in its own process (`role` 1: source, 2: target), over TLS or plain TCP. */
async function agent(role: 1 | 2, mode: 'tls' | 'tcp', port: number, keyHex: string): Promise<void> {
  const post = (m: AgentMsg) => process.send!(m);
  // The target: a page channel comes in -> a reader on it; reports when the reader is done.
  const startReader = async (_h: unknown, ch: StreamPageChannel) => {
    const t0 = process.cpuUsage();
    const reader = withFd3(READER_CMD);
    const seen = ch.bridge(fd3(reader), 'receive');
    void Promise.all([seen, exited(reader)]).then(([s]) => post({ done: true, bytes: s.bytes, cpuMs: cpuMs(t0) }));
  };
  let open: (id: string) => Promise<StreamPageChannel>;
  if (mode === 'tls') {
    const net = new PeerNet({
      selfId: role, nodes: NODES, key: deriveKey(Buffer.from(keyHex, 'hex'), 'peer-tls'), port,
      handlers: {}, transferDir: () => '/nonexistent', onPages: startReader,
    });
    await net.start();
    open = (id) => net.openPages(2, id);
  } else {
    if (role === 2) {
      const server = createServer((sock) => {
        sock.setNoDelay(true);
        let buf = Buffer.alloc(0);
        const onData = (d: Buffer) => {
          buf = Buffer.concat([buf, d]);
          const nl = buf.indexOf(10);
          if (nl < 0) return;
          sock.off('data', onData);
          sock.pause();
          servePages(sock, JSON.parse(buf.subarray(0, nl).toString()), buf.subarray(nl + 1), startReader, 'node 2');
        };
        sock.on('data', onData);
      });
      await new Promise<void>((r) => server.listen(port, '127.0.0.2', r));
    }
    open = async (id) => {
      const sock: Socket = connect({ host: '127.0.0.2', port });
      sock.setNoDelay(true);
      await new Promise((r) => sock.once('connect', r));
      return openPages(sock, { pages: id, from: 1 });
    };
  }
  process.on('message', (m: ParentMsg) => {
    // A normal exit, so that --cpu-prof writes its profile.
    if ('exit' in m) process.exit(0);
    void (async () => {
      const ch = await open(m.send);
      const t0 = process.cpuUsage();
      const writer = withFd3(writerCmd(m.mib));
      const writerDone = exited(writer);
      const s = await ch.bridge(fd3(writer), 'send');
      await writerDone;
      post({ done: true, bytes: s.bytes, cpuMs: cpuMs(t0) });
    })();
  });
  post({ ready: true });
}

interface Run {
  ms: number;
  /** CPU ms of the source's and the target's agent (the copying process for "copy"). */
  cpu: number[];
}

/** The agent's next message; its exit before that (a port taken, a crash) is an error. */
function next(c: ChildProcess): Promise<AgentMsg> {
  return new Promise((resolve, reject) => {
    const gone = (code: number | null) => reject(new Error(`agent process exited (${code}) before it answered`));
    c.once('exit', gone);
    c.once('message', (m: AgentMsg) => {
      c.off('exit', gone);
      resolve(m);
    });
  });
}

/** A port free on both 127.0.0.1 and 127.0.0.2 (the two agents listen on the same one). */
async function freePort(): Promise<number> {
  const tryPort = (host: string, port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(port, host, () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
  for (;;) {
    const port = await tryPort('127.0.0.2', 0);
    if (await tryPort('127.0.0.1', port).then(() => true, () => false)) return port;
  }
}

async function runPair(mode: 'tls' | 'tcp', mib: number, rep: number): Promise<Run> {
  const port = await freePort();
  const keyHex = randomBytes(32).toString('hex');
  // PAGE_RELAY_PROF=DIR: each agent writes a CPU profile there (node --cpu-prof).
  const prof = process.env.PAGE_RELAY_PROF;
  const execArgv = prof ? [...process.execArgv, '--cpu-prof', '--cpu-prof-dir', prof] : process.execArgv;
  const kids = [2, 1].map((role) => fork(process.argv[1]!, ['--agent', String(role), mode, String(port), keyHex], { stdio: 'inherit', execArgv }));
  try {
    for (const k of kids) {
      const ready = await next(k);
      if (!('ready' in ready)) throw new Error('agent did not start');
    }
    const [target, source] = kids as [ChildProcess, ChildProcess];
    const done = [next(source), next(target)];
    const t0 = performance.now();
    source.send({ send: `1.100-1-${rep}`, mib } satisfies ParentMsg);
    const [s, t] = (await Promise.all(done)) as { bytes: number; cpuMs: number }[];
    const ms = performance.now() - t0;
    if (s!.bytes !== mib * 2 ** 20 || t!.bytes !== s!.bytes) throw new Error(`${mode}: sent ${s!.bytes}, received ${t!.bytes} bytes of ${mib * 2 ** 20}`);
    return { ms, cpu: [s!.cpuMs, t!.cpuMs] };
  } finally {
    await Promise.all(kids.map((k) => (k.connected ? (k.send({ exit: true } satisfies ParentMsg), exited(k)) : undefined)));
  }
}

async function runCopy(mib: number): Promise<Run> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const reader = withFd3(READER_CMD);
  const writer = withFd3(writerCmd(mib));
  fd3(writer).pipe(fd3(reader));
  await Promise.all([exited(writer), exited(reader)]);
  return { ms: performance.now() - t0, cpu: [cpuMs(c0)] };
}

async function runPipe(mib: number): Promise<Run> {
  const t0 = performance.now();
  await exited(spawn('sh', ['-c', `dd if=/dev/zero bs=1M count=${mib} status=none | cat >/dev/null`], { stdio: 'inherit' }));
  return { ms: performance.now() - t0, cpu: [] };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchPageRelay(mib: number, reps: number, modes: readonly Mode[] = MODES): Promise<Record<string, Run[]>> {
  const out: Record<string, Run[]> = {};
  // Untimed warm-up of the production path.
  if (modes.includes("tls")) await runPair("tls", Math.min(mib, 64), 0);
  for (let rep = 1; rep <= reps; rep++) {
    // Alternate the order, so a machine getting busier does not favour one mode.
    for (const mode of rep % 2 ? modes : [...modes].reverse()) {
      const r = mode === 'copy' ? await runCopy(mib) : mode === 'pipe' ? await runPipe(mib) : await runPair(mode, mib, rep);
      (out[mode] ??= []).push(r);
      process.stderr.write(`page relay: ${mode} run ${rep}: ${Math.round(r.ms)} ms\n`);
    }
  }
  return out;
}

export function formatPageRelay(mib: number, runs: Record<string, Run[]>): string {
  const lines = ['| path | MiB/s | wall ms | source agent CPU ms | target agent CPU ms |', '|---|---:|---:|---:|---:|'];
  for (const [mode, rs] of Object.entries(runs)) {
    const ms = median(rs.map((r) => r.ms));
    const cpu = (i: number) => (rs[0]!.cpu[i] === undefined ? '-' : `${Math.round(median(rs.map((r) => r.cpu[i]!)))} (${rs.map((r) => Math.round(r.cpu[i]!)).join(', ')})`);
    lines.push(`| ${mode} | ${Math.round(mib / (ms / 1000))} | ${Math.round(ms)} (${rs.map((r) => Math.round(r.ms)).join(', ')}) | ${cpu(0)} | ${mode === 'copy' ? '' : cpu(1)} |`);
  }
  return lines.join('\n');
}

if (process.argv[2] === '--agent') {
  const [, , , role, mode, port, keyHex] = process.argv;
  void agent(Number(role) as 1 | 2, mode as 'tls' | 'tcp', Number(port), keyHex!);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const mib = Number(process.argv[2] ?? 512);
  const reps = Number(process.argv[3] ?? 3);
  const modes = (process.argv[4]?.split(',') ?? MODES) as Mode[];
  const runs = await benchPageRelay(mib, reps, modes);
  process.stdout.write(`${mib} MiB, ${reps} runs each (median, then the runs in order); load average before: ${(await import('node:os')).loadavg()[0]!.toFixed(2)}\n${formatPageRelay(mib, runs)}\n`);
}
