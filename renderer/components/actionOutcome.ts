/** The "Last action" line of a window's action that was refused, decided by the error's code. */
import { RpcError } from '../../shared/protocol/rpc.js';

export interface ActionOutcome {
  ok: boolean;
  text: string;
}

/** EALREADY (Home on a job at home, Best on the best node) is information: nothing was wrong, nothing had to be done. */
export function refusedOutcome(what: string, e: unknown): ActionOutcome {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RpcError && e.code === 'EALREADY') return { ok: true, text: `${what}: nothing to do, ${message}` };
  return { ok: false, text: `${what} failed: ${message}` };
}
