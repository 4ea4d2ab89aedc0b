/**
 * Byte rates from cumulative counters: the sum over devices of each one's growth since the
 * last sample, per second. Per device, so a device that appears (a USB disk plugged in, a
 * veth created) adds nothing until it has an interval of its own, instead of its whole
 * history since boot in one second, and one that vanishes takes only itself away.
 */
import type { ByteCounters } from './ioText.js';

const TWO_32 = 2 ** 32;

/**
 * Growth of a counter from `before` to `now`. A counter that went back either wrapped at 32
 * bits (a 32-bit kernel's unsigned long: /proc/net/dev and diskstats) or was reset (its device
 * went and came back under the same name between two samples). A wrap leaves `before` below
 * 2^32 and `now` below `before`; the growth is then `now + 2^32 - before`. Anything else that
 * went back is a reset, counted from zero. A 64-bit wrap (2^64 bytes) is not reached.
 */
export function counterGrowth(before: number, now: number): number {
  if (now >= before) return now - before;
  if (before < TWO_32) return now + TWO_32 - before;
  return now;
}

export interface RatePair {
  /** Bytes per second in (disk read, network received) and out (disk written, network sent). */
  in: number;
  out: number;
}

/** Rates of one family of devices (disks or network interfaces), fed one reading a sample. */
export class DeviceRates {
  private last: Map<string, ByteCounters> | undefined;

  /**
   * The rates over `dtSec` since the last reading, or undefined for the first reading (there is no
   * interval yet) and for no reading at all (the file could not be read: nothing is known, and
   * the next reading starts again from there).
   */
  next(now: Map<string, ByteCounters> | undefined, dtSec: number): RatePair | undefined {
    const before = this.last;
    this.last = now;
    if (!now || !before || !(dtSec > 0)) return undefined;
    let grewIn = 0;
    let grewOut = 0;
    for (const [name, c] of now) {
      const b = before.get(name);
      if (!b) continue; // appeared: from the next sample on
      grewIn += counterGrowth(b.in, c.in);
      grewOut += counterGrowth(b.out, c.out);
    }
    return { in: grewIn / dtSec, out: grewOut / dtSec };
  }
}
