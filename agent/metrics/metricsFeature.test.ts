import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statePaths } from '../stateDir.js';
import type { DaemonContext, FeatureParts, Snapshot } from '../daemon/feature.js';
import type { DaemonServices } from '../daemon/services.js';
import type { PeerService } from '../peer/peerService.js';
import type { ClusterInfo } from '../../shared/protocol/agent.js';
import { log, type LogTarget } from '../log/log.js';
import { metricsFeature } from './metricsFeature.js';
import { parseMetricsText, type ParsedFamily } from './openMetricsParser.test-util.js';

const snapshot: Snapshot = {
  sample: { t: 1, hostname: 'n3', cpus: 2, demand: 0.5, load: 0.75, util: 30, mem: { totalKb: 4096, freeKb: 1024, availableKb: 2048 }, speed: 15000, procCount: 9 },
  procs: [],
};
const info: ClusterInfo = {
  nodeId: 3, map: [], mapBy: null, leftAt: null, keyInstalled: true, keyId: 'k', listening: true, port: 7249,
  exchange: { accepted: 10, forged: 2, stale: 1, replayed: 4, ahead: 0 }, peers: [],
};

const logged: string[] = [];
const capture: LogTarget = { tag: 'mosixview-agent', journal: true, write: (s) => void logged.push(s), now: Date.now };
const features: FeatureParts[] = [];

function setUp(settings: object): { feature: FeatureParts; services: Required<Pick<DaemonServices, 'moves'>>; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'metrics-feature-'));
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(settings));
  const ctx: DaemonContext = {
    paths: statePaths({ MOSIXVIEW_STATE_DIR: dir }), bundle: '', latest: () => snapshot, speed: () => 15000,
    peers: { info: () => info } as unknown as PeerService, broadcast: () => undefined,
  };
  log.setTarget(capture);
  // The jobs feature's service, as far as the metrics read it: no jobs on this node.
  const jobs = { registry: { list: () => [] } } as unknown as NonNullable<DaemonServices['jobs']>;
  const feature = metricsFeature.build(ctx, { jobs });
  features.push(feature);
  return { feature, services: feature.services as Required<Pick<DaemonServices, 'moves'>>, dir };
}

const value = (fams: ParsedFamily[], name: string, labels: Record<string, string> = {}) =>
  fams.flatMap((f) => f.samples).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

afterEach(async () => {
  for (const f of features.splice(0)) await f.stop?.();
  logged.length = 0;
});

describe('metrics feature', () => {
  it('answers the metrics request with the node\'s figures in OpenMetrics, counting moves told by the migrate feature', async () => {
    const { feature, services } = setUp({ textfileDir: null });
    services.moves.record({ outcome: 'moved', freezeMs: 400 });
    services.moves.record({ outcome: 'moved', freezeMs: 3000 });
    services.moves.record({ outcome: 'failed' });
    const { text } = (await feature.handlers!.metrics!(null)) as { text: string };
    const fams = parseMetricsText(text);
    expect(value(fams, 'mosixview_node_load', { node: '3' })).toBe(0.75);
    expect(value(fams, 'mosixview_node_memory_total_bytes')).toBe(4096 * 1024);
    expect(value(fams, 'mosixview_node_memory_available_bytes')).toBe(2048 * 1024);
    expect(value(fams, 'mosixview_migrations_total', { outcome: 'moved' })).toBe(2);
    expect(value(fams, 'mosixview_migrations_total', { outcome: 'failed' })).toBe(1);
    expect(value(fams, 'mosixview_migration_freeze_seconds_count')).toBe(2);
    expect(value(fams, 'mosixview_migration_freeze_seconds_sum')).toBeCloseTo(3.4);
    expect(value(fams, 'mosixview_migration_freeze_seconds_bucket', { le: '0.5' })).toBe(1);
    expect(value(fams, 'mosixview_exchange_datagrams_total', { verdict: 'replayed' })).toBe(4);
    const prom = (await feature.handlers!.metrics!({ format: 'prometheus' })) as { text: string };
    expect(() => parseMetricsText(prom.text, 'prometheus')).not.toThrow();
  });

  it('writes the textfile for node_exporter atomically, readable by others, and removes it when stopped', async () => {
    const out = mkdtempSync(join(tmpdir(), 'textfile-'));
    const { feature } = setUp({ textfileDir: out });
    await feature.start?.();
    feature.onSample!(snapshot);
    const file = join(out, 'mosixview.prom');
    expect(readdirSync(out)).toEqual(['mosixview.prom']);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const { readFileSync } = await import('node:fs');
    expect(value(parseMetricsText(readFileSync(file, 'utf8')), 'mosixview_node_speed')).toBe(15000);
    await feature.stop?.();
    expect(existsSync(file)).toBe(false);
  });

  it('goes on when the textfile cannot be written, and says so once with what to do', async () => {
    const notDir = join(mkdtempSync(join(tmpdir(), 'textfile-')), 'a-file');
    writeFileSync(notDir, '');
    const { feature } = setUp({ textfileDir: join(notDir, 'sub') });
    for (let i = 0; i < 12; i++) expect(() => feature.onSample!(snapshot)).not.toThrow();
    const problems = logged.filter((l) => l.includes('cannot write'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^<4>.*textfileDir/);
  });

  it('names a wrong setting at start', async () => {
    const { feature } = setUp({ listen: 'everywhere' });
    await feature.start?.();
    expect(logged.find((l) => l.includes('listen must be'))).toMatch(/^<4>mosixview-agent: metrics: .*metrics\.json: listen must be .*"HOST:PORT"/);
  });

  it('serves /metrics on the configured address: OpenMetrics, or 0.0.4 text when the Accept header asks for text/plain', async () => {
    const port = await freePort();
    const { feature } = setUp({ textfileDir: null, listen: `127.0.0.1:${port}` });
    await feature.start?.();
    const om = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5' } });
    expect(om.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(value(parseMetricsText(await om.text()), 'mosixview_node_cpus')).toBe(2);
    const plain = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { accept: 'text/plain;version=0.0.4' } });
    expect(plain.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(value(parseMetricsText(await plain.text(), 'prometheus'), 'mosixview_node_cpus')).toBe(2);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
  });

  it('goes on without the endpoint when its port is taken', async () => {
    const port = await freePort();
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(port, '127.0.0.1', r));
    try {
      const { feature } = setUp({ textfileDir: null, listen: `127.0.0.1:${port}` });
      await feature.start?.();
      expect(logged.find((l) => l.includes('cannot serve /metrics'))).toMatch(/EADDRINUSE/);
    } finally {
      taken.close();
    }
  });
});
