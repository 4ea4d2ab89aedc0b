/**
 * The first line of a transfer connection, checked before a byte is written: names that
 * are plain file names, sizes that are whole numbers, and no more than this node takes.
 */
import type { TransferHeader } from '../../shared/protocol/peer.js';

/**
 * What one transfer may announce, in all and per file. A CRIU image is about the memory of
 * the job it holds, and a job worth migrating between ordinary nodes is rarely above a few
 * tens of GiB; without a bound, one header (from a key holder, or a bug) could make a node
 * fill its disk with one transfer. 64 GiB keeps every plausible job movable; a node that
 * runs bigger jobs raises it with MOSIXVIEW_TRANSFER_MAX_BYTES. The free space of the target
 * disk is checked as well when the transfer starts (transfer.ts), and a disk that fills up
 * anyway fails the transfer cleanly.
 */
export const DEFAULT_MAX_TRANSFER_BYTES = 64 * 1024 ** 3;
export const MAX_TRANSFER_ENV = 'MOSIXVIEW_TRANSFER_MAX_BYTES';
/** CRIU writes a few files per process and thread; far more is not an image. */
export const MAX_TRANSFER_FILES = 10_000;

const SAFE_NAME = /^[A-Za-z0-9._-]{1,200}$/;

/** The limit from the environment: a whole number of bytes, else the default. */
export function maxTransferBytes(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env[MAX_TRANSFER_ENV]);
  return Number.isSafeInteger(v) && v > 0 ? v : DEFAULT_MAX_TRANSFER_BYTES;
}

export function formatBytes(n: number): string {
  const units: [number, string][] = [
    [1024 ** 3, 'GiB'],
    [1024 ** 2, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, unit] of units) if (n >= size) return `${(n / size).toFixed(1)} ${unit}`;
  return `${n} B`;
}

function bad(what: string): Error {
  return new Error(`bad transfer header: ${what}`);
}

function shown(v: unknown): string {
  return (JSON.stringify(v) ?? String(v)).slice(0, 100);
}

/** The header, or an Error saying what is wrong with it (or that it is too big for this node). */
export function checkHeader(h: unknown, maxBytes = DEFAULT_MAX_TRANSFER_BYTES): TransferHeader {
  if (typeof h !== 'object' || h === null || Array.isArray(h)) throw bad(`not an object: ${shown(h)}`);
  const t = h as Record<string, unknown>;
  if (typeof t.transfer !== 'string' || !SAFE_NAME.test(t.transfer)) throw bad(`"transfer" must be a plain name, not ${shown(t.transfer)}`);
  if (!Number.isSafeInteger(t.from) || (t.from as number) < 1) throw bad(`"from" must be a node number, not ${shown(t.from)}`);
  if (!Array.isArray(t.files)) throw bad(`"files" must be a list, not ${shown(t.files)}`);
  if (t.files.length > MAX_TRANSFER_FILES) throw bad(`${t.files.length} files, more than the ${MAX_TRANSFER_FILES} an image can have`);
  const names = new Set<string>();
  let total = 0;
  for (const f of t.files as unknown[]) {
    const e = f as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null) throw bad(`file entry ${shown(f)} is not an object`);
    if (typeof e.name !== 'string' || !SAFE_NAME.test(e.name) || e.name.startsWith('.') || e.name.endsWith('.part')) {
      throw bad(`file entry ${shown(f)}: "name" must be a plain file name`);
    }
    if (!Number.isSafeInteger(e.size) || (e.size as number) < 0) throw bad(`file entry ${shown(f)}: "size" must be a whole number of bytes`);
    if (names.has(e.name)) throw bad(`file ${e.name} is announced twice`);
    names.add(e.name);
    const size = e.size as number;
    if (size > maxBytes) throw tooBig(`file ${e.name} of ${formatBytes(size)}`, maxBytes);
    total += size;
  }
  if (total > maxBytes) throw tooBig(`${t.files.length} files of ${formatBytes(total)} in all`, maxBytes);
  return t as unknown as TransferHeader;
}

function tooBig(what: string, maxBytes: number): Error {
  return new Error(`${what} is over this node's limit of ${formatBytes(maxBytes)} per transfer (${MAX_TRANSFER_ENV} on that node raises it)`);
}
