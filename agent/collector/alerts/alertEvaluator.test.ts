import { describe, expect, it } from 'vitest';
import { AlertEvaluator, MAX_STEP_MS, type NodeReading } from './alertEvaluator.js';
import { DEFAULT_RULES, type AlertRules } from '../../../shared/alerts/alertRules.js';

const T0 = 1_800_000_000_000;
const rules = (over: Partial<AlertRules> = {}): AlertRules => ({ ...structuredClone(DEFAULT_RULES), ...over });
const node = (id: number, over: Partial<NodeReading> = {}): NodeReading => ({ id, host: `n${id}`, up: true, loadPercent: 10, memAvailableMb: 4000, ...over });

/** Runs `seconds` steps of one second from `t`, returning every raise and clear with its step's time. */
function run(ev: AlertEvaluator, t: number, seconds: number, nodes: (t: number) => NodeReading[]) {
  const log: { t: number; what: string }[] = [];
  for (let i = 0; i < seconds; i++, t += 1000) {
    const c = ev.step(t, nodes(t), []);
    for (const a of c.raised) log.push({ t, what: `raise ${a.rule} ${a.node}` });
    for (const a of c.cleared) log.push({ t, what: `clear ${a.rule} ${a.node}` });
  }
  return { log, t };
}

describe('held rules: "for more than N s"', () => {
  it('raises node down once the node has been down for nodeDown.forS, with since = when it went down', () => {
    const ev = new AlertEvaluator(rules({ nodeDown: { on: true, forS: 5 } }));
    const { log } = run(ev, T0, 10, (t) => [node(1), node(2, { up: t < T0 + 2000 })]);
    expect(log).toEqual([{ t: T0 + 7000, what: 'raise nodeDown 2' }]);
    const [a] = ev.active();
    expect(a).toMatchObject({ rule: 'nodeDown', node: 2, host: 'n2', since: T0 + 2000, raisedAt: T0 + 7000 });
    expect(a!.text).toBe('down for more than 5 s');
  });

  it('does not raise for a condition shorter than forS, and starts counting again after a break', () => {
    const ev = new AlertEvaluator(rules({ load: { on: true, percent: 50, forS: 5 } }));
    // 4 s loaded, 1 s idle, 4 s loaded: never 5 s in a row.
    const { log } = run(ev, T0, 9, (t) => [node(1, { loadPercent: (t - T0) / 1000 === 4 ? 10 : 180 })]);
    expect(log).toEqual([]);
    expect(ev.active()).toEqual([]);
  });

  it('raises load above X% with the figure in words; clears after clearForS below it', () => {
    const ev = new AlertEvaluator(rules({ load: { on: true, percent: 50, forS: 3 }, clearForS: 4 }));
    const { log, t } = run(ev, T0, 6, () => [node(3, { loadPercent: 180 })]);
    expect(log).toEqual([{ t: T0 + 3000, what: 'raise load 3' }]);
    expect(ev.active()[0]!.text).toBe('load 180% (above 50%) for more than 3 s');
    const after = run(ev, t, 6, () => [node(3, { loadPercent: 20 })]);
    // Four seconds after the last loaded one (t - 1000).
    expect(after.log).toEqual([{ t: t + 3000, what: 'clear load 3' }]);
    expect(ev.active()).toEqual([]);
    expect(ev.recent()).toMatchObject([{ rule: 'load', node: 3, clearedAt: t + 3000 }]);
  });

  it('raises low memory, and never for a node that is down', () => {
    const ev = new AlertEvaluator(rules({ memory: { on: true, belowMb: 500, forS: 2 }, nodeDown: { on: false, forS: 1 } }));
    const { log } = run(ev, T0, 5, () => [node(1, { memAvailableMb: 100 }), node(2, { up: false, memAvailableMb: 0 })]);
    expect(log).toEqual([{ t: T0 + 2000, what: 'raise memory 1' }]);
  });
});

describe('a node that flaps', () => {
  it('raises once and stays raised while it comes back for less than clearForS', () => {
    const ev = new AlertEvaluator(rules({ nodeDown: { on: true, forS: 5 }, clearForS: 10 }));
    // Down 8 s, up 3 s, down 8 s, up 3 s, down 8 s: one alert, never cleared.
    const up = (t: number) => ((t - T0) / 1000) % 11 >= 8;
    const { log, t } = run(ev, T0, 30, (t) => [node(2, { up: up(t) })]);
    expect(log).toEqual([{ t: T0 + 5000, what: 'raise nodeDown 2' }]);
    expect(ev.active()).toHaveLength(1);
    // Up for good: cleared once, clearForS after it was last seen down (t - 1000).
    const after = run(ev, t, 15, () => [node(2)]);
    expect(after.log).toEqual([{ t: t + 9000, what: 'clear nodeDown 2' }]);
  });
});

describe('clock steps', () => {
  it('a clock stepped forward by an hour counts as one capped step, not an hour down', () => {
    const ev = new AlertEvaluator(rules({ nodeDown: { on: true, forS: 30 } }));
    ev.step(T0, [node(2, { up: false })], []);
    const c = ev.step(T0 + 3_600_000, [node(2, { up: false })], []);
    expect(c.raised).toEqual([]);
    // 30 s of it are reached after the capped step plus 25 more seconds.
    const { log } = run(ev, T0 + 3_601_000, 30, () => [node(2, { up: false })]);
    expect(log).toEqual([{ t: T0 + 3_600_000 + (30_000 - MAX_STEP_MS), what: 'raise nodeDown 2' }]);
  });

  it('a clock stepped back neither raises nor holds an alert forever', () => {
    const ev = new AlertEvaluator(rules({ load: { on: true, percent: 50, forS: 3 }, clearForS: 3 }));
    run(ev, T0, 5, () => [node(1, { loadPercent: 200 })]);
    expect(ev.active()).toHaveLength(1);
    // The clock goes back 10 minutes: that step counts as nothing; the following ones count.
    const { log } = run(ev, T0 - 600_000, 5, () => [node(1, { loadPercent: 0 })]);
    expect(log).toEqual([{ t: T0 - 600_000 + 3000, what: 'clear load 1' }]);
  });
});

describe('event rules', () => {
  it('a failed migration raises at once, more of them update it, and it clears keepS after the last', () => {
    const ev = new AlertEvaluator(rules({ keepS: 5 }));
    const first = ev.step(T0, [node(1)], [{ rule: 'migrationFailed', node: 1, text: 'job 1.7 did not move to node 3: no space' }]);
    expect(first.raised).toMatchObject([{ rule: 'migrationFailed', node: 1, host: 'n1', since: T0, text: 'job 1.7 did not move to node 3: no space' }]);
    const again = ev.step(T0 + 2000, [node(1)], [{ rule: 'migrationFailed', node: 1, text: 'job 1.8 did not move' }]);
    expect(again.raised).toEqual([]);
    expect(ev.active()[0]!.text).toBe('job 1.8 did not move');
    const { log } = run(ev, T0 + 3000, 8, () => [node(1)]);
    expect(log).toEqual([{ t: T0 + 7000, what: 'clear migrationFailed 1' }]);
  });

  it('refused datagrams raise per node; a rule turned off raises nothing and clears what it had', () => {
    const r = rules();
    const ev = new AlertEvaluator(r);
    ev.step(T0, [node(1), node(2)], [{ rule: 'exchangeRefused', node: 2, text: '3 forged datagrams from 10.0.0.9' }]);
    expect(ev.active()).toMatchObject([{ rule: 'exchangeRefused', node: 2 }]);
    ev.setRules({ ...r, exchangeRefused: { on: false } });
    const c = ev.step(T0 + 1000, [node(1), node(2)], [{ rule: 'exchangeRefused', node: 1, text: 'x' }]);
    expect(c.raised).toEqual([]);
    expect(c.cleared).toMatchObject([{ rule: 'exchangeRefused', node: 2 }]);
    expect(ev.active()).toEqual([]);
  });
});

it('a node taken out of the view clears its alerts; the recent list keeps the newest first, bounded', () => {
  const ev = new AlertEvaluator(rules({ nodeDown: { on: true, forS: 1 } }));
  run(ev, T0, 3, () => [node(1), node(2, { up: false })]);
  expect(ev.active()).toHaveLength(1);
  const c = ev.step(T0 + 3000, [node(1)], []);
  expect(c.cleared).toMatchObject([{ rule: 'nodeDown', node: 2, clearedAt: T0 + 3000 }]);
  for (let i = 0; i < 60; i++) ev.step(T0 + 4000 + i * 1000, [node(1)], [{ rule: 'migrationFailed', node: 1, text: `m${i}` }]);
  expect(ev.recent()[0]).toMatchObject({ rule: 'nodeDown' });
});
