/**
 * known_hosts is read from files the admin (and ssh-keygen, and other tools) wrote: any
 * text must give a verdict, never an exception or a hang, and the pattern matcher must
 * agree with the plain definition of `*` and `?`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchPattern } from './hostPattern.js';
import { checkHostKey, hostFieldMatches, hostKeyName, knownKeyTypes } from './knownHosts.js';

/** The definition, as a table: does pattern[i..] match name[j..]? Quadratic, obviously right. */
function reference(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const s = name.toLowerCase();
  let next = new Array<boolean>(s.length + 1).fill(false);
  next[s.length] = true; // empty pattern matches only the empty rest
  for (let i = p.length - 1; i >= 0; i--) {
    const cur = new Array<boolean>(s.length + 1).fill(false);
    for (let j = s.length; j >= 0; j--) {
      if (p[i] === '*') cur[j] = next[j]! || (j < s.length && cur[j + 1]!);
      else cur[j] = j < s.length && (p[i] === '?' || p[i] === s[j]) && next[j + 1]!;
    }
    next = cur;
  }
  return next[0]!;
}

const patternChars = fc.constantFrom('a', 'b', 'A', '.', '*', '?', '[', ']', ':', '\\', '+', '(');
const nameChars = fc.constantFrom('a', 'b', 'B', '.', '[', ']', ':', '\\', '+', '(', '?', '*');
const pattern = fc.array(patternChars, { maxLength: 10 }).map((a) => a.join(''));
const name = fc.array(nameChars, { maxLength: 12 }).map((a) => a.join(''));

describe('host patterns', () => {
  it('match exactly when the definition says so', () => {
    fc.assert(fc.property(pattern, name, (p, n) => matchPattern(p, n) === reference(p, n)), { numRuns: 3000 });
    // Two letters only: overlapping segments and runs of stars come up often.
    const ab = (chars: string[], max: number) => fc.array(fc.constantFrom(...chars), { maxLength: max }).map((a) => a.join(''));
    fc.assert(fc.property(ab(['a', 'b', '*', '?'], 10), ab(['a', 'b'], 10), (p, n) => matchPattern(p, n) === reference(p, n)), { numRuns: 5000 });
  });

  it('a name always matches itself, and a pattern made of its characters with stars', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.array(fc.boolean(), { maxLength: 31 }), (n, stars) => {
        const clean = n.replace(/[*?]/g, '');
        expect(matchPattern(clean, clean)).toBe(true);
        const starred = [...clean].map((c, i) => (stars[i] ? `*${c}` : c)).join('') + (stars[clean.length] ? '*' : '');
        expect(matchPattern(starred, clean)).toBe(true);
      }),
    );
  });

  it('a comma list matches when some plain pattern does and no negated one does', () => {
    const item = fc.tuple(fc.boolean(), pattern.filter((p) => p !== '' && !p.includes(',')));
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 5 }), name, (items, n) => {
        const field = items.map(([neg, p]) => (neg ? `!${p}` : p)).join(',');
        const hit = items.some(([neg, p]) => !neg && reference(p, n));
        const veto = items.some(([neg, p]) => neg && reference(p, n));
        expect(hostFieldMatches(field, n)).toBe(hit && !veto);
      }),
    );
  });
});

const hostName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.-]{0,40}$/);
const port = fc.oneof(fc.constant(22), fc.integer({ min: 1, max: 65535 }));
const KEY = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), randomBytes(36)]);

function hashedEntry(n: string, salt: Buffer): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(n).digest('base64')}`;
}

describe('known_hosts files', () => {
  it('any text gives a verdict, never an exception', () => {
    const token = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom('@revoked', '@cert-authority', '#', '|1|', '|1|abc|def', '*', '!*', ',', 'ssh-ed25519', KEY.toString('base64')),
    );
    const line = fc.tuple(fc.array(token, { maxLength: 6 }), fc.constantFrom(' ', '\t', '  ')).map(([t, sep]) => t.join(sep));
    const text = fc.oneof(fc.string({ maxLength: 300 }), fc.array(line, { maxLength: 10 }).map((l) => l.join('\n')));
    fc.assert(
      fc.property(text, hostName, port, (t, h, p) => {
        const v = checkHostKey([{ name: 'kh', text: t }], h, p, 'ssh-ed25519', KEY);
        expect(['known', 'unknown', 'changed', 'revoked']).toContain(v.status);
        expect(Array.isArray(knownKeyTypes([{ name: 'kh', text: t }], h, p))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a plain or hashed entry for a host and port is found for it, and only for it', () => {
    fc.assert(
      fc.property(hostName, hostName, port, fc.boolean(), fc.uint8Array({ minLength: 20, maxLength: 20 }), (h, other, p, hashed, salt) => {
        const entryName = hostKeyName(h, p);
        const field = hashed ? hashedEntry(entryName, Buffer.from(salt)) : entryName;
        const files = [{ name: 'kh', text: `# comment\n${field} ssh-ed25519 ${KEY.toString('base64')}\n` }];
        expect(checkHostKey(files, h.toUpperCase(), p, 'ssh-ed25519', KEY).status).toBe('known');
        const same = hostKeyName(other, p) === entryName;
        expect(checkHostKey(files, other, p, 'ssh-ed25519', KEY).status).toBe(same ? 'known' : 'unknown');
        if (p !== 22) expect(checkHostKey(files, h, 22, 'ssh-ed25519', KEY).status).toBe('unknown');
      }),
    );
  });
});
