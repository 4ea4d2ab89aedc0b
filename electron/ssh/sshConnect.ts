/**
 * Opens an authenticated SSH connection to one node (through ProxyJump hops if
 * configured), checking every host key against known_hosts like ssh(1), and
 * turning failures into messages an admin can act on.
 */
import type { Duplex, Readable } from 'node:stream';
import ssh2 from 'ssh2';
import type { ConnectConfig, ServerHostKeyAlgorithm, VerifyCallback } from 'ssh2';
import { expandHome, type SshSettings } from '../core/profile.js';
import type { HostKeyPrompt } from '../../shared/protocol/api.js';
import {
  appendKnownHost,
  checkHostKey,
  fingerprintSha256,
  hostKeyName,
  keyTypeOfBlob,
  knownKeyTypes,
  readKnownHostsFiles,
} from './knownHosts.js';
import { parseProxyJump, resolveSshHost } from './sshConfig.js';
import { SshdGates } from './handshakeGate.js';
import { SharedConnections, type Lease } from './sharedConnections.js';
import { planAuth, type AuthPlan } from './sshAuth.js';
import { SshError, translateSshError } from './sshErrors.js';
import { hostCertVerdict, tcpTo } from './hostCertCheck.js';
import type { CertVerdict } from './opensshCert.js';

const { Client } = ssh2;
type SshClient = InstanceType<typeof Client>;

export { SshError, type SshErrorKind } from './sshErrors.js';

export interface SshTarget {
  id: number;
  host: string;
  ssh: SshSettings;
}

export interface ConnectOptions {
  hostKeyDecision: (info: Omit<HostKeyPrompt, 'promptId'>) => Promise<boolean>;
  signal?: AbortSignal;
  /** Read-only known_hosts checked after the user's file (default /etc/ssh/ssh_known_hosts, as ssh(1)). */
  globalKnownHostsFiles?: string[];
  /** Handshake + authentication budget per hop, not counting time spent waiting for the admin's host key answer. */
  readyTimeoutMs?: number;
}

const DEFAULT_READY_TIMEOUT_MS = 8000;
const DEFAULT_HOST_KEY_ALGOS: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa',
];

interface Hop {
  nodeId: number;
  /** "jump host " for hops, "" for the node itself: message prefix. */
  role: string;
  hostName: string;
  port: number;
  user: string;
  auth: AuthPlan;
  knownHostsFile: string;
  globalFiles: string[];
  sock?: Readable;
}

function hostKeyAlgos(types: string[]): ServerHostKeyAlgorithm[] | undefined {
  if (types.length === 0) return undefined;
  const pref: ServerHostKeyAlgorithm[] = [];
  for (const t of types) {
    const algos = (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]) as ServerHostKeyAlgorithm[];
    for (const a of algos) if (DEFAULT_HOST_KEY_ALGOS.includes(a) && !pref.includes(a)) pref.push(a);
  }
  return pref.length ? [...pref, ...DEFAULT_HOST_KEY_ALGOS.filter((a) => !pref.includes(a))] : undefined;
}

const pendingQuestions = new Map<string, Promise<boolean>>();
const handshakes = new SshdGates();
const jumpConnections = new SharedConnections<SshClient>({ end: (c) => c.end(), onClose: (c, f) => c.once('close', f) });

/**
 * A handshake holds a place in its sshd's gate (sshd's MaxStartups drops the ones beyond), and
 * so does the channel to the hop through a jump host: sshd counts it from the TCP connect.
 * `sshd` names the gate: a direct host's own, or that of everything behind the same jump hosts.
 */
function connectHop(sshd: string, hop: Hop, opts: ConnectOptions, channel?: () => Promise<Duplex>): Promise<SshClient> {
  return handshakes.run(sshd, async () => {
    const files = readKnownHostsFiles([hop.knownHostsFile, ...hop.globalFiles]);
    const open = channel ?? (() => tcpTo(hop.hostName, hop.port));
    const cert = await hostCertVerdict(files, hop.hostName, hop.port, open, opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
    const client = await handshake(channel ? { ...hop, sock: await channel() } : hop, opts, cert);
    await postAuthRoundTrip(client, opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
    return client;
  }, opts.signal);
}

/**
 * sshd counts a connection against MaxStartups until its monitor closes the start-up pipe, just
 * after USERAUTH_SUCCESS has gone out: 'ready' comes first, and under load the next handshake's
 * connect reached sshd while up to three finished ones were still counted (CI dropped one). A
 * reply from the authenticated server comes from the post-auth process, forked after that
 * pipe is closed, so the place is kept until one such round trip (a request to cancel a
 * forwarding that does not exist: OpenSSH answers failure, at no cost).
 */
function postAuthRoundTrip(client: SshClient, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      client.off('close', done);
      resolve();
    };
    client.once('close', done);
    try {
      client.unforwardIn('127.0.0.1', 0, done);
    } catch {
      done();
    }
  });
}

/** `cert`: the host's certificate, checked against the CAs of known_hosts (hostCertCheck.ts). */
function handshake(hop: Hop, opts: ConnectOptions, cert?: CertVerdict): Promise<SshClient> {
  const timeoutMs = opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const where = `${hop.role}${hop.hostName}:${hop.port}`;
  const files = () => readKnownHostsFiles([hop.knownHostsFile, ...hop.globalFiles]);
  return new Promise((resolve, reject) => {
    const client = new Client();
    let settled = false;
    let hostKeyFailure: SshError | null = null;
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (e: SshError) => {
      if (settled) return;
      done();
      client.destroy();
      reject(e);
    };
    // Our own ready timeout instead of ssh2's, because the admin may take a while to answer a host key prompt.
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => fail(new SshError('timeout', `${where}: no SSH handshake within ${timeoutMs / 1000} s (node hanging or packets dropped)`)),
        timeoutMs,
      );
    };
    const onAbort = () => fail(new SshError('other', `connection to ${where} cancelled`, { cause: opts.signal?.reason }));
    if (opts.signal?.aborted) return fail(new SshError('other', `connection to ${where} cancelled`));
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const verifyHostKey = async (key: Buffer): Promise<boolean> => {
      const keyType = keyTypeOfBlob(key);
      const v = checkHostKey(files(), hop.hostName, hop.port, keyType, key);
      const name = hostKeyName(hop.hostName, hop.port);
      if (v.status === 'known') return true;
      if (v.status === 'unknown' && cert) {
        if (cert.ok && cert.cert.keyBlob.equals(key)) return true;
        const why = cert.ok ? `it presents a key other than the one certified by "${cert.cert.keyId}"` : cert.reason;
        hostKeyFailure = new SshError('hostkey-rejected', `host certificate of ${name} refused: ${why}`);
        return false;
      }
      if (v.status === 'revoked') {
        hostKeyFailure = new SshError(
          'hostkey-rejected',
          `host key of ${name} is REVOKED (known_hosts line ${v.line} of ${v.file}): refusing to connect`,
        );
        return false;
      }
      if (v.status === 'changed') {
        hostKeyFailure = new SshError(
          'hostkey-changed',
          `host key of ${name} has CHANGED (known_hosts line ${v.line} of ${v.file}): refusing to connect; ` +
            `if the node was reinstalled, remove that line (ssh-keygen -R '${name}' -f ${v.file})`,
        );
        return false;
      }
      const fingerprint = fingerprintSha256(key);
      clearTimeout(timer);
      // Nodes behind one bastion connect in parallel: ask once per key, not once per node.
      const askKey = `${hop.knownHostsFile}\0${name}\0${fingerprint}`;
      let answer = pendingQuestions.get(askKey);
      if (!answer) {
        const info = { nodeId: hop.nodeId, host: hop.hostName, port: hop.port, keyType, fingerprint, knownHostsFile: hop.knownHostsFile };
        answer = opts.hostKeyDecision(info).then((yes) => {
          if (yes) {
            try {
              appendKnownHost(hop.knownHostsFile, hop.hostName, hop.port, keyType, key);
            } catch {
              // The admin accepted the key; failing to remember it only means being asked again next time.
            }
          }
          return yes;
        });
        pendingQuestions.set(askKey, answer);
        void answer.finally(() => pendingQuestions.delete(askKey)).catch(() => undefined);
      }
      const ok = await answer;
      if (settled) return false;
      arm();
      if (!ok) hostKeyFailure = new SshError('hostkey-rejected', `host key of ${name} (${keyType} ${fingerprint}) was not accepted: not connecting`);
      return ok;
    };

    client.on('ready', () => {
      if (settled) return;
      done();
      resolve(client);
    });
    // Stays attached after ready so a later keepalive failure never becomes an uncaught 'error' event.
    client.on('error', (err: Error) => fail(hostKeyFailure ?? translateSshError(err, hop)));
    client.on('close', () => fail(hostKeyFailure ?? new SshError('other', `${where} closed the connection during the SSH handshake`)));

    const config: ConnectConfig = {
      host: hop.hostName,
      port: hop.port,
      username: hop.user,
      readyTimeout: 0,
      keepaliveInterval: 1000,
      keepaliveCountMax: 3,
      authHandler: hop.auth.methods(hop.user),
      hostVerifier: (key: Buffer, verify: VerifyCallback) => {
        verifyHostKey(key).then(verify, (e: unknown) => {
          hostKeyFailure = new SshError('other', `${where}: cannot check the host key: ${(e as Error).message}`, { cause: e });
          verify(false);
        });
      },
    };
    const algos = hostKeyAlgos(cert?.ok ? [cert.cert.keyType] : knownKeyTypes(files(), hop.hostName, hop.port));
    if (algos) config.algorithms = { serverHostKey: algos };
    if (hop.sock) config.sock = hop.sock;
    arm();
    client.connect(config);
  });
}

const where = (hop: Hop) => `${hop.hostName}:${hop.port}`;

function forwardTo(jump: SshClient, hop: Hop, jumpWhere: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    jump.forwardOut('127.0.0.1', 0, hop.hostName, hop.port, (err, stream) => {
      if (err) {
        reject(new SshError('unreachable', `jump host ${jumpWhere} cannot reach ${hop.hostName}:${hop.port}: ${err.message}`, { cause: err }));
      } else {
        resolve(stream);
      }
    });
  });
}

/** Connects to a node, through its ProxyJump hosts if any; resolves once authenticated. */
export async function connectSsh(target: SshTarget, opts: ConnectOptions): Promise<SshClient> {
  const s = target.ssh;
  const node = resolveSshHost(target.host, s);
  const knownHostsFile = expandHome(s.knownHostsFile ?? '~/.ssh/known_hosts');
  const globalFiles = opts.globalKnownHostsFiles ?? ['/etc/ssh/ssh_known_hosts'];
  const useAgent = s.useAgent !== false;
  const common = { nodeId: target.id, knownHostsFile, globalFiles };

  const hops: Hop[] = (node.proxyJump ? parseProxyJump(node.proxyJump) : []).map((j) => {
    // A hop takes its user and port from the ProxyJump spec, else from ssh config for that host; the node's own
    // user/port do not apply to it. It does share the profile's keys, as one admin owns the whole path.
    const r = resolveSshHost(j.host, {
      sshConfigFile: s.sshConfigFile,
      identityFile: s.identityFile,
      user: j.user,
      port: j.port,
      proxyJump: 'none',
    });
    return { ...common, role: 'jump host ', hostName: r.hostName, port: r.port, user: r.user, auth: planAuth(r.identityFiles, useAgent) };
  });
  const final: Hop = { ...common, role: '', hostName: node.hostName, port: node.port, user: node.user, auth: planAuth(node.identityFiles, useAgent) };

  // Every node behind the same jump host shares one connection to it (per hop of the path,
  // with the same user, known_hosts and keys): 64 nodes are 64 channels, not 64 handshakes.
  const leases: Lease<SshClient>[] = [];
  const releaseAll = () => leases.splice(0).reverse().forEach((l) => l.release());
  try {
    let key = '';
    // Whose handshake places a hop takes: a host reached directly, its own; one behind jump
    // hosts, those of everything behind the same jump hosts (their names are the jump host's to
    // resolve, and two of them may be one sshd).
    let path = '';
    const gateOf = (hop: Hop) => path || `${hop.hostName}:${hop.port}`;
    for (const [i, hop] of hops.entries()) {
      key += `${hop.user}@${hop.hostName}:${hop.port}\0${hop.knownHostsFile}\0${hop.auth.tried.join(',')}\n`;
      const sshd = gateOf(hop);
      path += `${hop.hostName}:${hop.port}>`;
      const via = leases.at(-1);
      const open = () => {
        // Opened without the caller's signal: other nodes may wait on it too; each caller's signal ends its own wait.
        const shared = { ...opts, signal: undefined };
        return connectHop(sshd, hop, shared, via && (() => forwardTo(via.connection, hop, where(hops[i - 1]!))));
      };
      leases.push(await jumpConnections.acquire(key, open, opts.signal));
    }
    const via = leases.at(-1);
    const client = await connectHop(gateOf(final), final, opts, via && (() => forwardTo(via.connection, final, where(hops.at(-1)!))));
    // Tearing down the node's connection lets go of the hops; the last node behind a hop closes it.
    client.once('close', releaseAll);
    return client;
  } catch (e) {
    releaseAll();
    throw e;
  }
}
