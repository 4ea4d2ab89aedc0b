import { describe, expect, it } from 'vitest';
import { EventLog, KEEP_EVENTS, refusalEvents } from './alertEventLog.js';

const stats = (forged: number, replayed: number) => ({ accepted: 10, forged, stale: 0, replayed, ahead: 0 });

describe('EventLog', () => {
  it('gives the events after a sequence number, and all of them to a reader from before a restart', () => {
    const log = new EventLog(1700);
    log.add({ rule: 'migrationFailed', node: 1, text: 'a' });
    log.add({ rule: 'migrationFailed', node: 1, text: 'b' });
    expect(log.since(0)).toEqual({ events: [{ seq: 1, rule: 'migrationFailed', node: 1, text: 'a' }, { seq: 2, rule: 'migrationFailed', node: 1, text: 'b' }], next: 2, boot: 1700 });
    expect(log.since(1).events.map((e) => e.text)).toEqual(['b']);
    expect(log.since(2)).toEqual({ events: [], next: 2, boot: 1700 });
    expect(log.since(57).events).toHaveLength(2);
  });

  it('tells where it stands (its run and newest event), and gives a reader of another run all it keeps', () => {
    const log = new EventLog(1700);
    expect(log.mark()).toEqual({ boot: 1700, seq: 0 });
    log.add({ rule: 'migrationFailed', node: 1, text: 'a' });
    log.add({ rule: 'migrationFailed', node: 1, text: 'b' });
    expect(log.mark()).toEqual({ boot: 1700, seq: 2 });
    expect(log.since(1, 1700)).toEqual({ events: [{ seq: 2, rule: 'migrationFailed', node: 1, text: 'b' }], next: 2, boot: 1700 });
    // A reader whose cursor is of the run before a restart: the numbers started again, so all of them.
    expect(log.since(1, 1600).events.map((e) => e.text)).toEqual(['a', 'b']);
    expect(log.since(5, 1600).events.map((e) => e.text)).toEqual(['a', 'b']);
  });

  it(`keeps the last ${KEEP_EVENTS}`, () => {
    const log = new EventLog();
    for (let i = 0; i < KEEP_EVENTS + 5; i++) log.add({ rule: 'exchangeRefused', node: 2, text: `${i}` });
    const { events, next } = log.since(0);
    expect(events).toHaveLength(KEEP_EVENTS);
    expect(events[0]!.text).toBe('5');
    expect(next).toBe(KEEP_EVENTS + 5);
  });
});

describe('refusalEvents', () => {
  it('nothing when the counters did not move', () => {
    expect(refusalEvents(stats(3, 1), stats(3, 1), new Map(), [])).toEqual([]);
  });

  it('names how many forged datagrams came and from whom, and the replayed ones', () => {
    const peers = [
      { nodeId: 2, address: '10.0.0.2', accepted: 5, forged: 0, acceptedAgoMs: 1, forgedAgoMs: null },
      { nodeId: null, address: '10.0.0.9', accepted: 0, forged: 7, acceptedAgoMs: null, forgedAgoMs: 10 },
    ];
    expect(refusalEvents(stats(3, 1), stats(7, 3), new Map([['10.0.0.9', 3]]), peers)).toEqual([
      { rule: 'exchangeRefused', text: "4 forged load-exchange datagram(s) refused (not sealed with this cluster's key) from 10.0.0.9" },
      { rule: 'exchangeRefused', text: '2 replayed load-exchange datagram(s) refused (a sequence number already seen)' },
    ]);
  });
});
