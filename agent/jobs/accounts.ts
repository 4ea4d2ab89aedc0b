/**
 * Users of this node as its account database knows them (files, LDAP, NIS: whatever NSS
 * serves, through getent). A job runs as its owner's uid on every node it visits, and each
 * node takes the user's group, supplementary groups and home from its own database.
 */
import { spawnSync } from 'node:child_process';

export interface Account {
  uid: number;
  gid: number;
  user: string;
  home: string;
  shell: string;
}

/** One passwd(5) line: name:password:uid:gid:gecos:home:shell. */
export function parsePasswdLine(line: string): Account | undefined {
  const f = line.trim().split(':');
  if (f.length < 7) return undefined;
  const [user, , uid, gid, , home, shell] = f;
  if (!user || !/^\d+$/.test(uid!) || !/^\d+$/.test(gid!)) return undefined;
  return { user, uid: Number(uid), gid: Number(gid), home: home || '/', shell: shell || '/bin/sh' };
}

const cache = new Map<number, { at: number; account: Account | undefined }>();
/** Accounts change rarely; a minute keeps getent off the per-request path. */
const CACHE_MS = 60_000;

/** The account of `uid` on this node, or undefined when it has none. */
export function lookupAccount(uid: number, now = Date.now()): Account | undefined {
  const hit = cache.get(uid);
  if (hit && now - hit.at < CACHE_MS) return hit.account;
  const r = spawnSync('getent', ['passwd', String(uid)], { encoding: 'utf8', timeout: 5000 });
  const account = r.status === 0 ? parsePasswdLine(r.stdout.split('\n')[0] ?? '') : undefined;
  cache.set(uid, { at: now, account });
  return account;
}

/** A user's name for messages: the account's, else the number. */
export function userName(uid: number): string {
  return lookupAccount(uid)?.user ?? `uid ${uid}`;
}

/**
 * The environment of a job run as `a`: the caller's own (mosrun sends it), else a login's
 * minimum; HOME, USER and LOGNAME are always the account's, never the agent's (root's).
 */
export function jobEnv(a: Account, given: Record<string, string> | undefined): Record<string, string> {
  const base = given ?? { PATH: '/usr/local/bin:/usr/bin:/bin', SHELL: a.shell, LANG: process.env.LANG ?? 'C.UTF-8' };
  return { ...base, HOME: a.home, USER: a.user, LOGNAME: a.user };
}
