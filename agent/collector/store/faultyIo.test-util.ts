/**
 * For tests: node's file calls, except those told to fail, as a full disk, a read-only
 * remount or a failing disk would make them fail (with the errno Node would throw).
 */
import { basename } from 'node:path';
import { nodeIo, type WriteIo } from './writeIo.js';

export type IoCall = keyof WriteIo;

export interface Fault {
  call: IoCall;
  /** Only calls on this file (its base name: mosix.load, mosix.idx, mosix.sum) or, for renameSync, from this directory's base name. */
  file?: string;
  code: string;
  /** writeSync: bytes really written before it fails (a write torn by a full disk). */
  written?: number;
  /** writeSync: return after `written` bytes instead of throwing (a short write). */
  short?: boolean;
  /** How many matching calls fail (default 1; Infinity until `heal`). */
  times?: number;
}

export class FaultyIo implements WriteIo {
  private faults: Fault[] = [];
  private readonly names = new Map<number, string>();
  /** Matching calls that failed, by call. */
  readonly failed: Record<IoCall, number> = { openSync: 0, writeSync: 0, fdatasyncSync: 0, ftruncateSync: 0, renameSync: 0 };

  fail(f: Fault): this {
    this.faults.push({ times: 1, ...f });
    return this;
  }

  heal(): void {
    this.faults = [];
  }

  private take(call: IoCall, file: string | undefined): Fault | undefined {
    const f = this.faults.find((x) => x.call === call && (x.file === undefined || x.file === file));
    if (!f) return undefined;
    f.times!--;
    if (f.times! <= 0) this.faults = this.faults.filter((x) => x !== f);
    this.failed[call]++;
    return f;
  }

  private error(f: Fault, what: string): NodeJS.ErrnoException {
    return Object.assign(new Error(`${f.code}: injected failure, ${what}`), { code: f.code, syscall: what });
  }

  openSync(path: string, flags: string): number {
    const f = this.take('openSync', basename(path));
    if (f) throw this.error(f, `open '${path}'`);
    const fd = nodeIo.openSync(path, flags);
    this.names.set(fd, basename(path));
    return fd;
  }

  writeSync(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number {
    const f = this.take('writeSync', this.names.get(fd));
    if (!f) return nodeIo.writeSync(fd, buf, offset, length, position);
    const part = Math.min(f.written ?? 0, length);
    if (part > 0) nodeIo.writeSync(fd, buf, offset, part, position);
    if (f.short && part > 0) return part;
    throw this.error(f, 'write');
  }

  fdatasyncSync(fd: number): void {
    const f = this.take('fdatasyncSync', this.names.get(fd));
    if (f) throw this.error(f, 'fdatasync');
    nodeIo.fdatasyncSync(fd);
  }

  ftruncateSync(fd: number, len: number): void {
    const f = this.take('ftruncateSync', this.names.get(fd));
    if (f) throw this.error(f, 'ftruncate');
    nodeIo.ftruncateSync(fd, len);
  }

  renameSync(from: string, to: string): void {
    const f = this.take('renameSync', basename(from));
    if (f) throw this.error(f, `rename '${from}' -> '${to}'`);
    nodeIo.renameSync(from, to);
  }
}
