/** How the main process reaches one node's agent: over SSH, or a local child process. */
import type { Readable, Writable } from 'node:stream';

/** A running `mosixview-agent attach`, whatever carries it. */
export interface AgentChannel {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  close(): void;
  onExit(cb: (code: number | null, signal: string | null) => void): void;
}

/** Opens channels to one node's agent; errors carry a message an admin can act on. */
export interface AgentLauncher {
  open(signal: AbortSignal): Promise<AgentChannel>;
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
