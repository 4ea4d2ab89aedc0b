/**
 * The one writer of a history directory (the collector). Appends framed records to
 * mosix.load, syncs once a second, and on open drops a torn tail left by a crash or a
 * power loss: everything before the first damaged frame is kept as it was.
 */
import { closeSync, existsSync, fdatasyncSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { syncDir } from '../../stateDir.js';
import {
  encodeCheckpoint, encodeHeader, encodeNodes, encodeProcs, encodeSamples, decodeHeader, frame, sampleHead,
  FORMAT_VERSION, RecordType, SampleCodecState, DamagedRecord,
} from './records.js';
import { decodeEntries, encodeEntry, INDEX_ENTRY, type IndexEntry } from './indexFile.js';
import { readFrameAt, scanFrames } from './logFile.js';
import type { Checkpoint, HistoryHeader, NodeNames, ProcSnapshot, SampleRecord } from '../../../shared/history/types.js';
import { recordTime } from './recordTime.js';
import { encodeSummary, MinuteAccumulator, type MinuteSummary } from './summary.js';
import { lastSampleTime, replayMinutes, scanSummaries, SUMMARY_FILE } from './summaryFile.js';
import { MINUTE, minuteOf } from '../../../shared/history/metrics.js';

export const LOG_FILE = 'mosix.load';
export const INDEX_FILE = 'mosix.idx';
/** One keyframe a minute: a range read decodes at most a minute it does not need. */
export const KEYFRAME_EVERY = 60;

export interface Recovery {
  /** Bytes cut from the end of the log (a torn or damaged tail). */
  droppedBytes: number;
  /** Index entries added back from the log. */
  reindexed: number;
  /** Bytes cut from the end of mosix.sum (torn, or past what the log holds). */
  summaryDroppedBytes: number;
  /** Minute summaries written again from the log's seconds. */
  summariesRebuilt: number;
}

export class HistoryWriter {
  private logFd: number;
  private indexFd: number;
  private sumFd: number;
  private end: number;
  private indexEnd: number;
  private sumEnd: number;
  /** The open minute; rebuilt from the log on open, so a restart inside a minute loses nothing. */
  private readonly minute: MinuteAccumulator;
  private pendingSummaries: MinuteSummary[] = [];
  private readonly codec = new SampleCodecState();
  private sinceKeyframe = KEYFRAME_EVERY;
  private pendingIndex: IndexEntry[] = [];
  private dirty = false;
  private readonly sync: boolean;
  readonly header: HistoryHeader;
  readonly recovery: Recovery;

  private constructor(readonly dir: string, init: {
    logFd: number; indexFd: number; sumFd: number; end: number; indexEnd: number; sumEnd: number; minute: MinuteAccumulator;
    header: HistoryHeader; recovery: Recovery; sync: boolean;
  }) {
    this.sync = init.sync;
    this.logFd = init.logFd;
    this.indexFd = init.indexFd;
    this.sumFd = init.sumFd;
    this.end = init.end;
    this.indexEnd = init.indexEnd;
    this.sumEnd = init.sumEnd;
    this.minute = init.minute;
    this.header = init.header;
    this.recovery = init.recovery;
  }

  /** `sync: false` skips fdatasync (tests and benchmarks that measure encoding, not the disk). */
  static open(dir: string, host: string, now = Date.now(), opts: { sync?: boolean } = {}): HistoryWriter {
    mkdirSync(dir, { recursive: true });
    const logPath = join(dir, LOG_FILE);
    const indexPath = join(dir, INDEX_FILE);
    const logFd = openSync(logPath, existsSync(logPath) ? 'r+' : 'w+');
    const indexFd = openSync(indexPath, existsSync(indexPath) ? 'r+' : 'w+');
    const size = fstatSync(logFd).size;

    // Keep index entries that point at a valid frame of their type inside the log.
    let entries = decodeEntries(readFileSync(indexPath));
    while (entries.length) {
      const last = entries[entries.length - 1]!;
      const f = last.offset < size ? readFrameAt(logFd, last.offset) : undefined;
      if (f && f.type === last.type) break;
      entries = entries.slice(0, -1);
    }
    const scanFrom = entries.length ? entries[entries.length - 1]!.offset : 0;
    const added: IndexEntry[] = [];
    let header: HistoryHeader | undefined;
    const { validEnd } = scanFrames(logFd, scanFrom, (f) => {
      if (f.type === RecordType.Header && f.offset === 0) header = headerOf(logPath, f.payload);
      if (f.offset === scanFrom && entries.length) return;
      const e = indexEntryFor(f.type, f.payload, f.offset);
      if (e) added.push(e);
    });
    if (validEnd < size) {
      ftruncateSync(logFd, validEnd);
      if (opts.sync !== false) fdatasyncSync(logFd);
    }

    // Summaries: keep the trusted ones, then summarise again from the log what they miss.
    const keys = [...entries, ...added].filter((e) => e.type === RecordType.Samples);
    const lastT = lastSampleTime(logFd, keys);
    const sumPath = join(dir, SUMMARY_FILE);
    const sumFd = openSync(sumPath, existsSync(sumPath) ? 'r+' : 'w+');
    const sumSize = fstatSync(sumFd).size;
    const sums = scanSummaries(sumFd, lastT === undefined ? -Infinity : minuteOf(lastT));
    if (sums.validEnd < sumSize) {
      ftruncateSync(sumFd, sums.validEnd);
      if (opts.sync !== false) fdatasyncSync(sumFd);
    }
    const minute = new MinuteAccumulator();
    const rebuilt = lastT === undefined ? [] : replayMinutes(logFd, keys, sums.lastMinute === undefined ? -Infinity : sums.lastMinute + MINUTE, minute);

    const w = new HistoryWriter(dir, {
      logFd, indexFd, sumFd, end: validEnd, indexEnd: entries.length * INDEX_ENTRY, sumEnd: sums.validEnd, minute,
      header: header ?? readHeader(logPath, logFd, validEnd) ?? { v: FORMAT_VERSION, started: now, host },
      recovery: { droppedBytes: size - validEnd, reindexed: added.length, summaryDroppedBytes: sumSize - sums.validEnd, summariesRebuilt: rebuilt.length },
      sync: opts.sync !== false,
    });
    ftruncateSync(indexFd, w.indexEnd);
    if (validEnd === 0) w.append(RecordType.Header, encodeHeader(w.header), undefined);
    w.pendingIndex.push(...added);
    w.pendingSummaries.push(...rebuilt);
    w.flush();
    // The files may be new, and so may their directory: make their names durable too.
    if (opts.sync !== false) {
      syncDir(dir);
      syncDir(dirname(dir));
    }
    return w;
  }

  get size(): number {
    return this.end;
  }

  /** Records one second; every KEYFRAME_EVERY-th record (and the first after open) is a keyframe. */
  writeSamples(rec: SampleRecord): void {
    const key = this.sinceKeyframe >= KEYFRAME_EVERY;
    const payload = encodeSamples(rec, key, this.codec); // a refused record changes nothing
    this.sinceKeyframe = key ? 1 : this.sinceKeyframe + 1;
    this.append(RecordType.Samples, payload, key ? rec.t : undefined);
    const closed = this.minute.add(rec);
    if (closed) this.pendingSummaries.push(closed);
  }

  writeCheckpoint(c: Checkpoint): void {
    this.append(RecordType.Checkpoint, encodeCheckpoint(c), c.t);
  }

  writeProcs(p: ProcSnapshot): void {
    this.append(RecordType.Procs, encodeProcs(p), p.t);
  }

  writeNodes(n: NodeNames): void {
    this.append(RecordType.Nodes, encodeNodes(n), n.t);
  }

  /**
   * Makes everything appended so far durable: the log first, then the index and the
   * summaries derived from it, so neither can describe seconds the log does not hold.
   */
  flush(): void {
    if (this.dirty && this.sync) fdatasyncSync(this.logFd);
    this.dirty = false;
    if (this.pendingIndex.length) {
      this.indexEnd = writeAll(this.indexFd, Buffer.concat(this.pendingIndex.map(encodeEntry)), this.indexEnd);
      this.pendingIndex = [];
      if (this.sync) fdatasyncSync(this.indexFd);
    }
    if (this.pendingSummaries.length) {
      const buf = Buffer.concat(this.pendingSummaries.map((s) => frame(RecordType.Summary, encodeSummary(s))));
      this.sumEnd = writeAll(this.sumFd, buf, this.sumEnd);
      this.pendingSummaries = [];
      if (this.sync) fdatasyncSync(this.sumFd);
    }
  }

  /** The open minute is not summarised: its seconds are read from the log, or summarised by the next writer. */
  close(): void {
    this.flush();
    closeSync(this.logFd);
    closeSync(this.indexFd);
    closeSync(this.sumFd);
  }

  private append(type: RecordType, payload: Uint8Array, indexAt: number | undefined): void {
    const f = frame(type, payload);
    const at = this.end;
    this.end = writeAll(this.logFd, f, at);
    if (indexAt !== undefined) this.pendingIndex.push({ t: indexAt, offset: at, type });
    this.dirty = true;
  }
}

/** Positional: after a failed write the next one overwrites the torn bytes instead of following them. */
function writeAll(fd: number, buf: Buffer, at: number): number {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, at + done);
  return at + buf.length;
}

function indexEntryFor(type: RecordType, payload: Uint8Array, offset: number): IndexEntry | undefined {
  if (type === RecordType.Samples && !sampleHead(payload)?.keyframe) return undefined;
  if (type === RecordType.Header) return undefined;
  const t = recordTime(type, payload);
  return t === undefined ? undefined : { t, offset, type };
}

/** The header of a log that keeps records (validEnd > 0); undefined for an empty one. */
function readHeader(logPath: string, fd: number, validEnd: number): HistoryHeader | undefined {
  if (validEnd === 0) return undefined;
  const f = readFrameAt(fd, 0);
  if (!f || f.type !== RecordType.Header) throw unreadableHistory(logPath, 'its first record is not a readable header');
  return headerOf(logPath, f.payload);
}

function headerOf(logPath: string, payload: Uint8Array): HistoryHeader {
  try {
    return decodeHeader(payload);
  } catch (e) {
    if (!(e instanceof DamagedRecord)) throw e;
    throw unreadableHistory(logPath, e.message);
  }
}

/** Appending to a history whose header cannot be read would hide the new records from every reader too. */
const unreadableHistory = (logPath: string, problem: string) =>
  new Error(`${logPath}: ${problem}; move ${dirname(logPath)} aside to start a new history`);
