/**
 * Property tests of the load exchange as a node receives it: any datagram (random bytes,
 * another key's, or sealed with the cluster key around any text or JSON) is taken or dropped
 * and counted, and nothing in it reaches the balancer's view unless it is a valid entry.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExchangeSocket, seal, unseal, type ExchangeEnvelope } from './exchangeSocket.js';
import { deriveKey } from './clusterSecrets.js';
import { Balancer } from '../balance/balancer.js';
import { seededRng } from '../balance/rng.js';
import { DEFAULT_DECAY } from '../../shared/balancing/types.js';
import { NO_FLAGS } from '../../shared/protocol/balanceFlags.js';
import type { MapNode } from '../../shared/hpcMap.js';

const KEY = deriveKey(Buffer.alloc(32, 7), 'exchange-udp');
const OTHER_KEY = deriveKey(Buffer.alloc(32, 8), 'exchange-udp');
const NOW = 1_700_000_000_000;
const MAP: MapNode[] = [1, 2, 3].map((id) => ({ id, host: `10.0.0.${id}`, aliases: [], line: id }));

/** Sealed as seal() does, around any plaintext: what a peer with the key (or a bug) could send. */
function sealText(key: Buffer, plain: Uint8Array): Buffer {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(Buffer.from('mosixview-exchange-v1'));
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([Buffer.from([1]), nonce, body, c.getAuthTag()]);
}

const num = fc.oneof(fc.double(), fc.integer({ min: -5, max: 100_000 }));
const entry = fc.oneof(
  fc.constant(null),
  fc.jsonValue({ maxDepth: 1 }),
  fc.record(
    { node: fc.oneof(fc.constantFrom(1, 2, 3, 0, -1, 2.5), num), load: num, speed: num, cpus: num, memAvailKb: num, memTotalKb: num, memFreeKb: num, util: num, t: num, seq: num, block: fc.jsonValue({ maxDepth: 0 }) },
    { requiredKeys: [] },
  ),
);
/** Mostly what a member sends (from itself, to us, a list of entries), each part possibly wrong. */
const mostly = <T, U>(usual: fc.Arbitrary<T>, other: fc.Arbitrary<U>) => fc.oneof({ weight: 4, arbitrary: usual }, { weight: 1, arbitrary: other });
const bodyFrom = (sender: number) =>
  mostly(
    fc.record({
      from: mostly(fc.constant(sender), fc.jsonValue({ maxDepth: 0 })),
      to: mostly(fc.constant(1), fc.jsonValue({ maxDepth: 0 })),
      entries: mostly(fc.array(entry, { maxLength: 6 }), fc.jsonValue({ maxDepth: 1 })),
    }),
    fc.jsonValue({ maxDepth: 2 }),
  );
/** What a node may receive; `seq: 'next'` is numbered on delivery so that the replay guard lets it through. */
const datagram = fc.oneof(
  fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 80 }) }),
  fc.record({ kind: fc.constant('text' as const), key: fc.constantFrom(KEY, KEY, OTHER_KEY), text: fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))) }),
  {
    weight: 3,
    arbitrary: fc.constantFrom(2, 3).chain((sender) =>
      fc.record({
        kind: fc.constant('envelope' as const),
        from: mostly(fc.constant(sender), fc.jsonValue({ maxDepth: 0 })),
        seq: mostly(fc.constant('next' as const), fc.jsonValue({ maxDepth: 0 })),
        t: mostly(fc.constant(NOW), num),
        body: bodyFrom(sender),
        cut: fc.option(fc.nat(), { freq: 5 }),
      }),
    ),
  },
);

function receiver() {
  const balancer = new Balancer({
    clock: () => NOW,
    rng: seededRng(1),
    membership: () => ({ selfId: 1, nodes: MAP }),
    send: () => undefined,
    migration: () => undefined,
    store: { load: () => ({ flags: { ...NO_FLAGS }, decay: { ...DEFAULT_DECAY } }), save: () => undefined },
  });
  const got: ExchangeEnvelope[] = [];
  const sock = new ExchangeSocket(KEY, 1, 0, (env) => {
    got.push(env);
    balancer.receive(env.from, env.body);
  }, () => NOW);
  return { sock, balancer, got };
}

describe('the load exchange, receiving (properties)', () => {
  it('any datagram is taken or dropped and counted; only valid entries reach the view', () => {
    fc.assert(
      fc.property(fc.array(datagram, { minLength: 1, maxLength: 12 }), (datagrams) => {
        const { sock, balancer, got } = receiver();
        let seq = 1;
        for (const d of datagrams) {
          let data: Buffer;
          if (d.kind === 'bytes') data = Buffer.from(d.bytes);
          else if (d.kind === 'text') data = sealText(d.key, Buffer.from(d.text));
          else {
            const env = { from: d.from, seq: d.seq === 'next' ? seq++ : d.seq, t: d.t, body: d.body };
            data = sealText(KEY, Buffer.from(JSON.stringify(env)));
            if (d.cut !== null) data = data.subarray(0, d.cut % data.length);
          }
          sock.receive(data, '10.0.0.2');
        }
        const s = sock.guard.stats;
        expect(s.accepted + s.forged + s.stale + s.replayed + s.ahead).toBe(datagrams.length);
        expect(got).toHaveLength(s.accepted);
        for (const e of got) expect(Number.isInteger(e.from) && Number.isFinite(e.seq) && Number.isFinite(e.t)).toBe(true);
        for (const v of balancer.view('reported')) {
          expect(Number.isInteger(v.node) && v.node > 1).toBe(true);
          for (const x of [v.load, v.speed, v.cpus, v.memAvailKb, v.memTotalKb, v.util, v.t, v.seq]) expect(Number.isFinite(x)).toBe(true);
        }
      }),
      { numRuns: 250 },
    );
  });

  it('seal and unseal round-trip any envelope; a changed or cut datagram does not unseal', () => {
    const envelope = fc.record({
      from: fc.integer(),
      seq: fc.double({ noNaN: true, noDefaultInfinity: true }),
      t: fc.double({ noNaN: true, noDefaultInfinity: true }),
      body: fc.jsonValue({ maxDepth: 2 }),
    });
    fc.assert(
      fc.property(envelope, fc.nat(), fc.integer({ min: 1, max: 255 }), (env, at, bits) => {
        const data = seal(KEY, env);
        expect(unseal(KEY, data)).toEqual(JSON.parse(JSON.stringify(env)));
        const bad = Buffer.from(data);
        bad[at % bad.length] = bad[at % bad.length]! ^ bits;
        expect(unseal(KEY, bad)).toBeUndefined();
        expect(unseal(KEY, data.subarray(0, at % data.length))).toBeUndefined();
        expect(unseal(OTHER_KEY, data)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['null', null],
    ['about node 2.5', { node: 2.5, load: 0, speed: 5e-324, cpus: 1, memAvailKb: 0, memTotalKb: 0, util: 0, t: 0, seq: 0 }],
  ])('regression: an entry that is %s is dropped, not thrown on or taken', (_, e) => {
    const { sock, balancer } = receiver();
    const env = { from: 2, seq: 1, t: NOW, body: { from: 2, to: 1, entries: [e] } };
    expect(() => sock.receive(sealText(KEY, Buffer.from(JSON.stringify(env))), '10.0.0.2')).not.toThrow();
    expect(sock.guard.stats.accepted).toBe(1);
    expect(balancer.view('reported')).toEqual([]);
  });
});
