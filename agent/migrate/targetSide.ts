/**
 * The target's half of a migration. A restored copy stays stopped until the source
 * commits; without a commit it is discarded, and a discarded migration never runs here,
 * even if a late commit arrives: the source then resumes its own copy.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { readSmallFile } from '../sampler/procfs.js';
import { join } from 'node:path';
import { jobKey } from '../../shared/domain/process.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import type { MigrationPhase, PeerJobRequests } from '../../shared/protocol/peerJobs.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { Handlers } from '../../shared/rpc/rpcEndpoint.js';
import type { JobsApi } from '../jobs/index.js';

/** How long a restored copy waits for the source's commit before it is discarded. */
export const COMMIT_WAIT_MS = 30_000;
const RECEIVE_WAIT_MS = 10 * 60_000;
const SAFE_ID = /^[A-Za-z0-9._-]{1,120}$/;

interface Incoming {
  key: string;
  phase: MigrationPhase;
  timer?: ReturnType<typeof setTimeout>;
}

export class TargetSide {
  private readonly incoming = new Map<string, Incoming>();

  constructor(
    private readonly api: JobsApi,
    private readonly stateDir: string,
    private readonly blocksGuests: () => boolean,
    private readonly commitWaitMs = COMMIT_WAIT_MS,
  ) {}

  dirOf(id: string): string {
    if (!SAFE_ID.test(id)) throw new RpcError('EINVAL', `bad migration id "${id}"`);
    return join(this.stateDir, 'incoming', id);
  }

  /**
   * After a restart nothing here was committed: restored copies can only be discarded. A
   * restore that finished while this agent was down left a stopped process it never
   * recorded (its PID is in the images' directory): that goes too, and so do the images.
   */
  discardLeftovers(): void {
    for (const r of this.api.service.registry.list()) {
      if (r.frozenBy === 'restore') this.api.migration.discardRestored(jobKey(r.ref));
    }
    const root = join(this.stateDir, 'incoming');
    let dirs: string[] = [];
    try {
      dirs = readdirSync(root);
    } catch {
      return;
    }
    const known = new Set(this.api.service.registry.list().map((r) => r.pid));
    let busy = false;
    for (const d of dirs) {
      const dir = join(root, d);
      const pid = Number(readSmallFile(join(dir, 'restored.pid'))?.trim());
      if (pid > 0 && !known.has(pid) && /^\d+ \(.*\) [tT] /.test(readSmallFile(`/proc/${pid}/stat`) ?? '')) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone already */
        }
      }
      // A restore still running (log written in the last minute) is looked at again later.
      if (Date.now() - mtimeMs(join(dir, 'restore.log')) < 60_000 && !pid) {
        busy = true;
        continue;
      }
      rmSync(dir, { recursive: true, force: true });
    }
    if (busy) setTimeout(() => this.discardLeftovers(), 60_000).unref();
  }

  handlers(): Handlers<PeerJobRequests> {
    const { migration, service } = this.api;
    return {
      'mig.facts': async () => ({ ...(await migration.facts()), blocksGuests: this.blocksGuests() }),
      'mig.begin': ({ id, job }) => {
        this.dirOf(id);
        if (this.blocksGuests() && job.ref.home !== service.nodeId) throw new RpcError('EBLOCKED', `node ${service.nodeId} blocks guest processes (mosctl block)`);
        // A source that dies mid-transfer never calls back: drop its half-sent images later.
        this.incoming.set(id, { key: jobKey(job.ref), phase: 'receiving', timer: setTimeout(() => this.discard(id), RECEIVE_WAIT_MS) });
        return null;
      },
      'mig.restore': async ({ id, job }) => {
        const m = this.incoming.get(id);
        if (!m || m.phase !== 'receiving') throw new RpcError('ENOENT', `no migration ${id} is waiting for its restore here`);
        clearTimeout(m.timer);
        try {
          const r = await migration.restoreHere(this.dirOf(id), job);
          m.phase = 'restored';
          m.timer = setTimeout(() => this.discard(id), this.commitWaitMs);
          return r;
        } catch (e) {
          this.discard(id);
          throw e;
        }
      },
      'mig.commit': ({ id, migration: record }) => {
        const m = this.incoming.get(id);
        if (m?.phase === 'running') return service.job(m.key);
        if (!m || m.phase !== 'restored') throw new RpcError('ENOENT', `migration ${id} is not waiting here (discarded or unknown): the source keeps the job`);
        clearTimeout(m.timer);
        m.phase = 'running';
        this.cleanup(id);
        return migration.resumeRestored(m.key, record);
      },
      'mig.abort': ({ id }) => {
        this.discard(id);
        return null;
      },
      'mig.status': ({ id }) => {
        const phase = this.incoming.get(id)?.phase;
        if (phase) return { phase: phase === 'discarded' ? 'none' : phase };
        // Not in memory: this agent restarted since. Its job registry, kept on disk, knows
        // whether it runs the job; answering 'none' for a job running here would let the
        // source resume a second copy.
        const r = service.registry.get(keyOfMigration(id));
        if (r && r.where === 0 && r.frozenBy !== 'restore' && (r.state === 'running' || r.state === 'stopped')) return { phase: 'running' };
        return { phase: 'none' };
      },
      'mig.moved': ({ ref, where, migration: m }) => {
        migration.noteMoved(ref, where, m);
        return null;
      },
      'jobs.ended': ({ ref, on, state, exitStatus }) => {
        if (!['exited', 'killed', 'lost'].includes(state)) throw new RpcError('EINVAL', `not an end state: ${String(state)}`);
        migration.noteEnded(ref, on, state, exitStatus);
        return null;
      },
      'jobs.startRemote': (spec) => {
        if (this.blocksGuests() && spec.ref.home !== service.nodeId) throw new RpcError('EBLOCKED', `node ${service.nodeId} blocks guest processes (mosctl block)`);
        return service.startJobHere(spec);
      },
    };
  }

  private discard(id: string): void {
    const m = this.incoming.get(id);
    if (!m || m.phase === 'running' || m.phase === 'discarded') return;
    clearTimeout(m.timer);
    if (m.phase === 'restored') this.api.migration.discardRestored(m.key);
    m.phase = 'discarded';
    this.cleanup(id);
  }

  private cleanup(id: string): void {
    try {
      rmSync(this.dirOf(id), { recursive: true, force: true });
    } catch {
      /* images are only a cache once restored */
    }
  }
}

/** Migration ids are "<job key>-<source node>-<ms>"; job keys ("1.496") hold no dash. */
export function keyOfMigration(id: string): string {
  return id.split('-')[0] ?? id;
}

function mtimeMs(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

export type { JobRecord };
