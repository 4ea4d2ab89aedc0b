/**
 * What keeps each job here from moving beyond its mode and lock: CRIU on this node (none,
 * too old) and its files (node-local paths, sockets, terminals), from the jobs service's full
 * check (the one a migration runs first). Checked one job at a time in the background, again
 * every `everyMs` and at once after a failed move, so a job that cannot move is no candidate
 * and `mosctl status` says why instead of the balancer failing moves with it.
 */
export const CHECK_EVERY_MS = 60_000;

export class JobChecks {
  private readonly results = new Map<string, { reasons: string[]; at: number }>();
  private running = false;

  constructor(
    private readonly check: (jobKey: string) => Promise<string[]>,
    private readonly clock: () => number,
    private readonly everyMs = CHECK_EVERY_MS,
  ) {}

  /**
   * The jobs here now: forgets the others and starts the check of the one most overdue,
   * unless one runs. Returns the promise of that check (tests wait for it).
   */
  tick(keys: readonly string[]): Promise<void> | undefined {
    const here = new Set(keys);
    for (const k of [...this.results.keys()]) if (!here.has(k)) this.results.delete(k);
    if (this.running) return undefined;
    const now = this.clock();
    const due = keys.filter((k) => (this.results.get(k)?.at ?? -Infinity) + this.everyMs <= now);
    const key = due.sort((a, b) => (this.results.get(a)?.at ?? -Infinity) - (this.results.get(b)?.at ?? -Infinity))[0];
    if (key === undefined) return undefined;
    this.running = true;
    return this.check(key)
      .then((reasons) => void this.results.set(key, { reasons, at: this.clock() }))
      .catch(() => void this.results.delete(key)) // no answer is no news: checked again next time
      .finally(() => {
        this.running = false;
      });
  }

  /** Why the job cannot move, from its last check; empty when it can or was not checked yet. */
  reasons(key: string): string[] {
    return this.results.get(key)?.reasons ?? [];
  }

  /** Check this job again at the next tick (a move of it just failed). */
  again(key: string): void {
    const r = this.results.get(key);
    if (r) this.results.set(key, { ...r, at: -Infinity });
  }
}
