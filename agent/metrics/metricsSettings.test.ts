import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEXTFILE_DIR, loadMetricsSettings, parseListen } from './metricsSettings.js';

function dirWith(json?: string): string {
  const d = mkdtempSync(join(tmpdir(), 'metrics-settings-'));
  if (json !== undefined) writeFileSync(join(d, 'metrics.json'), json);
  return d;
}

describe('loadMetricsSettings', () => {
  it('writes to node_exporter\'s directory when it exists, serves no endpoint by default', () => {
    expect(loadMetricsSettings(dirWith(), {}, (d) => d === DEFAULT_TEXTFILE_DIR)).toEqual({ settings: { textfileDir: DEFAULT_TEXTFILE_DIR, listen: null }, problems: [] });
    expect(loadMetricsSettings(dirWith(), {}, () => false).settings).toEqual({ textfileDir: null, listen: null });
  });

  it('takes metrics.json, the environment over it', () => {
    const d = dirWith('{"textfileDir": "/srv/prom", "listen": "9464"}');
    expect(loadMetricsSettings(d, {}, () => true).settings).toEqual({ textfileDir: '/srv/prom', listen: { host: '127.0.0.1', port: 9464 } });
    expect(loadMetricsSettings(d, { MOSIXVIEW_METRICS_LISTEN: '0.0.0.0:9100', MOSIXVIEW_METRICS_TEXTFILE_DIR: '' }, () => true).settings).toEqual({ textfileDir: null, listen: { host: '0.0.0.0', port: 9100 } });
  });

  it('turns the textfile off with null even where node_exporter\'s directory exists', () => {
    expect(loadMetricsSettings(dirWith('{"textfileDir": null}'), {}, () => true).settings.textfileDir).toBeNull();
  });

  it('names a wrong value, says what it must be, and keeps the default', () => {
    const d = dirWith('{"listen": "localhost:99999", "textfileDir": "relative/dir", "port": 1}');
    const r = loadMetricsSettings(d, { MOSIXVIEW_METRICS_LISTEN: 'nine' }, () => false);
    expect(r.settings).toEqual({ textfileDir: null, listen: null });
    expect(r.problems).toHaveLength(4);
    expect(r.problems).toContain(`${join(d, 'metrics.json')}: unknown setting "port" ignored (known: textfileDir, listen)`);
    expect(r.problems.find((p) => p.includes('listen must be'))).toMatch(/"localhost:99999".*ignored/);
    expect(r.problems.find((p) => p.startsWith('MOSIXVIEW_METRICS_LISTEN'))).toMatch(/"HOST:PORT".*not "nine"/);
    expect(r.problems.find((p) => p.includes('textfileDir must be'))).toMatch(/absolute directory/);
  });

  it('names a file that is not JSON', () => {
    const r = loadMetricsSettings(dirWith('{listen: 1'), {}, () => false);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/metrics\.json cannot be used/);
  });
});

describe('parseListen', () => {
  it('reads PORT, HOST:PORT and [V6]:PORT', () => {
    expect(parseListen('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListen('node1:80')).toEqual({ host: 'node1', port: 80 });
    expect(parseListen('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(parseListen('::1:9464')).toBeUndefined();
    expect(parseListen('0')).toBeUndefined();
    expect(parseListen('host:')).toBeUndefined();
  });
});
