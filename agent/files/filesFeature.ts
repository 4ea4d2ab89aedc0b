/** Lets the GUI browse a node's files to pick a program (advanced execution). */
import { accessSync, constants, lstatSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { DirEntry } from '../../shared/protocol/agentFiles.js';
import { defineFeature } from '../daemon/feature.js';

const MAX_ENTRIES = 5000;

/** `path` arrives checked (agentJobs.validate.ts): absolute, "~" or "~/...". */
export function listDir(path: string): { path: string; entries: DirEntry[] } {
  const full = path === '~' ? homedir() : path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
  const dir = resolve(full);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a directory' : code === 'EACCES' ? 'is not readable by the agent' : undefined;
    // The errno is the system's, not one of our codes: EIO, with the errno in the words.
    throw new RpcError('EIO', why ? `${dir} ${why} (${code})` : `${dir}: ${(e as Error).message}`);
  }
  const entries: DirEntry[] = [];
  for (const name of names.sort().slice(0, MAX_ENTRIES)) {
    const p = join(dir, name);
    try {
      const l = lstatSync(p);
      const s = l.isSymbolicLink() ? statSync(p) : l;
      let executable = false;
      if (s.isFile()) {
        try {
          accessSync(p, constants.X_OK);
          executable = true;
        } catch {
          /* not executable */
        }
      }
      entries.push({ name, type: l.isSymbolicLink() ? 'link' : s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other', size: s.size, executable });
    } catch {
      entries.push({ name, type: 'other', size: 0, executable: false });
    }
  }
  return { path: dir, entries };
}

export const filesFeature = defineFeature({
  name: 'files',
  build: () => ({
    handlers: {
      'fs.list': ({ path }) => listDir(path),
    },
  }),
});
