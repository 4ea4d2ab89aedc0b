import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStartOptions, startInfo, USAGE } from './cliOptions.js';
import { EMBEDDED_CLUSTER, ProfileError } from './profile.js';
import { errorOf } from './errorOf.test-util.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mosixview-cli-'));
  mkdirSync(join(dir, 'conf'));
  writeFileSync(join(dir, 'hpc.map'), '1 10.1.0.1 2\n');
  writeFileSync(join(dir, 'conf', 'c.map'), '5 host5 1\n6 host6 1\n');
  writeFileSync(
    join(dir, 'conf', 'cluster.json'),
    JSON.stringify({ map: 'c.map', ssh: { user: 'ops', port: 22 }, nodes: { '6': { port: 2206 } } }),
  );
  writeFileSync(join(dir, 'bad.map'), '1 10.1.0.1 1\n1 10.1.0.9 1\n');
  writeFileSync(join(dir, 'bad.json'), '{ nope');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));


describe('parseStartOptions', () => {
  it('with no arguments monitors this machine (embedded default)', () => {
    const o = parseStartOptions([], dir);
    expect(o.cluster).toBe(EMBEDDED_CLUSTER);
    expect(o).toEqual({ cluster: EMBEDDED_CLUSTER, listenPort: 0, open: true, help: false, version: false });
  });

  it('reads headless and help switches', () => {
    const o = parseStartOptions(['--listen', '8123', '--no-open', '--help'], dir);
    expect(o.listenPort).toBe(8123);
    expect(o.open).toBe(false);
    expect(o.help).toBe(true);
    expect(parseStartOptions(['-h'], dir).help).toBe(true);
  });

  it('--map with SSH options gives every node the same SSH settings; the map is relative to cwd', () => {
    const o = parseStartOptions(
      [
        '--map', 'hpc.map',
        '--user', 'root',
        '--port', '2222',
        '--identity', '~/.ssh/a',
        '--identity', '/keys/b',
        '--known-hosts', '/kh',
        '--ssh-config', '/sc',
        '--proxy-jump', 'gw.lab',
        '--node-path', '/usr/local/bin/node',
        '--agent-dir', '/opt/mv',
        '--no-agent',
      ],
      dir,
    );
    expect(o.cluster.source).toBe('profile');
    expect(o.cluster.nodes.map((n) => [n.id, n.host])).toEqual([
      [1, '10.1.0.1'],
      [2, '10.1.0.2'],
    ]);
    const expected = {
      user: 'root',
      port: 2222,
      identityFile: ['~/.ssh/a', '/keys/b'],
      knownHostsFile: '/kh',
      sshConfigFile: '/sc',
      proxyJump: 'gw.lab',
      nodePath: '/usr/local/bin/node',
      agentDir: '/opt/mv',
      useAgent: false,
    };
    for (const n of o.cluster.nodes) expect(n.ssh).toEqual(expected);
    // Each node has its own settings object: changing one must not change another.
    expect(o.cluster.nodes[0]!.ssh).not.toBe(o.cluster.nodes[1]!.ssh);
  });

  it('--map without SSH options gives nodes empty settings (defaults apply later)', () => {
    const o = parseStartOptions(['--map', join(dir, 'hpc.map')], '/');
    expect(o.cluster.nodes.map((n) => n.ssh)).toEqual([{}, {}]);
  });

  it('--profile loads a JSON profile whose map path is relative to the profile, with per-node overrides', () => {
    const o = parseStartOptions(['--profile', join(dir, 'conf', 'cluster.json')], '/');
    expect(o.cluster.name).toBe('cluster');
    expect(o.cluster.nodes.map((n) => [n.id, n.host, n.ssh])).toEqual([
      [5, 'host5', { user: 'ops', port: 22 }],
      [6, 'host6', { user: 'ops', port: 2206 }],
    ]);
  });

  it('names an unknown option', () => {
    const e = errorOf(() => parseStartOptions(['--map', 'hpc.map', '--colour', 'red'], dir));
    expect(e).toBeInstanceOf(ProfileError);
    expect(e.message).toContain('unknown option "--colour"');
  });

  it('refuses --port abc and out-of-range ports', () => {
    for (const bad of ['abc', '0', '65536', '22.5']) {
      const e = errorOf(() => parseStartOptions(['--map', 'hpc.map', '--port', bad], dir));
      expect(e, bad).toBeInstanceOf(ProfileError);
      expect(e.message, bad).toMatch(/--port needs a TCP port number/);
    }
    expect(() => parseStartOptions(['--listen', 'x'], dir)).toThrow(/--listen needs a port number/);
  });

  it('names an option whose value is missing', () => {
    expect(() => parseStartOptions(['--map'], dir)).toThrow(/--map needs a value/);
    expect(() => parseStartOptions(['--user', '--map', 'hpc.map'], dir)).toThrow(/--user needs a value/);
  });

  it('refuses both --profile and --map', () => {
    const e = errorOf(() => parseStartOptions(['--profile', join(dir, 'conf', 'cluster.json'), '--map', 'hpc.map'], dir));
    expect(e).toBeInstanceOf(ProfileError);
    expect(e.message).toMatch(/either --profile or --map, not both/);
  });

  it('refuses SSH options without a cluster', () => {
    for (const args of [['--user', 'root'], ['--port', '22'], ['--no-agent'], ['--identity', 'k']]) {
      const e = errorOf(() => parseStartOptions(args, dir));
      expect(e, args.join(' ')).toBeInstanceOf(ProfileError);
      expect(e.message).toMatch(/SSH options need a cluster/);
    }
  });

  it('names the profile file when its JSON is bad', () => {
    const file = join(dir, 'bad.json');
    const e = errorOf(() => parseStartOptions(['--profile', file], dir));
    expect(e).toBeInstanceOf(ProfileError);
    expect(e.message).toContain(file);
  });

  it('reports a malformed --map with file:line', () => {
    const e = errorOf(() => parseStartOptions(['--map', 'bad.map'], dir));
    expect(e.message).toContain(`${join(dir, 'bad.map')}:2:`);
    expect(e.message).toMatch(/node 1 is already defined on line 1/);
  });

  it('--version and --help print on stdout instead of starting', () => {
    expect(startInfo(parseStartOptions(['--version'], dir))).toMatch(/^mosixview \d+\.\d+\.\d+$/);
    expect(startInfo(parseStartOptions(['--help'], dir))).toBe(USAGE);
    expect(startInfo(parseStartOptions([], dir))).toBeUndefined();
  });
});
