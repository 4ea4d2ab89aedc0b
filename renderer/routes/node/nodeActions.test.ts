import { describe, expect, it } from 'vitest';
import { DEFAULT_DECAY, NO_FLAGS } from '../../../shared/balancing/types.js';
import type { BalanceState } from '../../../shared/protocol/agentBalance.js';
import { FLAG_BOXES, balancerLines, combined, describeAgentStart, describeMoves, describeResult, isChecked, pendingMoves } from './nodeActions.js';

const st = (flags: Partial<typeof NO_FLAGS>): BalanceState => ({ nodeId: 1, flags: { ...NO_FLAGS, ...flags }, decay: DEFAULT_DECAY, speed: 10000, exchanging: true, canMigrate: true, note: '', moves: 0, failedMoves: 0, jobs: 0, guests: 0, away: 0, held: [], avoiding: [] });
const box = (label: string) => FLAG_BOXES.find((b) => b.label === label)!;

describe('node configuration window logic', () => {
  it('Expel and Bring show what they would move: guests here and own jobs away, summed over the nodes shown', () => {
    expect(pendingMoves([undefined])).toBeUndefined();
    expect(pendingMoves([{ ...st({}), guests: 1, away: 0 }])).toEqual({ guests: '1 guest here', away: '0 own jobs away' });
    expect(pendingMoves([{ ...st({}), guests: 2, away: 1 }, undefined, { ...st({}), guests: 1, away: 2 }])).toEqual({ guests: '3 guests here', away: '3 own jobs away' });
  });
  it('Automigration is the inverse of stay; the others are their flag', () => {
    expect(isChecked(st({}), box('Automigration'))).toBe(true);
    expect(isChecked(st({ stay: true }), box('Automigration'))).toBe(false);
    expect(isChecked(st({ block: true }), box('Block guests'))).toBe(true);
    expect(isChecked(st({ lstay: true }), box('Local processes stay'))).toBe(true);
  });

  it('the all-nodes box is checked, unchecked or mixed', () => {
    expect(combined([st({ block: true }), st({ block: true })], box('Block guests'))).toBe(true);
    expect(combined([st({ block: true }), st({}), undefined], box('Block guests'))).toBe('mixed');
    expect(combined([undefined], box('Block guests'))).toBeUndefined();
  });

  it('results say what happened on the node', () => {
    expect(describeMoves('expel', { moved: [], failed: [], unreachable: [], note: 'no migration service' })).toBe('expel: no job moved; no migration service');
    expect(describeMoves('bring', { moved: ['1.2'], failed: [{ job: '1.3', why: 'busy' }], unreachable: [{ node: 4, why: 'down' }] })).toBe(
      'bring: 1 job(s) sent home (1.2); job 1.3 stayed: busy; node 4 not reached: down',
    );
    expect(describeResult('stop agent', { nodeId: 2, ok: false, error: 'node 2 is not connected' }, () => 'x')).toBe('stop agent failed: node 2 is not connected');
  });

  it('the balancer says which jobs it keeps here and which nodes it sends nothing to, with why', () => {
    expect(balancerLines(st({}))).toEqual([]);
    const s = { ...st({}), held: [{ job: '1.7', why: 'CRIU is not installed on this node' }], avoiding: [{ node: 3, why: 'a move there failed: link cut', forS: 25 }] };
    expect(balancerLines(s)).toEqual(['job 1.7 stays here: CRIU is not installed on this node', 'node 3 gets no jobs from here for 25 s: a move there failed: link cut']);
    // An older agent's state has neither list.
    const { held: _h, avoiding: _a, ...old } = s;
    expect(balancerLines(old as unknown as BalanceState)).toEqual([]);
  });

  it('Start agent on an agent that runs says so calmly, not "agent started"', () => {
    expect(describeAgentStart('started')).toBe('agent started');
    expect(describeAgentStart('already running')).toBe('the agent is already running: nothing to start');
  });
});
