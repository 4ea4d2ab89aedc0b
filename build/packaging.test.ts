/**
 * The packaging files cannot be exercised here (electron-builder needs the Electron zip,
 * which cannot be downloaded), so these tests read them as electron-builder and systemd
 * would and pin what they must contain.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

type Yaml = string | boolean | number | null | Yaml[] | { [k: string]: Yaml };

/** systemd unit: section -> key -> values (a key may repeat). */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      section = s[1]!;
      out[section] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || !section) throw new Error(`not a unit line: ${line}`);
    ((out[section]![line.slice(0, eq).trim()] ??= [])).push(line.slice(eq + 1).trim());
  }
  return out;
}

const read = (p: string): string => readFileSync(new URL(p, import.meta.url), 'utf8');

describe('electron-builder.yml', () => {
  const cfg = load(read('./electron-builder.yml')) as Record<string, Yaml>;
  const linux = cfg.linux as Record<string, Yaml>;
  const deb = cfg.deb as Record<string, Yaml>;

  it('names the app and writes to release/', () => {
    expect(cfg.appId).toBe('org.mosixview.app');
    expect(cfg.productName).toBe('Mosixview');
    expect((cfg.directories as Record<string, Yaml>).output).toBe('release');
  });

  it('packs dist/** and package.json', () => {
    expect(cfg.files).toEqual(expect.arrayContaining(['dist/**', 'package.json']));
  });

  it('ships the agent bundle and the systemd unit outside the asar archive', () => {
    const extra = cfg.extraResources as Array<Record<string, string>>;
    expect(extra.map((e) => e.from)).toEqual(expect.arrayContaining(['dist/agent/mosixview-agent.cjs', 'build/systemd/mosixview-agent.service']));
    for (const e of extra) expect(e.to, `destination of ${e.from}`).toBeTruthy();
  });

  it('builds an AppImage and a deb for Linux', () => {
    const targets = linux.target as Yaml[];
    const names = targets.map((t) => (typeof t === 'string' ? t : (t as Record<string, string>).target));
    expect(names).toEqual(expect.arrayContaining(['AppImage', 'deb']));
  });

  it("keeps electron-builder's default deb dependencies and adds ours", () => {
    // Setting `depends` replaces the defaults; ask the installed electron-builder for them.
    const require = createRequire(import.meta.url);
    const fpm = require('app-builder-lib/out/targets/FpmTarget.js') as { default: { prototype: { getDefaultDepends(t: string): string[] } } };
    const defaults = fpm.default.prototype.getDefaultDepends.call({}, 'deb');
    expect(defaults.length).toBeGreaterThan(5);
    expect(deb.depends).toEqual(expect.arrayContaining([...defaults, 'openssh-client']));
    expect(deb.depends).toContain('libasound2 | libasound2t64');
  });

  it('names a maintainer with an e-mail address, in the config and in package.json', () => {
    expect(linux.maintainer).toMatch(/^[^<>]+ <[^@\s<>]+@[^@\s<>]+\.[a-z]+>$/);
    const pkg = JSON.parse(read('../package.json')) as { author?: { name?: string; email?: string } };
    expect(pkg.author?.email).toMatch(/@/);
  });

  it('has an icon at every size a desktop wants, drawn from one SVG', () => {
    expect(linux.icon).toBe('build/icons');
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      const png = readFileSync(new URL(`./icons/${size}x${size}.png`, import.meta.url));
      // PNG header, then IHDR's width and height (big-endian) at bytes 16 and 20.
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], `${size}x${size}.png`).toEqual([size, size]);
    }
    expect(existsSync(new URL('./icons/mosixview.svg', import.meta.url))).toBe(true);
  });

  it('the same SVG is the favicon of every window (headless too)', () => {
    expect(read('../renderer/index.html')).toMatch(/<link rel="icon" type="image\/svg\+xml" href="icon.svg" \/>/);
    expect(read('./build.mjs')).toContain("cp('build/icons/mosixview.svg', 'dist/renderer/icon.svg')");
  });

  it('downloads no Electron and rebuilds nothing at build time', () => {
    expect(cfg.electronDist).toBe('node_modules/electron/dist');
    expect(cfg.npmRebuild).toBe(false);
    expect(cfg.nodeGypRebuild).toBe(false);
  });

  it('is what `npm run dist` uses', () => {
    const pkg = JSON.parse(read('../package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toContain('--config build/electron-builder.yml');
  });
});

describe('mosixview-agent.service', () => {
  const unit = parseUnit(read('./systemd/mosixview-agent.service'));
  const svc = unit.Service!;

  it("runs the installed agent's daemon command in the foreground, applying /etc/mosixview/hpc.map at start", () => {
    expect(svc.ExecStart).toHaveLength(1);
    expect(svc.ExecStart![0]!.split(/\s+/)).toEqual(['/usr/bin/node', '/usr/lib/mosixview/mosixview-agent.cjs', 'daemon', '--map', '/etc/mosixview/hpc.map']);
    expect(svc.Type).toEqual(['simple']);
    expect(svc.Restart).toEqual(['on-failure']);
  });

  it('leaves jobs running when the agent restarts, and keeps state in /var/lib/mosixview', () => {
    expect(svc.KillMode).toEqual(['process']);
    expect(svc.StateDirectory).toEqual(['mosixview']);
  });

  it('is enabled for boot', () => {
    expect(unit.Install?.WantedBy).toEqual(['multi-user.target']);
  });

  it('"daemon" is a command the agent knows', () => {
    expect(read('../agent/main.ts')).toMatch(/case 'daemon':/);
  });
});
