/**
 * The one writer of a history directory (the collector). Appends framed records to
 * mosix.load, syncs once a second, and on open drops a torn tail left by a crash or a
 * power loss: everything before the first damaged frame is kept as it was.
 *
 * A write that fails (full disk, I/O error) loses the records of that flush and nothing
 * else: the records are staged, and the file's end, the delta state, the keyframe count and
 * the open minute advance only once the log holds them on disk.
 */
import { closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { syncDir } from '../../stateDir.js';
import { encodeAlert, encodeCheckpoint, encodeHeader, encodeNodes, encodeProcs, encodeSamples, frame, FORMAT_VERSION, RecordType, SampleCodecState } from './records.js';
import { encodeEntry, type IndexEntry } from './indexFile.js';
import type { AlertMark, Checkpoint, HistoryHeader, NodeNames, ProcSnapshot, SampleRecord } from '../../../shared/history/types.js';
import { encodeSummary, type MinuteAccumulator, type MinuteSummary } from './summary.js';
import { SUMMARY_FILE } from './summaryFile.js';
import { nodeIo, type WriteIo } from './writeIo.js';
import { HistoryWriteError } from './writeErrors.js';
import { INDEX_FILE, recoverFiles, type Recovery } from './recovery.js';

export { INDEX_FILE, LOG_FILE, type Recovery } from './recovery.js';
/** One keyframe a minute: a range read decodes at most a minute it does not need. */
export const KEYFRAME_EVERY = 60;

/** What the files beside the log are for; a failure of one is retried at every flush. */
export type DerivedFile = 'index' | 'summary';

/** Records appended since the last flush: written together, kept or dropped together. */
interface Batch {
  frames: Buffer[];
  bytes: number;
  /** Offsets relative to the start of the batch. */
  index: IndexEntry[];
  samples: SampleRecord[];
  /** The delta state after the batch's samples: a copy, so a lost batch leaves the real one as it was. */
  codec: SampleCodecState | undefined;
  sinceKeyframe: number;
}

export class HistoryWriter {
  private logFd: number;
  private indexFd: number;
  private sumFd: number;
  /** End of what the log holds on disk; nothing past it counts. */
  private end: number;
  private indexEnd: number;
  private sumEnd: number;
  /** The open minute; rebuilt from the log on open, so a restart inside a minute loses nothing. */
  private readonly minute: MinuteAccumulator;
  private pendingSummaries: MinuteSummary[] = [];
  private codec = new SampleCodecState();
  private sinceKeyframe = KEYFRAME_EVERY;
  private batch: Batch;
  private pendingIndex: IndexEntry[] = [];
  /** Bytes of a lost batch may lie past `end`: cut them off before anything is appended. */
  private tail = false;
  private readonly sync: boolean;
  private readonly io: WriteIo;
  /** The files beside the log that could not be written at the last try (retried at every flush). */
  readonly lagging = new Map<DerivedFile, HistoryWriteError>();
  readonly header: HistoryHeader;
  readonly recovery: Recovery;

  private constructor(readonly dir: string, init: {
    logFd: number; indexFd: number; sumFd: number; end: number; indexEnd: number; sumEnd: number; minute: MinuteAccumulator;
    header: HistoryHeader; recovery: Recovery; sync: boolean; io: WriteIo;
  }) {
    this.sync = init.sync;
    this.io = init.io;
    this.logFd = init.logFd;
    this.indexFd = init.indexFd;
    this.sumFd = init.sumFd;
    this.end = init.end;
    this.indexEnd = init.indexEnd;
    this.sumEnd = init.sumEnd;
    this.minute = init.minute;
    this.header = init.header;
    this.recovery = init.recovery;
    this.batch = this.emptyBatch();
  }

  /**
   * `sync: false` skips fdatasync (tests and benchmarks that measure encoding, not the disk).
   * Throws a HistoryWriteError (errno, directory, what to do) when the directory cannot be written.
   */
  static open(dir: string, host: string, now = Date.now(), opts: { sync?: boolean; io?: WriteIo } = {}): HistoryWriter {
    const io = opts.io ?? nodeIo;
    const fds: number[] = [];
    try {
      return HistoryWriter.openFiles(dir, host, now, opts.sync !== false, io, fds);
    } catch (e) {
      for (const fd of fds) closeSync(fd);
      throw e instanceof HistoryWriteError ? e : new HistoryWriteError(dir, e);
    }
  }

  private static openFiles(dir: string, host: string, now: number, sync: boolean, io: WriteIo, fds: number[]): HistoryWriter {
    const f = recoverFiles(dir, sync, io, fds);
    const w = new HistoryWriter(dir, {
      ...f, header: f.header ?? { v: FORMAT_VERSION, started: now, host }, sync, io,
    });
    if (f.end === 0) w.append(RecordType.Header, encodeHeader(w.header), undefined);
    w.pendingIndex.push(...f.added);
    w.pendingSummaries.push(...f.rebuilt);
    w.flush();
    // The files may be new, and so may their directory: make their names durable too.
    if (sync) {
      syncDir(dir);
      syncDir(dirname(dir));
    }
    return w;
  }

  /** Where the log's records on disk end. */
  get size(): number {
    return this.end;
  }

  /** Records one second; every KEYFRAME_EVERY-th record (and the first after open) is a keyframe. */
  writeSamples(rec: SampleRecord): void {
    const b = this.batch;
    b.codec ??= this.codec.clone();
    const key = b.sinceKeyframe >= KEYFRAME_EVERY;
    const payload = encodeSamples(rec, key, b.codec); // a refused record changes nothing
    b.sinceKeyframe = key ? 1 : b.sinceKeyframe + 1;
    this.append(RecordType.Samples, payload, key ? rec.t : undefined);
    b.samples.push(rec);
  }

  writeCheckpoint(c: Checkpoint): void {
    this.append(RecordType.Checkpoint, encodeCheckpoint(c), c.t);
  }

  writeAlert(a: AlertMark): void {
    this.append(RecordType.Alert, encodeAlert(a), a.t);
  }

  writeProcs(p: ProcSnapshot): void {
    this.append(RecordType.Procs, encodeProcs(p), p.t);
  }

  writeNodes(n: NodeNames): void {
    this.append(RecordType.Nodes, encodeNodes(n), n.t);
  }

  /**
   * Writes and syncs what was appended since the last flush, then the index and the
   * summaries derived from it, so neither can describe seconds the log does not hold.
   * Throws a HistoryWriteError when the log could not take the records: they are lost
   * (a gap), and the next flush appends where the log's records end. A failure of the
   * index or the summaries throws nothing: the log has the records, and the derived
   * entries are kept and written again at the next flush (`lagging` says which).
   */
  flush(): void {
    const b = this.batch;
    try {
      if (b.frames.length || this.tail) this.commit(b);
    } finally {
      this.batch = this.emptyBatch(); // after the commit: it starts from the keyframe count on disk
    }
    this.writeDerived('index');
    this.writeDerived('summary');
  }

  /** Closes the files, also when the last flush fails (which then throws). The open minute is not summarised: its seconds are read from the log, or summarised by the next writer. */
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.logFd);
      closeSync(this.indexFd);
      closeSync(this.sumFd);
    }
  }

  private emptyBatch(): Batch {
    return { frames: [], bytes: 0, index: [], samples: [], codec: undefined, sinceKeyframe: this.sinceKeyframe };
  }

  private append(type: RecordType, payload: Uint8Array, indexAt: number | undefined): void {
    const f = frame(type, payload);
    if (indexAt !== undefined) this.batch.index.push({ t: indexAt, offset: this.batch.bytes, type });
    this.batch.frames.push(f);
    this.batch.bytes += f.length;
  }

  private commit(b: Batch): void {
    // A lost batch's bytes, torn or whole, must not follow the next records: a reader would take them for records.
    if (this.tail) {
      try {
        this.io.ftruncateSync(this.logFd, this.end);
      } catch (e) {
        throw new HistoryWriteError(this.dir, e);
      }
      this.tail = false;
    }
    if (!b.frames.length) return;
    try {
      this.tail = true;
      writeAll(this.io, this.logFd, b.frames.length === 1 ? b.frames[0]! : Buffer.concat(b.frames), this.end);
      // After a failed fdatasync the pages may never reach the disk (and count as clean): not kept.
      if (this.sync) this.io.fdatasyncSync(this.logFd);
      this.tail = false;
    } catch (e) {
      this.cutTail();
      throw new HistoryWriteError(this.dir, e);
    }
    for (const e of b.index) this.pendingIndex.push({ ...e, offset: this.end + e.offset });
    this.end += b.bytes;
    if (b.codec) this.codec = b.codec;
    this.sinceKeyframe = b.sinceKeyframe;
    for (const rec of b.samples) {
      const closed = this.minute.add(rec);
      if (closed) this.pendingSummaries.push(closed);
    }
  }

  private cutTail(): void {
    try {
      this.io.ftruncateSync(this.logFd, this.end);
      this.tail = false;
    } catch {
      /* tried again before the next append */
    }
  }

  /** Positional writes: entries that failed are written again at the same place, bytes already there or not. */
  private writeDerived(which: DerivedFile): void {
    const index = which === 'index';
    const buf = index
      ? this.pendingIndex.length ? Buffer.concat(this.pendingIndex.map(encodeEntry)) : undefined
      : this.pendingSummaries.length ? Buffer.concat(this.pendingSummaries.map((s) => frame(RecordType.Summary, encodeSummary(s)))) : undefined;
    if (!buf) return;
    const fd = index ? this.indexFd : this.sumFd;
    const at = index ? this.indexEnd : this.sumEnd;
    try {
      writeAll(this.io, fd, buf, at);
      if (this.sync) this.io.fdatasyncSync(fd);
    } catch (e) {
      this.lagging.set(which, new HistoryWriteError(this.dir, e, `write ${index ? INDEX_FILE : SUMMARY_FILE}`));
      try {
        this.io.ftruncateSync(fd, at); // tidiness only: readers stop at a torn entry, and what is whole is rewritten as it is
      } catch {
        /* the next write overwrites it */
      }
      return;
    }
    this.lagging.delete(which);
    if (index) {
      this.indexEnd = at + buf.length;
      this.pendingIndex = [];
    } else {
      this.sumEnd = at + buf.length;
      this.pendingSummaries = [];
    }
  }
}

/** Positional, so a write after a failed one lands where the records end, not after the torn bytes. */
function writeAll(io: WriteIo, fd: number, buf: Buffer, at: number): void {
  let done = 0;
  while (done < buf.length) {
    const n = io.writeSync(fd, buf, done, buf.length - done, at + done);
    if (!(n > 0)) throw Object.assign(new Error(`write returned ${n} with ${buf.length - done} bytes to go`), { code: 'EIO' });
    done += n;
  }
}
