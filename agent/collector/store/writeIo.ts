/**
 * The file calls of the history store that a full disk, a read-only remount or an I/O
 * error can make fail. Node's own by default; tests pass one that fails on cue, so every
 * failure path is exercised without a broken disk.
 */
import { fdatasyncSync, ftruncateSync, openSync, renameSync, writeSync } from 'node:fs';

export interface WriteIo {
  openSync(path: string, flags: string): number;
  writeSync(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number;
  fdatasyncSync(fd: number): void;
  ftruncateSync(fd: number, len: number): void;
  renameSync(from: string, to: string): void;
}

export const nodeIo: WriteIo = {
  openSync: (path, flags) => openSync(path, flags),
  writeSync: (fd, buf, offset, length, position) => writeSync(fd, buf, offset, length, position),
  fdatasyncSync: (fd) => fdatasyncSync(fd),
  ftruncateSync: (fd, len) => ftruncateSync(fd, len),
  renameSync: (from, to) => renameSync(from, to),
};
