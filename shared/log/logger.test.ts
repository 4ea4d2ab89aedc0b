import { describe, expect, it } from 'vitest';
import { Logger, type LogTarget } from './logger.js';

function target(journal: boolean, now = { t: Date.parse('2026-11-29T12:00:00Z') }) {
  const lines: string[] = [];
  const t: LogTarget = { tag: 'mosixview-agent', journal, write: (s) => void lines.push(s), now: () => now.t };
  return { t, lines, now };
}

describe('Logger', () => {
  it('writes journal priorities when stderr is the journal', () => {
    const { t, lines } = target(true);
    const log = new Logger(t);
    log.error('e');
    log.warn('w');
    log.info('i');
    expect(lines).toEqual(['<3>mosixview-agent: e\n', '<4>mosixview-agent: w\n', '<6>mosixview-agent: i\n']);
  });

  it('stamps plain lines with the time', () => {
    const { t, lines } = target(false);
    new Logger(t).warn('w');
    expect(lines).toEqual(['2026-11-29T12:00:00.000Z mosixview-agent: w\n']);
  });

  it('rate-limits a repeated error and then says how often it repeated', () => {
    const { t, lines, now } = target(true);
    const log = new Logger(t);
    for (let i = 0; i < 25; i++) log.error('sampling failed');
    expect(lines).toHaveLength(10);
    now.t += 60_000;
    log.flush();
    expect(lines.slice(10)).toEqual(['<4>mosixview-agent: sampling failed ... repeated 15 times\n']);
  });

  it('never throws when the write fails', () => {
    const log = new Logger({ tag: 't', journal: false, write: () => { throw new Error('ENOSPC'); }, now: Date.now });
    expect(() => log.error('x')).not.toThrow();
  });
});
