/**
 * Property tests of the history's byte formats: what is encoded decodes to the same value
 * (samples through keyframes and deltas, frames, index entries, minute summaries, JSON
 * records), and any bytes at all give a value or a DamagedRecord, never a hang.
 */
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteReader, ByteWriter } from './bytes.js';
import {
  checkFrame, DamagedRecord, decodeCheckpoint, decodeHeader, decodeNodes, decodeProcs, decodeSamples, encodeCheckpoint,
  encodeHeader, encodeNodes, encodeProcs, encodeSamples, FRAME_OVERHEAD, frame, RecordType, sampleHead, SampleCodecState,
} from './records.js';
import { decodeEntries, encodeEntry, INDEX_ENTRY } from './indexFile.js';
import { decodeSummary, encodeSummary, MinuteAccumulator, summaryMinute } from './summary.js';
import { recordTime } from './recordTime.js';
import { NO_IO, type HistoryNodeSample, type SampleRecord } from '../../../shared/history/types.js';

const big = 2 ** 40;
/** A byte rate as the log keeps it: whole kB/s. */
const rate = fc.integer({ min: 0, max: 2 ** 30 }).map((k) => k * 1024);
/** A node's second, at the precision the log keeps (load 0.01, util 0.1, whole numbers). */
const nodeSample = (id: number) =>
  fc.record({
    id: fc.constant(id),
    up: fc.boolean(),
    load: fc.integer({ min: 0, max: 100_000 }).map((k) => k / 100),
    speed: fc.integer({ min: 0, max: big }),
    cpus: fc.integer({ min: 0, max: 4096 }),
    util: fc.integer({ min: 0, max: 1000 }).map((k) => k / 10),
    tmemKb: fc.integer({ min: 0, max: big }),
    rmemKb: fc.integer({ min: 0, max: big }),
    memKb: fc.integer({ min: -big, max: big }),
    diskReadBps: rate,
    diskWriteBps: rate,
    netRxBps: rate,
    netTxBps: rate,
  });
/** Mostly the same few nodes second after second (deltas), sometimes any IDs. */
const nodeIds = fc.oneof(
  { weight: 5, arbitrary: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { maxLength: 6 }) },
  { weight: 1, arbitrary: fc.uniqueArray(fc.integer({ min: 0, max: 65535 }), { maxLength: 8 }) },
);
/** Seconds of a history: increasing times, nodes coming and going. */
const seconds = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 45 }), fc.array(fc.tuple(fc.integer({ min: 1, max: 5000 }), nodeIds), { minLength: 1, maxLength: 40 }))
  .chain(([t0, steps]) => {
    let t = t0;
    return fc.tuple(
      ...steps.map(([dt, ids]) => {
        const at = (t += dt);
        return fc.tuple(...ids.map(nodeSample)).map((nodes): SampleRecord => ({ t: at, nodes }));
      }),
    );
  });
const visible = (r: SampleRecord) => ({ t: r.t, nodes: r.nodes.map((n: HistoryNodeSample) => (n.up ? n : { id: n.id, up: false })) });

/** Runs `f` on arbitrary bytes: a value or a DamagedRecord naming the record, nothing else. */
function valueOrDamaged<T>(f: () => T): T | DamagedRecord {
  try {
    return f();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(DamagedRecord);
    expect((e as Error).message).toMatch(/^damaged (header|samples|checkpoint|process list|node names|summary) record: ./);
    return e as DamagedRecord;
  }
}
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.uint8Array({ maxLength: 16 }).map((b) => b.map((x) => x | 0x80)),
  fc.constant(new Uint8Array(0)),
);

describe('samples records (properties)', () => {
  it('decode to what was encoded, through keyframes and deltas', () => {
    fc.assert(
      fc.property(seconds, fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), (recs, keys) => {
        const enc = new SampleCodecState();
        const dec = new SampleCodecState();
        recs.forEach((r, i) => {
          const payload = encodeSamples(r, i === 0 || keys[i]!, enc);
          expect(sampleHead(payload)).toEqual({ t: r.t, keyframe: i === 0 || keys[i]! });
          expect(visible(decodeSamples(payload, dec))).toEqual(visible(r));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('a keyframe decodes alone, without the records before it', () => {
    fc.assert(
      fc.property(seconds, (recs) => {
        const enc = new SampleCodecState();
        recs.slice(0, -1).forEach((r) => encodeSamples(r, false, enc));
        const last = recs[recs.length - 1]!;
        expect(visible(decodeSamples(encodeSamples(last, true, enc), new SampleCodecState()))).toEqual(visible(last));
      }),
      { numRuns: 100 },
    );
  });

  it('a record the log cannot hold is refused with a RangeError and changes nothing: the next ones still decode', () => {
    const bad = fc.constantFrom(NaN, Infinity, -Infinity, 1e300, 'x', undefined);
    const spoilt = fc.oneof(
      fc.tuple(fc.constantFrom('load', 'speed', 'cpus', 'util', 'tmemKb', 'rmemKb', 'memKb', 'diskReadBps', 'diskWriteBps', 'netRxBps', 'netTxBps'), bad, fc.nat()),
      fc.tuple(fc.constant('id'), fc.constantFrom(-1, 1.5, NaN, 2 ** 53, 'x'), fc.nat()),
    );
    fc.assert(
      fc.property(seconds, fc.array(fc.option(spoilt, { freq: 2 }), { minLength: 40, maxLength: 40 }), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), (recs, spoil, keys) => {
        const enc = new SampleCodecState();
        const dec = new SampleCodecState();
        let first = true;
        recs.forEach((r, i) => {
          const s = spoil[i];
          const key = first || keys[i]!;
          if (s && r.nodes.length) {
            const nodes = r.nodes.map((n, k) => (k === s[2] % r.nodes.length ? { ...n, up: true, [s[0]]: s[1] } : n));
            expect(() => encodeSamples({ t: r.t, nodes } as SampleRecord, key, enc)).toThrow(RangeError);
            return;
          }
          first = false;
          expect(visible(decodeSamples(encodeSamples(r, key, enc), dec))).toEqual(visible(r));
        });
      }),
      { numRuns: 100 },
    );
  });

  it('any bytes give a record or a DamagedRecord', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const head = sampleHead(b);
        const r = valueOrDamaged(() => decodeSamples(b, new SampleCodecState()));
        if (!(r instanceof DamagedRecord)) expect(head?.t).toBe(r.t);
        expect(recordTime(RecordType.Samples, b)).toBe(head?.t);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('frames (properties)', () => {
  it('a frame is found again in any surrounding bytes, and any bytes never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 1, max: 6 }), fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 20 }), (before, type, payload, after) => {
        const f = frame(type, payload);
        const buf = Buffer.concat([before, f, after]);
        expect(checkFrame(buf, before.length)).toEqual({ ok: true, type, start: before.length + 7, end: before.length + 7 + payload.length });
        // A frame cut anywhere is partial: more may come.
        for (const cut of [before.length, before.length + 1, before.length + 6, before.length + f.length - 1]) {
          expect(checkFrame(buf, before.length, cut)).toEqual({ ok: false, partial: true });
        }
        for (let p = 0; p < buf.length; p++) {
          const c = checkFrame(buf, p);
          if (c.ok) expect(c.start >= p + 7 && c.end + 4 <= buf.length && c.end - c.start <= buf.length - FRAME_OVERHEAD).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('JSON records (properties)', () => {
  const text = fc.string({ maxLength: 30 });
  const t = fc.integer({ min: 0, max: 2 ** 45 });
  it('decode to what was encoded', () => {
    fc.assert(
      fc.property(t, text, fc.array(fc.record({ id: fc.integer({ min: 0, max: 65535 }), host: text }), { maxLength: 5 }), (at, s, nodes) => {
        expect(decodeHeader(encodeHeader({ v: 1, started: at, host: s }))).toEqual({ v: 1, started: at, host: s });
        expect(decodeCheckpoint(encodeCheckpoint({ t: at, label: s }))).toEqual({ t: at, label: s });
        expect(decodeNodes(encodeNodes({ t: at, nodes }))).toEqual({ t: at, nodes });
        const procs = [{ pid: 1, user: s, command: s, args: s, state: 'R', cpu: 0.5, rssKb: 10, where: 0 }];
        const lists = nodes.map((n, i) => (i % 2 ? { ...n, missing: s } : { ...n, procs }));
        expect(decodeProcs(encodeProcs({ t: at, nodes: lists }))).toEqual({ t: at, nodes: lists });
      }),
      { numRuns: 200 },
    );
  });

  it('any bytes, or any JSON, give a record of the right shape or a DamagedRecord', () => {
    const payloads = fc.oneof(
      bytes,
      fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v))),
      fc.record({ t: fc.oneof(t, fc.string()), label: fc.jsonValue({ maxDepth: 1 }), nodes: fc.jsonValue({ maxDepth: 2 }), procs: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }).map((v) => Buffer.from(JSON.stringify(v))),
    );
    fc.assert(
      fc.property(payloads, (b) => {
        const cp = valueOrDamaged(() => decodeCheckpoint(b));
        if (!(cp instanceof DamagedRecord)) expect(Number.isFinite(cp.t) && typeof cp.label === 'string').toBe(true);
        const names = valueOrDamaged(() => decodeNodes(b));
        if (!(names instanceof DamagedRecord)) expect(names.nodes.every((n) => Number.isInteger(n.id) && typeof n.host === 'string')).toBe(true);
        const h = valueOrDamaged(() => decodeHeader(b));
        if (!(h instanceof DamagedRecord)) expect(Number.isFinite(h.started) && typeof h.host === 'string').toBe(true);
        const procs = valueOrDamaged(() => decodeProcs(b));
        if (!(procs instanceof DamagedRecord)) expect('nodes' in procs ? procs.nodes.every((n) => Array.isArray(n.procs) !== (typeof n.missing === 'string')) : Array.isArray(procs.procs)).toBe(true);
        valueOrDamaged(() => decodeProcs(deflateRawSync(b)));
        for (const type of [RecordType.Checkpoint, RecordType.Procs, RecordType.Nodes]) {
          const at = recordTime(type, b);
          expect(at === undefined || Number.isFinite(at)).toBe(true);
        }
      }),
      { numRuns: 250 },
    );
  });
});

describe('index entries (properties)', () => {
  it('decode to what was encoded, and stop at the first damaged or out-of-order entry', () => {
    const entry = fc.record({ t: fc.integer({ min: 0, max: 2 ** 45 }), offset: fc.integer({ min: 0, max: 2 ** 40 }), type: fc.integer({ min: 1, max: 5 }) });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 20 }), fc.uint8Array({ maxLength: 30 }), (entries, tail) => {
        const sorted = [...new Map(entries.map((e) => [e.offset, e])).values()].sort((a, b) => a.offset - b.offset);
        const buf = Buffer.concat([...sorted.map(encodeEntry), tail]);
        const back = decodeEntries(buf);
        expect(back.slice(0, sorted.length)).toEqual(sorted);
        expect(back.length).toBeLessThanOrEqual(Math.floor(buf.length / INDEX_ENTRY));
      }),
      { numRuns: 200 },
    );
  });

  it('any bytes give entries with increasing offsets, never an exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 * 6 }), (b) => {
        const back = decodeEntries(b);
        for (let i = 1; i < back.length; i++) expect(back[i]!.offset).toBeGreaterThan(back[i - 1]!.offset);
      }),
      { numRuns: 300 },
    );
  });
});

describe('minute summaries (properties)', () => {
  it('decode to what the minute accumulated', () => {
    fc.assert(
      fc.property(seconds, (recs) => {
        const acc = new MinuteAccumulator();
        const minutes = recs.map((r) => acc.add(r)).filter((s) => s !== undefined);
        const open = acc.take();
        for (const s of [...minutes, ...(open ? [open] : [])]) {
          const payload = encodeSummary(s);
          expect(summaryMinute(payload)).toBe(s.t);
          expect(decodeSummary(payload)).toEqual(s);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('any bytes give a summary or a DamagedRecord', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        valueOrDamaged(() => decodeSummary(b));
      }),
      { numRuns: 500 },
    );
  });
});

describe('varints (properties)', () => {
  it('round-trip every safe integer, signed and unsigned', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: -(2 ** 51), max: 2 ** 51 })), { maxLength: 20 }), (vals) => {
        const w = new ByteWriter(1);
        for (const [u, s] of vals) {
          w.uvar(u);
          w.svar(s);
        }
        const r = new ByteReader(w.result());
        for (const [u, s] of vals) expect([r.uvar(), r.svar()]).toEqual([u, s]);
        expect(r.done).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('regressions found by the properties', () => {
  const n = (id: number, memKb: number) => ({ id, up: true, load: 0, speed: 0, cpus: 0, util: 0, tmemKb: 0, rmemKb: 0, memKb, ...NO_IO });
  it.each([
    ['an ID of -1', { ...n(-1, 0) }],
    ['a NaN load', { ...n(2, 0), load: NaN }],
  ])('a record with %s after a changed node leaves that node\'s deltas right', (_, bad) => {
    const enc = new SampleCodecState();
    const dec = new SampleCodecState();
    decodeSamples(encodeSamples({ t: 1, nodes: [n(0, 0)] }, true, enc), dec);
    expect(() => encodeSamples({ t: 2, nodes: [n(0, 1), bad] }, false, enc)).toThrow(RangeError);
    expect(decodeSamples(encodeSamples({ t: 3, nodes: [n(0, 0)] }, false, enc), dec).nodes[0]!.memKb).toBe(0);
  });
});
