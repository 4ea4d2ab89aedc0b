/** How the main process reaches one node's agent: over SSH, or a local child process. */
import type { Readable, Writable } from 'node:stream';
import type { AgentHello } from '../../shared/protocol/agent.js';
import type { StartPhases } from './startPhases.js';

/** A running `mosixview-agent attach`, whatever carries it. */
export interface AgentChannel {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  close(): void;
  onExit(cb: (code: number | null, signal: string | null) => void): void;
  /** How long opening it took, phase by phase, where the launcher knows (SSH). */
  opened?: Pick<StartPhases, 'ssh' | 'probe' | 'upload'> & {
    /** From the probe's end until the channel was open (for the socket: connected and identity proved). */
    attach?: number;
    /** The daemon's socket straight over SSH, or a `mosixview-agent attach` process relaying to it. */
    route?: ChannelRoute;
  };
  /**
   * The daemon's answer to hello when opening the channel asked it already (the daemon's socket:
   * asked alongside the identity proof): the session uses it instead of asking again.
   */
  hello?: AgentHello;
}

/**
 * What the opened `mosixview-agent attach` does: relay to the daemon (starting one unless the
 * admin stopped it), "start" (Start agent: clears the admin's stop first), or "stop" (Stop
 * agent: stops the daemon, records it on the node, exits 0).
 */
export type AttachMode = 'attach' | 'start' | 'stop';

export function attachArgs(mode: AttachMode): string[] {
  return mode === 'attach' ? [] : [`--${mode}`];
}

export type ChannelRoute = 'socket' | 'relay';

/** Opens channels to one node's agent; errors carry a message an admin can act on. */
export interface AgentLauncher {
  open(signal: AbortSignal, mode?: AttachMode): Promise<AgentChannel>;
}

/** Thrown by launchers when retrying soon is pointless (e.g. the admin rejected a host key). */
export class LaunchError extends Error {
  constructor(
    message: string,
    readonly retry: 'backoff' | 'manual',
  ) {
    super(message);
    this.name = 'LaunchError';
  }
}
