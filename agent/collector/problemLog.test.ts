import { describe, expect, it } from 'vitest';
import { ProblemLog } from './problemLog.js';
import { describeWriteError, HistoryWriteError } from './store/writeErrors.js';

const errno = (code: string) => Object.assign(new Error(`${code}: boom`), { code });

describe('ProblemLog', () => {
  it('logs each kind once until it works again, then once more', () => {
    const lines: string[] = [];
    const p = new ProblemLog((s) => lines.push(s));
    for (let t = 0; t < 5; t++) p.fail('log', `full ${t}`, t);
    p.fail('index', 'index full', 2);
    p.ok('log', 5, 'recording');
    p.ok('log', 6, 'recording');
    p.fail('log', 'full again', 7);
    expect(lines).toEqual(['full 0', 'index full', 'recording works again (it had failed since 1970-01-01T00:00:00.000Z)', 'full again']);
  });

  it('reports the newest problem going on, else the last one that ended', () => {
    const p = new ProblemLog(() => undefined);
    expect(p.last).toBeUndefined();
    p.fail('rotation', 'busy', 10);
    p.fail('log', 'full', 20);
    p.fail('log', 'EIO now', 21);
    expect(p.last).toEqual({ message: 'EIO now', since: 20 });
    p.ok('log', 30);
    expect(p.last).toEqual({ message: 'busy', since: 10 });
    p.ok('rotation', 40);
    expect(p.last).toEqual({ message: 'EIO now', since: 20, until: 30 });
    expect(p.failing('log')).toBe(false);
  });
});

describe('describeWriteError', () => {
  it('names the directory, the errno and what to do', () => {
    expect(describeWriteError(errno('ENOSPC'), '/var/lib/mosixview/collector/mosixview')).toBe(
      'cannot write the history in /var/lib/mosixview/collector/mosixview (ENOSPC): the disk is full: free space on it (old backups are the mosixview-* directories in /var/lib/mosixview/collector)',
    );
    expect(describeWriteError(errno('EROFS'), '/s')).toMatch(/^cannot write the history in \/s \(EROFS\): .*read-only.*MOSIXVIEW_STATE_DIR/);
    expect(describeWriteError(errno('EACCES'), '/s', 'start the collector')).toMatch(/^cannot start the collector in \/s \(EACCES\): no permission/);
    expect(describeWriteError(errno('EWEIRD'), '/s')).toBe('cannot write the history in /s: EWEIRD: boom');
    const e = new HistoryWriteError('/s', errno('EIO'));
    expect([e.code, e.message]).toEqual(['EIO', 'cannot write the history in /s (EIO): the disk reports an I/O error: check it (dmesg, smartctl)']);
  });
});
