import { describe, expect, it } from 'vitest';
import type { AlertEvent, EventLogMark } from '../../shared/alerts/alertEvents.js';
import { EventLog } from './alertEventLog.js';
import { PeerEventPull } from './peerEventPull.js';

/** Peers reached through a fake peer channel: each its own log; a peer in `lost` does not answer. */
function peers(ids: number[]) {
  const logs = new Map(ids.map((id) => [id, new EventLog(1000 + id)]));
  const asked: number[] = [];
  const boots: (number | undefined)[] = [];
  const lost = new Set<number>();
  const ask = async (node: number, since: number, boot: number | undefined) => {
    asked.push(node);
    boots.push(boot);
    if (lost.has(node)) throw new Error('no answer within 0.9 s');
    return logs.get(node)!.since(since, boot);
  };
  const gathered: Omit<AlertEvent, 'seq'>[] = [];
  const pull = new PeerEventPull(ask, (e) => gathered.push(e));
  const add = (node: number, text: string) => logs.get(node)!.add({ rule: 'migrationFailed', node, text });
  /** Each peer with the mark its load-exchange entry tells (as of now, or as given). */
  const view = (marks: Record<number, EventLogMark | undefined> = {}) => ids.map((node) => ({ node, mark: node in marks ? marks[node] : logs.get(node)!.mark() }));
  const restart = (node: number, boot: number) => logs.set(node, new EventLog(boot));
  return { logs, asked, boots, lost, pull, add, view, restart, texts: () => gathered.map((e) => e.text) };
}

describe('pulling the peers\' alert events', () => {
  it('asks each peer once to learn where it stands, then only a peer whose mark moved', async () => {
    const p = peers([2, 3, 4]);
    p.add(3, 'before: not news');
    await p.pull.pull(p.view());
    expect(p.asked).toEqual([2, 3, 4]);
    p.asked.length = 0;
    for (let s = 0; s < 5; s++) await p.pull.pull(p.view());
    expect(p.asked).toEqual([]);
    p.add(3, 'news');
    await p.pull.pull(p.view());
    await p.pull.pull(p.view());
    expect(p.asked).toEqual([3]);
    expect(p.texts()).toEqual(['news']);
  });

  it('asks a peer that tells no mark (an older agent) at every sample, as before, without naming a run (it would refuse the field)', async () => {
    const p = peers([2, 3]);
    await p.pull.pull(p.view({ 2: undefined }));
    p.asked.length = 0;
    p.boots.length = 0;
    p.add(2, 'from the older agent');
    for (let s = 0; s < 3; s++) await p.pull.pull(p.view({ 2: undefined }));
    expect(p.asked).toEqual([2, 2, 2]);
    expect(p.boots).toEqual([undefined, undefined, undefined]);
    expect(p.texts()).toEqual(['from the older agent']);
  });

  it('a mark that arrives late (a lost datagram) loses nothing: the next one says the same and more', async () => {
    const p = peers([2]);
    await p.pull.pull(p.view());
    const before = p.logs.get(2)!.mark();
    p.add(2, 'one');
    await p.pull.pull(p.view({ 2: before })); // the datagram telling "1" was lost
    p.add(2, 'two');
    await p.pull.pull(p.view());
    await p.pull.pull(p.view());
    expect(p.texts()).toEqual(['one', 'two']);
    expect(p.asked).toEqual([2, 2]);
  });

  it('an answer lost on the way is asked again from the same cursor: each event once', async () => {
    const p = peers([2]);
    await p.pull.pull(p.view());
    p.add(2, 'one');
    p.lost.add(2);
    await p.pull.pull(p.view());
    p.lost.delete(2);
    await p.pull.pull(p.view());
    await p.pull.pull(p.view());
    expect(p.texts()).toEqual(['one']);
    expect(p.asked).toEqual([2, 2, 2]);
  });

  it('a peer that restarted (its numbers from 0 again) is asked, and what it saw since is gathered once', async () => {
    const p = peers([2]);
    await p.pull.pull(p.view());
    p.add(2, 'old run');
    await p.pull.pull(p.view());
    p.restart(2, 5000);
    p.add(2, 'new run 1');
    await p.pull.pull(p.view());
    await p.pull.pull(p.view());
    expect(p.texts()).toEqual(['old run', 'new run 1']);
  });

  it('a restarted peer whose new count reached the old one is still asked (its run changed)', async () => {
    const p = peers([2]);
    await p.pull.pull(p.view());
    p.add(2, 'old 1');
    p.add(2, 'old 2');
    await p.pull.pull(p.view());
    p.restart(2, 5000);
    p.add(2, 'new 1');
    p.add(2, 'new 2');
    expect(p.logs.get(2)!.mark().seq).toBe(2);
    await p.pull.pull(p.view());
    await p.pull.pull(p.view());
    expect(p.texts()).toEqual(['old 1', 'old 2', 'new 1', 'new 2']);
  });

  it('a stale mark of the run before a restart, once the cursor is of the new run, adds nothing twice', async () => {
    const p = peers([2]);
    await p.pull.pull(p.view());
    const oldMark = p.logs.get(2)!.mark();
    p.restart(2, 5000);
    p.add(2, 'new 1');
    await p.pull.pull(p.view());
    await p.pull.pull(p.view({ 2: oldMark }));
    await p.pull.pull(p.view());
    expect(p.texts()).toEqual(['new 1']);
  });
});
