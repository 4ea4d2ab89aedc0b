/**
 * Opening a history directory for writing: what a crash, a power loss or a failed write
 * left behind is found and cut off here, and what the index and the summaries miss is
 * taken again from the log. Everything before the first damaged frame is kept as it was.
 */
import { existsSync, fstatSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DamagedRecord, decodeHeader, RecordType, sampleHead } from './records.js';
import { decodeEntries, INDEX_ENTRY, type IndexEntry } from './indexFile.js';
import { readFrameAt, scanFrames } from './logFile.js';
import { recordTime } from './recordTime.js';
import { MinuteAccumulator, type MinuteSummary } from './summary.js';
import { lastSampleTime, replayMinutes, scanSummaries, SUMMARY_FILE } from './summaryFile.js';
import { MINUTE, minuteOf } from '../../../shared/history/grid.js';
import type { HistoryHeader } from '../../../shared/history/types.js';
import type { WriteIo } from './writeIo.js';

export const LOG_FILE = 'mosix.load';
export const INDEX_FILE = 'mosix.idx';

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

export interface RecoveredFiles {
  logFd: number;
  indexFd: number;
  sumFd: number;
  /** Where the valid frames of each file end: the writer appends there. */
  end: number;
  indexEnd: number;
  sumEnd: number;
  /** The log's last minute, open again with the seconds it already holds. */
  minute: MinuteAccumulator;
  /** Undefined for a new (or emptied) log: the writer starts it with a header. */
  header: HistoryHeader | undefined;
  recovery: Recovery;
  /** Index entries and summaries the files miss, to be written. */
  added: IndexEntry[];
  rebuilt: MinuteSummary[];
}

/** Opens (creating) the three files of `dir`; every fd opened is pushed on `fds`, so the caller can close them if this throws. */
export function recoverFiles(dir: string, sync: boolean, io: WriteIo, fds: number[]): RecoveredFiles {
  mkdirSync(dir, { recursive: true });
  const logPath = join(dir, LOG_FILE);
  const indexPath = join(dir, INDEX_FILE);
  const logFd = io.openSync(logPath, existsSync(logPath) ? 'r+' : 'w+');
  fds.push(logFd);
  const indexFd = io.openSync(indexPath, existsSync(indexPath) ? 'r+' : 'w+');
  fds.push(indexFd);
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
    io.ftruncateSync(logFd, validEnd);
    if (sync) io.fdatasyncSync(logFd);
  }
  const indexEnd = entries.length * INDEX_ENTRY;
  io.ftruncateSync(indexFd, indexEnd);

  // Summaries: keep the trusted ones, then summarise again from the log what they miss.
  const keys = [...entries, ...added].filter((e) => e.type === RecordType.Samples);
  const lastT = lastSampleTime(logFd, keys);
  const sumPath = join(dir, SUMMARY_FILE);
  const sumFd = io.openSync(sumPath, existsSync(sumPath) ? 'r+' : 'w+');
  fds.push(sumFd);
  const sumSize = fstatSync(sumFd).size;
  const sums = scanSummaries(sumFd, lastT === undefined ? -Infinity : minuteOf(lastT));
  if (sums.validEnd < sumSize) {
    io.ftruncateSync(sumFd, sums.validEnd);
    if (sync) io.fdatasyncSync(sumFd);
  }
  const minute = new MinuteAccumulator();
  const rebuilt = lastT === undefined ? [] : replayMinutes(logFd, keys, sums.lastMinute === undefined ? -Infinity : sums.lastMinute + MINUTE, minute);

  return {
    logFd, indexFd, sumFd, end: validEnd, indexEnd, sumEnd: sums.validEnd, minute,
    header: header ?? readHeader(logPath, logFd, validEnd),
    recovery: { droppedBytes: size - validEnd, reindexed: added.length, summaryDroppedBytes: sumSize - sums.validEnd, summariesRebuilt: rebuilt.length },
    added, rebuilt,
  };
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
