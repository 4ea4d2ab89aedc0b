/**
 * The caller's identity challenge, for real on this machine (needs root: files are given to
 * other uids, and readers run as them). A reader of another uid cannot read the file; a wrong,
 * late, reused or foreign nonce proves nothing; an agent that is not root proves only itself.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallerChallenges, CHALLENGE_TTL_MS } from './callerIdentity.js';
import { guardedHandlers, type Connection } from './requestGuard.js';
import type { Handlers } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentRequests } from '../../shared/protocol/agent.js';

if (process.getuid?.() !== 0) throw new Error('these tests give files to other uids and need root: run them as root');

const A = 1500;
const B = 1501;
const root = mkdtempSync(join(tmpdir(), 'mvcaller-'));
// As root's state directory: passable for everyone, listable by no one.
chmodSync(root, 0o711);
afterAll(() => rmSync(root, { recursive: true, force: true }));

let clock = 1_000_000;
const names = (uid: number) => ({ 0: 'root', [A]: 'alice', [B]: 'bob' })[uid] ?? `uid ${uid}`;
const challenges = (dir = join(root, `callers-${Math.random().toString(36).slice(2)}`)) => {
  const c = new CallerChallenges(dir, { selfUid: 0, userName: names, now: () => clock });
  c.prepare();
  return c;
};

/** What a process of `uid` reads from the file (cat), or its error. */
function readAs(uid: number, file: string): { ok: boolean; text: string } {
  const r = spawnSync('cat', [file], { uid, gid: uid, encoding: 'utf8' });
  return { ok: r.status === 0, text: r.status === 0 ? r.stdout : r.stderr };
}

describe('the identity challenge', () => {
  it('the claimed uid reads its file and proves itself; the file is 0400, that uid\'s, and gone afterwards', () => {
    const c = challenges();
    expect(lstatSync(c.dir).mode & 0o7777).toBe(0o711);
    const ch = c.issue(A);
    const st = lstatSync(ch.file);
    expect([st.uid, st.mode & 0o7777, st.isFile()]).toEqual([A, 0o400, true]);
    const read = readAs(A, ch.file);
    expect(read.ok, read.text).toBe(true);
    expect(ch.prove(read.text)).toEqual({ uid: A, user: 'alice' });
    expect(existsSync(ch.file)).toBe(false);
  });

  it('another user cannot read it, so cannot pass as its uid', () => {
    const ch = challenges().issue(A);
    const read = readAs(B, ch.file);
    expect(read.ok).toBe(false);
    expect(read.text).toMatch(/Permission denied/);
    // Nor list the directory to look for other files.
    const list = spawnSync('ls', [join(ch.file, '..')], { uid: B, gid: B, encoding: 'utf8' });
    expect(list.status).not.toBe(0);
    expect(() => ch.prove('0'.repeat(64))).toThrow(/wrong nonce: the caller could not read the challenge file of uid 1500/);
  });

  it('a nonce proves once: a second try, even right, and a late one are refused', () => {
    const c = challenges();
    const ch = c.issue(A);
    const nonce = readFileSync(ch.file, 'utf8');
    expect(() => ch.prove('x')).toThrow(/wrong nonce/);
    expect(() => ch.prove(nonce)).toThrow(/expired or was used already/);
    const late = c.issue(A);
    const n2 = readFileSync(late.file, 'utf8');
    clock += CHALLENGE_TTL_MS + 1;
    expect(() => late.prove(n2)).toThrow(/expired or was used already/);
  });

  it('an agent that is not root proves only its own user', () => {
    // Refused before any file is made: it could not give one to another uid anyway.
    const mine = new CallerChallenges(join(root, 'never'), { selfUid: A, userName: names });
    expect(() => mine.issue(B)).toThrow(/this agent runs as alice \(uid 1500\) and serves that user alone, not uid 1501/);
  });

  it('what a previous run left in the directory, or a link put in its place, is removed first', () => {
    const dir = join(root, 'planted');
    mkdirSync(dir);
    writeFileSync(join(dir, 'old'), 'x');
    const c = new CallerChallenges(dir, { selfUid: 0, userName: names });
    c.prepare();
    expect(readdirSync(dir)).toEqual([]);
    const link = join(root, 'link');
    symlinkSync(join(root, 'elsewhere'), link);
    new CallerChallenges(link, { selfUid: 0, userName: names }).prepare();
    expect(lstatSync(link).isDirectory()).toBe(true);
    expect(existsSync(join(root, 'elsewhere'))).toBe(false);
  });
});

describe('a connection proves who it is, once per challenge, on itself only', () => {
  const echo: Handlers<AgentRequests> = { 'jobs.start': (spec) => [spec as never], shutdown: () => null };
  const guard = (conn: Connection, c: CallerChallenges) => guardedHandlers(echo, conn, { agentUid: 0, challenges: c, ownerOf: () => undefined }) as Record<string, (p: unknown) => unknown>;

  it('the nonce of one connection proves nothing on another; a prove without a challenge is refused', () => {
    const c = challenges();
    const one: Connection = {};
    const two: Connection = {};
    const h1 = guard(one, c);
    const h2 = guard(two, c);
    const { file } = h1['auth.challenge']!({ uid: A }) as { file: string };
    const nonce = readFileSync(file, 'utf8');
    expect(() => h2['auth.prove']!({ nonce })).toThrow(/no identity challenge is open on this connection/);
    h2['auth.challenge']!({ uid: B });
    expect(() => h2['auth.prove']!({ nonce })).toThrow(/wrong nonce/);
    expect(two.caller).toBeUndefined();
    expect(h1['auth.prove']!({ nonce })).toEqual({ uid: A, user: 'alice' });
    expect(one.caller).toEqual({ uid: A, user: 'alice' });
  });

  it('a job starts as the proved caller, whatever owner the request carried', () => {
    const conn: Connection = { caller: { uid: A, user: 'alice' } };
    const h = guard(conn, challenges());
    const [spec] = h['jobs.start']!({ argv: ['x'], cwd: '/', mode: { kind: 'plain' }, owner: { uid: 0, user: 'root' } }) as [{ owner: unknown }];
    expect(spec.owner).toEqual({ uid: A, user: 'alice' });
    expect(() => h.shutdown!(null)).toThrow(/"shutdown" is for the node's admin, and you are alice \(uid 1500\)/);
  });
});
