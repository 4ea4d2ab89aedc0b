/**
 * The alert rules, evaluated once a second on what the collector already has: every node's
 * recorded figures and the events its agent saw (failed migrations, refused datagrams).
 * No I/O: the collector records and announces what a step raised and cleared.
 *
 * "For more than N s" is time the condition held without a break, counted from the steps'
 * differences, each capped at MAX_STEP_MS: a clock stepped forward does not make a node
 * "down for an hour" at once, and one stepped back does not hold an alert forever.
 * A raised alert clears only after its condition has been false for clearForS, so a node
 * that flaps raises one alert, not one per flap.
 */
import type { NodeId } from '../../../shared/domain/node.js';
import type { Alert, AlertRuleName, AlertRules } from '../../../shared/alerts/alertRules.js';
import type { AlertEvent as AgentAlertEvent } from '../../../shared/alerts/alertEvents.js';

export interface NodeReading {
  id: NodeId;
  host?: string;
  up: boolean;
  /** Load bar percent (loadPercent of shared/loadFigures.ts). */
  loadPercent: number;
  memAvailableMb: number;
}

/** What the evaluation needs of an agent's event (shared/alerts/alertEvents.ts). */
export type AlertEvent = Pick<AgentAlertEvent, 'rule' | 'node' | 'text'>;

export interface AlertChanges {
  raised: Alert[];
  cleared: Alert[];
}

/** The collector steps once a second; a bigger difference is a stalled step or a clock step, counted as this much. */
export const MAX_STEP_MS = 5000;
export const RECENT_MAX = 50;

type HeldRule = Extract<AlertRuleName, 'nodeDown' | 'load' | 'memory'>;

interface State {
  rule: AlertRuleName;
  node: NodeId;
  since: number;
  heldMs: number;
  /** Time the condition has been false (held rules), or since the last event (event rules). */
  quietMs: number;
  alert?: Alert;
}

const keyOf = (rule: AlertRuleName, node: NodeId) => `${rule}:${node}`;

/** The condition of a held rule on one node's reading, in words when it holds. */
function condition(rule: HeldRule, n: NodeReading, r: AlertRules): string | undefined {
  switch (rule) {
    case 'nodeDown':
      return n.up ? undefined : `down for more than ${r.nodeDown.forS} s`;
    case 'load':
      return n.up && n.loadPercent > r.load.percent ? `load ${Math.round(n.loadPercent)}% (above ${r.load.percent}%) for more than ${r.load.forS} s` : undefined;
    case 'memory':
      return n.up && n.memAvailableMb < r.memory.belowMb
        ? `available memory ${Math.round(n.memAvailableMb)} MB (below ${r.memory.belowMb} MB) for more than ${r.memory.forS} s`
        : undefined;
  }
}

const HELD: HeldRule[] = ['nodeDown', 'load', 'memory'];

export class AlertEvaluator {
  private states = new Map<string, State>();
  private recentList: Alert[] = [];
  private last: number | undefined;

  constructor(private rules: AlertRules) {}

  setRules(rules: AlertRules): void {
    this.rules = rules;
  }

  active(): Alert[] {
    return [...this.states.values()].flatMap((s) => (s.alert ? [s.alert] : [])).sort((a, b) => a.raisedAt - b.raisedAt || a.node - b.node);
  }

  recent(): Alert[] {
    return [...this.recentList];
  }

  step(now: number, nodes: readonly NodeReading[], events: readonly AlertEvent[]): AlertChanges {
    const dt = this.last === undefined ? 0 : Math.min(Math.max(now - this.last, 0), MAX_STEP_MS);
    this.last = now;
    const out: AlertChanges = { raised: [], cleared: [] };
    const r = this.rules;
    const seen = new Set<string>();

    for (const n of nodes) {
      for (const rule of HELD) {
        const key = keyOf(rule, n.id);
        seen.add(key);
        const text = r[rule].on ? condition(rule, n, r) : undefined;
        const s = this.states.get(key);
        if (text !== undefined) {
          if (!s) {
            this.states.set(key, { rule, node: n.id, since: now, heldMs: 0, quietMs: 0 });
            continue;
          }
          s.heldMs += dt;
          s.quietMs = 0;
          if (!s.alert && s.heldMs >= r[rule].forS * 1000) this.raise(s, now, text, n.host, out);
        } else if (s) {
          if (!s.alert || !r[rule].on) {
            this.end(key, now, out);
            continue;
          }
          s.quietMs += dt;
          if (s.quietMs >= r.clearForS * 1000) this.end(key, now, out);
        }
      }
    }

    for (const e of events) {
      if (!r[e.rule].on) continue;
      const key = keyOf(e.rule, e.node);
      const s = this.states.get(key);
      const host = nodes.find((n) => n.id === e.node)?.host;
      if (s?.alert) {
        s.quietMs = 0;
        s.alert.text = e.text;
      } else {
        const fresh: State = { rule: e.rule, node: e.node, since: now, heldMs: 0, quietMs: 0 };
        this.states.set(key, fresh);
        this.raise(fresh, now, e.text, host, out);
      }
      seen.add(key);
    }

    for (const [key, s] of this.states) {
      if (HELD.includes(s.rule as HeldRule)) {
        // A node no longer in the view (taken out of the map) has nothing to alert about.
        if (!seen.has(key)) this.end(key, now, out);
        continue;
      }
      if (!r[s.rule].on) {
        this.end(key, now, out);
        continue;
      }
      if (!events.some((e) => keyOf(e.rule, e.node) === key)) {
        s.quietMs += dt;
        if (s.quietMs >= r.keepS * 1000) this.end(key, now, out);
      }
    }
    return out;
  }

  private raise(s: State, now: number, text: string, host: string | undefined, out: AlertChanges): void {
    s.alert = { rule: s.rule, node: s.node, ...(host ? { host } : {}), since: s.since, raisedAt: now, text };
    out.raised.push(s.alert);
  }

  private end(key: string, now: number, out: AlertChanges): void {
    const s = this.states.get(key);
    this.states.delete(key);
    if (!s?.alert) return;
    const done = { ...s.alert, clearedAt: now };
    out.cleared.push(done);
    this.recentList = [done, ...this.recentList].slice(0, RECENT_MAX);
  }
}
