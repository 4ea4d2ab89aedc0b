/**
 * Disk and network rates as the GUI writes them: bytes per second counted in powers of 1024,
 * as memory is (kB = 1024 bytes), and as the history keeps them (to the kB/s).
 */
import type { NodeIo } from '../shared/domain/node.js';

const UNITS = ['', 'k', 'M', 'G', 'T'] as const;

/** "0", "512", "45k", "1.2M": at most four characters and a unit letter, for the main window's row. */
export function formatRateShort(bps: number): string {
  let v = Math.max(0, bps);
  let u = 0;
  while (u < UNITS.length - 1 && Math.round(v) >= 1000) {
    v /= 1024;
    u++;
  }
  // Tenths below 10 (1.2M), whole numbers above (45k); never "1000k": that is 1.0M.
  const text = u > 0 && v < 9.95 ? v.toFixed(1) : String(Math.round(v));
  return text + UNITS[u];
}

/** "1.2 MB/s", "45 kB/s", "300 B/s": the long form, for titles and tables. */
export function formatRate(bps: number): string {
  return longRate(formatRateShort(bps));
}

/** The long form of a short figure ("45k" -> "45 kB/s"). */
export function longRate(short: string): string {
  return /[kMGT]$/.test(short) ? `${short.slice(0, -1)} ${short.slice(-1)}B/s` : `${short} B/s`;
}

/** A pair of rates as the row shows it ("1.2M/0.3M"), or undefined when the node did not measure them. */
export function ratePair(a: number | undefined, b: number | undefined): string | undefined {
  return a === undefined || b === undefined ? undefined : `${formatRateShort(a)}/${formatRateShort(b)}`;
}

export const diskPair = (io: NodeIo | undefined) => ratePair(io?.diskReadBps, io?.diskWriteBps);
export const netPair = (io: NodeIo | undefined) => ratePair(io?.netRxBps, io?.netTxBps);
