/**
 * The migration monitor's state: one slice of jobs keyed by node ID (each node's circle
 * selects its own list, which stays the same array while its jobs do not change, so a poll
 * that changes one node re-renders one circle), the log of moves, the moves being drawn
 * (flights), and the job the admin selected. A node's first answer mostly says what moved
 * before the window opened: those moves are not news, so they are remembered, not logged.
 * Priming is per node, since the window's node list fills in after it opens (a node first
 * heard from on the third poll brings its old moves too); a move newer than the window's
 * opening is news whichever answer brings it.
 */
import { create } from 'zustand';
import type { NodeId } from '../../../shared/domain/node.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { jobsByNode, moveOf, newMoves, type MonitorJob, type MoveEntry, type NodeJobs } from './monitorJobs.js';

/** The log keeps this many moves (the newest). */
export const LOG_LIMIT = 200;

/** A move being drawn: travelling until it lands, then its freeze shown for a while. */
export type Flight = MoveEntry & { landed?: boolean };

export interface MonitorState {
  jobs: Record<NodeId, MonitorJob[]>;
  moves: MoveEntry[];
  flights: Flight[];
  selected: string | undefined;
  /** IDs of the moves known (logged, or there before the window opened). */
  seen: ReadonlySet<string>;
  /** Nodes that have answered once: their later moves are news. */
  primed: ReadonlySet<NodeId>;
  /** When the window opened (ms since the epoch, the nodes' clocks being kept close). */
  openedAt: number;
}

const initial: MonitorState = { jobs: {}, moves: [], flights: [], selected: undefined, seen: new Set(), primed: new Set(), openedAt: Infinity };

export const useMonitor = create<MonitorState>(() => initial);

export const NO_JOBS: readonly MonitorJob[] = [];

function sameJobs(a: readonly MonitorJob[] | undefined, b: readonly MonitorJob[]): boolean {
  return !!a && a.length === b.length && a.every((j, i) => {
    const k = b[i]!;
    return j.key === k.key && j.command === k.command && j.locked === k.locked && j.movingTo === k.movingTo;
  });
}

/** A move is news when its node had answered before, or when it happened after the window opened. */
const isNews = (st: MonitorState, m: MoveEntry): boolean => st.primed.has(m.to) || m.at >= st.openedAt;

function withMoves(st: MonitorState, found: readonly MoveEntry[]): Partial<MonitorState> {
  if (found.length === 0) return {};
  const seen = new Set(st.seen);
  for (const m of found) seen.add(m.id);
  const news = found.filter((m) => isNews(st, m));
  if (news.length === 0) return { seen };
  return { seen, moves: [...st.moves, ...news].slice(-LOG_LIMIT), flights: [...st.flights, ...news] };
}

function withPrimed(st: MonitorState, answers: readonly NodeJobs[]): ReadonlySet<NodeId> {
  if (answers.every((a) => st.primed.has(a.nodeId))) return st.primed;
  return new Set([...st.primed, ...answers.map((a) => a.nodeId)]);
}

export const monitorActions = {
  /** The window has opened: moves before this are history, not news. */
  opened(now: number = Date.now()): void {
    useMonitor.setState({ openedAt: now });
  },
  /** The job lists of the nodes that answered: where each job runs now, and the moves not seen yet. */
  applyAnswers(answers: readonly NodeJobs[]): void {
    useMonitor.setState((st) => {
      const next = jobsByNode(answers);
      const jobs: Record<NodeId, MonitorJob[]> = {};
      for (const [id, list] of Object.entries(next)) jobs[Number(id)] = sameJobs(st.jobs[Number(id)], list) ? st.jobs[Number(id)]! : list;
      return { jobs, ...withMoves(st, newMoves(st.seen, answers)), primed: withPrimed(st, answers) };
    });
  },
  /** A record a node sent as it changed (job.changed): a move is drawn at once, not at the next poll. */
  applyRecord(nodeId: NodeId, record: JobRecord): void {
    const st = useMonitor.getState();
    const m = moveOf(nodeId, record);
    if (!m || st.seen.has(m.id) || !isNews(st, m)) return;
    useMonitor.setState((s) => withMoves(s, [m]));
  },
  /** A flight has reached its node: the job's own dot there is drawn in full again. */
  touchdown(id: string): void {
    useMonitor.setState((st) => ({ flights: st.flights.map((f) => (f.id === id ? { ...f, landed: true } : f)) }));
  },
  /** A flight has landed and said its freeze: it goes. */
  landed(id: string): void {
    useMonitor.setState((st) => ({ flights: st.flights.filter((f) => f.id !== id) }));
  },
  select(key: string | undefined): void {
    useMonitor.setState({ selected: key });
  },
  /** Selects the job, or lets go of it when it is the one selected. */
  toggle(key: string): void {
    useMonitor.setState((st) => ({ selected: st.selected === key ? undefined : key }));
  },
  reset(): void {
    useMonitor.setState(initial, true);
  },
};
