/**
 * One handler per request name: features declare what they serve and the daemon composes
 * them here. A name served twice is a wiring mistake that would otherwise make the later
 * feature silently replace the earlier one's handler, so it stops the daemon at start-up.
 */
export interface Declared<H> {
  /** Who declares these handlers (a feature's name, or "daemon"). */
  by: string;
  handlers: H | undefined;
}

export function composeHandlers<H extends object>(parts: Declared<H>[], what = 'request'): H {
  const out: Record<string, unknown> = {};
  const owner = new Map<string, string>();
  for (const { by, handlers } of parts) {
    for (const [name, fn] of Object.entries(handlers ?? {})) {
      const first = owner.get(name);
      if (first !== undefined) throw new Error(`two handlers for the ${what} "${name}": ${first} and ${by} both declare it: serve it from one of them (each name has exactly one owner)`);
      owner.set(name, by);
      out[name] = fn;
    }
  }
  return out as H;
}
