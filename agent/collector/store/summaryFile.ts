/**
 * mosix.sum, the per-minute summaries beside the log: the same frames and CRC as the log,
 * one Summary frame per closed minute, in time order. It is derived data: the log is the
 * truth, a summary is only trusted for a minute the log has fully written, and whatever
 * is missing or damaged is rebuilt from the log's seconds (or, by readers, read from them).
 */
import { scanFrames } from './logFile.js';
import { decodeSamples, RecordType, sampleHead, SampleCodecState, unlessDamaged } from './records.js';
import { lastAtOrBefore, type IndexEntry } from './indexFile.js';
import { MinuteAccumulator, summaryMinute, type MinuteSummary } from './summary.js';

export const SUMMARY_FILE = 'mosix.sum';

export interface SummaryScan {
  /** End of the last trusted frame: the writer truncates the file there. */
  validEnd: number;
  lastMinute: number | undefined;
}

/**
 * Walks the trusted summaries: whole frames with a good CRC, minutes increasing, and
 * minutes before `before` (the minute of the log's last second: it may still grow, and a
 * summary past the log's end would describe seconds that are not there).
 */
export function scanSummaries(fd: number, before: number, each?: (minute: number, payload: Uint8Array) => boolean | void): SummaryScan {
  let lastMinute: number | undefined;
  let validEnd = 0;
  scanFrames(fd, 0, (f) => {
    if (f.type !== RecordType.Summary) return false;
    let m: number;
    try {
      m = summaryMinute(f.payload);
    } catch {
      return false;
    }
    if (m >= before || (lastMinute !== undefined && m <= lastMinute)) return false;
    lastMinute = m;
    validEnd = f.next;
    if (each?.(m, f.payload) === false) return false;
  });
  return { validEnd, lastMinute };
}

/** Time of the log's last samples record, reading only from its last keyframe. */
export function lastSampleTime(logFd: number, keys: readonly IndexEntry[]): number | undefined {
  let t: number | undefined;
  scanFrames(logFd, keys.length ? keys[keys.length - 1]!.offset : 0, (f) => {
    const head = f.type === RecordType.Samples ? sampleHead(f.payload) : undefined;
    if (head) t = Math.max(t ?? -Infinity, head.t);
  });
  return t;
}

/**
 * Feeds the log's seconds from `from` on into `acc`, starting at the keyframe before it,
 * and returns the summaries of the minutes that closed; the last minute stays open in `acc`.
 */
export function replayMinutes(logFd: number, keys: readonly IndexEntry[], from: number, acc: MinuteAccumulator): MinuteSummary[] {
  const k = lastAtOrBefore(keys, from);
  const codec = new SampleCodecState();
  const closed: MinuteSummary[] = [];
  let synced = false;
  scanFrames(logFd, k >= 0 ? keys[k]!.offset : 0, (f) => {
    if (f.type !== RecordType.Samples) return;
    synced ||= sampleHead(f.payload)?.keyframe === true;
    if (!synced) return;
    const rec = unlessDamaged(() => decodeSamples(f.payload, codec));
    if (!rec) return void (synced = false); // as readers do: skipped up to the next keyframe
    if (rec.t < from) return;
    const s = acc.add(rec);
    if (s) closed.push(s);
  });
  return closed;
}
