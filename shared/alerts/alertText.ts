/** Alerts in words, as `mosctl alerts` prints them and the GUI's banner says them. */
import { ALERT_SETTINGS, describeRules, RULE_TITLES, type Alert, type AlertList } from './alertRules.js';

const pad = (n: number) => String(n).padStart(2, '0');
/** Local time of the node that formats it: "2026-11-29 18:40:12". */
export function localTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** "Node 2 (mvnode2): node down since 18:40:12: down for more than 30 s" (the banner's line). */
export function alertLine(a: Alert, time: (ms: number) => string = localTime): string {
  return `Node ${a.node}${a.host ? ` (${a.host})` : ''}: ${RULE_TITLES[a.rule]} since ${time(a.since)}: ${a.text}`;
}

export function formatAlertList(l: AlertList): string[] {
  const out: string[] = [];
  const line = (a: Alert) => `  ${alertLine(a)} (${ago(l.now - a.since)})${a.clearedAt !== undefined ? `, cleared at ${localTime(a.clearedAt)}` : ''}`;
  out.push(l.active.length ? `Active alerts (${l.active.length}):` : 'No active alerts.');
  out.push(...l.active.map(line));
  if (l.recent.length) out.push(`Recent alerts (${l.recent.length}, newest first):`, ...l.recent.map(line));
  out.push('Rules:', ...describeRules(l.rules).map((r) => `  ${r}`));
  out.push(`Settings (change with: mosctl alerts set KEY=VALUE ...; kept in collector.json):`);
  out.push(`  ${ALERT_SETTINGS.map((s) => `${s.key}=${String(s.read(l.rules))}`).join(' ')}`);
  out.push(l.rules.hook.argv.length ? `Hook: ${l.rules.hook.argv[0]} (timeout ${l.rules.hook.timeoutS} s)` : 'Hook: none (collector.json: "alerts": {"hook": {"argv": ["/path/to/program"]}})');
  return out;
}
