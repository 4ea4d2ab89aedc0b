import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertsFeature } from './alertsFeature.js';
import type { DaemonContext } from '../daemon/feature.js';
import type { DaemonServices } from '../daemon/services.js';
import type { ClusterInfo } from '../../shared/protocol/agent.js';
import { RpcError } from '../../shared/protocol/rpc.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function build() {
  const dir = mkdtempSync(join(tmpdir(), 'mvalertsf-'));
  dirs.push(dir);
  const exchange = { accepted: 0, forged: 0, stale: 0, replayed: 0, ahead: 0 };
  const broadcast: unknown[] = [];
  const ctx = {
    paths: { dir, socket: join(dir, 'agent.sock'), pidFile: join(dir, 'agent.pid'), log: join(dir, 'agent.log') },
    peers: { membership: { selfId: 3 }, info: () => ({ exchange: { ...exchange }, peers: [] }) as unknown as ClusterInfo },
    broadcast: (event: string, data: unknown) => broadcast.push({ event, data }),
  } as unknown as DaemonContext;
  const parts = alertsFeature.build(ctx, {} as DaemonServices);
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
