/**
 * Reading a history directory while the collector may be writing it: only whole,
 * checked frames count, so a record being written is simply not there yet.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeAlert, decodeCheckpoint, decodeHeader, decodeNodes, decodeProcs, decodeSamples, RecordType, sampleHead, SampleCodecState, unlessDamaged,
} from './records.js';
import { decodeEntries, lastAtOrBefore, type IndexEntry } from './indexFile.js';
import { readFrameAt, scanFrames } from './logFile.js';
import { INDEX_FILE, LOG_FILE } from './historyWriter.js';
import { decodeSummary, decodeSummaryInto, FlatSummary, type MinuteSummary } from './summary.js';
import { scanSummaries, SUMMARY_FILE } from './summaryFile.js';
import { minuteOf } from '../../../shared/history/grid.js';
import type { AlertMark, Checkpoint, HistoryHeader, NodeNames, ProcSnapshot, SampleRecord } from '../../../shared/history/types.js';

export class HistoryReader {
  /** What reads cost so far: tests and the benchmark check that a day view skips the seconds. */
  readonly decoded = { samples: 0, summaries: 0 };

  private constructor(
    private readonly fd: number,
    readonly header: HistoryHeader,
    /** Valid index entries, in log order. */
    private readonly entries: IndexEntry[],
    private readonly dir: string,
  ) {}

  /** Opens a history directory; throws ENOENT-style errors an admin can read. */
  static open(dir: string): HistoryReader {
    const logPath = join(dir, LOG_FILE);
    if (!existsSync(logPath)) throw Object.assign(new Error(`no history in ${dir} (no ${LOG_FILE})`), { code: 'ENOHISTORY' });
    const fd = openSync(logPath, 'r');
    try {
      const head = readFrameAt(fd, 0);
      const header = head?.type === RecordType.Header ? unlessDamaged(() => decodeHeader(head.payload)) : undefined;
      if (!header) throw Object.assign(new Error(`${logPath} is not a Mosixview history`), { code: 'EBADHISTORY' });
      const size = fstatSync(fd).size;
      const indexPath = join(dir, INDEX_FILE);
      const entries = existsSync(indexPath) ? decodeEntries(readFileSync(indexPath)).filter((e) => e.offset < size) : [];
      return new HistoryReader(fd, header, entries, dir);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  private ofType(type: RecordType): IndexEntry[] {
    return this.entries.filter((e) => e.type === type);
  }

  /**
   * Calls `each` for every samples record with from <= t <= to, starting at the last
   * keyframe before `from` (found in the index) instead of the start of the day. `each`
   * returning false stops the read there (a page of an export is full).
   */
  samples(from: number, to: number, each: (r: SampleRecord) => unknown): void {
    const keys = this.ofType(RecordType.Samples);
    const k = lastAtOrBefore(keys, from);
    const start = k >= 0 ? keys[k]!.offset : 0;
    const codec = new SampleCodecState();
    let synced = false; // deltas before the first keyframe (or after a damaged record) have no base
    scanFrames(this.fd, start, (f) => {
      if (f.type !== RecordType.Samples) return;
      synced ||= sampleHead(f.payload)?.keyframe === true;
      if (!synced) return;
      const rec = unlessDamaged(() => decodeSamples(f.payload, codec));
      if (!rec) return void (synced = false);
      this.decoded.samples++;
      if (rec.t > to) return false;
      if (rec.t >= from && each(rec) === false) return false;
    });
  }

  /**
   * Calls `each` for the stored summaries of minutes starting in [from, to], in time order.
   * Missing minutes (the open one, a torn summary, an old history) are simply absent:
   * the caller reads their seconds instead.
   */
  summaries(from: number, to: number, each: (s: MinuteSummary) => void): void {
    this.summaryFrames(from, to, decodeSummary, each);
  }

  /** summaries() decoded into one reused FlatSummary: what a day's chart reads, without an object per node. */
  flatSummaries(from: number, to: number, each: (s: FlatSummary) => void): void {
    const into = new FlatSummary();
    this.summaryFrames(from, to, (payload) => decodeSummaryInto(payload, into), each);
  }

  private summaryFrames<T>(from: number, to: number, decode: (payload: Uint8Array) => T, each: (s: T) => void): void {
    const path = join(this.dir, SUMMARY_FILE);
    if (!existsSync(path)) return;
    const fd = openSync(path, 'r');
    try {
      scanSummaries(fd, minuteOf(this.lastTime()), (m, payload) => {
        if (m > to) return false;
        if (m < from) return;
        const s = unlessDamaged(() => decode(payload));
        if (!s) return; // its seconds are read instead
        this.decoded.summaries++;
        each(s);
      });
    } finally {
      closeSync(fd);
    }
  }

  /** The last samples record at or before `t` (replay). */
  at(t: number, maxAgeMs = 5000): SampleRecord | undefined {
    let found: SampleRecord | undefined;
    this.samples(t - maxAgeMs, t, (r) => (found = r));
    return found;
  }

  checkpoints(from = -Infinity, to = Infinity): Checkpoint[] {
    return this.indexed(RecordType.Checkpoint, decodeCheckpoint, from, to);
  }

  alerts(from = -Infinity, to = Infinity): AlertMark[] {
    return this.indexed(RecordType.Alert, decodeAlert, from, to);
  }

  /** The records of one indexed type with from <= t <= to, decoded; a damaged one is left out. */
  private indexed<T>(type: RecordType, decode: (payload: Uint8Array) => T, from: number, to: number): T[] {
    return this.ofType(type)
      .filter((e) => e.t >= from && e.t <= to)
      .map((e) => readFrameAt(this.fd, e.offset))
      .map((f) => f && unlessDamaged(() => decode(f.payload)))
      .filter((x): x is T => x !== undefined);
  }

  /** Times of the stored process lists. */
  procTimes(): number[] {
    return this.ofType(RecordType.Procs).map((e) => e.t);
  }

  /** The process lists as they were at `t`: the last ones taken at or before it. */
  procsAt(t: number): ProcSnapshot | undefined {
    const list = this.ofType(RecordType.Procs);
    const i = lastAtOrBefore(list, t);
    const f = i >= 0 ? readFrameAt(this.fd, list[i]!.offset) : undefined;
    const rec = f && unlessDamaged(() => decodeProcs(f.payload));
    if (!rec || 'nodes' in rec) return rec;
    // An older collector's own list: its node is the one the names table gives its host, else 0 (no cluster).
    const own = this.namesAt(rec.t)?.nodes.find((n) => n.host === this.header.host);
    return { t: rec.t, nodes: [{ id: own?.id ?? 0, host: this.header.host, procs: rec.procs }] };
  }

  /** Host names of the nodes as last recorded at or before `t`. */
  namesAt(t: number): NodeNames | undefined {
    const list = this.ofType(RecordType.Nodes);
    const i = lastAtOrBefore(list, t);
    const f = i >= 0 ? readFrameAt(this.fd, list[i]!.offset) : undefined;
    return f && unlessDamaged(() => decodeNodes(f.payload));
  }

  /** Time of the last record in the file, scanning only from the last index entry. */
  lastTime(): number {
    const last = this.entries[this.entries.length - 1];
    let t = last?.t ?? this.header.started;
    scanFrames(this.fd, last?.offset ?? 0, (f) => {
      if (f.type === RecordType.Samples) t = Math.max(t, sampleHead(f.payload)?.t ?? t);
    });
    return t;
  }
}
