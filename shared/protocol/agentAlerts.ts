/**
 * Main process (and mosctl) -> agent, and the collector -> its node's agent: the alerts
 * (issue 12). The collector evaluates the rules (agent/collector/alerts/); the agent gives it
 * the events only the agent sees and relays the admin's reads and changes to it.
 */
import type { AlertList } from '../alerts/alertRules.js';
import type { AlertEvent } from '../alerts/alertEvents.js';

export type AlertAgentRequests = {
  /** The events this agent saw after `since` (a sequence number; 0: all it keeps), for the collector. */
  'alerts.inputs': { req: { since: number }; res: { events: AlertEvent[]; next: number } };
  /** The rules, active and recent alerts of the collector on this node (mosctl alerts, the GUI). */
  'alerts.list': { req: null; res: AlertList };
  /** Changes rules as KEY=VALUE (mosctl alerts set, the Alerts window): all or none, kept in collector.json. */
  'alerts.set': { req: { set: string[] }; res: AlertList };
  /** The collector says which alerts it raised and cleared, so the agent tells its GUI sessions at once. */
  'alerts.report': { req: { raised: number; cleared: number }; res: null };
};

export type AlertAgentEvents = {
  /** The collector on this node raised or cleared alerts: read alerts.list again. */
  'alerts.changed': { raised: number; cleared: number };
};
