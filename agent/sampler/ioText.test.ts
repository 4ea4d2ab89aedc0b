import { describe, expect, it } from 'vitest';
import { diskCounted, netCounted, parseDiskstats, parseNetDev } from './ioText.js';

// A real /proc/diskstats of a virtual machine (kernel 6.x: 20 fields), with a partition and a dm device added.
const DISKSTATS = `   7       0 loop0 12 0 24 1 0 0 0 0 0 4 1 0 0 0 0 0 0
 254       0 vda 597487 47221 11108594 1137865 1652268 556559 34269232 616846 0 617500 2203332 1263683 999 24252808 354046 262398 94574
 254       1 vda1 597000 47000 11100000 1137000 1652000 556000 34260000 616000 0 617000 2203000 1263000 999 24252000 354000 262000 94000
 253       0 dm-0 100 0 800 1 200 0 1600 2 0 3 3
 252       0 zram0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
   8       0 sda 10 0 20 1 30 0 40 2 0 3 3
`;

const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 63492478436 2675131    0    0    0     0          0         0 63492478436 2675131    0    0    0     0       0          0
  eth0: 1715302819   88070    0    0    0     0          0         0  8815305   69255    0    0    0     0       0          0
mvt542ev1:12345678901   225    0    0    0     0          0         0   602747     522    0    0    0     0       0          0
`;

describe('parseDiskstats', () => {
  it('reads every device, sectors as 512-byte bytes read and written', () => {
    const m = parseDiskstats(DISKSTATS);
    expect([...m.keys()]).toEqual(['loop0', 'vda', 'vda1', 'dm-0', 'zram0', 'sda']);
    expect(m.get('vda')).toEqual({ in: 11108594 * 512, out: 34269232 * 512 });
    expect(m.get('dm-0')).toEqual({ in: 800 * 512, out: 1600 * 512 }); // an old kernel's 14 fields read the same
  });

  it('leaves out lines that are not of its shape', () => {
    expect([...parseDiskstats('garbage\n8 0 sda 0 0 x 0 0 0 0 0\n\n 8 1 sdb 1 2\n').keys()]).toEqual([]);
  });
});

describe('diskCounted', () => {
  // As sysfs has it on that machine: only the whole disks backed by a device have the link.
  const hasDevice = (name: string) => name === 'vda' || name === 'sda' || name === 'cciss!c0d0';

  it('counts whole disks only: not partitions, device-mapper, loop or zram, whose bytes a disk counts already (or which are memory)', () => {
    const counted = [...parseDiskstats(DISKSTATS).keys()].filter((n) => diskCounted(n, hasDevice));
    expect(counted).toEqual(['vda', 'sda']);
  });

  it('asks sysfs by the name sysfs uses (a slash becomes "!")', () => {
    expect(diskCounted('cciss/c0d0', hasDevice)).toBe(true);
    expect(diskCounted('', () => true)).toBe(false);
  });
});

describe('parseNetDev', () => {
  it('reads bytes received and sent per interface, also a name touching its first figure', () => {
    const m = parseNetDev(NET_DEV);
    expect(m.get('eth0')).toEqual({ in: 1715302819, out: 8815305 });
    expect(m.get('mvt542ev1')).toEqual({ in: 12345678901, out: 602747 });
    expect([...m.keys()]).toEqual(['lo', 'eth0', 'mvt542ev1']); // the two header lines are not interfaces
  });

  it('leaves out lines that are not of its shape', () => {
    expect(parseNetDev('eth0: 1 2 3\nx: a 0 0 0 0 0 0 0 0\n: 1 2 3 4 5 6 7 8 9\n').size).toBe(0);
  });

  it('counts every interface but the loopback', () => {
    expect([...parseNetDev(NET_DEV).keys()].filter(netCounted)).toEqual(['eth0', 'mvt542ev1']);
  });
});
