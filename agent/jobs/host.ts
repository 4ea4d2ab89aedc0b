/**
 * What the jobs feature and the migration protocol need from the node, as interfaces: its
 * processes, CRIU and the state directory. The agent plugs in the real ones (realHost.ts);
 * the migration protocol's simulation (agent/migrate/sim/) plugs in deterministic stand-ins
 * that can crash and fail at any step, and drives the same code.
 */
import type { FileFact } from './cantMove.js';
import type { CriuFacts } from '../../shared/jobs/targetFacts.js';
import type { PageChannel, PagesSeen } from './pageChannel.js';

/** A job's processes on this node, by the PID of its init. */
export interface ProcessHost {
  /** True while `pid` is the process that started at `start` (guards against PID reuse). */
  alive(pid: number | undefined, start?: number): boolean;
  startTime(pid: number): number | undefined;
  /** The init and everything below it, init first. */
  tree(pid: number): number[];
  /** How many of `pids` got the signal. */
  signal(pids: readonly number[], sig: 'SIGCONT' | 'SIGSTOP' | 'SIGKILL'): number;
  /** The stopped ones among `pids`. */
  stopped(pids: readonly number[]): number[];
  renice(pids: readonly number[], nice: number): void;
  /** Files the processes have open or mapped (for the can-it-move check). */
  openFiles(pids: readonly number[]): FileFact[];
  /** Whose process it is (procTree.ts uidFromStatus); a simulation without users leaves it out. */
  uidOf?(pid: number): number | undefined;
  /** Gives a restored job this node's CPUs (CRIU restores the source's affinity). */
  adoptAffinity(pids: readonly number[]): void;
}

export interface ImageFile {
  /** Relative to the image directory. */
  name: string;
  size: number;
}

/** CRIU, as the protocol uses it. */
export interface Checkpointer {
  facts(refresh?: boolean): Promise<CriuFacts>;
  /**
   * Checkpoints the tree into `dir` and leaves it stopped (SIGCONT resumes it unchanged);
   * with `pages`, the memory pages go through that channel to the target instead of `dir`.
   */
  dump(pid: number, dir: string, opts: { pre?: boolean; prevDir?: string; pages?: PageChannel }): Promise<{ ms: number; pages?: PagesSeen }>;
  /** The target's end of a page channel: the pages that arrive are written into `dir`. */
  pageServer(dir: string, pages: PageChannel, opts?: { prevDir?: string }): Promise<{ ms: number; pages: PagesSeen }>;
  /** Restores the tree from `dir`, stopped; its init's PID in this node's namespace. */
  restore(dir: string): Promise<{ pid: number; ms: number }>;
}

/**
 * The state directory. `write` and `append` are durable when they return (written and
 * synced) and throw when they cannot be (a full disk, a read-only directory): the protocol
 * decides what to do about it.
 */
export interface StateFiles {
  write(path: string, text: string): void;
  append(path: string, text: string): void;
  read(path: string): string | undefined;
  /** Names in a directory; none when it does not exist. */
  list(dir: string): string[];
  mkdir(dir: string): void;
  /** Removes a file or a whole directory; nothing when it is not there. */
  remove(path: string): void;
  /** Every file under `dir`, with its size. */
  images(dir: string): ImageFile[];
  /** Last change of a file, ms; 0 when missing. */
  mtime(path: string): number;
}

