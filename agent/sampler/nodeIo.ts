/** Reads the node's disk and network counters under the sampler's root and turns them into rates (ioText.ts, ioRates.ts). */
import { existsSync } from 'node:fs';
import type { NodeIo } from '../../shared/domain/node.js';
import { DeviceRates } from './ioRates.js';
import { diskCounted, netCounted, parseDiskstats, parseNetDev, type ByteCounters } from './ioText.js';
import type { ProcReader } from './procfs.js';

export class NodeIoSampler {
  private readonly disks = new DeviceRates();
  private readonly nets = new DeviceRates();
  /** Whether a device name is a whole disk: asked of sysfs once per name, as a disk does not change its kind. */
  private readonly wholeDisk = new Map<string, boolean>();

  constructor(private readonly reader: ProcReader) {}

  /** Rates over `dtSec` seconds since the last call; undefined on the first call or when nothing could be read. */
  sample(dtSec: number): NodeIo | undefined {
    const diskText = this.reader.readEverySample('proc/diskstats');
    const netText = this.reader.readEverySample('proc/net/dev');
    const disk = this.disks.next(diskText === undefined ? undefined : only(parseDiskstats(diskText), (n) => diskCounted(n, (d) => this.isDisk(d))), dtSec);
    const net = this.nets.next(netText === undefined ? undefined : only(parseNetDev(netText), netCounted), dtSec);
    if (!disk && !net) return undefined;
    return {
      ...(disk ? { diskReadBps: Math.round(disk.in), diskWriteBps: Math.round(disk.out) } : {}),
      ...(net ? { netRxBps: Math.round(net.in), netTxBps: Math.round(net.out) } : {}),
    };
  }

  private isDisk(name: string): boolean {
    let yes = this.wholeDisk.get(name);
    if (yes === undefined) this.wholeDisk.set(name, (yes = existsSync(this.reader.path('sys/block', name, 'device'))));
    return yes;
  }
}

function only(m: Map<string, ByteCounters>, keep: (name: string) => boolean): Map<string, ByteCounters> {
  for (const name of m.keys()) if (!keep(name)) m.delete(name);
  return m;
}
