/** A simulated node's disk: files and directories in memory, which outlive the node's agent (crashes keep them). */
import { posix } from 'node:path';
import type { ImageFile } from '../../jobs/host.js';

export class SimDisk {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>(['/']);

  write(path: string, text: string): void {
    this.mkdirs(posix.dirname(path));
    this.files.set(path, text);
  }

  mkdirs(dir: string): void {
    for (let d = dir; d !== '/' && !this.dirs.has(d); d = posix.dirname(d)) this.dirs.add(d);
  }

  /** The names directly in `dir` (files and directories); none when it does not exist. */
  list(dir: string): string[] {
    if (!this.dirs.has(dir)) return [];
    const pre = dir.endsWith('/') ? dir : `${dir}/`;
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs]) if (p.startsWith(pre) && p.length > pre.length) names.add(p.slice(pre.length).split('/')[0]!);
    return [...names];
  }

  /** Removes a file, or a directory with all it holds. */
  remove(path: string): void {
    for (const p of [...this.files.keys()]) if (p === path || p.startsWith(`${path}/`)) this.files.delete(p);
    for (const d of [...this.dirs]) if (d === path || d.startsWith(`${path}/`)) this.dirs.delete(d);
  }

  images(dir: string): ImageFile[] {
    return [...this.files].filter(([p]) => p.startsWith(`${dir}/`)).map(([p, t]) => ({ name: p.slice(dir.length + 1), size: t.length }));
  }
}
