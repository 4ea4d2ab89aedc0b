/**
 * Where one node's connection spent its time until the node was up, written as one line in the
 * GUI's log (so an admin can see why a node is slow to show up) and read back by the start-up
 * benchmark (e2e/bench/startup.ts), which sums these lines over a whole cluster.
 */
import type { ChannelRoute } from './agentChannel.js';

/** Wall times in ms, in the order they happen; upload is 0 when the agent was already installed. */
export interface StartPhases {
  /** TCP connect, key exchange and authentication, including the wait for a place in the handshake gate. */
  ssh: number;
  /** The probe for Node.js and the installed agent; 0 when the daemon's remembered socket answered (daemonMemory.ts). */
  probe: number;
  upload: number;
  /**
   * From the probe's end to the agent's hello answer: the daemon's socket opened over SSH and
   * the identity proved, or `attach` run (it starts the daemon if none runs) and its relay.
   */
  agent: number;
  /**
   * After hello: the first sample and the subscription. The cluster key and map are looked after
   * beside it and are not waited for.
   */
  sample: number;
}

export const PHASE_NAMES = ['ssh', 'probe', 'upload', 'agent', 'sample'] as const satisfies readonly (keyof StartPhases)[];

export function startLine(id: number, host: string, phases: StartPhases, route?: ChannelRoute): string {
  const total = PHASE_NAMES.reduce((a, k) => a + phases[k], 0);
  return `node ${id} (${host}): up after ${Math.round(total)} ms: ${PHASE_NAMES.map((k) => `${k} ${Math.round(phases[k])}`).join(', ')}${route ? `, via ${route}` : ''}`;
}

const LINE = /node (\d+) \([^)]*\): up after (\d+) ms: (.*)$/;

/** The phases of a line written by startLine, or undefined for any other line. */
export function parseStartLine(line: string): { id: number; phases: StartPhases; route?: ChannelRoute } | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const got: Partial<StartPhases> = {};
  let route: ChannelRoute | undefined;
  for (const part of m[3]!.split(', ')) {
    const [k, v] = part.split(' ');
    if (k === 'via' && (v === 'socket' || v === 'relay')) route = v;
    if ((PHASE_NAMES as readonly string[]).includes(k!) && /^\d+$/.test(v ?? '')) got[k as keyof StartPhases] = Number(v);
  }
  if (PHASE_NAMES.some((k) => got[k] === undefined)) return undefined;
  return { id: Number(m[1]), phases: got as StartPhases, ...(route ? { route } : {}) };
}
