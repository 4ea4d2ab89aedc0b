/** The speed check process's autogroup priority: parsing, and when it is ours to change. */
import { describe, expect, it } from 'vitest';
import { lowerOwnAutogroup, lowerStartedAutogroup, parseAutogroupNice, sessionOfStat, type AutogroupFiles } from './autogroup.js';

const STAT = (pid: number, session: number) => `${pid} (node (x) y) S 1 ${pid} ${session} 0 -1 4194560 ${' 0'.repeat(40)}`;

/** An autogroup file in memory, as the kernel keeps it: one nice for the whole group. */
function files(pid: number, session: number, nice: number | undefined): AutogroupFiles & { nice: number | undefined; writes: number[]; slept: number } {
  const f = {
    nice,
    writes: [] as number[],
    slept: 0,
    pid,
    stat: () => STAT(pid, session),
    readAutogroup: () => (f.nice === undefined ? undefined : `/autogroup-7 nice ${f.nice}\n`),
    writeAutogroup: (n: number) => {
      f.writes.push(n);
      f.nice = n;
    },
    sleep: () => void f.slept++,
  };
  return f;
}

describe('autogroup', () => {
  it('reads the nice of /proc/self/autogroup and the session of /proc/self/stat', () => {
    expect(parseAutogroupNice('/autogroup-99563 nice 0\n')).toBe(0);
    expect(parseAutogroupNice('/autogroup-5 nice -3\n')).toBe(-3);
    expect(parseAutogroupNice('garbage')).toBeUndefined();
    expect(sessionOfStat(STAT(42, 40))).toBe(40);
    expect(sessionOfStat('nonsense')).toBeUndefined();
  });

  it("sets its own session's autogroup to 19", () => {
    const f = files(42, 42, 0);
    expect(lowerOwnAutogroup(f)).toBe(true);
    expect(f.writes).toEqual([19]);
  });

  it("leaves alone an autogroup it shares with the session's leader", () => {
    const f = files(42, 40, 0);
    expect(lowerOwnAutogroup(f)).toBe(false);
    expect(f.writes).toEqual([]);
  });

  it('does nothing without autogroups (a kernel without them, or not Linux), or where it is 19 already', () => {
    expect(lowerOwnAutogroup(files(42, 42, undefined))).toBe(false);
    const low = files(42, 42, 19);
    expect(lowerOwnAutogroup(low)).toBe(false);
    expect(low.writes).toEqual([]);
  });

  it('takes its turn when the kernel says EAGAIN (one change a tenth of a second without CAP_SYS_ADMIN)', () => {
    const f = files(42, 42, 0);
    const write = f.writeAutogroup;
    let busy = 2;
    f.writeAutogroup = (n) => {
      if (busy-- > 0) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
      write(n);
    };
    expect(lowerOwnAutogroup(f)).toBe(true);
    expect(f.writes).toEqual([19]);
    expect(f.slept).toBe(2);
  });

  it('gives up quietly when the kernel refuses', () => {
    const f = files(42, 42, 0);
    f.writeAutogroup = () => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    };
    expect(lowerOwnAutogroup(f)).toBe(false);
  });

  it('the daemon lowers a check it started (a session of its own) once, without waiting when the kernel says EAGAIN', () => {
    const started = files(77, 77, 0);
    expect(lowerStartedAutogroup(77, started)).toBe(true);
    expect(started.writes).toEqual([19]);

    const busy = files(78, 78, 0);
    busy.writeAutogroup = () => {
      throw Object.assign(new Error('again'), { code: 'EAGAIN' });
    };
    expect(lowerStartedAutogroup(78, busy)).toBe(false);
    expect(busy.slept).toBe(0); // the check lowers its own group itself, as before

    const shared = files(79, 70, 0); // not its session's leader: not ours to change
    expect(lowerStartedAutogroup(79, shared)).toBe(false);
    expect(shared.writes).toEqual([]);
  });
});
