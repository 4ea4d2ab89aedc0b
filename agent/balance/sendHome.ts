/** expel and bring, the admin's moves: the chosen jobs go back to their home node, one at a time. */
import type { JobCandidate } from './decide.js';
import type { MoveReport } from '../../shared/protocol/agentBalance.js';
import type { MigrationService } from '../daemon/services.js';

export async function sendHome(mig: MigrationService, which: (j: JobCandidate) => boolean, moved: (key: string) => void): Promise<MoveReport> {
  const report: MoveReport = { moved: [], failed: [], unreachable: [] };
  // One at a time: each move checkpoints and copies a whole process tree.
  for (const j of mig.candidates().filter(which)) {
    const here = () => mig.candidates().some((c) => c.key === j.key);
    if (!here()) continue;
    try {
      await mig.migrate(j.key, j.home, 'admin');
      moved(j.key);
      report.moved.push(j.key);
    } catch (e) {
      // A job that left meanwhile (it ended, or moved on) is not this node's failure.
      if (here()) report.failed.push({ job: j.key, why: (e as Error).message });
    }
  }
  return report;
}
