/**
 * Property tests of the OpenSSH client config handling and of ProxyJump specs: any config
 * text gives a resolved host or an error naming the config file and the line at fault.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseProxyJump, resolveSshHost, type JumpHop } from './sshConfig.js';

let home: string;
let cfg: string;
const env = () => ({ homeDir: home, localUser: 'alice' });

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'mv-cfg-prop-'));
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'id_ed25519'), 'x');
  cfg = join(home, 'config');
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

const word = fc.stringMatching(/^[a-z0-9.%~\/_-]{1,12}$/);
// At most two wildcards a pattern: ssh-config's glob is a backtracking regex (see the report).
const pattern = fc.oneof(word, fc.constantFrom('*', 'n?', '!n9', '*.lab', 'node*', '"a b"', '10.0.0.*'));
const directive = fc.oneof(
  fc.tuple(fc.constantFrom('Host', 'host', 'HOST'), fc.array(pattern, { maxLength: 3 })).map(([k, p]) => `${k} ${p.join(' ')}`),
  fc.tuple(fc.constantFrom('Match'), fc.array(fc.oneof(fc.constantFrom('host', 'user', 'all', 'final', 'canonical', 'exec', 'originalhost', 'localuser'), pattern), { maxLength: 4 })).map(([k, p]) => `${k} ${p.join(' ')}`),
  fc.tuple(fc.constantFrom('HostName', 'User', 'IdentityFile', 'ProxyJump', 'Include', 'Compression'), fc.oneof(word, fc.constant(''), fc.constant('none'))).map(([k, v]) => `  ${k} ${v}`),
  fc.oneof(fc.integer({ min: -5, max: 70000 }).map(String), fc.constantFrom('', 'ssh', '22 23', '0x16', '1e3', '22.5')).map((p) => `  Port ${p}`),
  fc.tuple(fc.constantFrom('Port', 'User', 'HostName', 'IdentityFile'), fc.constantFrom('=', ' = ', '\t')).map(([k, s]) => `${k}${s}x`),
  fc.constantFrom('# comment', '', '   ', 'ProxyJump a,,b', 'Host "a b" c', 'Host=x', 'ProxyJump NONE'),
  fc.string({ maxLength: 20 }),
);
const unreadable = fc.constantFrom('User "unterminated', 'IdentityFile trailing\\', 'Host', 'Match', 'Match host', 'Host ""');
const configText = fc
  .tuple(fc.array(directive, { maxLength: 25 }), fc.option(fc.tuple(fc.nat(), unreadable), { freq: 3 }), fc.constantFrom('\n', '\r\n'))
  .map(([lines, bad, eol]) => {
    if (bad) lines.splice(bad[0] % (lines.length + 1), 0, bad[1]);
    return lines.join(eol);
  });
const host = fc.oneof(fc.constantFrom('n7', 'n9', 'node1', 'x.lab', '10.0.0.1'), fc.domain());

/** Line (1-based) of `text` quoted in an error message, if the message quotes one. */
const lineOf = (message: string) => /, line (\d+) /.exec(message)?.[1];

describe('resolveSshHost (properties)', () => {
  it('gives a usable host or an error naming the config file and the line, for any config text', () => {
    fc.assert(
      fc.property(configText, host, fc.option(fc.constantFrom('root', 'ops'), { nil: undefined }), (text, h, user) => {
        writeFileSync(cfg, text);
        let r;
        try {
          r = resolveSshHost(h, { sshConfigFile: cfg, ...(user ? { user } : {}) }, env());
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          const m = (e as Error).message;
          expect(m).toContain(cfg);
          // A config ssh-config cannot read is reported with the line it stumbled on.
          if (m.startsWith('cannot parse')) {
            const n = Number(lineOf(m));
            expect(n >= 1 && n <= text.split(/\r?\n/).length, m).toBe(true);
          }
          return;
        }
        expect(Number.isInteger(r.port) && r.port >= 1 && r.port <= 65535).toBe(true);
        expect(typeof r.user).toBe('string');
        expect(typeof r.hostName).toBe('string');
        expect(r.proxyJump === null || (typeof r.proxyJump === 'string' && r.proxyJump !== '')).toBe(true);
        if (user) expect(r.user).toBe(user);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['Host', 1],
    ['Host a\n  User "unterminated', 2],
    ['Host a\n  Port 22\nMatch host', 3],
  ])('names the line ssh-config cannot read in %j', (text, line) => {
    writeFileSync(cfg, text);
    expect(() => resolveSshHost('a', { sshConfigFile: cfg }, env())).toThrow(`cannot parse the SSH client config ${cfg}, line ${line} (`);
  });
});

const hopHost = fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6().map((a) => `[${a}]`));
const hop = fc.record(
  {
    user: fc.stringMatching(/^[a-z_][a-z0-9_.@-]{0,8}$/),
    host: hopHost,
    port: fc.integer({ min: 1, max: 65535 }),
  },
  { requiredKeys: ['host'] },
);
const specOf = (hops: { user?: string; host: string; port?: number }[]) =>
  hops.map((h) => `${h.user !== undefined ? `${h.user}@` : ''}${h.host}${h.port !== undefined ? `:${h.port}` : ''}`).join(',');

describe('parseProxyJump (properties)', () => {
  it('reads back every well-formed spec', () => {
    fc.assert(
      fc.property(fc.array(hop, { minLength: 1, maxLength: 4 }), (hops) => {
        const expected: JumpHop[] = hops.map((h) => ({
          host: h.host.replace(/^\[(.*)\]$/, '$1'),
          ...(h.user !== undefined ? { user: h.user } : {}),
          ...(h.port !== undefined ? { port: h.port } : {}),
        }));
        expect(parseProxyJump(specOf(hops))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('gives hops or an error quoting the spec, for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (spec) => {
        try {
          for (const h of parseProxyJump(spec)) {
            expect(h.host.length).toBeGreaterThan(0);
            if (h.port !== undefined) expect(Number.isInteger(h.port) && h.port >= 1 && h.port <= 65535).toBe(true);
          }
        } catch (e) {
          expect((e as Error).message).toContain(`bad ProxyJump "${spec}"`);
        }
      }),
      { numRuns: 500 },
    );
  });
});
