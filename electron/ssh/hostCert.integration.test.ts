/**
 * Host certificates end to end, against a real sshd with a HostCertificate signed by
 * `ssh-keygen -s ca -h -n 127.0.0.1`: with only "@cert-authority" for the CA in known_hosts,
 * the node is accepted without a question, as ssh(1) does; a certificate for another name,
 * a revoked CA or a CA not trusted for the host is not.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh, SshError, type ConnectOptions } from './sshConnect.js';
import { probeHostCert } from './hostCertProbe.js';
import { tcpTo } from './hostCertCheck.js';
import { parseOpensshCert } from './opensshCert.js';
import { genKey, startSshd, type KeyPair, type Sshd } from './sshdFixture.test-util.js';

let sshd: Sshd;
let ca: KeyPair;
let n = 0;

beforeAll(async () => {
  sshd = await startSshd({
    extraConfig: (dir, hostKeys) => {
      ca = genKey(dir, 'host_ca', 'ed25519');
      execFileSync('ssh-keygen', ['-q', '-s', ca.priv, '-I', 'node-1', '-h', '-n', '127.0.0.1', hostKeys.ed25519.pub]);
      return [`HostCertificate ${hostKeys.ed25519.priv}-cert.pub`];
    },
  });
}, 30000);
afterAll(async () => {
  await sshd?.stop();
});

function attempt(host: string, knownHosts: string): { asked: unknown[]; file: string; result: Promise<unknown> } {
  const file = join(sshd.dir, `known_hosts_cert_${++n}`);
  writeFileSync(file, knownHosts);
  const asked: unknown[] = [];
  const opts: ConnectOptions = {
    globalKnownHostsFiles: [],
    hostKeyDecision: async (info) => {
      asked.push(info);
      return false;
    },
  };
  const ssh = { user: 'root', port: sshd.port, identityFile: sshd.clientKey.priv, knownHostsFile: file, sshConfigFile: '/nonexistent', useAgent: false };
  const result = connectSsh({ id: 1, host, ssh }, opts).then((c) => (c.end(), 'connected'));
  return { asked, file, result };
}

describe('host certificates against a real sshd', () => {
  it('the probe gets the certificate the sshd presents, proven by a signature of the certified key', async () => {
    const blob = await probeHostCert(await tcpTo('127.0.0.1', sshd.port));
    const cert = parseOpensshCert(blob!);
    expect(cert.kind).toBe('host');
    expect(cert.principals).toEqual(['127.0.0.1']);
    expect(cert.keyBlob.toString('base64')).toBe(sshd.hostKeys.ed25519.pubLine.split(' ')[1]);
    expect(cert.caKeyBlob.toString('base64')).toBe(ca.pubLine.split(' ')[1]);
  });

  it('a host certified by a CA of known_hosts is accepted without a question, and nothing is written', async () => {
    const before = `@cert-authority 127.0.0.1,[127.0.0.1]:* ${ca.pubLine}\n`;
    const a = attempt('127.0.0.1', before);
    expect(await a.result).toBe('connected');
    expect(a.asked).toEqual([]);
    expect(readFileSync(a.file, 'utf8')).toBe(before);
  });

  it.each([
    ['a certificate for another name', 'localhost', (caLine: string) => `@cert-authority * ${caLine}\n`, /host certificate of \[localhost\]:\d+ refused: certificate "node-1" is for 127.0.0.1, not for localhost/],
    ['a revoked CA', '127.0.0.1', (caLine: string) => `@cert-authority * ${caLine}\n@revoked * ${caLine}\n`, /refused: the CA that signed certificate "node-1" is REVOKED/],
  ])('%s is refused without a question, naming why', async (_what, host, knownHosts, reason) => {
    const a = attempt(host, knownHosts(ca.pubLine));
    const e = await a.result.then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(SshError);
    expect((e as SshError).kind).toBe('hostkey-rejected');
    expect((e as SshError).message).toMatch(reason);
    expect(a.asked).toEqual([]);
  });

  it('a CA trusted only for other hosts vouches for nothing: the admin is asked, as for any unknown key', async () => {
    const a = attempt('127.0.0.1', `@cert-authority *.lab ${ca.pubLine}\n`);
    await a.result.catch(() => undefined);
    expect(a.asked).toHaveLength(1);
    expect(existsSync(a.file)).toBe(true);
  });
});
