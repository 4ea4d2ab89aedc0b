/**
 * The pulling of the peers' alert events over the real infod exchange, in simulated time: 17
 * nodes gossip (two datagrams a second each, 30 % of them lost), the peers log events now and
 * then, one restarts, answers are lost too; node 1 (the collector's) asks only the peers whose
 * mark moved. Every event logged while the collector reads must arrive exactly once.
 */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../shared/alerts/alertEvents.js';
import type { InfoMessage } from '../../shared/balancing/types.js';
import { Infod } from '../balance/infod.js';
import { seededRng } from '../balance/rng.js';
import { EventLog } from './alertEventLog.js';
import { PeerEventPull } from './peerEventPull.js';

const NODES = 17;
const ids = Array.from({ length: NODES }, (_, i) => i + 1);
const own = { load: 0, speed: 10000, cpus: 1, memAvailKb: 1000, memTotalKb: 2000, util: 0 };

function simulate(seed: number) {
  let now = 1_000_000;
  const rng = seededRng(seed);
  const infods = new Map(ids.map((id) => [id, new Infod(id, ids, { clock: () => now, rng: seededRng(seed * 100 + id) })]));
  const logs = new Map(ids.map((id) => [id, new EventLog(now + id)]));
  let asks = 0;
  const ask = async (node: number, since: number, boot: number | undefined) => {
    asks++;
    if (rng() < 0.1) throw new Error('no answer within 0.9 s');
    return logs.get(node)!.since(since, boot);
  };
  const gathered: string[] = [];
  const pull = new PeerEventPull(ask, (e: Omit<AlertEvent, 'seq'>) => gathered.push(e.text));
  const expected: string[] = [];
  let quiet = new Set<number>();

  const second = async (logEvents: boolean) => {
    for (const id of ids) infods.get(id)!.update({ ...own, alertLog: logs.get(id)!.mark() });
    for (let half = 0; half < 2; half++) {
      now += 500;
      for (const d of infods.values()) {
        const m = d.tick();
        if (m && rng() >= 0.3) infods.get(m.to)!.receive(JSON.parse(JSON.stringify(m)) as InfoMessage);
      }
    }
    if (logEvents) {
      for (const id of ids.slice(1)) {
        if (quiet.has(id) || rng() >= 0.05) continue;
        const text = `node ${id} event ${expected.length}`;
        logs.get(id)!.add({ rule: 'migrationFailed', node: id, text });
        expected.push(text);
      }
    }
    const view = infods.get(1)!.view('reported').filter((n) => n.up && !n.self);
    await pull.pull(view.map((n) => ({ node: n.node, mark: n.alertLog })));
  };
  const restart = (id: number) => {
    logs.set(id, new EventLog(now + 7));
    infods.set(id, new Infod(id, ids, { clock: () => now, rng: seededRng(seed * 1000 + id) }));
  };
  return { second, restart, gathered, expected, asks: () => asks, quietFor: (s: Set<number>) => (quiet = s) };
}

describe('the peers\' alert events over a lossy exchange', () => {
  for (const seed of [1, 2, 3]) {
    it(`arrive exactly once, with a peer restarting, and far fewer asks than one per peer and second (seed ${seed})`, async () => {
      const sim = simulate(seed);
      for (let s = 0; s < 15; s++) await sim.second(false); // every peer seen and asked once: where it stands
      const primedAsks = sim.asks();
      for (let s = 0; s < 120; s++) await sim.second(true);
      // Node 7 logs nothing for a while, so all it kept has been gathered, then restarts (its log starts at 0).
      sim.quietFor(new Set([7]));
      for (let s = 0; s < 20; s++) await sim.second(true);
      expect(sim.gathered.filter((t) => t.startsWith('node 7 '))).toEqual(sim.expected.filter((t) => t.startsWith('node 7 ')));
      sim.restart(7);
      sim.quietFor(new Set());
      for (let s = 0; s < 120; s++) await sim.second(true);
      for (let s = 0; s < 20; s++) await sim.second(false); // the last events reach node 1
      expect(sim.expected.filter((t) => t.startsWith('node 7 ')).length).toBeGreaterThan(10);
      expect([...sim.gathered].sort()).toEqual([...sim.expected].sort());
      const peerSeconds = (NODES - 1) * 280;
      expect(sim.asks() - primedAsks).toBeLessThan(peerSeconds / 4);
    });
  }
});
