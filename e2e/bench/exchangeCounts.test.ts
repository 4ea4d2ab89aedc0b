import { describe, expect, it } from 'vitest';
import { formatExchange, sumExchange } from './exchangeCounts.js';
import { parseExchangeLine } from '../support/exchangeLine.js';

describe('load-exchange counters of the soak', () => {
  it('reads the line of mosctl status, and nothing from a status without it', () => {
    const status = 'This node (n1) is up\nLoad exchange: 120 accepted, 1 forged, 2 stale, 3 replayed, 40 too far ahead\n';
    expect(parseExchangeLine(status)).toEqual({ accepted: 120, forged: 1, stale: 2, replayed: 3, ahead: 40 });
    expect(parseExchangeLine('ssh: connect to host 10.0.0.2 port 22: No route to host')).toBeUndefined();
  });

  it('sums every node and names those it could not read', () => {
    const t = sumExchange([
      { node: 1, stats: { accepted: 10, forged: 0, stale: 0, replayed: 1, ahead: 9 } },
      { node: 2, stats: undefined },
      { node: 3, stats: { accepted: 70, forged: 0, stale: 0, replayed: 0, ahead: 10 } },
    ]);
    expect(t).toEqual({ accepted: 80, forged: 0, stale: 0, replayed: 1, ahead: 19, nodes: 2, missing: [2] });
    expect(formatExchange(t)).toBe(
      "Load exchange, every node's counters summed at the end (2 nodes; no counters from node(s) 2): 100 datagrams received, 80 taken (80.0 %); dropped: 19 too far ahead (19.0 %), 1 replayed, 0 stale, 0 forged.",
    );
  });
});
