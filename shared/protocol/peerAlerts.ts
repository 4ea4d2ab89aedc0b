/** Peer requests of the alerts: the collector's node gathers the events the other nodes' agents saw. */
import type { AlertEvent } from '../alerts/alertEvents.js';

export type PeerAlertRequests = {
  /**
   * This node's own alert events after `since` of its run `boot` (another run, or without `boot`
   * a `since` beyond them, means all: it restarted). An older agent names no run in its answer.
   */
  'alerts.events': { req: { since: number; boot?: number }; res: { events: AlertEvent[]; next: number; boot?: number } };
};
