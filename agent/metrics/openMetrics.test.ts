import { describe, expect, it } from 'vitest';
import { EMPTY_HISTOGRAM, FREEZE_BUCKETS_S, contentType, formatMetrics, negotiateFormat, observe, type NodeFigures } from './openMetrics.js';
import { parseMetricsText, type ParsedFamily } from './openMetricsParser.test-util.js';

function figures(over: Partial<NodeFigures> = {}): NodeFigures {
  let freeze = EMPTY_HISTOGRAM;
  for (const s of [0.08, 0.3, 0.3, 7]) freeze = observe(freeze, s);
  return {
    node: '3', load: 1.5, speed: 12000, cpus: 4, memTotalBytes: 8 * 2 ** 30, memAvailableBytes: 3 * 2 ** 30,
    jobs: { running: 2, away: 1 }, migrations: { moved: 4, failed: 1, uncertain: 0 }, freezeSeconds: freeze,
    exchange: { accepted: 100, forged: 3, stale: 2, replayed: 1, ahead: 0 },
    ...over,
  };
}

const value = (fams: ParsedFamily[], name: string, labels: Record<string, string>) =>
  fams.flatMap((f) => f.samples).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('formatMetrics (OpenMetrics)', () => {
  it('is valid OpenMetrics with HELP and TYPE on every family and # EOF last', () => {
    const text = formatMetrics(figures());
    const fams = parseMetricsText(text);
    expect(fams.map((f) => f.name)).toEqual([
      'mosixview_node_load', 'mosixview_node_speed', 'mosixview_node_cpus', 'mosixview_node_memory_total_bytes',
      'mosixview_node_memory_available_bytes', 'mosixview_jobs', 'mosixview_migrations', 'mosixview_migration_freeze_seconds',
      'mosixview_exchange_datagrams',
    ]);
    for (const f of fams) expect(f.help, f.name).toBeTruthy();
    expect(text.endsWith('# EOF\n')).toBe(true);
  });

  it('labels every sample node="N"', () => {
    for (const f of parseMetricsText(formatMetrics(figures()))) for (const s of f.samples) expect(s.labels.node, s.name).toBe('3');
  });

  it('gives the figures in base units: bytes, seconds', () => {
    const fams = parseMetricsText(formatMetrics(figures()));
    expect(value(fams, 'mosixview_node_memory_total_bytes', {})).toBe(8 * 2 ** 30);
    expect(value(fams, 'mosixview_node_memory_available_bytes', {})).toBe(3 * 2 ** 30);
    expect(fams.find((f) => f.name === 'mosixview_migration_freeze_seconds')!.unit).toBe('seconds');
    expect(value(fams, 'mosixview_migration_freeze_seconds_sum', {})).toBeCloseTo(7.68);
    expect(value(fams, 'mosixview_node_load', {})).toBe(1.5);
    expect(value(fams, 'mosixview_node_speed', {})).toBe(12000);
    expect(value(fams, 'mosixview_node_cpus', {})).toBe(4);
  });

  it('counts migrations and exchange datagrams in _total counters', () => {
    const fams = parseMetricsText(formatMetrics(figures()));
    expect(fams.find((f) => f.name === 'mosixview_migrations')!.type).toBe('counter');
    expect(value(fams, 'mosixview_migrations_total', { outcome: 'moved' })).toBe(4);
    expect(value(fams, 'mosixview_migrations_total', { outcome: 'failed' })).toBe(1);
    expect(value(fams, 'mosixview_exchange_datagrams_total', { verdict: 'forged' })).toBe(3);
    expect(value(fams, 'mosixview_exchange_datagrams_total', { verdict: 'stale' })).toBe(2);
    expect(value(fams, 'mosixview_exchange_datagrams_total', { verdict: 'replayed' })).toBe(1);
  });

  it('gives jobs by state, 0 for states with none', () => {
    const fams = parseMetricsText(formatMetrics(figures()));
    expect(value(fams, 'mosixview_jobs', { state: 'running' })).toBe(2);
    expect(value(fams, 'mosixview_jobs', { state: 'away' })).toBe(1);
    expect(value(fams, 'mosixview_jobs', { state: 'frozen' })).toBe(0);
  });

  it('has cumulative freeze buckets ending in +Inf = count', () => {
    const fams = parseMetricsText(formatMetrics(figures()));
    expect(value(fams, 'mosixview_migration_freeze_seconds_bucket', { le: '0.1' })).toBe(1);
    expect(value(fams, 'mosixview_migration_freeze_seconds_bucket', { le: '0.5' })).toBe(3);
    expect(value(fams, 'mosixview_migration_freeze_seconds_bucket', { le: '10' })).toBe(4);
    expect(value(fams, 'mosixview_migration_freeze_seconds_bucket', { le: '+Inf' })).toBe(4);
    expect(value(fams, 'mosixview_migration_freeze_seconds_count', {})).toBe(4);
    const long = observe(EMPTY_HISTOGRAM, 1000);
    expect(long.buckets).toEqual(FREEZE_BUCKETS_S.map(() => 0));
    expect(value(parseMetricsText(formatMetrics(figures({ freezeSeconds: long }))), 'mosixview_migration_freeze_seconds_bucket', { le: '+Inf' })).toBe(1);
  });

  it('escapes a label value (a hostname used before the node has an ID)', () => {
    const fams = parseMetricsText(formatMetrics(figures({ node: 'odd"name\\x\ny' })));
    expect(fams[0]!.samples[0]!.labels.node).toBe('odd"name\\x\ny');
  });
});

describe('formatMetrics (Prometheus text 0.0.4)', () => {
  it('is valid 0.0.4 text: counters declared with _total, no UNIT, no # EOF', () => {
    const text = formatMetrics(figures(), 'prometheus');
    const fams = parseMetricsText(text, 'prometheus');
    expect(fams.find((f) => f.type === 'counter')!.name).toBe('mosixview_migrations_total');
    expect(text).not.toContain('# UNIT');
    expect(text).not.toContain('# EOF');
    expect(() => parseMetricsText(text)).toThrow(/EOF/);
  });
});

describe('negotiateFormat', () => {
  it('serves OpenMetrics by default and to Prometheus, 0.0.4 when only text/plain is asked for', () => {
    expect(negotiateFormat(undefined)).toBe('openmetrics');
    expect(negotiateFormat('*/*')).toBe('openmetrics');
    expect(negotiateFormat('application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1')).toBe('openmetrics');
    expect(negotiateFormat('text/plain;version=0.0.4')).toBe('prometheus');
    expect(contentType('openmetrics')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(contentType('prometheus')).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});

describe('the parser is strict', () => {
  const good = formatMetrics(figures());
  it.each([
    ['no # EOF', good.replace('# EOF\n', '')],
    ['a sample before its TYPE', 'x 1\n# EOF\n'],
    ['a counter sample without _total', '# TYPE c counter\nc 1\n# EOF\n'],
    ['a unit that is not the suffix', '# TYPE a_bytes gauge\n# UNIT a_bytes seconds\na_bytes 1\n# EOF\n'],
    ['buckets not cumulative', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\nh_sum 1\n# EOF\n'],
    ['a bad escape', '# TYPE g gauge\ng{a="\\x"} 1\n# EOF\n'],
    ['a family split in two', '# TYPE g gauge\ng 1\n# TYPE h gauge\nh 1\n# TYPE g gauge\n# EOF\n'],
    ['text after # EOF', good + 'x 1\n'],
  ])('refuses %s', (_what, text) => {
    expect(() => parseMetricsText(text)).toThrow();
  });
});
