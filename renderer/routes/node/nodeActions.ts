/** What the node configuration window says about an action's outcome on each node. */
import type { BalanceState, MoveReport } from '../../../shared/protocol/agentBalance.js';
import type { AgentStart, NodeResult } from '../../../shared/protocol/apiBalance.js';
import type { FlagName } from '../../../shared/balancing/controls.js';

/** The window's controls: label (accessible name), flag, and whether checked means the flag is on. */
export const FLAG_BOXES: { label: string; flag: FlagName; checkedIsOn: boolean }[] = [
  { label: 'Automigration', flag: 'stay', checkedIsOn: false },
  { label: 'Quiet', flag: 'quiet', checkedIsOn: true },
  { label: 'Local processes stay', flag: 'lstay', checkedIsOn: true },
  { label: 'Block guests', flag: 'block', checkedIsOn: true },
];

export function isChecked(state: BalanceState, box: (typeof FLAG_BOXES)[number]): boolean {
  return state.flags[box.flag] === box.checkedIsOn;
}

export function describeMoves(what: string, r: MoveReport): string {
  const parts = [r.moved.length ? `${r.moved.length} job(s) sent home (${r.moved.join(', ')})` : 'no job moved'];
  for (const f of r.failed) parts.push(`job ${f.job} stayed: ${f.why}`);
  for (const u of r.unreachable) parts.push(`node ${u.node} not reached: ${u.why}`);
  if (r.note) parts.push(r.note);
  return `${what}: ${parts.join('; ')}`;
}

/** One line per node: "done" with the outcome, or the node's error. */
/** "Start agent" on an agent that runs started nothing: that is information, not a success. */
export function describeAgentStart(v: AgentStart): string {
  return v === 'already running' ? 'the agent is already running: nothing to start' : 'agent started';
}

export function describeResult<T>(what: string, r: NodeResult<T>, ok: (v: T) => string): string {
  return r.ok ? ok(r.value) : `${what} failed: ${r.error}`;
}

/** Checked / unchecked / mixed for the "all nodes" checkbox of a flag. */
export function combined(states: (BalanceState | undefined)[], box: (typeof FLAG_BOXES)[number]): boolean | 'mixed' | undefined {
  const known = states.filter((s): s is BalanceState => s !== undefined).map((s) => isChecked(s, box));
  if (known.length === 0) return undefined;
  return known.every((c) => c === known[0]) ? known[0]! : 'mixed';
}

/** What Expel and Bring would move now, summed over the nodes shown; undefined until one answered. */
export function pendingMoves(states: readonly (BalanceState | undefined)[]): { guests: string; away: string } | undefined {
  const known = states.filter((s): s is BalanceState => s !== undefined);
  if (known.length === 0) return undefined;
  const guests = known.reduce((a, s) => a + s.guests, 0);
  const away = known.reduce((a, s) => a + s.away, 0);
  return { guests: `${guests} guest${guests === 1 ? '' : 's'} here`, away: `${away} own job${away === 1 ? '' : 's'} away` };
}

/** What the balancer holds back, one line each: jobs it keeps here and targets it avoids, with why. */
export function balancerLines(state: BalanceState): string[] {
  return [
    ...(state.held ?? []).map((h) => `job ${h.job} stays here: ${h.why}`),
    ...(state.avoiding ?? []).map((a) => `node ${a.node} gets no jobs from here for ${a.forS} s: ${a.why}`),
  ];
}
