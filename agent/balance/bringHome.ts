/**
 * mosctl bring: every other node is asked to send this node's jobs home. In rounds, since a
 * job that was on its way to a third node when asked is found there the next time; the
 * rounds end when one moves nothing (three at most).
 */
import type { NodeId } from '../../shared/domain/node.js';
import type { MoveReport } from '../../shared/protocol/agentBalance.js';

export const BRING_ROUNDS = 3;

export async function bringHome(self: NodeId, peers: readonly NodeId[], ask: (node: NodeId) => Promise<MoveReport>): Promise<MoveReport> {
  const report: MoveReport = { moved: [], failed: [], unreachable: [] };
  const notes = new Set<string>();
  for (let round = 0; round < BRING_ROUNDS; round++) {
    const before = report.moved.length;
    const failed: MoveReport['failed'] = [];
    const unreachable: MoveReport['unreachable'] = [];
    await Promise.all(
      peers
        .filter((n) => n !== self)
        .map(async (n) => {
          try {
            const r = await ask(n);
            report.moved.push(...r.moved);
            failed.push(...r.failed);
            if (r.note) notes.add(`node ${n}: ${r.note}`);
          } catch (e) {
            unreachable.push({ node: n, why: (e as Error).message });
          }
        }),
    );
    // What failed or could not be reached counts as of the last round only.
    report.failed = failed;
    report.unreachable = unreachable;
    if (report.moved.length === before) break;
  }
  return notes.size ? { ...report, note: [...notes].join('; ') } : report;
}
