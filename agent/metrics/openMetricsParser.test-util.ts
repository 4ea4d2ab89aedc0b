/**
 * A strict little parser of the OpenMetrics text format 1.0.0 (and, with 'prometheus', of the
 * Prometheus text format 0.0.4), for tests: it throws on the first line a scraper would refuse
 * and names it. Checks: HELP/TYPE/UNIT before a family's samples and at most once; families
 * contiguous and not repeated; sample names allowed for the type (counter: _total/_created;
 * histogram: _bucket with le, _count, _sum); a unit is the name's suffix; label syntax and
 * escapes; no duplicate label names or samples; numbers; counters >= 0; histogram buckets
 * cumulative, ending in +Inf equal to _count; `# EOF` last, then nothing.
 */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface ParsedFamily {
  name: string;
  type: string;
  help?: string;
  unit?: string;
  samples: ParsedSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = ['counter', 'gauge', 'histogram', 'gaugehistogram', 'stateset', 'info', 'summary', 'unknown'];
const SUFFIXES: Record<string, string[]> = {
  counter: ['_total', '_created'],
  gauge: [''],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  summary: ['', '_count', '_sum', '_created'],
  unknown: [''],
};

function parseValue(s: string, where: string): number {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw new Error(`${where}: "${s}" is not a number`);
  return Number(s);
}

function parseLabels(text: string, where: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  if (text[i] === '}') return { labels, rest: text.slice(2) };
  for (;;) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`${where}: label without "="`);
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new Error(`${where}: bad label name "${name}"`);
    if (name in labels) throw new Error(`${where}: label "${name}" twice`);
    if (text[eq + 1] !== '"') throw new Error(`${where}: label value of "${name}" not quoted`);
    let j = eq + 2;
    let value = '';
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\n') throw new Error(`${where}: raw newline in a label value`);
      if (text[j] !== '\\') value += text[j];
      else {
        const e = text[++j];
        if (e === 'n') value += '\n';
        else if (e === '\\' || e === '"') value += e;
        else throw new Error(`${where}: bad escape "\\${e}" in label "${name}"`);
      }
    }
    if (j >= text.length) throw new Error(`${where}: unterminated label value`);
    labels[name] = value;
    j++;
    if (text[j] === '}') return { labels, rest: text.slice(j + 1) };
    if (text[j] !== ',') throw new Error(`${where}: expected "," or "}" after label "${name}"`);
    i = j + 1;
  }
}

export function parseMetricsText(text: string, format: 'openmetrics' | 'prometheus' = 'openmetrics'): ParsedFamily[] {
  const om = format === 'openmetrics';
  if (!text.endsWith('\n')) throw new Error('the text does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (om && lines[lines.length - 1] !== '# EOF') throw new Error('the last line is not "# EOF"');
  if (!om && lines.includes('# EOF')) throw new Error('"# EOF" in the 0.0.4 format');
  const fams: ParsedFamily[] = [];
  const done = new Set<string>();
  let cur: ParsedFamily | undefined;
  const seen = new Set<string>();
  const open = (name: string, where: string): ParsedFamily => {
    if (cur?.name === name) {
      if (cur.samples.length) throw new Error(`${where}: metadata of ${name} after its samples`);
      return cur;
    }
    if (done.has(name)) throw new Error(`${where}: family ${name} appears twice (families must be contiguous)`);
    if (cur) done.add(cur.name);
    cur = { name, type: 'unknown', samples: [] };
    fams.push(cur);
    return cur;
  };
  const body = om ? lines.slice(0, -1) : lines;
  body.forEach((line, n) => {
    const where = `line ${n + 1}`;
    if (line === '') throw new Error(`${where}: empty line`);
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE|UNIT) (\S+) ?(.*)$/.exec(line);
      if (!m) throw new Error(`${where}: a comment that is not HELP, TYPE${om ? ' or UNIT' : ''}: ${line}`);
      const [, kind, name, rest] = m as unknown as [string, string, string, string];
      if (!NAME.test(name)) throw new Error(`${where}: bad metric name "${name}"`);
      if (!om && kind === 'UNIT') throw new Error(`${where}: UNIT in the 0.0.4 format`);
      const f = open(name, where);
      if (kind === 'TYPE') {
        if (f.type !== 'unknown') throw new Error(`${where}: second TYPE for ${name}`);
        if (!TYPES.includes(rest)) throw new Error(`${where}: unknown type "${rest}"`);
        if (om && rest === 'counter' && name.endsWith('_total')) throw new Error(`${where}: an OpenMetrics counter family is named without _total`);
        f.type = rest;
      } else if (kind === 'HELP') {
        if (f.help !== undefined) throw new Error(`${where}: second HELP for ${name}`);
        f.help = rest;
      } else {
        if (f.unit !== undefined) throw new Error(`${where}: second UNIT for ${name}`);
        if (!name.endsWith(`_${rest}`)) throw new Error(`${where}: unit "${rest}" is not the suffix of ${name}`);
        f.unit = rest;
      }
      return;
    }
    const nm = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nm) throw new Error(`${where}: no metric name`);
    const name = nm[0];
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, where));
    if (!rest.startsWith(' ')) throw new Error(`${where}: expected one space before the value`);
    const parts = rest.slice(1).split(' ');
    if (parts.length > 2 || parts[0] === '') throw new Error(`${where}: expected "value [timestamp]"`);
    const value = parseValue(parts[0]!, where);
    const f = cur;
    if (!f) throw new Error(`${where}: sample ${name} before any TYPE`);
    const base = om || f.type !== 'counter' ? f.name : f.name.replace(/_total$/, '');
    const suffix = name.startsWith(base) ? name.slice(base.length) : undefined;
    const allowed = om ? SUFFIXES[f.type] ?? [''] : f.type === 'counter' ? [''] : SUFFIXES[f.type] ?? [''];
    const ok = om || f.type !== 'counter' ? suffix !== undefined && allowed.includes(suffix) : name === f.name;
    if (!ok) throw new Error(`${where}: sample ${name} does not belong to ${f.type} family ${f.name}`);
    if (f.type === 'histogram' && suffix === '_bucket' && labels.le === undefined) throw new Error(`${where}: bucket without le`);
    if (f.type === 'counter' && !(value >= 0)) throw new Error(`${where}: counter ${name} is ${value}`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new Error(`${where}: sample ${key} twice`);
    seen.add(key);
    f.samples.push({ name, labels, value });
  });
  for (const f of fams) {
    if (f.samples.length === 0) throw new Error(`family ${f.name} has no samples`);
    if (f.type === 'histogram') checkHistogram(f);
  }
  return fams;
}

function checkHistogram(f: ParsedFamily): void {
  const groups = new Map<string, ParsedSample[]>();
  for (const s of f.samples) {
    const { le: _le, ...rest } = s.labels;
    const k = JSON.stringify(Object.entries(rest).sort());
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  for (const [k, ss] of groups) {
    const buckets = ss.filter((s) => s.name.endsWith('_bucket'));
    const les = buckets.map((b) => parseValue(b.labels.le!, `${f.name}${k}`));
    for (let i = 1; i < buckets.length; i++) {
      if (!(les[i]! > les[i - 1]!)) throw new Error(`${f.name}${k}: le not increasing`);
      if (buckets[i]!.value < buckets[i - 1]!.value) throw new Error(`${f.name}${k}: buckets not cumulative`);
    }
    if (les[les.length - 1] !== Infinity) throw new Error(`${f.name}${k}: no +Inf bucket`);
    const count = ss.find((s) => s.name === `${f.name}_count`);
    if (!count || !ss.some((s) => s.name === `${f.name}_sum`)) throw new Error(`${f.name}${k}: _count or _sum missing`);
    if (count.value !== buckets[buckets.length - 1]!.value) throw new Error(`${f.name}${k}: +Inf bucket is not _count`);
  }
}
