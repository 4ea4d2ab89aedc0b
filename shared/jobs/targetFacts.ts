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

/**
 * Whether one path is seen alike on another node, as the agent found out (agent/jobs/shareDetector.ts):
 * a marker file written under a directory here and looked for there, or the same file
 * (size and modification time) on both.
 */
export type Visibility = { visible: true } | { visible: false; why: string };

/** A marker file written in `dir` on one node; another node looks for it (peer request share.look). */
export interface ShareMarker {
  dir: string;
  /** `.mosixview-share-` and 32 hex digits: a name of its own, never a path. */
  name: string;
  /** 64 hex digits, the file's content: an old marker of someone else never counts. */
  token: string;
}

/** A file's size and modification time: an installed file (a library, the program) is the same on two nodes when both agree. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** Advanced execution's "Can it migrate?": what would keep a job started so from moving. */
export interface MigrationPrecheck {
  /** Every reason it could not move; empty when it could. */
  reasons: string[];
  /** The other nodes that see its working directory and program alike: where it could go. */
  sharedWith: NodeId[];
}

/** The default working directory of a job: the agent user's home, when the other nodes see it too. */
export interface SharedWorkdir {
  home: string;
  shared: boolean;
  /** Why the home is not offered (not shared, no other node to ask ...). */
  why?: string;
}
