/**
 * What a node says about itself before a migration (jobs.facts, mig.facts): its CRIU and
 * which paths it shares with the cluster. The agent gathers them (agent/jobs/checks.ts);
 * the source decides with them whether a job can move there.
 */
import type { NodeId } from '../domain/node.js';

/** What a node knows about its CRIU. */
export interface CriuFacts {
  /** Path found, or undefined when there is none. */
  path?: string;
  /** "4.1.1"; undefined when CRIU is missing or would not run. */
  version?: string;
  /** Why CRIU is unusable beyond its version (e.g. "criu check" failed), if it is. */
  problem?: string;
  /** Incremental pre-dump works (kernel soft-dirty tracking). */
  preDump: boolean;
}

/** Which paths a node sees the same way as the rest of the cluster. */
export interface PathView {
  /** Only files under these are visible on other nodes ("/" = a fully shared filesystem). */
  sharedRoots: string[];
  /** Never visible elsewhere, even under a shared root (/proc, /sys, a local /scratch ...). */
  localRoots: string[];
}

/** What the target says about itself before a migration (its own jobs.facts answer). */
export interface TargetFacts extends PathView {
  node: NodeId;
  criu: CriuFacts;
  /** The target refuses guests (mosctl block). */
  blocksGuests: boolean;
}
