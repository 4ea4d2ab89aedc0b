/**
 * The mosctl flags of a node (HOWTO 8.2, /proc/hpc/admin), named once: the agent's parser and
 * store, the main process's check of balance.setFlag and the node window all take them from here.
 *   stay:  no automatic migration of any process out of this node.
 *   lstay: processes whose home is this node stay; guests may still leave.
 *   block: guests may not arrive.
 *   quiet: the node stops taking part in the load exchange.
 */
export const FLAG_NAMES = ['stay', 'lstay', 'block', 'quiet'] as const;

export type FlagName = (typeof FLAG_NAMES)[number];

/** A node's flags; all false is the default. */
export type NodeFlags = Record<FlagName, boolean>;

export const NO_FLAGS: Readonly<NodeFlags> = Object.freeze(Object.fromEntries(FLAG_NAMES.map((f) => [f, false])) as NodeFlags);
