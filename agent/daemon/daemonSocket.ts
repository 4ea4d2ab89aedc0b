/** Finding, starting and replacing the node's agent daemon through its unix socket. */
import { connect, type Socket } from 'node:net';
import { readFileSync, rmSync, openSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentRequests } from '../../shared/protocol/agent.js';
import type { StatePaths } from '../stateDir.js';
import { proveIdentity } from './proveIdentity.js';

export function tryConnect(path: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const sock = connect(path);
    sock.once('connect', () => resolve(sock));
    sock.once('error', () => resolve(undefined));
  });
}

export interface DaemonInfo {
  pid: number;
  version: string;
  supervisor?: 'systemd';
}

/** systemd gives every service it runs an INVOCATION_ID (systemd.exec(5)). */
export function supervisorOf(env: NodeJS.ProcessEnv): 'systemd' | undefined {
  return env.INVOCATION_ID ? 'systemd' : undefined;
}

export function withoutSupervisor(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  delete out.INVOCATION_ID;
  return out;
}

export function daemonInfo(paths: StatePaths): DaemonInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(paths.pidFile, 'utf8')) as DaemonInfo;
    return typeof info.pid === 'number' ? info : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitForSocket(paths: StatePaths, timeoutMs: number): Promise<Socket | undefined> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const s = await tryConnect(paths.socket);
    if (s) return s;
    await sleep(100);
  }
  return undefined;
}

/** Asks a running daemon to stop and waits until it is gone (SIGTERM if it does not answer). */
export async function stopDaemon(paths: StatePaths, timeoutMs = 5000): Promise<boolean> {
  const sock = await tryConnect(paths.socket);
  const info = daemonInfo(paths);
  if (!sock) return false;
  const ep = new RpcEndpoint<AgentRequests, Record<never, never>>((l) => sock.write(l));
  sock.on('data', (d) => ep.receive(d));
  // Stopping is root's (or the agent's own user's): proved first; an older agent never asks.
  await proveIdentity(ep).catch(() => undefined);
  await ep.request('shutdown', null, 2000).catch(() => undefined);
  sock.destroy();
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const s = await tryConnect(paths.socket);
    if (!s) return true;
    s.destroy();
    await sleep(100);
  }
  if (info) {
    try {
      process.kill(info.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  return true;
}

/** A socket file nobody listens on is left by a daemon killed with -9: remove it. */
export async function clearStaleSocket(paths: StatePaths): Promise<void> {
  const s = await tryConnect(paths.socket);
  if (s) {
    s.destroy();
    return;
  }
  rmSync(paths.socket, { force: true });
}

export function spawnDaemon(paths: StatePaths, bundle: string): void {
  const log = openSync(paths.log, 'a');
  const child = spawn(process.execPath, [bundle, 'daemon'], {
    detached: true,
    stdio: ['ignore', log, log],
    // A daemon started by attach is nobody's service, even when attach runs inside one (a GUI
    // started from a systemd unit or a terminal of a user service): it must not claim to be.
    env: withoutSupervisor(process.env),
  });
  child.unref();
}
