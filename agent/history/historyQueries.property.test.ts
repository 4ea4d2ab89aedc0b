/**
 * Property tests of the history requests as the agent receives them from a local client:
 * any parameters give an answer built from the requested metrics only, or an RpcError
 * (EINVAL naming the parameter, ENOHISTORY), never a TypeError or a hang.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RpcError } from '../../shared/protocol/rpc.js';
import { HISTORY_METRICS } from './metrics.js';
import { collectorPaths, type CollectorPaths } from '../collector/config.js';
import { HistoryWriter } from '../collector/store/historyWriter.js';
import { clusterAt, historySeries, procHistory } from './historyQueries.js';
import { historyAgentValidators as V } from '../../shared/protocol/agentHistory.validate.js';
import { NO_IO } from '../../shared/history/types.js';

/** As the daemon serves them: checked by the channel's validator, then answered. */
const series = (req: unknown) => historySeries(paths, V['history.series'].check(req, ''));
const procs = (req: unknown) => procHistory(paths, V['history.procs'].check(req, ''));
const at = (req: unknown) => clusterAt(paths, V['history.at'].check(req, ''));

const T0 = 1_700_000_017_500;
const SECONDS = 200;
const METRICS = Object.keys(HISTORY_METRICS);
let paths: CollectorPaths;
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mvq-prop-'));
  paths = collectorPaths({ dir: root } as never);
  const w = HistoryWriter.open(paths.current, 'n1', T0, { sync: false });
  w.writeNodes({ t: T0, nodes: [{ id: 1, host: 'a' }, { id: 2, host: 'b' }] });
  for (let s = 0; s < SECONDS; s++) {
    const t = T0 + s * 1000;
    w.writeSamples({ t, nodes: [1, 2].map((id) => ({ id, up: s % 9 !== id, load: (s % 50) / 10, speed: 10000, cpus: 2, util: 50, tmemKb: 8e6, rmemKb: 1e6 + s, memKb: 2e6 - s, ...NO_IO })) });
    if (s % 60 === 0) w.writeProcs({ t, nodes: [{ id: 1, host: 'a', procs: [{ pid: s + 1, user: 'u', command: 'c', args: '', state: 'R', cpu: 1, rssKb: 1, where: 0 }] }] });
    if (s === 30) w.writeCheckpoint({ t, label: 'cp' });
  }
  w.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PROTO_KEYS = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];
const time = fc.oneof(
  fc.integer({ min: -120_000, max: SECONDS * 1000 + 120_000 }).map((d) => T0 + d),
  fc.double(),
  fc.constantFrom(0, -1, 1e300, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE, 8.64e15),
  fc.jsonValue({ maxDepth: 1 }),
);
const param = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: a }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) });
const request = fc.oneof(
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  {
    weight: 6,
    arbitrary: fc.record(
      {
        buckets: param(fc.oneof(fc.integer({ min: -5, max: 12_000 }), fc.double(), fc.constantFrom('5', 1e9))),
        metrics: param(fc.array(fc.oneof(fc.constantFrom(...METRICS), fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 6 })), { maxLength: 5 })),
        from: time,
        to: time,
        t: time,
        since: time,
        recorded: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 0 })),
        backup: fc.oneof(fc.constantFrom('', 'mosixview-20240301-120000', '../mosixview', 'mosixview', '/etc'), fc.jsonValue({ maxDepth: 0 })),
      },
      { requiredKeys: [] },
    ),
  },
);

/** The answer, or an RpcError whose code is one a client can act on. */
function answerOrRpcError<T>(f: () => T): T | RpcError {
  try {
    return f();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(RpcError);
    expect(['EINVAL', 'ENOHISTORY']).toContain((e as RpcError).code);
    expect((e as Error).message.length).toBeGreaterThan(0);
    return e as RpcError;
  }
}

describe('history requests from a local client (properties)', () => {
  it('history.series answers with the requested metrics only, or an RpcError', () => {
    fc.assert(
      fc.property(request, (req) => {
        const r = answerOrRpcError(() => series(req));
        if (r instanceof RpcError) return;
        const asked = (req as { metrics: unknown[] }).metrics;
        expect(r.to).toBeGreaterThan(r.from);
        expect(r.first >= 0 && r.first < r.buckets).toBe(true);
        expect(r.next >= r.from && r.next <= r.to).toBe(true);
        for (const n of r.nodes) {
          for (const [k, s] of Object.entries(n.series)) {
            expect(METRICS).toContain(k);
            expect(asked).toContain(k);
            expect(s!.max.length).toBe(s!.min.length);
            expect(r.first + s!.max.length).toBeLessThanOrEqual(r.buckets);
            expect(s!.settled.samples).toBeLessThanOrEqual(s!.stats.samples);
            for (const v of [...s!.min, ...s!.max]) expect(v === null || Number.isFinite(v)).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('history.procs and history.at answer or give an RpcError', () => {
    fc.assert(
      fc.property(request, (req) => {
        answerOrRpcError(() => procs(req));
        answerOrRpcError(() => at(req));
      }),
      { numRuns: 300 },
    );
  });

  it.each([-Number.MAX_VALUE, 1e300])('regression: from %j is refused as no time, naming it', (from) => {
    expect(() => series({ buckets: 5, metrics: ['load'], from })).toThrow(expect.objectContaining({ code: 'EINVAL', message: expect.stringMatching(/^from: expected a time in ms/) }));
  });

  it.each(PROTO_KEYS)('regression: %j is not a metric: refused by name, not dropped', (key) => {
    expect(() => series({ buckets: 10, metrics: [key] })).toThrow(RpcError);
    expect(() => series({ buckets: 10, metrics: ['load', key] })).toThrow(
      expect.objectContaining({ code: 'EINVAL', message: `metrics[1]: expected a metric name (load, mem, rmem, tmem, diskRead, diskWrite, netRx, netTx), got ${JSON.stringify(key)}` }),
    );
  });
});
