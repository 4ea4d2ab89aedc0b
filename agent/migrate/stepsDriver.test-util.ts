/**
 * Test driver: one node-local migration step on this node, run over ssh by
 * e2e/tests/jobsLocal.spec.ts while the node's daemon is stopped (it works on the same state
 * dir and registry), standing in for the orchestrator that calls the same steps over the
 * peer channel.
 *
 *   tsx stepsDriver.test-util.ts dump KEY DIR          -> DumpResult as JSON (job left frozen)
 *   tsx stepsDriver.test-util.ts resume KEY            (undo the dump: the job goes on here)
 *   tsx stepsDriver.test-util.ts restore DIR RECORD    -> {pid, restoreMs} (left stopped)
 *   tsx stepsDriver.test-util.ts kill KEY TO           (source copy dies, record says "away")
 *   tsx stepsDriver.test-util.ts start KEY FROM TO FREEZE_SINCE BYTES  (restored copy runs)
 *   tsx stepsDriver.test-util.ts discard KEY
 */
import { readFileSync } from 'node:fs';
import { statePaths } from '../stateDir.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import { JobsService } from '../jobs/jobsService.js';
import { LocalSteps } from './localSteps.js';

async function main(args: string[]): Promise<unknown> {
  const jobs = new JobsService({ stateDir: statePaths().dir });
  const steps = new LocalSteps(jobs);
  const [cmd, a = '', b = '', c = '', d = '', e = ''] = args;
  const move = (key: string, from: number, to: number) => ({ id: `${key}-${from}-${Date.now()}`, from, to });
  switch (cmd) {
    case 'dump':
      return steps.prepareDump(a, b, move(a, jobs.nodeId, 0));
    case 'resume':
      return steps.resumeSource(a, 'test: restore failed'), null;
    case 'restore': {
      const record = JSON.parse(readFileSync(b, 'utf8')) as JobRecord;
      return steps.restoreHere(a, record, record.moving ?? move(`${record.ref.home}.${record.ref.id}`, record.ref.home, jobs.nodeId));
    }
    case 'kill':
      return steps.killSource(a, Number(b)), null;
    case 'start':
      return steps.resumeRestored(a, { from: Number(b), to: Number(c), freezeMs: Date.now() - Number(d), bytes: Number(e) });
    case 'discard':
      return steps.discardRestored(a), null;
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
