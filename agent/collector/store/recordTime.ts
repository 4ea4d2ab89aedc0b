/** The time of any record, for indexing it. */
import { ByteReader } from './bytes.js';
import { decodeCheckpoint, decodeNodes, decodeProcs, RecordType } from './records.js';

export function recordTime(type: RecordType, payload: Uint8Array): number | undefined {
  try {
    switch (type) {
      case RecordType.Samples:
        return new ByteReader(payload).uvar();
      case RecordType.Checkpoint:
        return decodeCheckpoint(payload).t;
      case RecordType.Procs:
        return decodeProcs(payload).t;
      case RecordType.Nodes:
        return decodeNodes(payload).t;
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}
