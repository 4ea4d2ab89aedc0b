/** The load exchange's counters as `mosctl status` prints them (agent/balance/readers.ts formatOwnStatus). */
import type { ExchangeStats } from '../../shared/protocol/peer.js';

const LINE = /^Load exchange: (\d+) accepted, (\d+) forged, (\d+) stale, (\d+) replayed, (\d+) too far ahead$/m;

/** The counters of one node's `mosctl status`, or undefined when its text has no such line. */
export function parseExchangeLine(status: string): ExchangeStats | undefined {
  const m = LINE.exec(status);
  if (!m) return undefined;
  const [accepted, forged, stale, replayed, ahead] = m.slice(1).map(Number) as [number, number, number, number, number];
  return { accepted, forged, stale, replayed, ahead };
}
