/**
 * `npm run package:node` builds the node package; here it is built into a temporary
 * directory and checked as Debian would: its contents, lintian (errors and warnings fail),
 * and `systemd-analyze verify` on its units with its own man pages for their Documentation=.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../../agent/cli/installTools.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** Slow tools run asynchronously: a worker blocked for a minute loses its link to vitest. */
function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(cmd, args, { ...opts, encoding: 'utf8', maxBuffer: 1 << 24 }, (e, stdout, stderr) => done({ status: e ? Number(e.code ?? 1) : 0, stdout, stderr }));
  });
}

let out: string;
let deb: string;
let tree: string;

function need(tool: string, pkg: string): void {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    throw new Error(`${tool} is missing: install it (apt-get install ${pkg}; e2e/setup/install-prereqs.sh does, as root)`);
  }
}

beforeAll(async () => {
  need('dpkg-deb', 'dpkg');
  if (!existsSync(join(ROOT, 'dist/agent/mosixview-agent.cjs'))) execFileSync(process.execPath, ['build/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  out = mkdtempSync(join(tmpdir(), 'mv-deb-'));
  const { buildNodePackage } = await import('./build.mjs');
  deb = buildNodePackage(out);
  tree = join(out, 'tree');
  execFileSync('dpkg-deb', ['-x', deb, tree]);
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the node package', () => {
  it('is mosixview-agent_VERSION_all.deb: arch-independent, needs nodejs, recommends criu', () => {
    expect(deb.endsWith(`mosixview-agent_${VERSION}_all.deb`)).toBe(true);
    const field = (f: string) => execFileSync('dpkg-deb', ['-f', deb, f], { encoding: 'utf8' }).trim();
    expect(field('Architecture')).toBe('all');
    expect(field('Depends')).toMatch(/^nodejs \(>= 18\)/);
    expect(field('Recommends')).toMatch(/^criu \(>= 4\)/);
    expect(field('Maintainer')).toMatch(/<.+@.+>/);
  });

  it('holds the agent, every openMosix tool on PATH with its man page, the units and /etc/mosixview', () => {
    const files = execFileSync('dpkg-deb', ['-c', deb], { encoding: 'utf8' }).split('\n').map((l) => l.split(/\s+/).slice(5).join(' ').replace(/^\.\//, ''));
    const expected = [
      'usr/lib/mosixview/mosixview-agent.cjs',
      'usr/lib/systemd/system/mosixview-agent.service',
      'usr/lib/systemd/system/mosixview-collector.service',
      'etc/mosixview/hpc.map',
      'etc/mosixview/collector.json',
      ...TOOLS.flatMap((t) => [`usr/bin/${t}`, `usr/share/man/man1/${t}.1.gz`]),
    ];
    expect(files).toEqual(expect.arrayContaining(expected));
    expect(execFileSync('dpkg-deb', ['-I', deb, 'conffiles'], { encoding: 'utf8' }).trim().split('\n').sort()).toEqual(['/etc/mosixview/collector.json', '/etc/mosixview/hpc.map']);
    for (const t of TOOLS) expect(readFileSync(join(tree, 'usr/bin', t), 'utf8')).toContain(`exec /usr/bin/node /usr/lib/mosixview/mosixview-agent.cjs ${t} "$@"`);
  });

  it("its agent unit applies /etc/mosixview/hpc.map at every start; the map it ships names no nodes, so it changes nothing until the admin writes it", () => {
    const unit = readFileSync(join(tree, 'usr/lib/systemd/system/mosixview-agent.service'), 'utf8');
    expect(unit.split('\n').filter((l) => l.startsWith('ExecStart='))).toEqual(['ExecStart=/usr/bin/node /usr/lib/mosixview/mosixview-agent.cjs daemon --map /etc/mosixview/hpc.map']);
    const map = readFileSync(join(tree, 'etc/mosixview/hpc.map'), 'utf8');
    expect(map.split('\n').every((l) => l.replace(/#.*/, '').trim() === '')).toBe(true);
    expect(map).toContain('applied at every start of the agent');
  });

  it('the collector settings it installs are ones the collector accepts', async () => {
    const { loadSettings, collectorPaths } = await import('../../agent/collector/config.js');
    const p = collectorPaths({ dir: join(out, 'state'), socket: '', pidFile: '', log: '' }, join(tree, 'etc/mosixview/collector.json'));
    expect(loadSettings(p, {}).problems).toEqual([]);
  });

  it('passes lintian (no error, no warning)', async () => {
    need('lintian', 'lintian');
    const r = await run('lintian', ['--fail-on', 'error,warning', '--tag-display-limit', '0', deb]);
    expect(r.stdout.split('\n').filter((l) => /^[EW]:/.test(l))).toEqual([]);
    expect(r.status, r.stderr).toBe(0);
  }, 120_000);

  it('its units pass systemd-analyze verify, their Documentation= found in its own man pages', async () => {
    need('systemd-analyze', 'systemd');
    need('man', 'man-db');
    const units = join(tree, 'usr/lib/systemd/system');
    const r = await run('systemd-analyze', ['verify', './mosixview-agent.service', './mosixview-collector.service'], {
      cwd: units, env: { ...process.env, MANPATH: join(tree, 'usr/share/man') },
    });
    expect(r.stderr.trim()).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);
});
