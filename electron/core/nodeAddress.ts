/** The address column of a node's row: its host name resolved once, at start. */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { NodeSession } from './nodeSession.js';

export async function resolveAddress(s: NodeSession): Promise<void> {
  const host = s.view.host;
  if (isIP(host)) return s.update({ address: host });
  try {
    s.update({ address: (await lookup(host)).address });
  } catch {
    /* the row shows the name only; connection errors explain the rest */
  }
}
