/**
 * Runs the bundle's `attach` (as the GUI does over SSH) and says hello through it, for the
 * integration tests of the daemon and of the agent's entry point.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentHello, AgentRequests } from '../../shared/protocol/agent.js';

export interface Attached {
  child: ChildProcessWithoutNullStreams;
  hello: AgentHello;
  stderr: () => string;
  ep: RpcEndpoint<AgentRequests, Record<never, never>>;
}

export async function attachAndHello(bundle: string, env: NodeJS.ProcessEnv, args: string[] = [], onChild?: (c: ChildProcessWithoutNullStreams) => void): Promise<Attached> {
  const child = spawn(process.execPath, [bundle, 'attach', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  onChild?.(child);
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ep = new RpcEndpoint<AgentRequests, Record<never, never>>((l) => child.stdin.write(l), {}, { timeoutMs: 30000 });
  child.stdout.on('data', (d: Buffer) => ep.receive(d));
  child.on('exit', (code) => ep.close(`attach exited with ${code}: ${err}`));
  const hello = await ep.request('hello', { client: 'cli', version: 'test' });
  return { child, hello, stderr: () => err, ep };
}
