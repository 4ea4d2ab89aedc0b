/** The node's real processes, CRIU and state directory behind the interfaces of host.ts. */
import { execFileSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CriuFacts } from '../../shared/jobs/targetFacts.js';
import { readSmallFile } from '../sampler/procfs.js';
import { syncDir, writeAtomic } from '../stateDir.js';
import { gatherFiles } from './checks.js';
import { dump, locateCriu, pageServer, probeCriu, restore } from './criu.js';
import { StreamPageChannel, type PageChannel } from './pageChannel.js';
import type { Checkpointer, ImageFile, ProcessHost, StateFiles } from './host.js';
import { processTree, processUid, readStat, renicePids, sameProcess, signalPids, stoppedIn } from './procTree.js';

export const realProcessHost: ProcessHost = {
  alive: sameProcess,
  startTime: (pid) => readStat(pid)?.starttime,
  tree: processTree,
  signal: signalPids,
  stopped: stoppedIn,
  renice: renicePids,
  openFiles: gatherFiles,
  uidOf: processUid,
  adoptAffinity(pids) {
    const list = /Cpus_allowed_list:\s*(\S+)/.exec(readSmallFile('/proc/self/status') ?? '')?.[1];
    if (!list) return;
    for (const p of pids) {
      try {
        execFileSync('taskset', ['-a', '-c', '-p', list, String(p)], { stdio: 'ignore', timeout: 5000 });
      } catch {
        /* best effort: without taskset the job keeps the source's CPU mask */
      }
    }
  },
};

function listImages(dir: string, prefix = ''): ImageFile[] {
  const out: ImageFile[] = [];
  let entries;
  try {
    entries = readdirSync(join(dir, prefix), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const name = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isFile()) out.push({ name, size: statSync(join(dir, name)).size });
    else if (e.isDirectory()) out.push(...listImages(dir, name));
  }
  return out;
}

export const realStateFiles: StateFiles = {
  write: (path, text) => writeAtomic(path, text),
  append(path, text) {
    const fd = openSync(path, 'a', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    syncDir(dirname(path));
  },
  read(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  list(dir) {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
  mkdir: (dir) => void mkdirSync(dir, { recursive: true, mode: 0o700 }),
  remove: (path) => rmSync(path, { recursive: true, force: true }),
  images: (dir) => listImages(dir),
  mtime(path) {
    try {
      return statSync(path).mtimeMs;
    } catch {
      return 0;
    }
  },
};

/** CRIU found through the config or PATH, probed once (and again on `facts(true)`). */
export function realCheckpointer(opts: { configured?: string; env?: NodeJS.ProcessEnv; timeoutMs: number; node: () => string }): Checkpointer {
  let probed: Promise<CriuFacts> | undefined;
  const path = async () => {
    const f = await facts();
    if (!f.path) throw new Error('CRIU is not available on this node');
    return f.path;
  };
  const facts = (refresh = false): Promise<CriuFacts> => {
    if (!probed || refresh) {
      probed = probeCriu(locateCriu(opts.configured, opts.env)).catch((e: Error) => ({ preDump: false, problem: e.message }));
    }
    return probed;
  };
  return {
    facts,
    dump: async (pid, dir, o) => dump(await path(), { pid, dir, timeoutMs: opts.timeoutMs, node: opts.node(), ...o, pages: o.pages && streamOf(o.pages) }),
    pageServer: async (dir, pages, o = {}) => pageServer(await path(), dir, streamOf(pages), opts.timeoutMs, opts.node(), o.prevDir),
    restore: async (dir) => restore(await path(), dir, opts.timeoutMs, opts.node()),
  };
}

/** The real checkpointer bridges only real page channels (a simulation brings its own of both). */
function streamOf(ch: PageChannel): StreamPageChannel {
  if (!(ch instanceof StreamPageChannel)) throw new Error('internal: a page channel that is not a byte stream reached CRIU');
  return ch;
}
