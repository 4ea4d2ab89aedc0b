/**
 * A guest that ends here (exits, is killed, is lost) is told to its home node, whose record
 * still says "away": without this the home's mosrun would wait for ever and its process box
 * would show a job that no longer exists. Told again until the home answers (both registries
 * are on disk, so also across restarts); then this node's record of the guest goes.
 */
import type { NodeId } from '../../shared/domain/node.js';
import { jobKey } from '../../shared/domain/process.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import type { PeerRequests } from '../../shared/protocol/peer.js';

type Ended = PeerRequests['jobs.ended']['req'];

export interface GuestEndsDeps {
  list(): JobRecord[];
  remove(key: string): void;
  self(): NodeId | undefined;
  tell(home: NodeId, req: Ended): Promise<unknown>;
  now(): number;
  log(msg: string): void;
}

/** Between two tries for one job whose home did not answer. */
export const RETRY_MS = 10_000;

const isEnd = (s: JobRecord['state']): s is Ended['state'] => s === 'exited' || s === 'killed' || s === 'lost';

export class GuestEnds {
  private readonly triedAt = new Map<string, number>();
  private readonly telling = new Set<string>();

  constructor(private readonly d: GuestEndsDeps) {}

  /** Once per sample: every guest that ended here and whose home has not been told yet. */
  sweep(): void {
    const self = this.d.self();
    if (self === undefined) return;
    const now = this.d.now();
    for (const r of this.d.list()) {
      const state = r.state;
      if (r.ref.home === self || r.where !== 0 || !isEnd(state)) continue;
      const key = jobKey(r.ref);
      if (this.telling.has(key) || now - (this.triedAt.get(key) ?? -Infinity) < RETRY_MS) continue;
      this.telling.add(key);
      this.triedAt.set(key, now);
      const req: Ended = { ref: r.ref, on: self, state, ...(r.exitStatus !== undefined ? { exitStatus: r.exitStatus } : {}) };
      this.d.tell(r.ref.home, req).then(
        () => {
          this.d.remove(key);
          this.triedAt.delete(key);
        },
        (e: Error) => this.d.log(`could not tell home node ${r.ref.home} that job ${key} ${state} here: ${e.message} (will retry)`),
      ).finally(() => this.telling.delete(key));
    }
  }
}
