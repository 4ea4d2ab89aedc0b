/**
 * The "Alerts" window: the collector's rules with their values, editable (checked here with
 * the collector's own parser, so a wrong value is named before anything is sent, and again
 * by the collector), and its active and recent alerts. Changes are kept in the collector's
 * collector.json, as `mosctl alerts set` keeps them.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import { ALERT_SETTINGS, applyAlertChanges, DEFAULT_RULES, describeRules, type Alert, type AlertRules } from '../../../shared/alerts/alertRules.js';
import { alertLine, ago } from '../../../shared/alerts/alertText.js';
import { usePoll } from '../../components/usePoll.js';
import { dateTime } from '../../history/timeFormat.js';
import { useWindowTitle, windowTitles } from '../../windowTitle.js';
import { ALERTS_REFRESH_MS } from '../main/AlertBanner.js';

/** What each setting is, in the window's words (the key is what mosctl alerts set and collector.json name). */
const LABELS: Record<string, string> = {
  'nodeDown.on': 'Node down: on',
  'nodeDown.forS': 'Node down for more than (s)',
  'load.on': 'Load: on',
  'load.percent': 'Load above (%)',
  'load.forS': 'Load high for more than (s)',
  'memory.on': 'Low memory: on',
  'memory.belowMb': 'Available memory below (MB)',
  'memory.forS': 'Memory low for more than (s)',
  'migrationFailed.on': 'A migration failed: on',
  'exchangeRefused.on': 'Forged or replayed datagrams: on',
  clearForS: 'Clear after the condition is gone for (s)',
  keepS: 'Keep a one-off alert active for (s)',
  'hook.timeoutS': 'Hook timeout (s)',
};

const valuesOf = (r: AlertRules): Record<string, string> => Object.fromEntries(ALERT_SETTINGS.map((s) => [s.key, String(s.read(r))]));

function AlertTable({ label, alerts, now }: { label: string; alerts: Alert[]; now: number }) {
  if (!alerts.length) return <p>{label}: none.</p>;
  return (
    <table aria-label={label} className="alerts-table">
      <thead><tr><th>Alert</th><th>Raised</th><th>Cleared</th></tr></thead>
      <tbody>
        {alerts.map((a) => (
          <tr key={`${a.rule}:${a.node}:${a.since}`}>
            <td>{alertLine(a, dateTime)}</td>
            <td>{dateTime(a.raisedAt)} ({ago(now - a.raisedAt)})</td>
            <td>{a.clearedAt !== undefined ? dateTime(a.clearedAt) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AlertsWindow({ bridge }: { bridge: MosixviewBridge }) {
  useWindowTitle(windowTitles.alerts());
  const { data, error, refresh, set } = usePoll(() => bridge.invoke('alert.list', null), ALERTS_REFRESH_MS, [bridge]);
  useEffect(() => bridge.on('alert.changed', () => void refresh()), [bridge, refresh]);
  const [draft, setDraft] = useState<Record<string, string> | undefined>(undefined);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const list = data?.list;
  const current = list ? valuesOf(list.rules) : undefined;
  const shown = draft ?? current;

  const apply = async (e: FormEvent) => {
    e.preventDefault();
    if (!list || !shown || !current) return;
    const changes = ALERT_SETTINGS.filter((s) => shown[s.key] !== current[s.key]).map((s) => `${s.key}=${shown[s.key]!.trim()}`);
    if (!changes.length) return setOutcome({ ok: true, text: 'Nothing changed.' });
    const checked = applyAlertChanges(list.rules, changes);
    if (!checked.ok) return setOutcome({ ok: false, text: checked.error });
    setBusy(true);
    try {
      set(await bridge.invoke('alert.set', { set: changes }));
      setDraft(undefined);
      setOutcome({ ok: true, text: `Changed on node ${data!.nodeId}: ${changes.join(', ')} (kept in its collector.json).` });
    } catch (err) {
      setOutcome({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="alerts-window">
      <h1>Alerts {data ? <span className="unit">(collector on node {data.nodeId})</span> : null}</h1>
      {!data && !error && <p>Reading the collector's alerts…</p>}
      {error && <p role="alert">Cannot read the alerts: {error}</p>}
      {data && !list && (
        <>
          <p role="alert">Cannot read the alerts of node {data.nodeId}: {data.error}</p>
          {/* A new admin should still see what would be watched, before starting a collector. */}
          <p>A collector starts with these rules unless its collector.json says otherwise:</p>
          <ul aria-label="Default alert rules">
            {describeRules(DEFAULT_RULES).map((line) => <li key={line}>{line}</li>)}
          </ul>
        </>
      )}
      {list && shown && (
        <>
          <form aria-label="Alert rules" onSubmit={(e) => void apply(e)}>
            <table className="alert-rules">
              <tbody>
                {ALERT_SETTINGS.map((s) => {
                  const onOff = s.key.endsWith('.on');
                  const label = LABELS[s.key] ?? s.key;
                  return (
                    <tr key={s.key}>
                      <th scope="row"><label htmlFor={`rule-${s.key}`}>{label}</label></th>
                      <td>
                        {onOff ? (
                          <input id={`rule-${s.key}`} type="checkbox" checked={shown[s.key] === 'true'}
                            onChange={(e) => setDraft({ ...shown, [s.key]: String(e.target.checked) })} />
                        ) : (
                          <input id={`rule-${s.key}`} type="text" inputMode="decimal" size={8} value={shown[s.key]}
                            onChange={(e) => setDraft({ ...shown, [s.key]: e.target.value })} />
                        )}
                      </td>
                      <td className="setting-key">{s.key}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <p>Hook: {list.rules.hook.argv.length ? list.rules.hook.argv[0] : 'none'} (set in collector.json only)</p>
            <button type="submit" disabled={busy}>Apply</button>{' '}
            <button type="button" disabled={busy || !draft} onClick={() => { setDraft(undefined); setOutcome(undefined); }}>Revert</button>
          </form>
          {outcome && <p role={outcome.ok ? 'status' : 'alert'} aria-label="Rules outcome" className={outcome.ok ? 'rules-outcome' : 'rules-outcome failed'}>{outcome.text}</p>}
          <h2>Active</h2>
          <AlertTable label="Active alerts" alerts={list.active} now={list.now} />
          <h2>Recent</h2>
          <AlertTable label="Recent alerts" alerts={list.recent} now={list.now} />
        </>
      )}
    </main>
  );
}
