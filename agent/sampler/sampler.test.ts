import { afterEach, describe, expect, it } from 'vitest';
import { ProcReader } from './procfs.js';
import { nodeCpus, nodeMemory } from './cgroup.js';
import { Sampler } from './sampler.js';
import { FakeRoot } from './fixture.test-util.js';

let roots: FakeRoot[] = [];
afterEach(() => {
  for (const r of roots) r.dispose();
  roots = [];
});
function fake(): FakeRoot {
  const f = new FakeRoot();
  roots.push(f);
  return f;
}
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('Sampler on a fixture /proc', () => {
  it('gives cpu %, demand, load and util from utime deltas', () => {
    const f = fake()
      .proc({ pid: 1, comm: 'init', ppid: 0, utime: 5 })
      .proc({ pid: 10, comm: 'busy', utime: 100, stime: 0, state: 'R', uid: 1000, cmdline: ['busy', '--hard'], rss: 256, nice: 5 })
      .proc({ pid: 11, comm: 'half', utime: 50, stime: 50, state: 'S' })
      .proc({ pid: 12, comm: 'agent', utime: 0, state: 'R' })
      .proc({ pid: 2, ppid: 0, comm: 'kthreadd', flags: 0x208040, cmdline: [] })
      .proc({ pid: 20, ppid: 2, comm: 'kworker/0:1', flags: 0x208040, state: 'R', utime: 999, cmdline: [] });
    const c = clock();
    const s = new Sampler({ procRoot: f.root, selfPids: () => [12], speed: () => 42000, now: c.now });

    const first = s.sample();
    // First sample: no interval, so only runnable processes count (busy; agent excluded).
    expect(first.sample).toMatchObject({ demand: 1, load: 1, util: 0, cpus: 4, speed: 42000, procCount: 4, t: 1_000_000 });
    expect(first.procs.map((p) => p.pid).sort((a, b) => a - b)).toEqual([1, 10, 11, 12]);

    // 2 s later: busy used 200 ticks (1 CPU), half 100 ticks (0.5 CPU), agent 40 ticks.
    f.proc({ pid: 10, comm: 'busy', utime: 250, stime: 50, state: 'R', uid: 1000, cmdline: ['busy', '--hard'], rss: 256, nice: 5 })
      .proc({ pid: 11, comm: 'half', utime: 100, stime: 100, state: 'S' })
      .proc({ pid: 12, comm: 'agent', utime: 40, state: 'R' });
    c.advance(2000);
    const second = s.sample();
    const by = new Map(second.procs.map((p) => [p.pid, p]));
    expect(by.get(10)).toEqual({
      pid: 10, ppid: 1, user: 'alice', command: 'busy', args: 'busy --hard', state: 'R', cpu: 100, rssKb: 1024, nice: 5, where: 0,
    });
    expect(by.get(11)?.cpu).toBe(50);
    expect(by.get(12)?.cpu).toBe(20);
    expect(by.get(1)?.cpu).toBe(0);
    expect(second.sample.demand).toBe(1.5); // max(1, 1) + max(0, 0.5); agent excluded
    expect(second.sample.load).toBe(1.5); // rises at once
    expect(second.sample.util).toBe(37.5); // 1.5 CPU of 4
    expect(second.sample.t).toBe(1_002_000);
  });

  it('does not let a reused PID inherit history, and counts a new process fully', () => {
    const f = fake().proc({ pid: 10, comm: 'old', utime: 500, starttime: 100 });
    const c = clock();
    const s = new Sampler({ procRoot: f.root, speed: () => 1, now: c.now });
    s.sample();
    // pid 10 exited and was reused by a process that started since and used 30 ticks.
    f.proc({ pid: 10, comm: 'new', utime: 30, starttime: 900, uid: 1000 });
    c.advance(1000);
    const { procs, sample } = s.sample();
    expect(procs[0]).toMatchObject({ pid: 10, command: 'new', cpu: 30, user: 'alice' });
    expect(sample.demand).toBe(0.3);
  });

  it('smooths load: rises at once, falls as (7*old+new)/8', () => {
    const f = fake();
    for (let pid = 10; pid < 14; pid++) f.proc({ pid, state: 'R' });
    const c = clock();
    const s = new Sampler({ procRoot: f.root, speed: () => 1, now: c.now });
    expect(s.sample().sample.load).toBe(4);
    for (let pid = 10; pid < 14; pid++) f.proc({ pid, state: 'S' });
    c.advance(1000);
    expect(s.sample().sample.load).toBe(3.5); // (7*4 + 0)/8
    c.advance(1000);
    expect(s.sample().sample.load).toBe(3.063); // (7*3.5)/8 = 3.0625
    f.proc({ pid: 10, state: 'R' }).proc({ pid: 11, state: 'R' }).proc({ pid: 12, state: 'R' }).proc({ pid: 13, state: 'R' }).proc({ pid: 14, state: 'R' });
    c.advance(1000);
    expect(s.sample().sample.load).toBe(5);
  });

  it('skips processes that vanish, zombies count in the list but not in demand', () => {
    const f = fake().proc({ pid: 10, state: 'Z', comm: 'defunct', cmdline: [] }).proc({ pid: 11 });
    f.file('proc/12/stat', ''); // gone between readdir and read
    const s = new Sampler({ procRoot: f.root, speed: () => 1 });
    const r = s.sample();
    expect(r.procs.map((p) => [p.pid, p.state, p.args])).toEqual(expect.arrayContaining([[10, 'Z', ''], [11, 'S', 'proc']]));
    expect(r.sample.procCount).toBe(2);
    expect(r.sample.demand).toBe(0);
    expect(r.sample.hostname.length).toBeGreaterThan(0);
  });

  it('caps util at 100 and shows unknown uids as numbers', () => {
    const f = fake().file('proc/self/status', 'Cpus_allowed_list:\t0\n').proc({ pid: 10, uid: 4242 }).proc({ pid: 11 });
    const c = clock();
    const s = new Sampler({ procRoot: f.root, speed: () => 1, now: c.now });
    s.sample();
    f.proc({ pid: 10, uid: 4242, utime: 100 }).proc({ pid: 11, utime: 100 });
    c.advance(1000);
    const r = s.sample();
    expect(r.sample.util).toBe(100);
    expect(r.sample.cpus).toBe(1);
    expect(r.procs.find((p) => p.pid === 10)?.user).toBe('4242');
  });
});

describe('cpus', () => {
  it('counts Cpus_allowed_list', () => {
    const f = fake().file('proc/self/status', 'Cpus_allowed_list:\t0-3,6\n');
    expect(nodeCpus(new ProcReader(f.root), () => 64)).toBe(5);
  });
  it('applies a cgroup v2 cpu.max quota on the own cgroup or an ancestor', () => {
    const f = fake()
      .file('proc/self/status', 'Cpus_allowed_list:\t0-7\n')
      .file('proc/self/cgroup', '0::/node/n1\n')
      .file('sys/fs/cgroup/cgroup.controllers', 'cpu memory\n')
      .file('sys/fs/cgroup/node/n1/cpu.max', 'max 100000\n')
      .file('sys/fs/cgroup/node/cpu.max', '250000 100000\n');
    expect(nodeCpus(new ProcReader(f.root), () => 64)).toBe(3); // ceil(2.5)
  });
  it('applies a cgroup v1 cfs quota', () => {
    const f = fake()
      .file('proc/self/status', 'Cpus_allowed_list:\t0-7\n')
      .file('proc/self/cgroup', '3:cpu,cpuacct:/docker/abc\n2:memory:/docker/abc\n')
      .file('sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us', '100000\n')
      .file('sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us', '100000\n');
    expect(nodeCpus(new ProcReader(f.root), () => 64)).toBe(1);
  });
  it('ignores an unlimited quota, never goes below 1, falls back without a list', () => {
    const f = fake()
      .file('proc/self/status', 'Cpus_allowed_list:\t0-1\n')
      .file('proc/self/cgroup', '1:cpu:/\n')
      .file('sys/fs/cgroup/cpu/cpu.cfs_quota_us', '-1\n')
      .file('sys/fs/cgroup/cpu/cpu.cfs_period_us', '100000\n');
    expect(nodeCpus(new ProcReader(f.root), () => 64)).toBe(2);
    f.file('sys/fs/cgroup/cpu/cpu.cfs_quota_us', '20000\n');
    expect(nodeCpus(new ProcReader(f.root), () => 64)).toBe(1);
    f.file('proc/self/status', 'Name:\tx\n').file('sys/fs/cgroup/cpu/cpu.cfs_quota_us', '-1\n');
    expect(nodeCpus(new ProcReader(f.root), () => 6)).toBe(6);
  });
  it("asks for the OS's CPU count only when there is no affinity list (os.cpus() reads /proc/cpuinfo)", () => {
    const f = fake().file('proc/self/status', 'Cpus_allowed_list:\t0-2\n');
    let asked = 0;
    const osCount = () => (asked++, 16);
    expect(nodeCpus(new ProcReader(f.root), osCount)).toBe(3);
    expect(asked).toBe(0);
    f.file('proc/self/status', 'Name:\tx\n');
    expect(nodeCpus(new ProcReader(f.root), osCount)).toBe(16);
    expect(asked).toBe(1);
  });
});

describe('memory', () => {
  it('takes meminfo without a cgroup limit', () => {
    const f = fake().meminfo(8_000_000, 5_000_000, 6_000_000);
    expect(nodeMemory(new ProcReader(f.root))).toEqual({ totalKb: 8_000_000, freeKb: 5_000_000, availableKb: 6_000_000 });
    // v1 "unlimited" is a huge number: ignored.
    f.file('proc/self/cgroup', '4:memory:/x\n')
      .file('sys/fs/cgroup/memory/x/memory.limit_in_bytes', '9223372036854771712\n')
      .file('sys/fs/cgroup/memory/x/memory.usage_in_bytes', '1000000\n');
    expect(nodeMemory(new ProcReader(f.root)).totalKb).toBe(8_000_000);
  });
  it('uses a smaller v2 memory.max as total and limit - usage as free/available', () => {
    const f = fake()
      .meminfo(8_000_000, 5_000_000, 6_000_000)
      .file('proc/self/cgroup', '0::/node/n1\n')
      .file('sys/fs/cgroup/cgroup.controllers', 'memory\n')
      .file('sys/fs/cgroup/node/n1/memory.max', `${1024 * 1024 * 1024}\n`)
      .file('sys/fs/cgroup/node/n1/memory.current', `${256 * 1024 * 1024}\n`);
    expect(nodeMemory(new ProcReader(f.root))).toEqual({ totalKb: 1048576, freeKb: 786432, availableKb: 786432 });
  });
  it('uses a v1 limit, and keeps meminfo figures when they are smaller', () => {
    const f = fake()
      .meminfo(8_000_000, 100_000, 300_000)
      .file('proc/self/cgroup', '4:memory:/docker/abc\n')
      .file('sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes', `${2 * 1024 * 1024 * 1024}\n`)
      .file('sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes', `${1024 * 1024 * 1024}\n`);
    expect(nodeMemory(new ProcReader(f.root))).toEqual({ totalKb: 2097152, freeKb: 100_000, availableKb: 300_000 });
  });
  it('finds the container cgroup at the mount root when the leaf path is not visible', () => {
    const f = fake()
      .file('proc/self/cgroup', '4:memory:/docker/abc\n')
      .file('sys/fs/cgroup/memory/memory.limit_in_bytes', `${512 * 1024 * 1024}\n`)
      .file('sys/fs/cgroup/memory/memory.usage_in_bytes', `${512 * 1024 * 1024}\n`);
    expect(nodeMemory(new ProcReader(f.root))).toEqual({ totalKb: 524288, freeKb: 0, availableKb: 0 });
  });
});

describe('Sampler disk and network rates', () => {
  const diskstats = (read: number, written: number, partRead = 0) =>
    `   8       0 sda 10 0 ${read / 512} 1 30 0 ${written / 512} 2 0 3 3\n   8       1 sda1 10 0 ${partRead / 512} 1 30 0 0 2 0 3 3\n 253       0 dm-0 1 0 ${read / 512} 0 0 0 ${written / 512} 0 0 0 0\n`;
  const netDev = (rx: number, tx: number) =>
    `Inter-| Receive | Transmit\n face |bytes packets errs drop fifo frame compressed multicast|bytes packets\n    lo: 999999 1 0 0 0 0 0 0 999999 1 0 0 0 0 0 0\n  eth0: ${rx} 1 0 0 0 0 0 0 ${tx} 1 0 0 0 0 0 0\n`;

  it('gives bytes per second of the whole disks and of every interface but lo, from the second sample on', () => {
    const f = fake().file('sys/block/sda/device/vendor', 'ATA\n').file('sys/block/dm-0/dm/name', 'vg-root\n')
      .file('proc/diskstats', diskstats(0, 0)).file('proc/net/dev', netDev(1000, 2000));
    const c = clock();
    const s = new Sampler({ procRoot: f.root, speed: () => 1, now: c.now });
    expect(s.sample().sample.io).toBeUndefined();
    f.file('proc/diskstats', diskstats(1024 * 1024, 2048 * 1024, 512 * 1024)).file('proc/net/dev', netDev(1000 + 90_000, 2000 + 24_000));
    c.advance(2000);
    // sda alone: its partition and the dm device over it carry the same bytes again.
    expect(s.sample().sample.io).toEqual({ diskReadBps: 512 * 1024, diskWriteBps: 1024 * 1024, netRxBps: 45_000, netTxBps: 12_000 });
  });

  it('leaves out the pair whose file it cannot read', () => {
    const f = fake().file('proc/net/dev', netDev(0, 0));
    const c = clock();
    const s = new Sampler({ procRoot: f.root, speed: () => 1, now: c.now });
    s.sample();
    f.file('proc/net/dev', netDev(100, 300));
    c.advance(1000);
    expect(s.sample().sample.io).toEqual({ netRxBps: 100, netTxBps: 300 });
  });
});
