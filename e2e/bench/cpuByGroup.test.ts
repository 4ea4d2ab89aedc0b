import { describe, expect, it } from 'vitest';
import { cpuSpent, groupOf, machineBusyMs, statCpuMs, statCpuParts, type CpuSnapshot } from './cpuByGroup.js';

describe('CPU of a start-up run by kind of process', () => {
  it('knows the daemons, their speed checks, the GUI server, Chromium and sshd by name and command line', () => {
    expect(groupOf('node', '/usr/bin/node /srv/agent/mosixview-agent-0.1.0.cjs daemon --ready-fd 3 ')).toBe('daemons');
    expect(groupOf('node', '/usr/bin/node - /var/lib/mosixview ')).toBe('speedChecks');
    expect(groupOf('node', 'node dist/electron/headless.cjs --no-open --profile p ')).toBe('gui');
    expect(groupOf('chromium', '/usr/lib/chromium/chromium --type=renderer ')).toBe('chromium');
    expect(groupOf('sshd', 'sshd: root [priv] ')).toBe('sshd');
    expect(groupOf('node', 'node -e 0 ')).toBe('other');
  });

  it('reads own and reaped children\'s time from /proc/PID/stat, and the busy time from /proc/stat', () => {
    const line = '4242 (node (x) y) S 4200 4242 4242 0 -1 4194304 100 0 0 0 30 12 5 3 20 0 11 0 900 1000 100';
    expect(statCpuMs(line)).toBe(500);
    expect(statCpuParts(line)).toEqual({ own: 420, reaped: 80 });
    expect(machineBusyMs('cpu  100 5 50 9999 7 1 2 0 0 0\ncpu0 1 2 3')).toBe(1580);
  });

  it('counts a process seen before by its growth, a new one whole, by group', () => {
    const before: CpuSnapshot = { machineMs: 1000, procs: new Map([['1', { group: 'sshd', ms: 300 }], ['2', { group: 'chromium', ms: 50 }]]) };
    const after: CpuSnapshot = {
      machineMs: 5000,
      procs: new Map([
        ['1', { group: 'sshd', ms: 420 }],
        ['2', { group: 'chromium', ms: 90 }],
        ['3', { group: 'daemons', ms: 110 }],
        ['3/reaped', { group: 'speedChecks', ms: 300 }],
        ['4', { group: 'speedChecks', ms: 90 }],
      ]),
    };
    expect(cpuSpent(before, after)).toEqual({ machine: 4000, sshd: 120, chromium: 40, daemons: 110, speedChecks: 390, gui: 0, other: 0 });
  });
});
