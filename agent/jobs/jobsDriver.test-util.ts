/**
 * Test driver: one migration step on this node, run over ssh by e2e/tests/jobsLocal.spec.ts
 * while the node's daemon is stopped (it works on the same state dir and registry). It
 * stands in for the orchestrator that will call the same API over the peer channel.
 *
 *   tsx jobsDriver.test-util.ts dump KEY DIR          -> DumpResult as JSON (job left frozen)
 *   tsx jobsDriver.test-util.ts resume KEY            (undo the dump: the job goes on here)
 *   tsx jobsDriver.test-util.ts restore DIR RECORD    -> {pid, restoreMs} (left stopped)
 *   tsx jobsDriver.test-util.ts kill KEY TO           (source copy dies, record says "away")
 *   tsx jobsDriver.test-util.ts start KEY FROM TO FREEZE_SINCE BYTES  (restored copy runs)
 *   tsx jobsDriver.test-util.ts discard KEY
 */
import { readFileSync } from 'node:fs';
import { statePaths } from '../stateDir.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import { JobsService } from './jobsService.js';
import { Migration } from './migration.js';

async function main(args: string[]): Promise<unknown> {
  const jobs = new JobsService({ stateDir: statePaths().dir });
  const mig = new Migration(jobs);
  const [cmd, a = '', b = '', c = '', d = '', e = ''] = args;
  switch (cmd) {
    case 'dump':
      return mig.prepareDump(a, b);
    case 'resume':
      return mig.resumeSource(a, 'test: restore failed');
    case 'restore':
      return mig.restoreHere(a, JSON.parse(readFileSync(b, 'utf8')) as JobRecord);
    case 'kill':
      return mig.killSource(a, Number(b)), null;
    case 'start':
      return mig.resumeRestored(a, { from: Number(b), to: Number(c), freezeMs: Date.now() - Number(d), bytes: Number(e) });
    case 'discard':
      return mig.discardRestored(a), null;
    default:
      throw new Error(`unknown step ${cmd}`);
  }
}

main(process.argv.slice(2)).then(
  (r) => {
    process.stdout.write(JSON.stringify(r ?? null) + '\n');
    process.exit(0);
  },
  (e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  },
);
