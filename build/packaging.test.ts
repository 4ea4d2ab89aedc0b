/**
 * The packaging files cannot be exercised here (electron-builder needs the Electron zip,
 * which cannot be downloaded), so these tests at least pin what they must contain.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Yaml = string | Yaml[] | { [k: string]: Yaml };

/**
 * The YAML subset electron-builder.yml uses: block maps, block lists (of scalars or of
 * maps), comments, quoted or plain scalars. No flow collections, anchors or multi-line
 * scalars; a line it does not understand fails the test rather than being skipped.
 */
export function parseYaml(text: string): Yaml {
  const lines = text
    .split('\n')
    .map((raw, i) => ({ no: i + 1, indent: raw.search(/\S/), text: raw.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, '').trimEnd() }))
    .filter((l) => l.text.trim() !== '');
  let pos = 0;
  const scalar = (s: string): string => {
    const t = s.trim();
    if (/^".*"$/.test(t)) return JSON.parse(t) as string;
    if (/^'.*'$/.test(t)) return t.slice(1, -1).replace(/''/g, "'");
    if (/^[[{&*|>]/.test(t)) throw new Error(`unsupported YAML: ${t}`);
    return t;
  };
  const keyValue = (s: string, no: number): [string, string] => {
    const m = /^("[^"]*"|'[^']*'|[^:]+?):(?:\s+(.*))?$/.exec(s);
    if (!m) throw new Error(`line ${no}: not "key: value": ${s}`);
    return [scalar(m[1]!), m[2] ?? ''];
  };
  function block(indent: number): Yaml {
    const first = lines[pos];
    if (!first || first.indent < indent) return '';
    return first.text.trim().startsWith('- ') || first.text.trim() === '-' ? list(first.indent) : map(first.indent);
  }
  function map(indent: number, into: { [k: string]: Yaml } = {}): { [k: string]: Yaml } {
    while (pos < lines.length && lines[pos]!.indent === indent && !lines[pos]!.text.trim().startsWith('-')) {
      const l = lines[pos++]!;
      const [k, v] = keyValue(l.text.trim(), l.no);
      into[k] = v === '' ? block(indent + 1) : scalar(v);
    }
    const next = lines[pos];
    if (next && next.indent > indent) throw new Error(`line ${next.no}: unexpected indentation`);
    return into;
  }
  function list(indent: number): Yaml[] {
    const out: Yaml[] = [];
    while (pos < lines.length && lines[pos]!.indent === indent && lines[pos]!.text.trim().startsWith('-')) {
      const l = lines[pos]!;
      const rest = l.text.trim().slice(1).trim();
      if (rest === '') {
        pos++;
        out.push(block(indent + 1));
      } else if (/^("[^"]*"|'[^']*'|[^:"']+):(\s|$)/.test(rest)) {
        // "- key: v" opens a map whose further keys line up with "key".
        const keyIndent = l.text.indexOf(rest);
        lines[pos] = { ...l, indent: keyIndent, text: ' '.repeat(keyIndent) + rest };
        out.push(map(keyIndent));
      } else {
        pos++;
        out.push(scalar(rest));
      }
    }
    return out;
  }
  const doc = block(0);
  if (pos < lines.length) throw new Error(`line ${lines[pos]!.no}: not parsed: ${lines[pos]!.text}`);
  return doc;
}

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

describe('the YAML subset parser', () => {
  it('reads maps, lists of scalars and lists of maps, and refuses what it does not know', () => {
    expect(parseYaml('a: 1 # c\nb:\n  - x\n  - "y z"\nc:\n  - from: f\n    to: t\nd:\n  e: g\n')).toEqual({
      a: '1', b: ['x', 'y z'], c: [{ from: 'f', to: 't' }], d: { e: 'g' },
    });
    expect(() => parseYaml('a: [1, 2]\n')).toThrow(/unsupported/);
  });
});

describe('electron-builder.yml', () => {
  const cfg = parseYaml(read('./electron-builder.yml')) as Record<string, Yaml>;

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
    const targets = (cfg.linux as Record<string, Yaml>).target as Yaml[];
    const names = targets.map((t) => (typeof t === 'string' ? t : (t as Record<string, string>).target));
    expect(names).toEqual(expect.arrayContaining(['AppImage', 'deb']));
  });

  it('is what `npm run dist` uses', () => {
    const pkg = JSON.parse(read('../package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toContain('--config build/electron-builder.yml');
  });
});

describe('mosixview-agent.service', () => {
  const unit = parseUnit(read('./systemd/mosixview-agent.service'));
  const svc = unit.Service!;

  it("runs the installed agent's daemon command in the foreground", () => {
    expect(svc.ExecStart).toHaveLength(1);
    expect(svc.ExecStart![0]!.split(/\s+/)).toEqual(['/usr/bin/node', '/usr/lib/mosixview/mosixview-agent.cjs', 'daemon']);
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
