import { describe, expect, it } from 'vitest';
import { alertSection, applyAlertChanges, DEFAULT_RULES, describeRules, parseAlertSection } from './alertRules.js';

describe('applyAlertChanges (mosctl alerts set, the Alerts window)', () => {
  it('applies every KEY=VALUE, leaving the rest as it was', () => {
    const r = applyAlertChanges(DEFAULT_RULES, ['load.percent=50', 'load.forS=5', 'nodeDown.forS=8', 'memory.on=off']);
    expect(r).toMatchObject({ ok: true, rules: { load: { on: true, percent: 50, forS: 5 }, nodeDown: { on: true, forS: 8 }, memory: { on: false, belowMb: 256 } } });
    expect(DEFAULT_RULES.load.percent).toBe(90); // not changed in place
  });

  it('names what was wrong, and changes nothing', () => {
    expect(applyAlertChanges(DEFAULT_RULES, ['load.percent=50', 'load.forS=abc'])).toEqual({ ok: false, error: 'load.forS must be a number from 1 to 86400, not "abc"' });
    expect(applyAlertChanges(DEFAULT_RULES, ['load.percent=0'])).toEqual({ ok: false, error: 'load.percent must be a number from 1 to 10000, not "0"' });
    expect(applyAlertChanges(DEFAULT_RULES, ['load.pct=5'])).toMatchObject({ ok: false, error: expect.stringMatching(/^unknown alert setting "load.pct" \(known: nodeDown.on, nodeDown.forS, load.on, load.percent/) });
    expect(applyAlertChanges(DEFAULT_RULES, ['load.percent'])).toMatchObject({ ok: false, error: expect.stringMatching(/^"load.percent" is not KEY=VALUE/) });
    expect(applyAlertChanges(DEFAULT_RULES, ['migrationFailed.on=maybe'])).toEqual({ ok: false, error: 'migrationFailed.on must be true or false (on or off), not "maybe"' });
    expect(applyAlertChanges(DEFAULT_RULES, [])).toMatchObject({ ok: false });
  });

  it('never takes the hook program from a command line', () => {
    expect(applyAlertChanges(DEFAULT_RULES, ['hook.argv=/bin/sh'])).toMatchObject({ ok: false, error: expect.stringContaining('collector.json only') });
  });
});

describe('parseAlertSection (collector.json "alerts")', () => {
  it('reads what it knows and names each refused value, which keeps its default', () => {
    const { rules, problems } = parseAlertSection(
      { load: { percent: 75, forS: 'x' }, nodeDown: { forS: 12 }, hook: { argv: ['/usr/local/bin/page', '--to', 'ops'], timeoutS: 5 }, colour: 'red' },
      '/s/collector.json',
    );
    expect(rules.load).toEqual({ on: true, percent: 75, forS: 60 });
    expect(rules.nodeDown.forS).toBe(12);
    expect(rules.hook).toEqual({ argv: ['/usr/local/bin/page', '--to', 'ops'], timeoutS: 5 });
    expect(problems).toEqual([
      '/s/collector.json: alerts.load.forS must be a number from 1 to 86400, not "x"',
      expect.stringMatching(/^\/s\/collector.json: unknown alert setting "alerts.colour"/),
    ]);
  });

  it('refuses a hook that is not an absolute program path', () => {
    const { rules, problems } = parseAlertSection({ hook: { argv: ['mail admin'] } }, 'f');
    expect(rules.hook.argv).toEqual([]);
    expect(problems).toEqual(['f: alerts.hook.argv must be a list of texts starting with the program\'s absolute path, not ["mail admin"]']);
  });

  it('reads back what alertSection writes', () => {
    const changed = applyAlertChanges(DEFAULT_RULES, ['load.percent=42', 'keepS=60']);
    if (!changed.ok) throw new Error(changed.error);
    const back = parseAlertSection(JSON.parse(JSON.stringify(alertSection({ ...changed.rules, hook: { argv: ['/bin/true'], timeoutS: 3 } }))), 'f');
    expect(back.problems).toEqual([]);
    expect(back.rules).toEqual({ ...changed.rules, hook: { argv: ['/bin/true'], timeoutS: 3 } });
  });
});

it('describes the rules in words', () => {
  expect(describeRules({ ...DEFAULT_RULES, memory: { ...DEFAULT_RULES.memory, on: false } })).toEqual([
    'node down for more than 30 s',
    'load above 90% for more than 60 s',
    'available memory below 256 MB for more than 10 s (off)',
    'a migration failed',
    'forged or replayed exchange datagrams seen',
  ]);
});
