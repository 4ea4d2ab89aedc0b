/**
 * The alerts inside the running collector: each second's cluster view and its agent's events
 * go through the evaluation (alertEvaluator.ts); what it raises and clears is recorded in the
 * history beside the checkpoints, logged, handed to the admin's hook and announced to the agent.
 * The admin's changes of the rules are checked, kept in collector.json, then applied.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadPercent } from '../../../shared/loadFigures.js';
import { RpcError } from '../../../shared/protocol/rpc.js';
import type { ClusterViewNode } from '../../../shared/protocol/agentHistory.js';
import type { AlertMark } from '../../../shared/history/types.js';
import { alertSection, applyAlertChanges, RULE_TITLES, type Alert, type AlertList, type AlertRules } from '../../../shared/alerts/alertRules.js';
import { writeAtomic } from '../../stateDir.js';
import { AlertEvaluator, type AlertChanges, type AlertEvent, type NodeReading } from './alertEvaluator.js';
import { AlertHook } from './alertHook.js';

export interface CollectorAlertsDeps {
  /** Appends the mark to the history (flushed with the second's records). */
  record(m: AlertMark): void;
  log(s: string): void;
  /** collector.json, where changed rules are kept. */
  configFile: string;
  hook?: AlertHook;
}

export function readingOf(n: ClusterViewNode): NodeReading {
  const s = n.status === 'up' ? n.sample : undefined;
  return { id: n.id, host: n.host, up: !!s, loadPercent: s ? loadPercent(s) : 0, memAvailableMb: s ? s.mem.availableKb / 1024 : 0 };
}

export const describeAlert = (a: Alert): string => `node ${a.node}${a.host ? ` (${a.host})` : ''}: ${RULE_TITLES[a.rule]}: ${a.text}`;

export class CollectorAlerts {
  private readonly evaluator: AlertEvaluator;
  private readonly hook: AlertHook;

  constructor(
    private rules: AlertRules,
    private readonly deps: CollectorAlertsDeps,
  ) {
    this.evaluator = new AlertEvaluator(rules);
    this.hook = deps.hook ?? new AlertHook(deps.log);
  }

  step(now: number, nodes: readonly ClusterViewNode[], events: readonly AlertEvent[]): AlertChanges {
    const changes = this.evaluator.step(now, nodes.map(readingOf), events);
    for (const [event, list] of [['raised', changes.raised], ['cleared', changes.cleared]] as const) {
      for (const a of list) {
        this.deps.record({ t: now, event, rule: a.rule, node: a.node, text: a.text });
        this.deps.log(`alert ${event}: ${describeAlert(a)}`);
        void this.hook.run(this.rules.hook, { event, alert: a });
      }
    }
    return changes;
  }

  list(now: number): AlertList {
    return { rules: this.rules, active: this.evaluator.active(), recent: this.evaluator.recent(), now };
  }

  /** All or none: a wrong change is EINVAL naming it; a file that cannot be written changes nothing. */
  set(changes: string[], now: number): AlertList {
    const r = applyAlertChanges(this.rules, changes);
    if (!r.ok) throw new RpcError('EINVAL', r.error);
    const file = this.deps.configFile;
    let settings: Record<string, unknown> = {};
    if (existsSync(file)) {
      // The admin's other settings are kept as they are; a file that does not read is not overwritten.
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new RpcError('EINVAL', `the rules were not changed: ${file} cannot be read as JSON (${(e as Error).message}); fix it first`);
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new RpcError('EINVAL', `the rules were not changed: ${file} is not a JSON object; fix it first`);
      settings = parsed as Record<string, unknown>;
    }
    try {
      writeAtomic(file, JSON.stringify({ ...settings, alerts: alertSection(r.rules) }, null, 2) + '\n', 0o644);
    } catch (e) {
      throw new RpcError('EIO', `the rules were not changed: ${file} cannot be written (${(e as Error).message}); fix that file or its directory and try again`);
    }
    this.rules = r.rules;
    this.evaluator.setRules(r.rules);
    this.deps.log(`alert rules changed (${changes.join(' ')}), kept in ${file}`);
    return this.list(now);
  }
}
