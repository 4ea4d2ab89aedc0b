/**
 * The main window's alert banner: the collector's active alerts, each naming the node, the
 * rule and since when. Read on the collector's node (alert.list), again at once when the
 * collector raises or clears one (alert.changed), and every few seconds besides. A new alert
 * is also a desktop notification where the page may show one (the Electron app).
 */
import { useEffect, useRef } from 'react';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { Alert } from '../../../shared/alerts/alertRules.js';
import { alertLine } from '../../../shared/alerts/alertText.js';
import { usePoll } from '../../components/usePoll.js';
import { clock } from '../../history/timeFormat.js';

/** The event brings news at once; this only catches a missed event (a collector node reconnected). */
export const ALERTS_REFRESH_MS = 10_000;

const keyOf = (a: Alert) => `${a.rule}:${a.node}:${a.since}`;

function notify(a: Alert): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(`Mosixview: node ${a.node}`, { body: alertLine(a, clock) });
  } catch {
    /* a page that may not notify simply does not */
  }
}

export function AlertBanner({ bridge }: { bridge: MosixviewBridge }) {
  const { data, refresh } = usePoll(() => bridge.invoke('alert.list', null), ALERTS_REFRESH_MS, [bridge]);
  useEffect(() => bridge.on('alert.changed', () => void refresh()), [bridge, refresh]);
  const active = data?.list?.active ?? [];

  const known = useRef<Set<string> | undefined>(undefined);
  useEffect(() => {
    if (!data?.list) return;
    const keys = new Set(active.map(keyOf));
    // Those already active when the window opened were announced by the window before it.
    if (known.current) for (const a of active) if (!known.current.has(keyOf(a))) notify(a);
    known.current = keys;
  }, [data]); // eslint-disable-line react-hooks/exhaustive-deps -- `active` is derived from `data`

  if (!active.length) return null;
  return (
    <section role="alert" aria-label="Alerts" className="banner alert-banner">
      <strong>{active.length === 1 ? 'Alert' : `${active.length} alerts`} (collector on node {data!.nodeId}):</strong>
      <ul>
        {active.map((a) => <li key={keyOf(a)} data-rule={a.rule} data-node={a.node}>{alertLine(a, clock)}</li>)}
      </ul>
    </section>
  );
}
