/**
 * Whether this GUI may install its cluster key, from what the nodes say they hold. A key on
 * a node is the cluster's: a GUI with another key must not install its own anywhere (that
 * split the cluster once), only ask the admin to adopt the cluster's key or rotate explicitly.
 * A node without a key gets the GUI's only once no node can still turn out to hold another.
 */
import type { NodeId } from '../../shared/domain/node.js';

export interface NodeKeyFact {
  id: NodeId;
  /** The node's key ID; null: it has none; undefined: not heard from yet. */
  keyId: string | null | undefined;
  /** Heard from, or tried and found down: nothing more to wait for. */
  settled: boolean;
}

export interface KeyHolders {
  keyId: string;
  nodes: NodeId[];
}

export type KeyVerdict =
  /** Install the GUI's key where none is (creating it first when the GUI has none). */
  | { kind: 'agreed' }
  /** Keyless nodes wait: these nodes have not answered, and might hold another key. */
  | { kind: 'waiting'; on: NodeId[] }
  /** Nodes hold keys other than the GUI's: install nothing; the admin adopts or rotates. */
  | { kind: 'conflict'; others: KeyHolders[] };

/** The keys the nodes hold, most widely held first, with their nodes in the order given. */
export function holders(facts: readonly NodeKeyFact[]): KeyHolders[] {
  const by = new Map<string, NodeId[]>();
  for (const f of facts) if (f.keyId) by.set(f.keyId, [...(by.get(f.keyId) ?? []), f.id]);
  return [...by].map(([keyId, nodes]) => ({ keyId, nodes })).sort((a, b) => b.nodes.length - a.nodes.length);
}

export function keyVerdict(guiKeyId: string | null, facts: readonly NodeKeyFact[]): KeyVerdict {
  const all = holders(facts);
  const others = all.filter((h) => h.keyId !== guiKeyId);
  if (others.length > 0) return { kind: 'conflict', others };
  if (all.length > 0) return { kind: 'agreed' };
  const on = facts.filter((f) => !f.settled).map((f) => f.id);
  return on.length > 0 ? { kind: 'waiting', on } : { kind: 'agreed' };
}
