/** The time of any record, for indexing it. */
import { decodeAlert, decodeCheckpoint, decodeNodes, decodeProcs, RecordType, sampleHead } from './records.js';

export function recordTime(type: RecordType, payload: Uint8Array): number | undefined {
  try {
    switch (type) {
      case RecordType.Samples:
        return sampleHead(payload)?.t;
      case RecordType.Checkpoint:
        return decodeCheckpoint(payload).t;
      case RecordType.Procs:
        return decodeProcs(payload).t;
      case RecordType.Nodes:
        return decodeNodes(payload).t;
      case RecordType.Alert:
        return decodeAlert(payload).t;
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}
