import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, readFileSync, writeFileSync, statSync, appendFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteReader, ByteWriter, crc32, crc32Js } from './bytes.js';
import { checkFrame, decodeSamples, encodeSamples, frame, RecordType, SampleCodecState } from './records.js';
import { HistoryWriter, INDEX_FILE, LOG_FILE, KEYFRAME_EVERY } from './historyWriter.js';
import { HistoryReader } from './historyReader.js';
import type { HistoryNodeSample, SampleRecord } from '../../../shared/history/types.js';

const node = (id: number, t: number, up = true): HistoryNodeSample => ({
  id, up, load: up ? Math.round((Math.sin(t / 7000 + id) + 1) * 100) / 100 : 0, cpus: id, speed: 10000 + id,
  util: up ? Math.round(((t / 1000) % 100) * 10) / 10 : 0, tmemKb: 8_000_000, rmemKb: 3_000_000 + (t % 977), memKb: 5_000_000 - id,
  diskReadBps: up ? (t % 7) * 1024 : 0, diskWriteBps: up ? 1024 * 1024 : 0, netRxBps: up ? 45 * 1024 : 0, netTxBps: up ? (id * 13 + (t % 3)) * 1024 : 0,
});
const rec = (t: number, ids = [1, 2, 3]): SampleRecord => ({ t, nodes: ids.map((id) => node(id, t, !(id === 3 && t % 5000 === 0))) });
/** What a reader gets back for a down node: its last values are not meaningful, only `up`. */
const visible = (r: SampleRecord) => r.nodes.map((n) => (n.up ? n : { id: n.id, up: false }));
const visibleAll = (rs: SampleRecord[]) => rs.map((r) => ({ t: r.t, nodes: visible(r) }));

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mvhist-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('bytes', () => {
  it('computes the IEEE CRC-32 (check value of "123456789")', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32Js(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
  it('gives the same CRC in JavaScript (Node 18) as through zlib, on any part of a buffer', () => {
    const b = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + (i >> 3)) & 0xff));
    for (const [s, e] of [[0, 5000], [3, 4001], [100, 165], [7, 7], [4999, 5000]] as const) expect(crc32(b, s, e)).toBe(crc32Js(b, s, e));
  });
  it('reads back the doubles it wrote, at any offset', () => {
    const vals = [0, -0.5, Math.PI, 1e300, -1e-300, 123456.789];
    const w = new ByteWriter(1);
    w.u8(1);
    for (const v of vals) w.f64(v);
    const r = new ByteReader(w.result());
    r.u8();
    expect(vals.map(() => r.f64())).toEqual(vals);
    expect(r.done).toBe(true);
  });
  it('round-trips varints up to ms timestamps and negative deltas', () => {
    const vals = [0, 1, 127, 128, 300, 2 ** 31, Date.now(), Number.MAX_SAFE_INTEGER];
    const w = new ByteWriter(1);
    for (const v of vals) w.uvar(v);
    for (const v of [-1, 1, -64, 64, -1e9, 1e12]) w.svar(v);
    const r = new ByteReader(w.result());
    expect(vals.map(() => r.uvar())).toEqual(vals);
    expect([1, 2, 3, 4, 5, 6].map(() => r.svar())).toEqual([-1, 1, -64, 64, -1e9, 1e12]);
    expect(r.done).toBe(true);
  });
});

describe('records', () => {
  it('round-trips samples through keyframes and deltas, with down nodes and new nodes', () => {
    const enc = new SampleCodecState();
    const dec = new SampleCodecState();
    const recs = [rec(1000), rec(2000), rec(5000), rec(6000, [1, 2, 3, 4]), rec(7000, [2])];
    const back = recs.map((r, i) => decodeSamples(encodeSamples(r, i === 0, enc), dec));
    expect(visibleAll(back)).toEqual(visibleAll(recs));
  });
  it('stores an idle node in a delta record in two bytes plus changed fields', () => {
    const st = new SampleCodecState();
    const r = { t: 1000, nodes: [node(1, 0)] };
    encodeSamples(r, true, st);
    const delta = encodeSamples({ ...r, t: 2000 }, false, st);
    // t (2 bytes) + flags + count + id + mask: nothing changed
    expect(delta.length).toBe(6);
  });
  it('detects a flipped bit anywhere in a frame', () => {
    const f = frame(RecordType.Checkpoint, Buffer.from('{"t":1,"label":"x"}'));
    expect(checkFrame(f, 0).ok).toBe(true);
    for (let i = 0; i < f.length; i++) {
      const bad = Buffer.from(f);
      bad[i] = bad[i]! ^ 0x10;
      expect(checkFrame(bad, 0).ok, `byte ${i}`).toBe(false);
    }
  });
});

function writeDay(n: number, start = 1_700_000_000_000): SampleRecord[] {
  const w = HistoryWriter.open(dir, 'mvnode1', start);
  const out: SampleRecord[] = [];
  w.writeNodes({ t: start, nodes: [{ id: 1, host: 'a' }, { id: 2, host: 'b' }, { id: 3, host: 'c' }] });
  for (let i = 0; i < n; i++) {
    const r = rec(start + i * 1000);
    out.push(r);
    w.writeSamples(r);
    if (i % 30 === 0) w.writeProcs({ t: r.t, nodes: [{ id: 1, host: 'a', procs: [{ pid: i + 1, user: 'u', command: `p${i}`, args: '', state: 'R', cpu: 1, rssKb: 1, where: 0 }] }] });
    if (i === 42) w.writeCheckpoint({ t: r.t, label: 'job start' });
    w.flush();
  }
  w.close();
  return out;
}

function readAll(): SampleRecord[] {
  const r = HistoryReader.open(dir);
  const out: SampleRecord[] = [];
  r.samples(-Infinity, Infinity, (x) => out.push(x));
  r.close();
  return out;
}

describe('history store', () => {
  it('reads back what was written, by time range, checkpoints and process lists', () => {
    const recs = writeDay(200);
    expect(visibleAll(readAll())).toEqual(visibleAll(recs));
    const r = HistoryReader.open(dir);
    const part: SampleRecord[] = [];
    r.samples(recs[130]!.t, recs[140]!.t, (x) => part.push(x));
    expect(visibleAll(part)).toEqual(visibleAll(recs.slice(130, 141)));
    expect(r.checkpoints()).toEqual([{ t: recs[42]!.t, label: 'job start' }]);
    expect(r.procTimes()).toHaveLength(7);
    expect(r.procsAt(recs[95]!.t)?.nodes[0]?.procs?.[0]?.command).toBe('p90');
    expect(r.procsAt(recs[0]!.t - 1)).toBeUndefined();
    expect(r.namesAt(recs[10]!.t)?.nodes).toHaveLength(3);
    expect(r.lastTime()).toBe(recs[199]!.t);
    r.close();
  });

  it('reads back the alerts beside the checkpoints, by time range, also once the index is lost', () => {
    const w = HistoryWriter.open(dir, 'mvnode1', 1_700_000_000_000);
    const raised = { t: 1_700_000_005_000, event: 'raised' as const, rule: 'load', node: 2, text: 'load 180% (above 90%) for more than 60 s' };
    const cleared = { ...raised, t: 1_700_000_009_000, event: 'cleared' as const };
    for (let i = 0; i < 10; i++) w.writeSamples(rec(1_700_000_000_000 + i * 1000));
    w.writeAlert(raised);
    w.writeAlert(cleared);
    w.flush();
    w.close();
    let r = HistoryReader.open(dir);
    expect(r.alerts()).toEqual([raised, cleared]);
    expect(r.alerts(raised.t + 1)).toEqual([cleared]);
    expect(r.checkpoints()).toEqual([]);
    r.close();
    rmSync(join(dir, INDEX_FILE));
    HistoryWriter.open(dir, 'mvnode1', 1_700_000_100_000).close(); // recovery rebuilds the index
    r = HistoryReader.open(dir);
    expect(r.alerts()).toEqual([raised, cleared]);
    r.close();
  });

  it('a range read starts at a keyframe from the index, not at the start of the file', () => {
    const recs = writeDay(KEYFRAME_EVERY * 5);
    const r = HistoryReader.open(dir);
    let decoded = 0;
    r.samples(recs[KEYFRAME_EVERY * 4 + 5]!.t, recs[KEYFRAME_EVERY * 4 + 6]!.t, () => decoded++);
    expect(decoded).toBe(2);
    r.close();
  });

  it('a reopened writer appends after what is there and starts with a keyframe', () => {
    const first = writeDay(70);
    const w = HistoryWriter.open(dir, 'x');
    expect(w.recovery).toEqual({ droppedBytes: 0, reindexed: 0, summaryDroppedBytes: 0, summariesRebuilt: 0 });
    const more = [rec(first[69]!.t + 1000), rec(first[69]!.t + 2000)];
    more.forEach((m) => w.writeSamples(m));
    w.close();
    expect(visibleAll(readAll())).toEqual(visibleAll([...first, ...more]));
    expect(HistoryReader.open(dir).header.host).toBe('mvnode1');
  });

  it('crash recovery: a log cut at every byte position keeps every whole record before the cut', () => {
    writeDay(KEYFRAME_EVERY + 5);
    const log = readFileSync(join(dir, LOG_FILE));
    const index = readFileSync(join(dir, INDEX_FILE));
    // Ends of whole frames, to know what must survive each cut.
    const ends: number[] = [];
    const sampleEnds: number[] = [];
    for (let p = 0; p < log.length; ) {
      const c = checkFrame(log, p);
      if (!c.ok) throw new Error('bad test log');
      p = c.end + 4;
      ends.push(p);
      if (c.type === RecordType.Samples) sampleEnds.push(p);
    }
    const full = readAll();
    const fullJson = full.map((_, i) => JSON.stringify(visibleAll(full.slice(0, i))));
    fullJson.push(JSON.stringify(visibleAll(full)));
    const work = join(dir, 'cut');
    for (let cut = 0; cut <= log.length; cut++) {
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work);
      writeFileSync(join(work, LOG_FILE), log.subarray(0, cut));
      writeFileSync(join(work, INDEX_FILE), index); // the index may point past the cut
      const keep = ends.filter((e) => e <= cut).pop() ?? 0;
      const w = HistoryWriter.open(work, 'mvnode1', 1, { sync: false });
      expect(w.size, `cut at ${cut}`).toBe(keep || w.size);
      expect(w.recovery.droppedBytes).toBe(cut - keep);
      w.writeSamples(rec(9_999_999_999_000));
      w.close();
      const r = HistoryReader.open(work);
      const got: SampleRecord[] = [];
      r.samples(-Infinity, Infinity, (x) => got.push(x));
      r.close();
      const before = got.slice(0, -1);
      // Exactly the samples records whose frame ended before the cut survive (JSON: toEqual is slow x 4000).
      const whole = sampleEnds.filter((e) => e <= cut).length;
      if (JSON.stringify(visibleAll(before)) !== fullJson[whole]) expect(visibleAll(before), `cut at ${cut}`).toEqual(visibleAll(full.slice(0, whole)));
      expect(got[got.length - 1]!.t).toBe(9_999_999_999_000);
    }
  }, 120_000); // exhaustive (every byte): seconds on a quiet machine, far more on a busy one

  it('crash recovery: zeros or garbage after the last record (power loss) are dropped', () => {
    const recs = writeDay(10);
    appendFileSync(join(dir, LOG_FILE), Buffer.alloc(4096));
    const w = HistoryWriter.open(dir, 'x');
    expect(w.recovery.droppedBytes).toBe(4096);
    w.close();
    appendFileSync(join(dir, LOG_FILE), Buffer.from('MV\x02\xff\xff\x00\x00garbage'));
    HistoryWriter.open(dir, 'x').close();
    expect(visibleAll(readAll())).toEqual(visibleAll(recs));
  });

  it('rebuilds a lost or damaged index from the log', () => {
    const recs = writeDay(200);
    const idx = join(dir, INDEX_FILE);
    const goodSize = statSync(idx).size;
    truncateSync(idx, 30); // one whole entry and a torn one
    const w = HistoryWriter.open(dir, 'x');
    expect(w.recovery.reindexed).toBeGreaterThan(5);
    w.close();
    expect(statSync(idx).size).toBe(goodSize);
    const r = HistoryReader.open(dir);
    expect(r.checkpoints()).toHaveLength(1);
    r.close();
    expect(visibleAll(readAll())).toEqual(visibleAll(recs));
  });
});
