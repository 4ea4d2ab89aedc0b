import { describe, expect, it } from 'vitest';
import {
  countCpuList,
  isKernelThread,
  parseSchedstat,
  parseCgroup,
  parseCmdline,
  parseCpuMax,
  parseMeminfo,
  parsePasswd,
  parseStat,
  parseStatus,
} from './procText.js';
import { KeptFiles, ProcReader, readSmallFile } from './procfs.js';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { FakeRoot, statLine } from './fixture.test-util.js';

describe('parseStat', () => {
  it('reads a real line', () => {
    const st = parseStat('5324 (cat) R 5321 5321 4460 0 -1 4194304 103 0 0 0 7 3 0 0 20 -5 1 0 49587 3133440 409 18446744073709551615 1 1 0');
    expect(st).toMatchObject({ pid: 5324, comm: 'cat', state: 'R', ppid: 5321, utime: 7, stime: 3, nice: -5, starttime: 49587, rssPages: 409 });
  });

  it("reads the children's times and the thread count", () => {
    const st = parseStat('12158 (node) R 1 0 0 0 -1 4194304 2252 0 0 0 45 5 120 30 20 0 7 0 477112 812822528 1094 18446744073709551615 1 1 0');
    expect(st).toMatchObject({ utime: 45, stime: 5, cutime: 120, cstime: 30, threads: 7, starttime: 477112 });
  });

  it('takes the last ")" so a comm with spaces and parentheses survives', () => {
    const st = parseStat(statLine({ pid: 42, comm: '(a) b)', state: 'S', ppid: 7, utime: 11 }));
    expect(st).toMatchObject({ pid: 42, comm: '(a) b)', state: 'S', ppid: 7, utime: 11 });
    expect(parseStat(statLine({ pid: 43, comm: 'x) R 1 2 (y', state: 'D' }))).toMatchObject({ comm: 'x) R 1 2 (y', state: 'D' });
  });

  it('reads zombies and rejects garbage', () => {
    expect(parseStat(statLine({ pid: 9, comm: 'defunct', state: 'Z' }))?.state).toBe('Z');
    expect(parseStat('')).toBeUndefined();
    expect(parseStat('12 (x')).toBeUndefined();
    expect(parseStat('12 (x) S 1 2')).toBeUndefined();
  });
});

describe('isKernelThread', () => {
  const st = (p: Parameters<typeof statLine>[0]) => parseStat(statLine(p))!;
  it('knows kernel threads by PF_KTHREAD or by kthreadd without a command line', () => {
    expect(isKernelThread(st({ pid: 17, ppid: 2, flags: 0x208040, comm: 'kworker/0:1' }), '')).toBe(true);
    expect(isKernelThread(st({ pid: 2, ppid: 0, flags: 0, comm: 'kthreadd' }), '')).toBe(true);
    expect(isKernelThread(st({ pid: 18, ppid: 2, flags: 0 }), '')).toBe(true);
  });
  it('keeps pid 2 and its children in a PID namespace, and zombies', () => {
    expect(isKernelThread(st({ pid: 2, ppid: 1, flags: 0x400000 }), 'sleep 600')).toBe(false);
    expect(isKernelThread(st({ pid: 30, ppid: 2, flags: 0x400000 }), 'bash')).toBe(false);
    expect(isKernelThread(st({ pid: 31, ppid: 2, flags: 0x400000, state: 'Z' }), '')).toBe(false);
  });
});

describe('small parsers', () => {
  it('status: Uid, NSpid, Cpus_allowed_list', () => {
    const s = parseStatus('Name:\tbash\nUid:\t1000\t1000\t1000\t1000\nNSpid:\t4711\t12\t1\nCpus_allowed_list:\t0-3,6\n');
    expect(s).toEqual({ uid: 1000, nspid: [4711, 12, 1], cpusAllowedList: '0-3,6' });
  });
  it('cpu lists', () => {
    expect(countCpuList('0-3,6')).toBe(5);
    expect(countCpuList('0')).toBe(1);
    expect(countCpuList('0-1,4-5,8\n')).toBe(5);
    expect(countCpuList('')).toBe(0);
    expect(countCpuList('3-1')).toBe(0);
  });
  it('meminfo', () => {
    const m = parseMeminfo('MemTotal:       24684084 kB\nMemFree:        22517244 kB\nHugePages_Total:       0\n');
    expect(m.get('MemTotal')).toBe(24684084);
    expect(m.get('MemFree')).toBe(22517244);
    expect(m.get('HugePages_Total')).toBe(0);
  });
  it('passwd: first entry per uid wins, comments skipped', () => {
    const m = parsePasswd('# c\nroot:x:0:0::/:/bin/sh\ntoor:x:0:0::/:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\n\n');
    expect(m.get(0)).toBe('root');
    expect(m.get(1001)).toBe('bob');
    expect(m.size).toBe(2);
  });
  it('cmdline: NULs become spaces, trailing NUL dropped, empty stays empty', () => {
    expect(parseCmdline('sleep\x00600\x00')).toBe('sleep 600');
    expect(parseCmdline('')).toBe('');
  });
  it('cgroup files', () => {
    const cg = parseCgroup('12:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n1:name=systemd:/x\n0::/user.slice\n');
    expect(cg.v2).toBe('/user.slice');
    expect(cg.v1.get('cpu')).toBe('/docker/abc');
    expect(cg.v1.get('cpuacct')).toBe('/docker/abc');
    expect(cg.v1.get('memory')).toBe('/docker/abc');
    expect(parseCpuMax('max 100000')).toBeUndefined();
    expect(parseCpuMax('150000 100000\n')).toEqual({ quota: 150000, period: 100000 });
  });
});

describe('schedstat', () => {
  it('parses time on CPU and time waiting, in ns', () => {
    expect(parseSchedstat('191569717 1384936738 64\n')).toEqual({ runNs: 191569717, waitNs: 1384936738 });
    expect(parseSchedstat('')).toBeUndefined();
    expect(parseSchedstat('12')).toBeUndefined();
    expect(parseSchedstat('a b c')).toBeUndefined();
  });

  it("reads a single-threaded process's own file and every thread of a threaded one", () => {
    const f = new FakeRoot();
    try {
      f.proc({ pid: 5, sched: [10, 20] }).proc({ pid: 7, tasks: { 7: [1, 2], 8: [3, 4], 9: [5, 6] } }).proc({ pid: 9 });
      f.file('proc/7/task/8/schedstat', ''); // ended between readdir and read
      const r = new ProcReader(f.root);
      expect(r.threadWaits(5, 1)).toEqual(new Map([[5, 20]]));
      expect(r.threadWaits(7, 3)).toEqual(new Map([[7, 2], [9, 6]]));
      expect(r.threadWaits(9, 1)).toBeUndefined(); // no schedstat on this kernel
      expect(r.threadWaits(11, 4)).toBeUndefined(); // gone
    } finally {
      f.dispose();
    }
  });
});

describe('readSmallFile', () => {
  it('reads files larger than its buffer, honours the cap, and returns undefined when missing', () => {
    const f = new FakeRoot();
    try {
      const big = 'x'.repeat(100_000);
      f.file('big', big);
      expect(readSmallFile(`${f.root}/big`)).toBe(big);
      expect(readSmallFile(`${f.root}/big`, 8192)).toHaveLength(8192);
      expect(readSmallFile(`${f.root}/nope`)).toBeUndefined();
    } finally {
      f.dispose();
    }
  });
});

describe('KeptFiles', () => {
  it('keeps a /proc file open and reads what the kernel says now at each read', () => {
    const kept = new KeptFiles();
    const comm = readFileSync('/proc/self/comm', 'utf8');
    try {
      expect(kept.read('/proc/self/comm')).toBe(comm);
      expect(kept.size).toBe(1);
      // The kernel's name of the process changes under the open descriptor: the next read shows it.
      writeFileSync('/proc/self/comm', 'kept-test');
      expect(kept.read('/proc/self/comm')).toBe('kept-test\n');
      expect(kept.size).toBe(1);
    } finally {
      writeFileSync('/proc/self/comm', comm.trimEnd());
      kept.close();
    }
    expect(kept.size).toBe(0);
  });

  it('reads the same text as open + read + close, again and again, for files the sampler reads every second', () => {
    const kept = new KeptFiles();
    // The counters move between two reads: the devices listed do not.
    const devices = (t: string | undefined) => t?.split('\n').map((l) => l.trim().split(/[\s:]+/)[0]);
    try {
      for (let i = 0; i < 3; i++) {
        expect(kept.read('/proc/self/cgroup')).toBe(readSmallFile('/proc/self/cgroup'));
        for (const path of ['/proc/diskstats', '/proc/net/dev']) expect(devices(kept.read(path))).toEqual(devices(readSmallFile(path)));
      }
      expect(kept.size).toBe(3);
    } finally {
      kept.close();
    }
  });

  it('gives undefined for a missing file, reads an ordinary file afresh each time without keeping it', () => {
    const f = new FakeRoot();
    const kept = new KeptFiles();
    try {
      expect(kept.read(`${f.root}/nope`)).toBeUndefined();
      f.file('nope', 'one\n');
      expect(kept.read(`${f.root}/nope`)).toBe('one\n');
      f.file('nope', 'two\n');
      expect(kept.read(`${f.root}/nope`)).toBe('two\n');
      expect(kept.size).toBe(0);
    } finally {
      kept.close();
      f.dispose();
    }
  });

  it('lets go of a file that cannot be read any more (its process ended) and looks for it afresh', async () => {
    const child = spawn('sleep', ['30']);
    const kept = new KeptFiles();
    try {
      const path = `/proc/${child.pid}/stat`;
      expect(kept.read(path)).toMatch(/\(sleep\)/);
      expect(kept.size).toBe(1);
      await new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill();
      });
      expect(kept.read(path)).toBeUndefined();
      expect(kept.size).toBe(0);
    } finally {
      child.kill();
      kept.close();
    }
  });
});
