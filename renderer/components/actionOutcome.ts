/** The "Last action" line of a window's action that was refused, decided by the error's code. */

export interface ActionOutcome {
  ok: boolean;
  text: string;
}

/** EALREADY (Home on a job at home, Best on the best node) is information: nothing was wrong, nothing had to be done. */
export function refusedOutcome(what: string, e: unknown): ActionOutcome {
  const message = e instanceof Error ? e.message : String(e);
  // By its code, not `instanceof RpcError`: a window's connection is opened by boot.js, a bundle of its
  // own, whose RpcError is another class than app.js's (renderer/bridge/earlyStart.ts).
  if (e instanceof Error && (e as { code?: unknown }).code === 'EALREADY') return { ok: true, text: `${what}: nothing to do, ${message}` };
  return { ok: false, text: `${what} failed: ${message}` };
}
