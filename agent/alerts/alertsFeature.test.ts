import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertsFeature } from './alertsFeature.js';
import type { DaemonContext } from '../daemon/feature.js';
import type { DaemonServices } from '../daemon/services.js';
import type { ClusterInfo } from '../../shared/protocol/agent.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { EventLog } from './alertEventLog.js';

const dirs: string[] = [];
afterEach(() => {
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
  vi.restoreAllMocks();
});

function build(net?: { request: (node: number, method: string, req: unknown) => Promise<unknown> }, view: { node: number; up: boolean; self: boolean; alertLog?: { boot: number; seq: number } }[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'mvalertsf-'));
  dirs.push(dir);
  const exchange = { accepted: 0, forged: 0, stale: 0, replayed: 0, ahead: 0 };
  const broadcast: unknown[] = [];
  const ctx = {
    paths: { dir, socket: join(dir, 'agent.sock'), pidFile: join(dir, 'agent.pid'), log: join(dir, 'agent.log') },
    peers: { membership: { selfId: 3 }, net, traffic: (): Pick<ClusterInfo, 'exchange' | 'peers'> => ({ exchange: { ...exchange }, peers: [] }) },
    broadcast: (event: string, data: unknown) => broadcast.push({ event, data }),
  } as unknown as DaemonContext;
  const parts = alertsFeature.build(ctx, { clusterView: { view: () => view, reported: () => view } } as unknown as DaemonServices);
  return { parts, exchange, broadcast, services: parts.services as Required<Pick<DaemonServices, 'alertEvents'>> };
}

describe('the alerts feature of the daemon', () => {
  it('keeps a failed migration and the exchange\'s refusals for the collector', async () => {
    const { parts, exchange, services } = build();
    services.alertEvents.migrationFailed({ ref: { home: 3, id: 77 }, from: 3, to: 4, phase: 'failed', message: 'node 4 refused: no space', at: 0 });
    parts.onSample!({} as never); // the first reading is the baseline: counters from before are no news
    exchange.replayed = 2;
    parts.onSample!({} as never);
    const got = await parts.handlers!['alerts.inputs']!({ since: 0 });
    expect(got).toEqual({
      events: [
        { seq: 1, rule: 'migrationFailed', node: 3, text: 'job 3.77 did not move from node 3 to node 4: node 4 refused: no space' },
        { seq: 2, rule: 'exchangeRefused', node: 3, text: '2 replayed load-exchange datagram(s) refused (a sequence number already seen)' },
      ],
      next: 2,
    });
  });

  it('says the collector is not running, and how to start it, when none runs on this node', async () => {
    const { parts } = build();
    const err = await Promise.resolve(parts.handlers!['alerts.list']!(null)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ code: 'ENOTRUNNING', message: expect.stringContaining('start it with "mosixcollector -d"') });
  });

  it('tells the GUI sessions what the collector reported', async () => {
    const { parts, broadcast } = build();
    await parts.handlers!['alerts.report']!({ raised: 1, cleared: 0 });
    expect(broadcast).toEqual([{ event: 'alerts.changed', data: { raised: 1, cleared: 0 } }]);
  });
});

describe('events seen by the other nodes', () => {
  /** Node 5's agent, as the peer channel reaches it: its own events only. */
  function node5() {
    const log = new EventLog();
    const asked: { node: number; method: string; req: unknown }[] = [];
    const net = {
      request: async (node: number, method: string, req: unknown) => {
        asked.push({ node, method, req });
        if (node !== 5 || method !== 'alerts.events') throw new RpcError('ENOMETHOD', `no ${method}`);
        const { since, boot } = req as { since: number; boot?: number };
        return log.since(since, boot);
      },
    };
    return { log, asked, net };
  }
  const view = [{ node: 3, up: true, self: true }, { node: 5, up: true, self: false }, { node: 6, up: false, self: false }];
  const settle = () => new Promise((r) => setImmediate(r));

  it('reach the collector through its node\'s agent: a migration that failed on node 5 is an input, once, named as node 5\'s', async () => {
    const n5 = node5();
    n5.log.add({ rule: 'migrationFailed', node: 5, text: 'old: before the collector started' });
    const { parts } = build(n5.net, view);
    await parts.handlers!['alerts.inputs']!({ since: 0 }); // the collector reads: this node now gathers for it
    parts.onSample!({} as never);
    await settle();
    n5.log.add({ rule: 'migrationFailed', node: 5, text: 'job 5.9 did not move from node 5 to node 4: node 4 refused' });
    parts.onSample!({} as never);
    await settle();
    parts.onSample!({} as never);
    await settle();
    const got = await parts.handlers!['alerts.inputs']!({ since: 0 });
    expect(got.events.map((e) => [e.rule, e.node, e.text])).toEqual([['migrationFailed', 5, 'job 5.9 did not move from node 5 to node 4: node 4 refused']]);
    // Only the up peer is asked, never this node itself or the down node 6.
    expect(new Set(n5.asked.map((a) => a.node))).toEqual(new Set([5]));
  });

  it('a node serves only its own events to a peer (not those it gathered), and gathers nothing while no collector reads', async () => {
    const n5 = node5();
    const { parts, services } = build(n5.net, view);
    parts.onSample!({} as never);
    await settle();
    expect(n5.asked).toEqual([]);
    services.alertEvents.migrationFailed({ ref: { home: 3, id: 77 }, from: 3, to: 4, phase: 'failed', message: 'no space', at: 0 });
    const served = await parts.peerHandlers!['alerts.events']!({ since: 0 });
    expect(served.events.map((e) => e.node)).toEqual([3]);
  });
  it('what a peer kept while no collector read is not news to the next collector', async () => {
    const n5 = node5();
    let now = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const { parts } = build(n5.net, view);
    await parts.handlers!['alerts.inputs']!({ since: 0 }); // a collector reads
    parts.onSample!({} as never);
    await settle(); // node 5 asked once: its cursor is set
    now += 60_000; // the collector stopped: nobody reads for a minute
    n5.log.add({ rule: 'exchangeRefused', node: 5, text: 'while no collector ran' });
    parts.onSample!({} as never);
    await settle();
    const first = await parts.handlers!['alerts.inputs']!({ since: 0 }); // the next collector's first read
    parts.onSample!({} as never);
    await settle();
    n5.log.add({ rule: 'migrationFailed', node: 5, text: 'after the next collector started' });
    parts.onSample!({} as never);
    await settle();
    const got = await parts.handlers!['alerts.inputs']!({ since: first.next });
    expect(got.events.map((e) => e.text)).toEqual(['after the next collector started']);
  });

  it('asks a peer only when the mark its exchange entry tells moved, and tells its own mark for the exchange', async () => {
    const n5 = node5();
    const told = [{ node: 3, up: true, self: true }, { node: 5, up: true, self: false, alertLog: n5.log.mark() }];
    const { parts, services } = build(n5.net, told);
    await parts.handlers!['alerts.inputs']!({ since: 0 });
    for (let s = 0; s < 4; s++) {
      parts.onSample!({} as never);
      await settle();
    }
    expect(n5.asked).toHaveLength(1); // once, to learn where node 5 stands
    n5.log.add({ rule: 'migrationFailed', node: 5, text: 'job 5.9 did not move' });
    told[1]!.alertLog = n5.log.mark();
    parts.onSample!({} as never);
    await settle();
    parts.onSample!({} as never);
    await settle();
    expect(n5.asked).toHaveLength(2);
    expect(n5.asked[1]!.req).toEqual({ since: 0, boot: n5.log.boot });
    const got = await parts.handlers!['alerts.inputs']!({ since: 0 });
    expect(got.events.map((e) => e.text)).toEqual(['job 5.9 did not move']);
    services.alertEvents.migrationFailed({ ref: { home: 3, id: 77 }, from: 3, to: 4, phase: 'failed', message: 'no space', at: 0 });
    expect(services.alertEvents.mark().seq).toBe(1); // its own event, not the one gathered from node 5
  });
});
