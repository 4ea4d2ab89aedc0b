/**
 * Test helper: a throwaway OpenSSH sshd on 127.0.0.1 with its own keys and
 * config in a temp dir. Missing sshd is an error, never a skip: the SSH layer
 * must not pass CI untested.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  priv: string;
  pub: string;
  /** "type base64" */
  pubLine: string;
}

export interface Sshd {
  dir: string;
  port: number;
  hostKeys: { ed25519: KeyPair; ecdsa: KeyPair };
  /** Authorized for root. */
  clientKey: KeyPair;
  /** Not authorized. */
  strangerKey: KeyPair;
  /** Authorized, but protected by the passphrase "secret". */
  lockedKey: KeyPair;
  log(): string;
  stop(): Promise<void>;
}

const SSHD_CANDIDATES = ['/usr/sbin/sshd', '/usr/local/sbin/sshd', '/usr/bin/sshd'];

export function genKey(dir: string, name: string, type: string, passphrase = ''): KeyPair {
  const priv = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', name, '-f', priv]);
  const pubLine = readFileSync(`${priv}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  return { priv, pub: `${priv}.pub`, pubLine };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('data', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface SshdOptions {
  /** More sshd_config lines, made once the host keys exist (a HostCertificate for one of them). */
  extraConfig?: (dir: string, hostKeys: Sshd['hostKeys']) => string[];
}

export async function startSshd(opts: SshdOptions = {}): Promise<Sshd> {
  const sshdPath = SSHD_CANDIDATES.find((p) => existsSync(p));
  if (!sshdPath) {
    throw new Error(
      `OpenSSH sshd not found (looked at ${SSHD_CANDIDATES.join(', ')}): install openssh-server ` +
        '(apt install openssh-server); the SSH integration tests need it and are never skipped',
    );
  }
  if (process.getuid?.() !== 0) throw new Error('the SSH integration tests start sshd and must run as root');
  // Privilege separation directory; Debian's sshd refuses to start without it.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'mv-sshd-'));
  const hostKeys = { ed25519: genKey(dir, 'host_ed25519', 'ed25519'), ecdsa: genKey(dir, 'host_ecdsa', 'ecdsa') };
  const clientKey = genKey(dir, 'client', 'ed25519');
  const strangerKey = genKey(dir, 'stranger', 'ed25519');
  const lockedKey = genKey(dir, 'locked', 'ed25519', 'secret');
  writeFileSync(join(dir, 'authorized_keys'), `${clientKey.pubLine}\n${lockedKey.pubLine}\n`, { mode: 0o600 });
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKeys.ed25519.priv}`,
      `HostKey ${hostKeys.ecdsa.priv}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'UsePAM no',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'AllowTcpForwarding yes',
      'Subsystem sftp internal-sftp',
      'LogLevel VERBOSE',
      ...(opts.extraConfig?.(dir, hostKeys) ?? []),
      '',
    ].join('\n'),
  );
  try {
    execFileSync(sshdPath, ['-t', '-f', config], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`sshd rejects the test config: ${(e as { stderr?: Buffer }).stderr?.toString() ?? e}`);
  }
  let log = '';
  const proc: ChildProcess = spawn(sshdPath, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 10000;
  while (!(await canConnect(port))) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`sshd did not start on 127.0.0.1:${port}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    dir,
    port,
    hostKeys,
    clientKey,
    strangerKey,
    lockedKey,
    log: () => log,
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
