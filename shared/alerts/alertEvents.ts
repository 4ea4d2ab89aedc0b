/** An event a node's agent saw that an alert rule counts (the collector evaluates them: agent/collector/alerts/). */
import type { NodeId } from '../domain/node.js';

export interface AlertEvent {
  seq: number;
  rule: 'migrationFailed' | 'exchangeRefused';
  /** The node the event concerns: the one whose move failed, or the one that refused datagrams. */
  node: NodeId;
  text: string;
}
