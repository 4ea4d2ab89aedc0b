/**
 * Puts the agent on a node over an established SSH connection and starts it.
 * The agent file name carries its version, so an installed file is never
 * replaced in place: presence of the right name means the right agent.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import type { SshSettings } from '../core/profile.js';
import type { AgentChannel } from '../core/agentChannel.js';
import { daemonProbeLines, keyValues, parseDaemonProbe, type RunningDaemon } from './daemonProbe.js';

export type { AgentChannel };

export interface AgentBundle {
  /** Local path of the single-file CommonJS agent. */
  path: string;
  version: string;
  /** The file's contents; read from `path` when omitted (only if an upload is needed). */
  bytes?: Buffer;
}

export interface DeployedAgent {
  /** Absolute path of the Node.js binary on the node. */
  nodePath: string;
  nodeVersion: string;
  /** Absolute path of the agent file on the node. */
  agentFile: string;
  /** False when the right version was already installed. */
  uploaded: boolean;
  /** Wall time of the probe (Node.js, installed agent) and of the upload (0 when none), for the start-up log line. */
  probeMs: number;
  uploadMs: number;
  /** The node's agent daemon when one runs (its socket, version, the login's uid). */
  daemon?: RunningDaemon;
}

export type AgentDeployErrorKind = 'no-node' | 'old-node' | 'probe' | 'upload';

export class AgentDeployError extends Error {
  constructor(
    readonly kind: AgentDeployErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AgentDeployError';
  }
}

export const MIN_NODE_MAJOR = 18;
const PROBE_TIMEOUT_MS = 20000;

/** POSIX sh single-quoting: safe for any byte string except NUL. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A remote path for the shell, with a leading "~" left to the node's own $HOME. */
function shPath(p: string): string {
  if (p === '~') return '"$HOME"';
  if (p.startsWith('~/')) return `"$HOME"/${shQuote(p.slice(2))}`;
  return shQuote(p);
}

/**
 * The shell script that finds Node.js and the installed agent. Each candidate is asked with
 * `--version`, which answers before the JavaScript engine starts (a sixth of the CPU of `-e`),
 * and the first one new enough ends the search: a start of 64 nodes on a busy machine ran
 * three full Node.js starts per node here.
 */
export function probeScript(nodeCandidates: string[], agentDir: string, version: string): string {
  return [
    `dir=${shPath(agentDir)}/agent`,
    `file="$dir"/${shQuote(`mosixview-agent-${version}.cjs`)}`,
    `for n in ${nodeCandidates.map(shPath).join(' ')}; do`,
    `  p=$(command -v "$n" 2>/dev/null) || continue`,
    `  v=$("$p" --version 2>/dev/null) || continue`,
    `  v=\${v#v}`,
    `  echo "node=$v $p"`,
    `  m=\${v%%.*}`,
    `  case $m in ''|*[!0-9]*) continue;; esac`,
    `  [ "$m" -ge ${MIN_NODE_MAJOR} ] && break`,
    `done`,
    `echo "file=$file"`,
    `if [ -f "$file" ]; then echo agent=present; else`,
    // Created here, with the probe, to save a round trip; it is harmless if the upload is not attempted.
    `  err=$(mkdir -p "$dir" 2>&1) || echo "mkdir=$err"`,
    `  echo agent=missing`,
    `fi`,
    ...daemonProbeLines(),
    '',
  ].join('\n');
}

/** Runs a command with `input` on its stdin; any login shell works since the script itself is read by sh. */
export function execCollect(client: Client, command: string, input: string, timeoutMs: number): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (e, ch) => {
      if (e) return reject(e);
      let out = '';
      let err = '';
      let code: number | null = null;
      const timer = setTimeout(() => {
        ch.close();
        reject(new Error(`no answer within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      ch.on('data', (d: Buffer) => (out += d.toString('utf8')));
      ch.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
      ch.on('exit', (c: number | null) => (code = c));
      ch.on('close', () => {
        clearTimeout(timer);
        resolve({ code, out, err });
      });
      ch.end(input);
    });
  });
}

const sftpOf = (client: Client) =>
  new Promise<SFTPWrapper>((res, rej) => client.sftp((e, s) => (e ? rej(e) : res(s))));

const call = (fn: (cb: (e?: Error | null) => void) => void) =>
  new Promise<void>((res, rej) => fn((e) => (e ? rej(e) : res())));

async function upload(client: Client, file: string, bytes: Buffer): Promise<void> {
  const sftp = await sftpOf(client);
  // Unique temp name + rename: two GUIs, or nodes sharing an NFS home, never see a half-written agent.
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await call((cb) => sftp.writeFile(tmp, bytes, { mode: 0o755 }, cb));
    await call((cb) => sftp.chmod(tmp, 0o755, cb)); // the server's umask may have trimmed the open() mode
    try {
      await call((cb) => sftp.ext_openssh_rename(tmp, file, cb));
    } catch {
      // Plain SFTP rename refuses to overwrite; if the file is there now, another uploader won the race.
      try {
        await call((cb) => sftp.rename(tmp, file, cb));
      } catch (e) {
        const exists = await new Promise<boolean>((res) => sftp.stat(file, (err) => res(!err)));
        if (!exists) throw e;
        await call((cb) => sftp.unlink(tmp, cb)).catch(() => undefined);
      }
    }
  } catch (e) {
    await call((cb) => sftp.unlink(tmp, cb)).catch(() => undefined);
    throw e;
  } finally {
    sftp.end();
  }
}

/** Checks Node.js on the node and uploads the agent if this version is not installed yet. */
export async function deployAgent(client: Client, target: { host: string; ssh: SshSettings }, bundle: AgentBundle): Promise<DeployedAgent> {
  const host = target.host;
  if (!/^[A-Za-z0-9._+-]+$/.test(bundle.version)) throw new AgentDeployError('probe', `bad agent version string "${bundle.version}"`);
  const explicitNode = target.ssh.nodePath !== undefined && target.ssh.nodePath !== 'node';
  // A non-login exec shell often lacks /usr/local/bin on its PATH, where tarball installs of Node.js live.
  const candidates = explicitNode ? [target.ssh.nodePath as string] : ['node', '/usr/local/bin/node', '/usr/bin/node'];
  let res;
  const t0 = performance.now();
  try {
    res = await execCollect(client, 'sh -s', probeScript(candidates, target.ssh.agentDir ?? '~/.mosixview', bundle.version), PROBE_TIMEOUT_MS);
  } catch (e) {
    throw new AgentDeployError('probe', `cannot check for Node.js on ${host}: ${(e as Error).message}`, { cause: e });
  }
  const probeMs = performance.now() - t0;
  const val = keyValues(res.out);
  const file = val('file')[0];
  const state = val('agent')[0];
  if (!file || !state) {
    throw new AgentDeployError('probe', `unexpected answer from ${host} when checking for Node.js (exit ${res.code}): ${(res.err || res.out).trim().slice(0, 300)}`);
  }
  const found = val('node').map((l) => {
    const sp = l.indexOf(' ');
    return { version: l.slice(0, sp), path: l.slice(sp + 1) };
  });
  if (found.length === 0) {
    throw new AgentDeployError(
      'no-node',
      explicitNode
        ? `Node.js not found at ${target.ssh.nodePath} on ${host}: install Node.js >= ${MIN_NODE_MAJOR} there or fix nodePath in the profile`
        : `Node.js not found on ${host}: install Node.js >= ${MIN_NODE_MAJOR} (e.g. apt install nodejs) or set nodePath in the profile`,
    );
  }
  const major = (v: string) => Number(/^v?(\d+)/.exec(v)?.[1] ?? 0);
  const node = found.find((n) => major(n.version) >= MIN_NODE_MAJOR);
  if (!node) {
    const n = found[0]!;
    throw new AgentDeployError('old-node', `Node.js ${n.version} on ${host} is too old: need >= ${MIN_NODE_MAJOR} (found ${n.path}; install a newer one or set nodePath in the profile)`);
  }
  const daemon = parseDaemonProbe(val);
  if (state === 'present') return { nodePath: node.path, nodeVersion: node.version, agentFile: file, uploaded: false, probeMs, uploadMs: 0, ...(daemon ? { daemon } : {}) };

  const mkdirErr = val('mkdir')[0];
  if (mkdirErr !== undefined) throw new AgentDeployError('upload', `cannot create ${file.replace(/\/[^/]*$/, '')} on ${host}: ${mkdirErr}`);
  const t1 = performance.now();
  try {
    await upload(client, file, bundle.bytes ?? (await readFile(bundle.path)));
  } catch (e) {
    throw new AgentDeployError('upload', `cannot upload the agent to ${host}:${file}: ${(e as Error).message}`, { cause: e });
  }
  return { nodePath: node.path, nodeVersion: node.version, agentFile: file, uploaded: true, probeMs, uploadMs: performance.now() - t1, ...(daemon ? { daemon } : {}) };
}

/** Runs `<node> <agentFile> attach ARGS...` with ENV on the node; JSON lines flow over its stdio. */
export function startAgent(
  client: Client,
  agent: Pick<DeployedAgent, 'nodePath' | 'agentFile'>,
  args: string[],
  env: Record<string, string>,
): Promise<AgentChannel> {
  const envWords = Object.entries(env).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`bad environment variable name "${k}"`);
    return shQuote(`${k}=${v}`);
  });
  // env(1) rather than the SSH "env" request: sshd drops variables not listed in its AcceptEnv.
  const words = [...(envWords.length ? ['env', ...envWords] : []), shQuote(agent.nodePath), shQuote(agent.agentFile), 'attach', ...args.map(shQuote)];
  const command = `exec ${words.join(' ')}`;
  return new Promise((resolve, reject) => {
    client.exec(command, (err, ch: ClientChannel) => {
      if (err) return reject(err);
      let exit: [number | null, string | null] | null = null;
      let closed = false;
      const waiting: ((code: number | null, signal: string | null) => void)[] = [];
      // Writes after the node vanished must not crash the GUI; the loss is reported through onExit.
      ch.on('error', () => undefined);
      ch.on('exit', (code: number | null, signal?: string) => {
        exit = [code ?? null, signal ? `SIG${signal}` : null]; // named like child_process does
      });
      ch.on('close', () => {
        closed = true;
        const [c, s] = exit ?? [null, null];
        for (const cb of waiting.splice(0)) cb(c, s);
      });
      resolve({
        stdin: ch,
        stdout: ch,
        stderr: ch.stderr,
        close() {
          if (closed) return;
          try {
            ch.signal('TERM');
          } catch {
            /* older sshd: closing stdin below makes the agent exit */
          }
          ch.end();
          ch.close();
        },
        onExit(cb) {
          if (closed) {
            const [c, s] = exit ?? [null, null];
            queueMicrotask(() => cb(c, s));
          } else {
            waiting.push(cb);
          }
        },
      });
    });
  });
}
