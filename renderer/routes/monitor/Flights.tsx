/**
 * The moves being drawn: a dot that travels from the node it left to the node it landed
 * on, then the freeze time beside that node for a few seconds. Decoration only (hidden from
 * screen readers: the "Migrations" log says the same in words). With reduced motion asked
 * for, there is no travel: the freeze is shown at the landing at once.
 */
import { useEffect, useState, type CSSProperties } from 'react';
import type { RingNode } from './ringLayout.js';
import { monitorActions, useMonitor, type Flight } from './monitorStore.js';
import { freezeText } from './monitorJobs.js';

export const TRAVEL_MS = 900;
/** How long the freeze stays beside the node after the landing. */
export const LANDED_MS = 5000;

export function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
}

function FlightMark({ flight, from, to }: { flight: Flight; from: RingNode; to: RingNode }) {
  const [landed, setLanded] = useState(prefersReducedMotion);
  useEffect(() => {
    if (landed) monitorActions.touchdown(flight.id);
    const t = landed ? setTimeout(() => monitorActions.landed(flight.id), LANDED_MS) : setTimeout(() => setLanded(true), TRAVEL_MS);
    return () => clearTimeout(t);
  }, [landed, flight.id]);
  if (!landed) {
    const style = { '--fx': `${from.x}px`, '--fy': `${from.y}px`, '--tx': `${to.x}px`, '--ty': `${to.y}px`, animationDuration: `${TRAVEL_MS}ms` } as CSSProperties;
    return <circle r={7} className="flight-dot" style={style} />;
  }
  // Above the node, on the side away from the ring's middle.
  return (
    <g className="flight-landing" data-flight={flight.key}>
      <circle cx={to.x} cy={to.y} r={to.r + 4} className="landing-ring" />
      <text x={to.x} y={to.y - to.r - 8} textAnchor="middle" className="landing-text">{`${flight.key} frozen ${freezeText(flight.freezeMs)}`}</text>
    </g>
  );
}

export function Flights({ layout }: { layout: readonly RingNode[] }) {
  const flights = useMonitor((s) => s.flights);
  const at = new Map(layout.map((n) => [n.id, n]));
  return (
    <g aria-hidden="true" className="flights">
      {flights.map((f) => {
        const from = at.get(f.from);
        const to = at.get(f.to);
        return from && to ? <FlightMark key={f.id} flight={f} from={from} to={to} /> : null;
      })}
    </g>
  );
}
