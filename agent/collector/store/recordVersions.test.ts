/**
 * Histories written before the I/O rates were recorded still read: their samples records (a
 * u8 mask over 7 fields) decode with rates 0, and their minute summaries (type 6, without
 * rates) are not trusted but summarised again from the log. The old bytes below were written
 * by that version's encoders.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSamples, encodeSamples, IO_UNIT_BYTES, SampleCodecState } from './records.js';
import { HistoryWriter } from './historyWriter.js';
import { HistoryReader } from './historyReader.js';
import { SUMMARY_FILE } from './summaryFile.js';
import { MinuteAccumulator, type MinuteSummary } from './summary.js';
import { NO_IO, type HistoryNodeSample, type SampleRecord } from '../../../shared/history/types.js';

const hex = (h: string) => Buffer.from(h, 'hex');
/** A keyframe (node 1 up, node 2 down) and a delta after it, as the first version wrote them. */
const OLD_KEYFRAME = hex('fa87ecbca234010201fffa01a09c0108fa0180c8d0078092f401809bee020200');
const OLD_DELTA = hex('e38fecbca2340002018332cf0f02ff64a09c0108fa0180c8d0078092f40180a4e803');
/** The first version's mosix.sum frame (type 6) of the minute of those two seconds, node 1 alone. */
const OLD_SUMMARY_FRAME = hex('4d5606340000008086ecbca23401010202fa0104ac02040000000000305140e309b08bee02e807e807fa018092f4010000fa0180c8d0070000fa0195cce956');

const old = (id: number, load: number, memKb: number, up = true): HistoryNodeSample =>
  up ? { id, up, load, cpus: 4, speed: 10000, util: 12.5, tmemKb: 8_000_000, rmemKb: 2_000_000, memKb, ...NO_IO }
    : { id, up, load: 0, cpus: 0, speed: 0, util: 0, tmemKb: 0, rmemKb: 0, memKb: 0, ...NO_IO };

describe('samples records of the first version (without rates)', () => {
  it('decode as they were written, with the rates 0', () => {
    const st = new SampleCodecState();
    expect(decodeSamples(OLD_KEYFRAME, st)).toEqual({ t: 1_795_960_800_250, nodes: [old(1, 1.25, 3_000_000), old(2, 0, 0, false)] });
    expect(decodeSamples(OLD_DELTA, st)).toEqual({ t: 1_795_960_801_251, nodes: [old(1, 1.5, 2_999_000), old(2, 0.5, 4_000_000)] });
  });

  it('are followed by records with rates in the same log, deltas on the same bases', () => {
    const enc = new SampleCodecState();
    const dec = new SampleCodecState();
    decodeSamples(OLD_KEYFRAME, dec);
    decodeSamples(OLD_DELTA, dec);
    // What a writer of this version continuing that log holds after those seconds.
    encodeSamples({ t: 1, nodes: [old(1, 1.5, 2_999_000), old(2, 0.5, 4_000_000)] }, true, enc);
    const io = { diskReadBps: 3 * 1024, diskWriteBps: 1024 * 1024, netRxBps: 45 * 1024, netTxBps: 12 * 1024 };
    const next: SampleRecord = { t: 1_795_960_802_252, nodes: [{ ...old(1, 1.5, 2_999_000), ...io }, old(2, 0.5, 4_000_000)] };
    expect(decodeSamples(encodeSamples(next, false, enc), dec)).toEqual(next);
  });
});

describe('samples records with rates', () => {
  it('keep a rate to the kB/s (1024 bytes), as summaries compute it', () => {
    const n = { ...old(1, 1, 1), diskReadBps: 1500, diskWriteBps: 511, netRxBps: 45_000, netTxBps: 2 ** 33 + 700 };
    const back = decodeSamples(encodeSamples({ t: 5, nodes: [n] }, true, new SampleCodecState()), new SampleCodecState()).nodes[0]!;
    expect(back).toMatchObject({ diskReadBps: IO_UNIT_BYTES, diskWriteBps: 0, netRxBps: 44 * 1024, netTxBps: 2 ** 33 + 1024 });
  });

  it('cost nothing for rates that stay the same: an idle node stays a few bytes a second', () => {
    const st = new SampleCodecState();
    const n = { ...old(1, 1, 1), diskReadBps: 5e6, diskWriteBps: 1e6, netRxBps: 45_000, netTxBps: 12_000 };
    encodeSamples({ t: 1000, nodes: [n] }, true, st);
    expect(encodeSamples({ t: 2000, nodes: [n] }, false, st).length).toBe(2 + 1 + 1 + 1 + 1); // t (2), flags, count, id, mask
  });
});

describe('a history with summaries of the first version', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mvver-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const T0 = 1_795_960_800_250;
  const io = (s: number) => ({ diskReadBps: (s % 7) * 1024, diskWriteBps: s * 2048, netRxBps: 45 * 1024, netTxBps: (s % 3) * 1024 });
  const rec = (s: number): SampleRecord => ({ t: T0 + s * 1000, nodes: [{ ...old(1, 1.25, 3_000_000), ...io(s) }] });
  const summaries = (): MinuteSummary[] => {
    const r = HistoryReader.open(dir);
    try {
      const out: MinuteSummary[] = [];
      r.summaries(-Infinity, Infinity, (m) => out.push(m));
      return out;
    } finally {
      r.close();
    }
  };

  it('are not read (charts read those minutes from the seconds), and are summarised again with the rates by the next writer', () => {
    const w = HistoryWriter.open(dir, 'n1', T0, { sync: false });
    for (let s = 0; s < 150; s++) w.writeSamples(rec(s));
    w.close();
    const expected = new MinuteAccumulator();
    const closed = [0, 1].map(() => undefined as MinuteSummary | undefined);
    for (let s = 0; s < 150; s++) {
      const m = expected.add(rec(s));
      if (m) closed[closed.findIndex((c) => c === undefined)] = m;
    }
    expect(summaries()).toEqual(closed);
    expect(closed[1]!.nodes[0]!.spans!.diskWrite).toMatchObject({ min: 60 * 2048, max: 119 * 2048 });

    // As the first version left it: its own summary of the first minute.
    writeFileSync(join(dir, SUMMARY_FILE), OLD_SUMMARY_FRAME);
    expect(summaries()).toEqual([]);
    HistoryWriter.open(dir, 'n1', T0, { sync: false }).close();
    expect(summaries()).toEqual(closed);
  });
});
