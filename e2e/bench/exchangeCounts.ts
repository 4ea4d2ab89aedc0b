/**
 * The load exchange's counters of every node (mosctl status: "Load exchange: A accepted, F forged,
 * S stale, R replayed, H too far ahead"), summed: how much of the gossip a cluster of this size drops.
 */
import { sshExec, type TestCluster } from '../cluster/testCluster.js';
import type { ExchangeStats } from '../../shared/protocol/peer.js';
import { parseExchangeLine } from '../support/exchangeLine.js';

export interface ExchangeTotals extends ExchangeStats {
  /** Nodes whose status had the line (the others are named in `missing`). */
  nodes: number;
  missing: number[];
}

export function sumExchange(byNode: readonly { node: number; stats: ExchangeStats | undefined }[]): ExchangeTotals {
  const t: ExchangeTotals = { accepted: 0, forged: 0, stale: 0, replayed: 0, ahead: 0, nodes: 0, missing: [] };
  for (const { node, stats } of byNode) {
    if (!stats) {
      t.missing.push(node);
      continue;
    }
    t.nodes++;
    for (const k of ['accepted', 'forged', 'stale', 'replayed', 'ahead'] as const) t[k] += stats[k];
  }
  return t;
}

export async function exchangeTotals(c: TestCluster): Promise<ExchangeTotals> {
  const mosctl = `${c.dir}/agent/bin/mosctl`;
  return sumExchange(await Promise.all(c.nodes.map(async (n) => ({ node: n.id, stats: parseExchangeLine((await sshExec(c, n.id, `${mosctl} status`)).stdout) }))));
}

export function formatExchange(t: ExchangeTotals): string {
  const received = t.accepted + t.forged + t.stale + t.replayed + t.ahead;
  const share = (x: number) => (received ? `${((100 * x) / received).toFixed(1)} %` : 'n/a');
  return (
    `Load exchange, every node's counters summed at the end (${t.nodes} nodes${t.missing.length ? `; no counters from node(s) ${t.missing.join(', ')}` : ''}): ` +
    `${received} datagrams received, ${t.accepted} taken (${share(t.accepted)}); dropped: ${t.ahead} too far ahead (${share(t.ahead)}), ` +
    `${t.replayed} replayed, ${t.stale} stale, ${t.forged} forged.`
  );
}
