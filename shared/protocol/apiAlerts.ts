/** Renderer -> main API for the alerts (issue 12): read and change them on the collector's node. */
import type { NodeId } from '../domain/node.js';
import type { AlertList } from '../alerts/alertRules.js';

/** The collector node's alerts, or why they cannot be read (no collector running there, node down). */
export type NodeAlerts = { nodeId: NodeId } & ({ list: AlertList; error?: undefined } | { list: null; error: string });

export type AlertApiRequests = {
  'alert.list': { req: null; res: NodeAlerts };
  /** KEY=VALUE changes of the rules (as mosctl alerts set): all or none; a wrong one is EINVAL naming it. */
  'alert.set': { req: { set: string[] }; res: NodeAlerts };
};

export type AlertApiEvents = {
  /** The collector raised or cleared alerts: windows read alert.list again. */
  'alert.changed': { nodeId: NodeId };
};

/** Runtime list of this feature's channels, checked complete against the map. */
export const ALERT_API_CHANNELS = Object.keys({
  'alert.list': 1,
  'alert.set': 1,
} satisfies Record<keyof AlertApiRequests, 1>) as (keyof AlertApiRequests)[];
export const ALERT_API_EVENTS = Object.keys({ 'alert.changed': 1 } satisfies Record<keyof AlertApiEvents, 1>) as (keyof AlertApiEvents)[];
