import { describe, expect, it } from 'vitest';
import { createMainLog } from './mainLog.js';

describe('mainLog', () => {
  const at = new Date(Date.UTC(2026, 10, 29, 12, 0, 0));

  it('writes one line per event with time, level and message', () => {
    const lines: string[] = [];
    const log = createMainLog((l) => lines.push(l), () => at);
    log.info('started');
    log.warn('refused IPC');
    log.error('broken');
    expect(lines).toEqual([
      '2026-11-29T12:00:00.000Z mosixview info: started\n',
      '2026-11-29T12:00:00.000Z mosixview warn: refused IPC\n',
      '2026-11-29T12:00:00.000Z mosixview error: broken\n',
    ]);
  });

  it('keeps a message with line breaks on one line, so a sender cannot forge log lines', () => {
    const lines: string[] = [];
    createMainLog((l) => lines.push(l), () => at).warn('from https://x/\n2026-11-29T12:00:00.000Z mosixview info: all fine\r\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.split('\n')).toHaveLength(2);
    expect(lines[0]).toContain('https://x/\\n2026');
  });
});
