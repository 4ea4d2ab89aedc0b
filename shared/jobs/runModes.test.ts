import { describe, expect, it } from 'vitest';
import { modeForbidsMigration, parallelTargets, parseMosrunArgs, remoteTargets, scriptToMosrunArgs } from './runModes.js';

describe('mosrun arguments', () => {
  it('keeps the command and its arguments as given, options included', () => {
    expect(parseMosrunArgs(['node', 'job.js', '-h', '$(rm -rf /)'])).toEqual({ mode: { kind: 'plain' }, argv: ['node', 'job.js', '-h', '$(rm -rf /)'] });
    expect(parseMosrunArgs(['--', '-weird-name'])).toEqual({ mode: { kind: 'plain' }, argv: ['-weird-name'] });
  });

  it('reads the openMosix options', () => {
    expect(parseMosrunArgs(['-h', 'x']).mode).toEqual({ kind: 'runhome' });
    expect(parseMosrunArgs(['-3', 'x']).mode).toEqual({ kind: 'runon', node: 3 });
    expect(parseMosrunArgs(['-n', '4', 'x']).mode).toEqual({ kind: 'runon', node: 4 });
    expect(parseMosrunArgs(['-m', 'x']).mode).toEqual({ kind: 'nomig' });
    expect(parseMosrunArgs(['--decay', 'slow', 'x']).mode).toEqual({ kind: 'slowdecay' });
    expect(parseMosrunArgs(['-p', '2-4', '--invert', 'x']).mode).toEqual({ kind: 'parallel', first: 2, last: 4, invert: true });
    expect(parseMosrunArgs(['-w', '-o', 'out', 'x'])).toMatchObject({ wait: true, jobsDir: 'out' });
  });

  it('says what is wrong', () => {
    expect(() => parseMosrunArgs([])).toThrow(/no command/);
    expect(() => parseMosrunArgs(['-m', '-h', 'x'])).toThrow(/one run mode/);
    expect(() => parseMosrunArgs(['-n', 'zero', 'x'])).toThrow(/node number/);
    expect(() => parseMosrunArgs(['--invert', 'x'])).toThrow(/-p/);
    expect(() => parseMosrunArgs(['-q', 'x'])).toThrow(/unknown option/);
  });

  it('maps the run-mode scripts onto mosrun', () => {
    expect(parseMosrunArgs(scriptToMosrunArgs('runon', ['2', 'ls', '-l'])).mode).toEqual({ kind: 'runon', node: 2 });
    expect(parseMosrunArgs(scriptToMosrunArgs('nodecay', ['ls'])).mode).toEqual({ kind: 'nodecay' });
    expect(parseMosrunArgs(scriptToMosrunArgs('cpujob', ['-x'])).argv).toEqual(['-x']);
  });
});

describe('where a job starts', () => {
  it('parallel: a range, or its complement among the known nodes', () => {
    expect(parallelTargets({ first: 4, last: 2, invert: false }, [])).toEqual([2, 3, 4]);
    expect(parallelTargets({ first: 2, last: 3, invert: false }, [1, 2, 3, 5])).toEqual([2, 3]);
    expect(parallelTargets({ first: 2, last: 3, invert: true }, [1, 2, 3, 5])).toEqual([1, 5]);
  });

  it('runon elsewhere is remote; here is local', () => {
    expect(remoteTargets({ kind: 'runon', node: 3 }, 1, [])).toEqual([3]);
    expect(remoteTargets({ kind: 'runon', node: 1 }, 1, [])).toEqual([]);
    expect(remoteTargets({ kind: 'plain' }, 1, [])).toEqual([]);
  });

  it('nomig and runhome forbid migration', () => {
    expect(modeForbidsMigration({ kind: 'nomig' })).toMatch(/nomig/);
    expect(modeForbidsMigration({ kind: 'runhome' })).toMatch(/home/);
    expect(modeForbidsMigration({ kind: 'cpujob' })).toBeUndefined();
  });
});
