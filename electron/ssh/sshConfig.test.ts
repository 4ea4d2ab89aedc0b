import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProxyJump, resolveSshHost } from './sshConfig.js';

let home: string;
let cfg: string;
const env = () => ({ homeDir: home, localUser: 'alice' });

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'mv-cfg-'));
  mkdirSync(join(home, '.ssh'));
  for (const k of ['id_ed25519', 'id_rsa', 'cluster_key', 'n7key']) writeFileSync(join(home, '.ssh', k), 'x');
  cfg = join(home, 'config');
  writeFileSync(
    cfg,
    [
      'Host n7',
      '  HostName 10.0.0.7',
      '  Port 2207',
      '  IdentityFile ~/.ssh/n7key',
      '',
      'Host n? !n9',
      '  HostName 10.0.0.%h',
      '  User admin',
      '',
      'Host behind',
      '  HostName 192.168.5.1',
      '  ProxyJump gate@bastion:2222',
      '',
      'Host direct',
      '  ProxyJump none',
      '',
      'Host *',
      '  User clusteradm',
      '  IdentityFile %d/.ssh/cluster_key',
      '  IdentityFile ~/.ssh/does_not_exist',
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('resolveSshHost', () => {
  it('uses defaults without a config file', () => {
    const r = resolveSshHost('node1', { sshConfigFile: join(home, 'absent') }, env());
    expect(r).toEqual({
      hostName: 'node1',
      user: 'alice',
      port: 22,
      identityFiles: [join(home, '.ssh', 'id_ed25519'), join(home, '.ssh', 'id_rsa')],
      proxyJump: null,
    });
  });

  it('applies Host aliases, first value wins, repeatable IdentityFile accumulates', () => {
    const r = resolveSshHost('n7', { sshConfigFile: cfg }, env());
    expect(r.hostName).toBe('10.0.0.7');
    expect(r.port).toBe(2207);
    // "Host n?" also matches n7, but HostName/User from the earlier block win where set.
    expect(r.user).toBe('admin');
    expect(r.identityFiles).toEqual([join(home, '.ssh', 'n7key'), join(home, '.ssh', 'cluster_key')]);
  });

  it('wildcards, negation and %h in HostName', () => {
    expect(resolveSshHost('n3', { sshConfigFile: cfg }, env())).toMatchObject({ hostName: '10.0.0.n3', user: 'admin' });
    expect(resolveSshHost('n9', { sshConfigFile: cfg }, env())).toMatchObject({ hostName: 'n9', user: 'clusteradm' });
  });

  it('ProxyJump from config, and "none"', () => {
    expect(resolveSshHost('behind', { sshConfigFile: cfg }, env()).proxyJump).toBe('gate@bastion:2222');
    expect(resolveSshHost('direct', { sshConfigFile: cfg }, env()).proxyJump).toBeNull();
  });

  it('profile settings win over the config', () => {
    const r = resolveSshHost(
      'n7',
      { sshConfigFile: cfg, user: 'root', port: 22, identityFile: '~/.ssh/id_rsa', proxyJump: 'jump' },
      env(),
    );
    expect(r).toEqual({
      hostName: '10.0.0.7',
      user: 'root',
      port: 22,
      identityFiles: [join(home, '.ssh', 'id_rsa')],
      proxyJump: 'jump',
    });
  });

  it('rejects a bad Port in the config with the file name', () => {
    const bad = join(home, 'bad');
    writeFileSync(bad, 'Host x\n  Port 99999\n');
    expect(() => resolveSshHost('x', { sshConfigFile: bad }, env())).toThrow(/bad.*Port "99999"/);
  });
});

describe('parseProxyJump', () => {
  it('splits hops', () => {
    expect(parseProxyJump('a, root@b:2222,[fe80::1]:23,ssh://u@c')).toEqual([
      { host: 'a' },
      { host: 'b', user: 'root', port: 2222 },
      { host: 'fe80::1', port: 23 },
      { host: 'c', user: 'u' },
    ]);
    expect(() => parseProxyJump('a,,b')).toThrow(/empty hop/);
  });
});
