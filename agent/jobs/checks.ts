/**
 * The I/O half of "can it move": what the job's processes have open or mapped, read from
 * /proc (and `ss` for the far ends of unix sockets). agent/jobs/cantMove.ts decides.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import type { FileFact } from './cantMove.js';
import { readSmallFile } from '../sampler/procfs.js';

const DELETED = ' (deleted)';

function fdLinks(pid: number): [string, string][] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const out: [string, string][] = [];
  for (const fd of fds) {
    try {
      out.push([fd, readlinkSync(`/proc/${pid}/fd/${fd}`)]);
    } catch {
      /* closed meanwhile */
    }
  }
  return out;
}

/** inode -> "local -> remote" for this node's TCP and UDP sockets. */
function inetSockets(): Map<string, { kind: 'tcp' | 'udp'; desc: string }> {
  const out = new Map<string, { kind: 'tcp' | 'udp'; desc: string }>();
  for (const [file, kind] of [['tcp', 'tcp'], ['tcp6', 'tcp'], ['udp', 'udp'], ['udp6', 'udp']] as const) {
    const text = readSmallFile(`/proc/net/${file}`, 8 << 20) ?? '';
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const port = (a: string | undefined) => parseInt(a?.split(':')[1] ?? '0', 16);
      const listening = f[3] === '0A' || (kind === 'udp' && port(f[2]) === 0);
      const desc = listening ? `${kind.toUpperCase()} port ${port(f[1])}` : `${kind.toUpperCase()} port ${port(f[1])} to remote port ${port(f[2])}`;
      out.set(f[9]!, { kind, desc });
    }
  }
  return out;
}

/** Unix socket inode -> its peer's inode, from `ss` (not in /proc); empty without ss. */
function unixPeers(): Map<string, string> {
  const out = new Map<string, string>();
  let text = '';
  try {
    text = execFileSync('ss', ['-x', '-a', '-n', '-H'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 8) out.set(f[f.length - 3]!, f[f.length - 1]!);
  }
  return out;
}

/** inode -> "process PID (comm)" for every holder outside `inside`, found by one scan of /proc. */
function holdersOutside(inodes: Set<string>, inside: Set<number>): Map<string, string> {
  const out = new Map<string, string>();
  if (inodes.size === 0) return out;
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!pid || inside.has(pid)) continue;
    for (const [, link] of fdLinks(pid)) {
      const ino = /^(?:pipe|socket):\[(\d+)\]$/.exec(link)?.[1];
      if (ino && inodes.has(ino) && !out.has(ino)) {
        const comm = readSmallFile(`/proc/${pid}/comm`)?.trim() ?? '?';
        out.set(ino, `process ${pid} (${comm})`);
      }
    }
  }
  return out;
}

function classifyPath(path: string): FileFact['kind'] {
  if (/^\/dev\/(pts\/|tty|console)/.test(path)) return 'tty';
  if (path.startsWith('/dev/') && !path.startsWith('/dev/shm/')) return 'device';
  return 'file';
}

/** Everything the processes have open or mapped that could keep them from moving. */
export function gatherFiles(pids: readonly number[]): FileFact[] {
  const inside = new Set(pids);
  const facts: FileFact[] = [];
  const pipes = new Map<string, FileFact[]>();
  const unix = new Map<string, FileFact[]>();
  let inet: ReturnType<typeof inetSockets> | undefined;
  for (const pid of pids) {
    for (const [fd, link] of fdLinks(pid)) {
      const where = `fd ${fd}`;
      const obj = /^(pipe|socket|anon_inode):\[?([^\]]*)\]?$/.exec(link);
      if (obj?.[1] === 'pipe') {
        const f: FileFact = { pid, where, kind: 'pipe', path: link };
        pipes.set(obj[2]!, [...(pipes.get(obj[2]!) ?? []), f]);
        facts.push(f);
      } else if (obj?.[1] === 'socket') {
        inet ??= inetSockets();
        const s = inet.get(obj[2]!);
        if (s) facts.push({ pid, where, kind: s.kind, path: s.desc });
        else {
          const f: FileFact = { pid, where, kind: 'unix', path: link };
          unix.set(obj[2]!, [...(unix.get(obj[2]!) ?? []), f]);
          facts.push(f);
        }
      } else if (obj?.[1] === 'anon_inode') facts.push({ pid, where, kind: 'anon', path: link });
      else if (link.startsWith('/')) {
        const deleted = link.endsWith(DELETED);
        const path = deleted ? link.slice(0, -DELETED.length) : link;
        const f: FileFact = { pid, where, kind: classifyPath(path), path };
        if (deleted) {
          try {
            f.deletedSize = statSync(`/proc/${pid}/fd/${fd}`).size;
          } catch {
            f.deletedSize = 0;
          }
        }
        facts.push(f);
      } else facts.push({ pid, where, kind: 'other', path: link });
    }
    try {
      facts.push({ pid, where: 'working directory', kind: 'dir', path: readlinkSync(`/proc/${pid}/cwd`) });
    } catch {
      /* gone */
    }
    const maps = readSmallFile(`/proc/${pid}/maps`, 16 << 20) ?? '';
    const mapped = new Set<string>();
    for (const line of maps.split('\n')) {
      const p = line.slice(line.indexOf('/'));
      // memfd and shared anonymous memory are carried in the image.
      if (line.includes('/') && !p.startsWith('/memfd:') && !p.startsWith('/dev/zero') && !p.startsWith('/SYSV')) mapped.add(p);
    }
    for (const p of mapped) {
      const deleted = p.endsWith(DELETED);
      facts.push({ pid, where: 'mapped file', kind: 'file', path: deleted ? p.slice(0, -DELETED.length) : p });
    }
  }
  // A pipe or socket is fine when both ends are in the job; otherwise name the outsider.
  const peers = unix.size ? unixPeers() : new Map<string, string>();
  const wanted = new Set<string>([...pipes.keys()]);
  const unixInside = new Set(unix.keys());
  for (const [ino] of unix) {
    const peer = peers.get(ino);
    if (peer && peer !== '0' && !unixInside.has(peer)) wanted.add(peer);
  }
  const outside = holdersOutside(wanted, inside);
  for (const [ino, list] of pipes) for (const f of list) if (outside.has(ino)) f.peerOutside = outside.get(ino)!;
  for (const [ino, list] of unix) {
    const peer = peers.get(ino);
    if (!peer || peer === '0' || unixInside.has(peer)) continue;
    for (const f of list) f.peerOutside = outside.get(peer) ?? 'a process outside the job';
  }
  return facts;
}
