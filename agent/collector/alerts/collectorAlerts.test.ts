import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectorAlerts } from './collectorAlerts.js';
import { DEFAULT_RULES, parseAlertSection } from '../../../shared/alerts/alertRules.js';
import type { AlertMark } from '../../../shared/history/types.js';
import type { ClusterViewNode } from '../../../shared/protocol/agentHistory.js';
import { RpcError } from '../../../shared/protocol/rpc.js';
import { AlertHook } from './alertHook.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const T0 = 1_800_000_000_000;

function setup(json?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mvalerts-'));
  dirs.push(dir);
  const configFile = join(dir, 'collector.json');
  if (json !== undefined) writeFileSync(configFile, json);
  const marks: AlertMark[] = [];
  const logged: string[] = [];
  const hooked: string[] = [];
  const hook = { run: (_h: unknown, m: { event: string; alert: { rule: string } }) => (hooked.push(`${m.event} ${m.alert.rule}`), Promise.resolve()) } as unknown as AlertHook;
  const a = new CollectorAlerts({ ...DEFAULT_RULES, nodeDown: { on: true, forS: 2 } }, { record: (m) => marks.push(m), log: (s) => logged.push(s), configFile, hook });
  return { a, marks, logged, hooked, configFile, dir };
}
const up = (id: number, load: number): ClusterViewNode => ({
  id, host: `n${id}`, status: 'up',
  sample: { t: 0, load, cpus: 2, speed: 10000, util: 0, mem: { totalKb: 8e6, freeKb: 4e6, availableKb: 4e6 } } as unknown as ClusterViewNode['sample'],
});
const down = (id: number): ClusterViewNode => ({ id, host: `n${id}`, status: 'down' });

describe('CollectorAlerts', () => {
  it('records, logs and hands to the hook each alert raised and cleared', () => {
    const { a, marks, logged, hooked } = setup();
    for (let i = 0; i <= 2; i++) a.step(T0 + i * 1000, [up(1, 0.1), down(2)], []);
    expect(marks).toEqual([{ t: T0 + 2000, event: 'raised', rule: 'nodeDown', node: 2, text: 'down for more than 2 s' }]);
    expect(logged).toEqual(['alert raised: node 2 (n2): node down: down for more than 2 s']);
    expect(hooked).toEqual(['raised nodeDown']);
    for (let i = 3; i <= 13; i++) a.step(T0 + i * 1000, [up(1, 0.1), up(2, 0.1)], []);
    expect(marks.map((m) => m.event)).toEqual(['raised', 'cleared']);
    expect(a.list(T0 + 14_000)).toMatchObject({ active: [], recent: [{ rule: 'nodeDown', node: 2 }], now: T0 + 14_000 });
  });

  it('load is the row\'s percent: load per CPU', () => {
    const { a } = setup();
    a.set(['load.percent=50', 'load.forS=1'], T0);
    a.step(T0, [up(1, 1.2)], []); // 60% of 2 CPUs
    a.step(T0 + 1000, [up(1, 1.2)], []);
    expect(a.list(T0).active).toMatchObject([{ rule: 'load', node: 1, text: 'load 60% (above 50%) for more than 1 s' }]);
  });

  it('keeps changed rules in collector.json beside the other settings, and applies them', () => {
    const { a, configFile } = setup('{"procsEveryS": 4}');
    const l = a.set(['load.percent=42'], T0);
    expect(l.rules.load.percent).toBe(42);
    const saved = JSON.parse(readFileSync(configFile, 'utf8')) as { procsEveryS: number; alerts: unknown };
    expect(saved.procsEveryS).toBe(4);
    expect(parseAlertSection(saved.alerts, 'f').rules.load.percent).toBe(42);
  });

  it('refuses a wrong change by name and changes nothing; never overwrites a file it cannot read', () => {
    const { a, configFile } = setup('{"procsEveryS": 4,');
    expect(() => a.set(['load.percent=x'], T0)).toThrow(new RpcError('EINVAL', 'load.percent must be a number from 1 to 10000, not "x"'));
    expect(() => a.set(['load.percent=50'], T0)).toThrow(/the rules were not changed: .*collector.json cannot be read as JSON .*; fix it first/);
    expect(readFileSync(configFile, 'utf8')).toBe('{"procsEveryS": 4,');
    expect(a.list(T0).rules.load.percent).toBe(90);
  });

  it('a collector.json that cannot be written leaves the rules as they were', () => {
    const { dir } = setup();
    // Its "directory" is a file: no user, root neither, can write there.
    writeFileSync(join(dir, 'plain'), '');
    const a = new CollectorAlerts(DEFAULT_RULES, { record: () => undefined, log: () => undefined, configFile: join(dir, 'plain', 'collector.json') });
    expect(() => a.set(['load.percent=50'], T0)).toThrow(/^the rules were not changed: .*plain\/collector.json cannot be written \(ENOTDIR/);
    expect(a.list(T0).rules.load.percent).toBe(90);
  });
});
