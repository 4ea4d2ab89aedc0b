import { describe, expect, it } from 'vitest';
import { diskPair, formatRate, formatRateShort, netPair } from './ioFigures.js';

describe('rates as the GUI writes them', () => {
  it('short: at most four characters and a unit letter, in powers of 1024', () => {
    expect([0, 512, 999, 1000, 1024, 45 * 1024, 999 * 1024, 1023 * 1024, 1.2 * 1024 ** 2, 120 * 1024 ** 2, 3 * 1024 ** 3].map(formatRateShort)).toEqual(
      ['0', '512', '999', '1.0k', '1.0k', '45k', '999k', '1.0M', '1.2M', '120M', '3.0G'],
    );
    expect(formatRateShort(-5)).toBe('0');
  });

  it('long: with the unit, for titles and tables', () => {
    expect([300, 45 * 1024, 1.25 * 1024 ** 2].map(formatRate)).toEqual(['300 B/s', '45 kB/s', '1.3 MB/s']);
  });

  it('pairs of the row, absent when not measured', () => {
    const io = { diskReadBps: 1.2 * 1024 ** 2, diskWriteBps: 0.3 * 1024 ** 2, netRxBps: 45 * 1024, netTxBps: 12 * 1024 };
    expect([diskPair(io), netPair(io)]).toEqual(['1.2M/307k', '45k/12k']);
    expect([diskPair({ netRxBps: 1, netTxBps: 2 }), netPair(undefined)]).toEqual([undefined, undefined]);
  });
});
