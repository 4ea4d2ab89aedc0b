/**
 * Resolves a node's host name through the OpenSSH client config, the way
 * ssh(1) would, so that clusters already set up for plain ssh work unchanged.
 * Precedence: profile settings > ~/.ssh/config > built-in defaults.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import SSHConfig from 'ssh-config';
import type { SshSettings } from '../core/profile.js';

export interface ResolvedSshHost {
  /** Address to connect to (HostName from the config, else the host as given). */
  hostName: string;
  user: string;
  port: number;
  /** Absolute paths of private key files; missing ones are already filtered out. */
  identityFiles: string[];
  /** OpenSSH ProxyJump syntax, or null for a direct connection. */
  proxyJump: string | null;
}

export interface ResolveEnv {
  /** For tests: the local home directory and user name. */
  homeDir?: string;
  localUser?: string;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

function localUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** ssh_config(5) TOKENS, the subset that makes sense for file names and host names. */
function expandTokens(s: string, t: { home: string; host: string; original: string; user: string; local: string; port: number }): string {
  const out = s.replace(/%([%dhnrup])/g, (_, c: string) =>
    c === '%' ? '%' : c === 'd' ? t.home : c === 'h' ? t.host : c === 'n' ? t.original : c === 'r' ? t.user : c === 'u' ? t.local : String(t.port),
  );
  return out === '~' ? t.home : out.startsWith('~/') ? join(t.home, out.slice(2)) : out;
}

function loadConfig(file: string): SSHConfig | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read the SSH client config ${file}: ${(e as Error).message}`);
  }
  try {
    return SSHConfig.parse(text);
  } catch (e) {
    throw new Error(`cannot parse the SSH client config ${file}${lineAtFault(text)}: ${(e as Error).message}`);
  }
}

/**
 * ssh-config's errors do not say where (some are bare TypeErrors, for "Host" without a
 * pattern): its parse errors are all within one line, so the first line that fails alone is it.
 */
function lineAtFault(text: string): string {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    try {
      SSHConfig.parse(lines[i]!);
    } catch {
      return `, line ${i + 1} ("${lines[i]!.trim().slice(0, 80)}")`;
    }
  }
  return '';
}

export function resolveSshHost(host: string, settings: SshSettings, env: ResolveEnv = {}): ResolvedSshHost {
  const home = env.homeDir ?? homedir();
  const local = env.localUser ?? localUserName();
  const tilde = (p: string) => (p === '~' ? home : p.startsWith('~/') ? join(home, p.slice(2)) : p);
  const cfgFile = tilde(settings.sshConfigFile ?? '~/.ssh/config');
  const cfg = loadConfig(cfgFile);
  // Match exec would run arbitrary commands from inside the GUI: not evaluated.
  const c = cfg
    ? cfg.compute(settings.user ? { Host: host, User: settings.user } : { Host: host }, { ignoreCase: true, matchExec: false })
    : {};

  const portText = first(c.port);
  const cfgPort = portText !== undefined ? Number(portText) : undefined;
  if (cfgPort !== undefined && (!Number.isInteger(cfgPort) || cfgPort < 1 || cfgPort > 65535)) {
    throw new Error(`${cfgFile}: bad Port "${portText}" for host ${host}`);
  }
  const port = settings.port ?? cfgPort ?? 22;
  const user = settings.user ?? first(c.user) ?? local;
  const tok = { home, host, original: host, user, local, port };
  const cfgHostName = first(c.hostname);
  const hostName = cfgHostName ? expandTokens(cfgHostName, tok) : host;
  tok.host = hostName;

  let identityFiles: string[];
  if (settings.identityFile !== undefined) {
    // Keys named in the profile are meant to be used: keep missing ones so the error says which file is absent.
    const list = Array.isArray(settings.identityFile) ? settings.identityFile : [settings.identityFile];
    identityFiles = list.map((p) => resolve(tilde(p)));
  } else {
    const fromCfg = c.identityfile;
    const list = Array.isArray(fromCfg) ? fromCfg : fromCfg ? [fromCfg] : [];
    const candidates = list.length > 0 ? list.map((p) => expandTokens(p, tok)) : DEFAULT_KEYS.map((k) => join(home, '.ssh', k));
    identityFiles = candidates.map((p) => resolve(p)).filter((p) => existsSync(p));
  }

  const jumpRaw = settings.proxyJump ?? first(c.proxyjump);
  const proxyJump = jumpRaw === undefined || jumpRaw === '' || jumpRaw.toLowerCase() === 'none' ? null : jumpRaw;
  return { hostName, user, port, identityFiles, proxyJump };
}

export interface JumpHop {
  host: string;
  user?: string;
  port?: number;
}

/** Splits "[user@]host[:port][,...]" (also "[v6addr]:port" and ssh:// URIs) into hops, first hop first. */
export function parseProxyJump(spec: string): JumpHop[] {
  return spec.split(',').map((part) => {
    let s = part.trim().replace(/^ssh:\/\//, '');
    if (s === '') throw new Error(`bad ProxyJump "${spec}": empty hop`);
    const hop: JumpHop = { host: '' };
    const at = s.lastIndexOf('@');
    if (at >= 0) {
      hop.user = s.slice(0, at);
      s = s.slice(at + 1);
    }
    const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(s) ?? /^([^:]+)(?::(\d+))?$/.exec(s);
    if (!m || !m[1]) throw new Error(`bad ProxyJump "${spec}": cannot read hop "${part.trim()}"`);
    hop.host = m[1];
    if (m[2] !== undefined) {
      const port = Number(m[2]);
      if (port < 1 || port > 65535) throw new Error(`bad ProxyJump "${spec}": bad port ${m[2]}`);
      hop.port = port;
    }
    return hop;
  });
}
