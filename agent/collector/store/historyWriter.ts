/**
 * The one writer of a history directory (the collector). Appends framed records to
 * mosix.load, syncs once a second, and on open drops a torn tail left by a crash or a
 * power loss: everything before the first damaged frame is kept as it was.
 */
import { closeSync, existsSync, fdatasyncSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  encodeCheckpoint, encodeHeader, encodeNodes, encodeProcs, encodeSamples, decodeHeader, frame, isKeyframe,
  FORMAT_VERSION, RecordType, SampleCodecState,
} from './records.js';
import { decodeEntries, encodeEntry, INDEX_ENTRY, type IndexEntry } from './indexFile.js';
import { readFrameAt, scanFrames } from './logFile.js';
import type { Checkpoint, HistoryHeader, NodeNames, ProcSnapshot, SampleRecord } from '../../../shared/history/types.js';
import { recordTime } from './recordTime.js';

export const LOG_FILE = 'mosix.load';
export const INDEX_FILE = 'mosix.idx';
/** One keyframe a minute: a range read decodes at most a minute it does not need. */
export const KEYFRAME_EVERY = 60;

export interface Recovery {
  /** Bytes cut from the end of the log (a torn or damaged tail). */
  droppedBytes: number;
  /** Index entries added back from the log. */
  reindexed: number;
}

export class HistoryWriter {
  private logFd: number;
  private indexFd: number;
  private end: number;
  private indexEnd: number;
  private readonly codec = new SampleCodecState();
  private sinceKeyframe = KEYFRAME_EVERY;
  private pendingIndex: IndexEntry[] = [];
  private dirty = false;
  private readonly sync: boolean;
  readonly header: HistoryHeader;
  readonly recovery: Recovery;

  private constructor(readonly dir: string, init: { logFd: number; indexFd: number; end: number; indexEnd: number; header: HistoryHeader; recovery: Recovery; sync: boolean }) {
    this.sync = init.sync;
    this.logFd = init.logFd;
    this.indexFd = init.indexFd;
    this.end = init.end;
    this.indexEnd = init.indexEnd;
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
      if (f.type === RecordType.Header && f.offset === 0) header = decodeHeader(f.payload);
      if (f.offset === scanFrom && entries.length) return;
      const e = indexEntryFor(f.type, f.payload, f.offset);
      if (e) added.push(e);
    });
    if (validEnd < size) {
      ftruncateSync(logFd, validEnd);
      if (opts.sync !== false) fdatasyncSync(logFd);
    }
    const w = new HistoryWriter(dir, {
      logFd, indexFd, end: validEnd, indexEnd: entries.length * INDEX_ENTRY,
      header: header ?? readHeader(logFd) ?? { v: FORMAT_VERSION, started: now, host },
      recovery: { droppedBytes: size - validEnd, reindexed: added.length },
      sync: opts.sync !== false,
    });
    ftruncateSync(indexFd, w.indexEnd);
    if (validEnd === 0) w.append(RecordType.Header, encodeHeader(w.header), undefined);
    w.pendingIndex.push(...added);
    w.flush();
    return w;
  }

  get size(): number {
    return this.end;
  }

  /** Records one second; every KEYFRAME_EVERY-th record (and the first after open) is a keyframe. */
  writeSamples(rec: SampleRecord): void {
    const key = this.sinceKeyframe >= KEYFRAME_EVERY;
    this.sinceKeyframe = key ? 1 : this.sinceKeyframe + 1;
    this.append(RecordType.Samples, encodeSamples(rec, key, this.codec), key ? rec.t : undefined);
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

  /** Makes everything appended so far durable: the log first, then the index that points into it. */
  flush(): void {
    if (this.dirty && this.sync) fdatasyncSync(this.logFd);
    this.dirty = false;
    if (!this.pendingIndex.length) return;
    const buf = Buffer.concat(this.pendingIndex.map(encodeEntry));
    writeSync(this.indexFd, buf, 0, buf.length, this.indexEnd);
    this.indexEnd += buf.length;
    this.pendingIndex = [];
    if (this.sync) fdatasyncSync(this.indexFd);
  }

  close(): void {
    this.flush();
    closeSync(this.logFd);
    closeSync(this.indexFd);
  }

  private append(type: RecordType, payload: Uint8Array, indexAt: number | undefined): void {
    const f = frame(type, payload);
    // Positional: after a failed write the next one overwrites the torn bytes instead of following them.
    let done = 0;
    while (done < f.length) done += writeSync(this.logFd, f, done, f.length - done, this.end + done);
    if (indexAt !== undefined) this.pendingIndex.push({ t: indexAt, offset: this.end, type });
    this.end += f.length;
    this.dirty = true;
  }
}

function indexEntryFor(type: RecordType, payload: Uint8Array, offset: number): IndexEntry | undefined {
  if (type === RecordType.Samples && !isKeyframe(payload)) return undefined;
  if (type === RecordType.Header) return undefined;
  const t = recordTime(type, payload);
  return t === undefined ? undefined : { t, offset, type };
}

function readHeader(fd: number): HistoryHeader | undefined {
  const f = readFrameAt(fd, 0);
  return f && f.type === RecordType.Header ? decodeHeader(f.payload) : undefined;
}
