/** An event a node's agent saw that an alert rule counts (the collector evaluates them: agent/collector/alerts/). */
import type { NodeId } from '../domain/node.js';

export interface AlertEvent {
  seq: number;
  rule: 'migrationFailed' | 'exchangeRefused';
  /** The node the event concerns: the one whose move failed, or the one that refused datagrams. */
  node: NodeId;
  text: string;
}

/**
 * Where a node's own event log stands: the agent's run (a new one after each restart, as its
 * log lives in memory) and the sequence number of its newest event. Nodes tell it in the load
 * exchange, so the collector's node asks only those whose mark moved (agent/alerts/peerEventPull.ts).
 */
export interface EventLogMark {
  boot: number;
  seq: number;
}
