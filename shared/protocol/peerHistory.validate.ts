/**
 * The peer requests of the history (peerHistory.ts), and the check of a peer's answer: a list
 * the collector writes into the history, so a malformed one is refused by name, not recorded.
 */
import type { PeerHistoryRequests } from './peerHistory.js';
import type { HistoryProc } from '../history/types.js';
import { MAX_NODE } from './fields.validate.js';
import { array, int, none, num, obj, str, type Validator, type Validators } from './validate.js';

export const peerHistoryValidators = {
  'history.procList': none,
} satisfies Validators<PeerHistoryRequests>;

/** More than any node runs (a busy node has a few thousand). */
export const MAX_PROC_LIST = 100_000;

const historyProc: Validator<HistoryProc> = obj({
  // A job that runon started elsewhere has a number above any PID on its home (REMOTE_ID_BASE).
  pid: int(1, Number.MAX_SAFE_INTEGER, 'a process ID (or the number of a job that has none here)'),
  user: str({ max: 256 }),
  command: str({ max: 256 }),
  args: str({ max: 4096 }),
  state: str({ max: 8 }),
  cpu: num(0, 1e6),
  rssKb: num(0, 2 ** 50),
  where: int(0, MAX_NODE),
});

/** A peer's answer to history.procList; check() throws an RpcError naming the first bad field. */
export const historyProcList: Validator<HistoryProc[]> = array(historyProc, { max: MAX_PROC_LIST });
