/** mosctl alerts: the collector's alerts and rules through the node's agent, and set KEY=VALUE. */
import { describe, expect, it } from 'vitest';
import { parseMosctl } from '../balance/controls.js';
import { runMosctl, type MosctlAgent } from './mosctl.js';
import { DEFAULT_RULES, type AlertList } from '../../shared/alerts/alertRules.js';
import { localTime } from '../../shared/alerts/alertText.js';

const T = 1_800_000_000_000;
const list: AlertList = {
  rules: DEFAULT_RULES,
  active: [{ rule: 'load', node: 2, host: 'mvnode2', since: T - 90_000, raisedAt: T - 30_000, text: 'load 180% (above 90%) for more than 60 s' }],
  recent: [{ rule: 'nodeDown', node: 3, since: T - 600_000, raisedAt: T - 570_000, clearedAt: T - 300_000, text: 'down for more than 30 s' }],
  now: T,
};

async function mosctl(args: string[]): Promise<{ lines: string[]; asked: unknown[] }> {
  const asked: unknown[] = [];
  const agent: MosctlAgent = {
    request: (async (method: string, params: unknown) => {
      asked.push({ method, params });
      return list;
    }) as MosctlAgent['request'],
  };
  const p = parseMosctl(args);
  if (!p.ok) throw new Error(p.error);
  const lines: string[] = [];
  expect(await runMosctl(p.value, agent, (s) => lines.push(s))).toBe(0);
  return { lines, asked };
}

describe('mosctl alerts', () => {
  it('lists the active alerts (node, rule, since when), the recent ones and the rules', async () => {
    const { lines, asked } = await mosctl(['alerts']);
    expect(asked).toEqual([{ method: 'alerts.list', params: null }]);
    expect(lines.slice(0, 4)).toEqual([
      'Active alerts (1):',
      `  Node 2 (mvnode2): load since ${localTime(T - 90_000)}: load 180% (above 90%) for more than 60 s (90 s ago)`,
      'Recent alerts (1, newest first):',
      `  Node 3: node down since ${localTime(T - 600_000)}: down for more than 30 s (10 min ago), cleared at ${localTime(T - 300_000)}`,
    ]);
    expect(lines).toContain('  load above 90% for more than 60 s');
    expect(lines.at(-1)).toMatch(/^Hook: none/);
  });

  it('set passes the KEY=VALUE changes as they are: the collector judges them', async () => {
    const { asked } = await mosctl(['alerts', 'set', 'load.percent=50', 'load.forS=5']);
    expect(asked).toEqual([{ method: 'alerts.set', params: { set: ['load.percent=50', 'load.forS=5'] } }]);
  });

  it('a wrong word is refused before anything is asked', () => {
    expect(parseMosctl(['alerts', 'clear'])).toMatchObject({ ok: false, error: expect.stringMatching(/^mosctl: "alerts" takes "set KEY=VALUE ...", not "clear"\nusage: mosctl alerts/) });
    expect(parseMosctl(['alerts', 'set'])).toMatchObject({ ok: false, error: expect.stringMatching(/^mosctl: "alerts set" needs at least one KEY=VALUE/) });
  });
});
