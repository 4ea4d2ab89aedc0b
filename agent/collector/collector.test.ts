import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../shared/alerts/alertRules.js';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collector, toHistorySample } from './collector.js';
import { collectorPaths } from './config.js';
import { HistoryReader } from './store/historyReader.js';
import type { ClusterViewSource } from './clusterViewSource.js';
import type { NodeSample } from '../../shared/domain/node.js';

const sample = (t: number, load: number): NodeSample => ({
  t, hostname: 'h', cpus: 2, demand: load, load, util: 10, mem: { totalKb: 100, freeKb: 20, availableKb: 60 }, speed: 10000, procCount: 1,
});

describe('Collector', () => {
  it('records every node each tick, the process list every procsEveryS, and rotates after rotateEveryS', async () => {
    const state = mkdtempSync(join(tmpdir(), 'mvcol-'));
    const paths = collectorPaths({ dir: state, socket: '', pidFile: '', log: '' });
    let now = 1_000_000;
    let procCalls = 0;
    const source: ClusterViewSource = {
      nodes: async () => [
        { id: 1, host: 'a', status: 'up', sample: sample(now, 0.5) },
        { id: 2, host: 'b', status: 'down' },
      ],
      procs: async () => {
        procCalls++;
        return [{ id: 1, host: 'a', procs: [{ pid: 1, user: 'root', command: 'init', args: 'init', state: 'S', cpu: 0, rssKb: 1, where: 0 }] }, { id: 2, host: 'b', missing: 'down' }];
      },
      close: () => undefined,
    };
    const c = new Collector(paths, { rotateEveryS: 100, retentionDays: 1, procsEveryS: 3, alerts: DEFAULT_RULES }, source, () => undefined, () => now);
    for (let i = 0; i < 5; i++, now += 1000) {
      await c.tick();
      await c.settled();
    }
    c.checkpoint('x');
    const r = HistoryReader.open(paths.current);
    const recs: { t: number; up: boolean[] }[] = [];
    r.samples(0, Infinity, (x) => recs.push({ t: x.t, up: x.nodes.map((n) => n.up) }));
    expect(recs).toHaveLength(5);
    expect(recs[0]!.up).toEqual([true, false]);
    expect(r.procTimes()).toEqual([1_000_000, 1_003_000]);
    expect(procCalls).toBe(2);
    // Every node of the minute, a node without a list as missing with why (not as an empty list).
    expect(r.procsAt(1_003_000)?.nodes).toEqual([
      { id: 1, host: 'a', procs: [{ pid: 1, user: 'root', command: 'init', args: 'init', state: 'S', cpu: 0, rssKb: 1, where: 0 }] },
      { id: 2, host: 'b', missing: 'down' },
    ]);
    expect(r.checkpoints().map((k) => k.label)).toEqual(['x']);
    expect(r.namesAt(now)?.nodes).toEqual([{ id: 1, host: 'a' }, { id: 2, host: 'b' }]);
    r.close();
    now += 100_000;
    await c.tick();
    expect(readdirSync(paths.dir).filter((n) => n.startsWith('mosixview-'))).toHaveLength(1);
    expect(c.historyStart).toBe(now);
    c.stop();
  });

  it('a slow process list holds back no second: each tick records, and the list lands when it comes', async () => {
    const state = mkdtempSync(join(tmpdir(), 'mvcol-'));
    const paths = collectorPaths({ dir: state, socket: '', pidFile: '', log: '' });
    let now = 2_000_000;
    let answer: (() => void) | undefined;
    const source: ClusterViewSource = {
      nodes: async () => [{ id: 1, host: 'a', status: 'up', sample: sample(now, 1) }],
      procs: () => new Promise((resolve) => {
        answer = () => resolve([{ id: 1, host: 'a', procs: [{ pid: 7, user: 'root', command: 'slow', args: 'slow', state: 'S', cpu: 0, rssKb: 1, where: 0 }] }]);
      }),
      close: () => undefined,
    };
    const c = new Collector(paths, { rotateEveryS: 1000, retentionDays: 1, procsEveryS: 60, alerts: DEFAULT_RULES }, source, () => undefined, () => now);
    for (let i = 0; i < 4; i++, now += 1000) await c.tick();
    const seconds = () => {
      const r = HistoryReader.open(paths.current);
      const ts: number[] = [];
      r.samples(0, Infinity, (x) => ts.push(x.t));
      const procs = r.procTimes();
      r.close();
      return { ts, procs };
    };
    expect(seconds()).toEqual({ ts: [2_000_000, 2_001_000, 2_002_000, 2_003_000], procs: [] });
    answer!();
    await c.settled();
    expect(seconds().procs).toEqual([2_000_000]);
    c.stop();
  });

  it('a slow cluster view holds back no second: each record is of the second its tick was due, and a tick due meanwhile follows', async () => {
    const state = mkdtempSync(join(tmpdir(), 'mvcol-'));
    const paths = collectorPaths({ dir: state, socket: '', pidFile: '', log: '' });
    let now = 4_000_100;
    let release: (() => void) | undefined;
    let asked = 0;
    const view = () => [{ id: 1, host: 'a', status: 'up' as const, sample: sample(now, 1) }];
    const source: ClusterViewSource = {
      // The first answer comes 950 ms late (a loaded node); the others at once.
      nodes: () => (asked++ === 0 ? new Promise((resolve) => (release = () => resolve(view()))) : Promise.resolve(view())),
      procs: async () => [],
      close: () => undefined,
    };
    const c = new Collector(paths, { rotateEveryS: 1000, retentionDays: 1, procsEveryS: 60, alerts: DEFAULT_RULES }, source, () => undefined, () => now);
    const first = c.tick();
    now = 4_001_100;
    const second = c.tick(); // due while the first still waits for its view
    now = 4_001_150;
    release!();
    await Promise.all([first, second]);
    const r = HistoryReader.open(paths.current);
    const ts: number[] = [];
    r.samples(0, Infinity, (x) => ts.push(x.t));
    r.close();
    expect(ts).toEqual([4_000_100, 4_001_100]);
    c.stop();
  });

  it('evaluates the alert rules each second with no GUI: records the marks, and tells the agent', async () => {
    const state = mkdtempSync(join(tmpdir(), 'mvcol-'));
    const paths = collectorPaths({ dir: state, socket: '', pidFile: '', log: '' });
    let now = 3_000_000;
    const reports: { raised: number; cleared: number }[] = [];
    const events = [{ seq: 1, rule: 'migrationFailed' as const, node: 1, text: 'job 1.5 did not move to node 2: refused' }];
    const source: ClusterViewSource = {
      nodes: async () => [{ id: 1, host: 'a', status: 'up', sample: sample(now, 0.1) }, { id: 2, host: 'b', status: 'down' }],
      procs: async () => [],
      alertEvents: async () => events.splice(0),
      reportAlerts: (c) => reports.push(c),
      close: () => undefined,
    };
    const rules = { ...DEFAULT_RULES, nodeDown: { on: true, forS: 2 } };
    const logged: string[] = [];
    const c = new Collector(paths, { rotateEveryS: 1000, retentionDays: 1, procsEveryS: 60, alerts: rules }, source, (l) => logged.push(l), () => now);
    for (let i = 0; i < 3; i++, now += 1000) await c.tick();
    const r = HistoryReader.open(paths.current);
    expect(r.alerts().map((a) => `${a.t} ${a.event} ${a.rule} ${a.node}`)).toEqual(['3000000 raised migrationFailed 1', '3002000 raised nodeDown 2']);
    r.close();
    expect(reports).toEqual([{ raised: 1, cleared: 0 }, { raised: 1, cleared: 0 }]);
    expect(logged).toContain('alert raised: node 2 (b): node down: down for more than 2 s');
    c.stop();
  });
});

describe('toHistorySample', () => {
  const sample = { t: 1, load: 1, cpus: 2, speed: 10000, util: 50, mem: { totalKb: 4, freeKb: 1, availableKb: 2 } };
  it('records the rates a node measured, and 0 for a pair it did not (an older agent, its first second)', () => {
    expect(toHistorySample({ id: 3, host: 'n3', status: 'up', sample: { ...sample, io: { diskReadBps: 1, diskWriteBps: 2, netRxBps: 3, netTxBps: 4 } } }))
      .toMatchObject({ id: 3, up: true, diskReadBps: 1, diskWriteBps: 2, netRxBps: 3, netTxBps: 4 });
    expect(toHistorySample({ id: 3, host: 'n3', status: 'up', sample: { ...sample, io: { netRxBps: 3, netTxBps: 4 } } }))
      .toMatchObject({ diskReadBps: 0, diskWriteBps: 0, netRxBps: 3, netTxBps: 4 });
    expect(toHistorySample({ id: 3, host: 'n3', status: 'up', sample })).toMatchObject({ diskReadBps: 0, diskWriteBps: 0, netRxBps: 0, netTxBps: 0 });
  });
});
