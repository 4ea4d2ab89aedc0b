import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFrame, decodeProcs, encodeProcs, RecordType } from './records.js';
import { HistoryWriter, LOG_FILE } from './historyWriter.js';
import { HistoryReader } from './historyReader.js';
import type { ProcSnapshot } from '../../../shared/history/types.js';

/**
 * A process list frame as the collector before format 2 of the record wrote it (its own node's
 * list, no node named): {"t":1795960800250,"procs":[init, crunch]}, deflated, framed. Bytes of
 * that collector, kept as they were: the reader must go on reading the histories it left.
 */
const OLD_FRAME = Buffer.from(
  'TVYEmAAAAFXNsQ6CMBRG4Vch/1zlQqja+wpuOhoHKI10sCVtiQPh3Q0RCawnOflGJHBxVlKd6EJUShLog9cR/BjR2xZcCAzRBDCC9wkC2r/ftWvBsM7OoQ6vCEYeG+vypcVUJwPGfR76AUwCIcZrA1ZEJPDpTDBgmsTiVGVVrlTjm52kw+B0t7F8n/JfzA4ukxvx9heVOsoVLcod+py+G1JccQ==',
  'base64',
);
const OLD_T = 1795960800250;
const OLD_PROCS = [
  { pid: 1, user: 'root', command: 'init', args: '/sbin/init', state: 'S', cpu: 0, rssKb: 9000, where: 0 },
  { pid: 4242, user: 'bob', command: 'crunch', args: '/opt/crunch -n 5', state: 'R', cpu: 99.5, rssKb: 1200, where: 0 },
];

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mvprocs-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('process list records', () => {
  it('decode the old bytes (one node, unnamed) as they were written', () => {
    const f = checkFrame(OLD_FRAME, 0);
    if (!f.ok) throw new Error('the old frame does not check');
    expect(f.type).toBe(RecordType.Procs);
    expect(decodeProcs(OLD_FRAME.subarray(f.start, f.end))).toEqual({ t: OLD_T, procs: OLD_PROCS });
  });

  it('round-trip every node, a node without a list as missing with why', () => {
    const snap: ProcSnapshot = {
      t: OLD_T,
      nodes: [
        { id: 1, host: 'n1', procs: OLD_PROCS },
        { id: 2, host: 'n2', procs: [] },
        { id: 3, host: 'n3', missing: 'no answer within 4 s' },
      ],
    };
    expect(decodeProcs(encodeProcs(snap))).toEqual(snap);
  });

  it('a version-2 record whose node has both a list and a reason, or neither, is damaged, not half read', () => {
    const both = encodeProcs({ t: 1, nodes: [{ id: 1, host: 'a', procs: [], missing: 'x' } as never] });
    const neither = encodeProcs({ t: 1, nodes: [{ id: 1, host: 'a' } as never] });
    expect(() => decodeProcs(both)).toThrow(/damaged process list record/);
    expect(() => decodeProcs(neither)).toThrow(/damaged process list record/);
  });

  it('an old history reads on: its list is the collector\'s node, named by the host the names table gives it', () => {
    const w = HistoryWriter.open(join(dir, 'h'), 'n2', OLD_T - 60_000, { sync: false });
    w.writeNodes({ t: OLD_T - 60_000, nodes: [{ id: 1, host: 'n1' }, { id: 2, host: 'n2' }] });
    w.close();
    // The old collector appended its frame; the next writer indexes it as any record the index missed.
    appendFileSync(join(dir, 'h', LOG_FILE), OLD_FRAME);
    HistoryWriter.open(join(dir, 'h'), 'n2', OLD_T, { sync: false }).close();
    const r = HistoryReader.open(join(dir, 'h'));
    expect(r.procTimes()).toEqual([OLD_T]);
    expect(r.procsAt(OLD_T + 30_000)).toEqual({ t: OLD_T, nodes: [{ id: 2, host: 'n2', procs: OLD_PROCS }] });
    r.close();
  });

  it('an old history of a node outside any cluster (no names table naming its host) reads as node 0', () => {
    HistoryWriter.open(join(dir, 'h'), 'lonely', OLD_T - 60_000, { sync: false }).close();
    appendFileSync(join(dir, 'h', LOG_FILE), OLD_FRAME);
    HistoryWriter.open(join(dir, 'h'), 'lonely', OLD_T, { sync: false }).close();
    const r = HistoryReader.open(join(dir, 'h'));
    expect(r.procsAt(OLD_T)).toEqual({ t: OLD_T, nodes: [{ id: 0, host: 'lonely', procs: OLD_PROCS }] });
    r.close();
  });
});
