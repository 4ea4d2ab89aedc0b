/** The embedded default: this machine's agent as a child process, no SSH. */
import { spawn } from 'node:child_process';
import type { AgentBundle } from './agentBundle.js';
import { attachArgs, type AgentChannel, type AgentLauncher, type AttachMode } from './agentChannel.js';

export class LocalLauncher implements AgentLauncher {
  constructor(
    private readonly bundle: AgentBundle,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async open(_signal?: AbortSignal, mode: AttachMode = 'attach'): Promise<AgentChannel> {
    // Inside Electron, process.execPath is Electron itself: ELECTRON_RUN_AS_NODE makes it plain Node.
    const child = spawn(process.execPath, [this.bundle.path, 'attach', '--embedded', ...attachArgs(mode)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...this.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (e) => reject(new Error(`cannot start the local agent: ${e.message}`)));
    });
    return {
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      close: () => child.kill('SIGTERM'),
      onExit: (cb) => child.once('exit', cb),
    };
  }
}
