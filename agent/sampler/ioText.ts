/**
 * Parsers for the I/O counters the sampler turns into rates (ioRates.ts): /proc/diskstats
 * and /proc/net/dev. Pure, like procText.ts: text in, cumulative byte counters out.
 */

/** Cumulative bytes of one device since it appeared (or since boot). */
export interface ByteCounters {
  /** Disk: bytes read; network: bytes received. */
  in: number;
  /** Disk: bytes written; network: bytes sent. */
  out: number;
}

/** diskstats counts in 512-byte sectors whatever the device's own sector size (Documentation/admin-guide/iostats.rst). */
export const DISKSTATS_SECTOR_BYTES = 512;

/**
 * /proc/diskstats: `major minor name reads merged sectors-read ms writes merged sectors-written ...`,
 * one device a line (partitions and virtual devices included: diskCounted() chooses). A line
 * that is not of that shape is left out, not guessed at.
 */
export function parseDiskstats(text: string): Map<string, ByteCounters> {
  const out = new Map<string, ByteCounters>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const read = Number(f[5]);
    const written = Number(f[9]);
    if (!Number.isFinite(read) || !Number.isFinite(written) || !f[2]) continue;
    out.set(f[2], { in: read * DISKSTATS_SECTOR_BYTES, out: written * DISKSTATS_SECTOR_BYTES });
  }
  return out;
}

/**
 * Which devices of diskstats make the node's disk figure: whole disks only. A partition's
 * bytes are already its disk's, and the stacked virtual devices (dm-* for LVM and dm-crypt,
 * md* RAID, loop* over a file, whose bytes reach a disk again) would count the same bytes
 * twice or more; zram and ram* are memory, not disk. The kernel marks a whole disk backed by a
 * device (SATA, NVMe, virtio, SCSI, MMC) with /sys/block/NAME/device, which partitions (not in
 * /sys/block at all) and all of those virtual devices lack: that link is the test, so no list
 * of driver names has to be kept up to date. `hasDevice` asks sysfs.
 */
export function diskCounted(name: string, hasDevice: (name: string) => boolean): boolean {
  // Names with a slash cannot be a /sys/block entry (the kernel writes cciss/c0d0 as cciss!c0d0 there).
  return name.length > 0 && hasDevice(name.replace(/\//g, '!'));
}

/**
 * /proc/net/dev: two header lines, then `name: rx-bytes rx-packets ... (8 fields) tx-bytes ...`.
 * The name and the first figure may touch (`eth0:1234`) when the figure is wide.
 */
export function parseNetDev(text: string): Map<string, ByteCounters> {
  const out = new Map<string, ByteCounters>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/);
    if (!name || f.length < 9) continue;
    const rx = Number(f[0]);
    const tx = Number(f[8]);
    if (!Number.isFinite(rx) || !Number.isFinite(tx)) continue;
    out.set(name, { in: rx, out: tx });
  }
  return out;
}

/**
 * The node's network figure leaves out the loopback: bytes a node sends itself never leave
 * it. Every other interface counts, virtual ones too: on the test cluster a node's only
 * interface is its veth, and a real node's traffic may leave by a bridge or a VLAN device.
 */
export const netCounted = (name: string): boolean => name !== 'lo';
