import { describe, expect, it } from 'vitest';
import { formatEntry, isJournalStream } from './logFormat.js';

const now = new Date('2026-11-29T12:00:01.500Z');

describe('isJournalStream', () => {
  it('is the journal only when JOURNAL_STREAM names stderr\'s own device and inode', () => {
    expect(isJournalStream('64:12345', { dev: 64, ino: 12345 })).toBe(true);
    expect(isJournalStream('64:12345', { dev: 64, ino: 999 })).toBe(false);
    expect(isJournalStream('65:12345', { dev: 64, ino: 12345 })).toBe(false);
    expect(isJournalStream(undefined, { dev: 64, ino: 12345 })).toBe(false);
    expect(isJournalStream('', { dev: 0, ino: 0 })).toBe(false);
    expect(isJournalStream('64:12345', undefined)).toBe(false);
    expect(isJournalStream('garbage', { dev: 64, ino: 12345 })).toBe(false);
  });
});

describe('formatEntry', () => {
  it('prefixes the syslog priority for the journal: <3> error, <4> warning, <6> info, and no time', () => {
    expect(formatEntry('error', 'disk full', { journal: true, tag: 'mosixview-agent', now })).toBe('<3>mosixview-agent: disk full\n');
    expect(formatEntry('warn', 'slow', { journal: true, tag: 'mosixview-agent', now })).toBe('<4>mosixview-agent: slow\n');
    expect(formatEntry('info', 'started', { journal: true, tag: 'mosixview-agent', now })).toBe('<6>mosixview-agent: started\n');
  });

  it('gives every line of a stack its priority in the journal', () => {
    expect(formatEntry('error', 'boom\n    at f (x.js:1)', { journal: true, tag: 't', now })).toBe('<3>t: boom\n<3>    at f (x.js:1)\n');
  });

  it('starts a plain line with the ISO time and no priority', () => {
    expect(formatEntry('error', 'disk full', { journal: false, tag: 'mosixview-agent', now })).toBe('2026-11-29T12:00:01.500Z mosixview-agent: disk full\n');
  });
});
