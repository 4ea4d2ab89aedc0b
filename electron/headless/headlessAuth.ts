/**
 * Who may use the headless mode's API: a browser holding a session cookie, which it got for
 * a one-time login code. A code is short-lived and works once, so a code seen by someone
 * else (a URL on a command line is readable by every local user in /proc) is worth
 * nothing once used or expired; the session itself never leaves the HTTP exchange.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A printed link: long enough to switch to the browser and paste it. */
export const LOGIN_CODE_TTL_MS = 10 * 60_000;

const digest = (s: string) => createHash('sha256').update(s).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

interface Code {
  expires: number;
  onUsed?: () => void;
}

export class HeadlessAuth {
  /** By digest: a lookup by the hash of what the client sent leaks nothing about the secret. */
  private readonly codes = new Map<string, Code>();
  private readonly sessions = new Set<string>();

  /** `cookieName` includes the port: browsers share cookies among all ports of 127.0.0.1. */
  constructor(
    readonly cookieName: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new code, valid once within `ttlMs`; `onUsed` is called when a browser redeems it. */
  mintCode(ttlMs = LOGIN_CODE_TTL_MS, onUsed?: () => void): string {
    this.forgetExpired();
    const code = secret();
    this.codes.set(digest(code), { expires: this.now() + ttlMs, onUsed });
    return code;
  }

  /** The Set-Cookie value of a new session for a valid code; undefined for a used, expired or unknown one. */
  redeem(code: string | null): string | undefined {
    this.forgetExpired();
    if (!code) return undefined;
    const key = digest(code);
    const c = this.codes.get(key);
    if (!c) return undefined;
    this.codes.delete(key);
    const session = secret();
    this.sessions.add(digest(session));
    c.onUsed?.();
    return `${this.cookieName}=${session}; Path=/; HttpOnly; SameSite=Strict`;
  }

  /** Whether a Cookie header carries one of our sessions. */
  signedIn(cookieHeader: string | undefined): boolean {
    if (!cookieHeader) return false;
    for (const part of cookieHeader.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0 || part.slice(0, eq).trim() !== this.cookieName) continue;
      const value = part.slice(eq + 1).trim();
      if (value && this.sessions.has(digest(value))) return true;
    }
    return false;
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [k, c] of this.codes) if (c.expires <= now) this.codes.delete(k);
  }
}
