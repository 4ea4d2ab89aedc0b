import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorPaths, DEFAULT_SETTINGS, loadSettings } from './config.js';
import { DEFAULT_RULES } from '../../shared/alerts/alertRules.js';

function pathsWith(json?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mvcfg-'));
  const p = collectorPaths({ dir, socket: '', pidFile: '', log: '' });
  if (json !== undefined) {
    mkdirSync(p.dir, { recursive: true });
    writeFileSync(p.config, json);
  }
  return p;
}

describe('collector settings', () => {
  it('defaults: a new history a day, backups kept 30 days, a process list a minute; nothing to complain about', () => {
    expect(loadSettings(pathsWith(), {})).toEqual({ settings: DEFAULT_SETTINGS, problems: [] });
    expect(DEFAULT_SETTINGS).toEqual({ rotateEveryS: 86_400, retentionDays: 30, procsEveryS: 60, alerts: DEFAULT_RULES });
  });
  it('collector.json sets retention (0 keeps every backup), the environment wins over the file', () => {
    const p = pathsWith('{"retentionDays": 0, "procsEveryS": 30}');
    expect(loadSettings(p, {}).settings).toEqual({ rotateEveryS: 86_400, retentionDays: 0, procsEveryS: 30, alerts: DEFAULT_RULES });
    expect(loadSettings(p, { MOSIXVIEW_COLLECTOR_PROCS_S: '4', MOSIXVIEW_COLLECTOR_ROTATE_S: '3600' }).settings).toEqual({ rotateEveryS: 3600, retentionDays: 0, procsEveryS: 4, alerts: DEFAULT_RULES });
  });
  it('a refused value is named with what it must be, and the default applies', () => {
    const p = pathsWith('{"retentionDays": "ten", "rotateEveryS": 0, "retention": 5}');
    const r = loadSettings(p, { MOSIXVIEW_COLLECTOR_PROCS_S: '-1' });
    expect(r.settings).toEqual(DEFAULT_SETTINGS);
    expect(r.problems).toEqual([
      `${p.config}: unknown setting "retention" (known: rotateEveryS, retentionDays, procsEveryS, alerts)`,
      `${p.config}: rotateEveryS must be a number > 0, not 0`,
      `${p.config}: retentionDays must be a number >= 0, not "ten"`,
      'MOSIXVIEW_COLLECTOR_PROCS_S must be a number > 0, not "-1"',
    ]);
  });
  it('collector.json "alerts" sets the rules; a wrong one is named and keeps its default', () => {
    const p = pathsWith('{"alerts": {"load": {"percent": 50, "forS": "soon"}, "nodeDown": {"forS": 5}}}');
    const r = loadSettings(p, {});
    expect(r.settings.alerts).toEqual({ ...DEFAULT_RULES, load: { on: true, percent: 50, forS: 60 }, nodeDown: { on: true, forS: 5 } });
    expect(r.problems).toEqual([`${p.config}: alerts.load.forS must be a number from 1 to 86400, not "soon"`]);
  });
  it('a file that is not a JSON object is ignored, saying so', () => {
    const p = pathsWith('retentionDays=5');
    const r = loadSettings(p, {});
    expect(r.settings).toEqual(DEFAULT_SETTINGS);
    expect(r.problems[0]).toMatch(/collector\.json cannot be used \(.*JSON.*\): ignored$/);
    expect(loadSettings(pathsWith('[1]'), {}).problems[0]).toMatch(/is not a JSON object: ignored$/);
  });

  it("the packaged /etc/mosixview/collector.json applies when the state directory has none of its own", () => {
    const dir = mkdtempSync(join(tmpdir(), 'mvcfg-'));
    const etc = join(dir, 'etc-collector.json');
    writeFileSync(etc, '{"retentionDays": 7}');
    const state = { dir: join(dir, 'state'), socket: '', pidFile: '', log: '' };
    expect(collectorPaths(state, etc).config).toBe(etc);
    expect(loadSettings(collectorPaths(state, etc), {}).settings.retentionDays).toBe(7);
    mkdirSync(join(state.dir, 'collector'), { recursive: true });
    writeFileSync(join(state.dir, 'collector', 'collector.json'), '{"retentionDays": 3}');
    expect(loadSettings(collectorPaths(state, etc), {}).settings.retentionDays).toBe(3);
  });
});
