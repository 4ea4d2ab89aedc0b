/**
 * The two sides of the migration protocol, each on a test node (migrationNode.test-util.ts)
 * and served as the agent serves them, with the other side a stand-in: for the orchestrator, a
 * scripted peer; for the target side, the test itself sending what the source would.
 */
import type { JobRecord } from '../../shared/jobs/job.js';
import type { PeerRequests, TransferResult } from '../../shared/protocol/peer.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { validateRequest } from '../../shared/protocol/validate.js';
import { PEER_VALIDATORS } from '../../shared/protocol/peer.validate.js';
import type { PageChannel } from '../jobs/pageChannel.js';
import { jobRecord, PAGE_BYTES, STATE, TEST_CRIU, testNode, type TestNode } from './migrationNode.test-util.js';
import { Orchestrator } from './orchestrator.js';
import type { PeerLink } from './ports.js';
import { TargetSide, type TargetRequests } from './targetSide.js';

type Answer<K extends keyof PeerRequests> = (params: PeerRequests[K]['req']) => PeerRequests[K]['res'] | Promise<PeerRequests[K]['res']>;
export type PeerScript = { [K in keyof PeerRequests]?: Answer<K> } & {
  sendFiles?: (transfer: string, paths: string[]) => Promise<TransferResult>;
  /** The page channel to the target's page server (a stand-in that carries nothing, unless given). */
  openPages?: (id: string) => Promise<PageChannel>;
};

/**
 * The other nodes, as `self` sees them: each request (name into `events`, all of it into
 * `sent`) is answered by the script, or as a willing target would. A thrown error is the
 * answer that comes back (a refusal, a lost connection).
 */
export function scriptedPeer(self: TestNode, script: PeerScript, nodes = [1, 2, 3]): PeerLink & { sent: { node: number; method: string; params: unknown }[] } {
  const sent: { node: number; method: string; params: unknown }[] = [];
  const willing: PeerScript = {
    'mig.facts': () => ({ node: 2, criu: TEST_CRIU, blocksGuests: false, sharedRoots: ['/'], localRoots: [] }),
    'mig.begin': () => null,
    'mig.restore': () => ({ pid: 900, restoreMs: 150 }),
    'mig.commit': () => jobRecord({ pid: 900, migrations: 1 }),
    'mig.abort': () => null,
    'mig.status': () => ({ phase: 'none' }),
    'mig.moved': () => null,
  };
  return {
    selfId: self.id,
    nodes: nodes.map((id) => ({ id })),
    sent,
    async request(node, method, params) {
      self.events.push(method);
      sent.push({ node, method, params });
      // What the orchestrator sends must pass the peer channel's check (agent/peer/peerService.ts).
      validateRequest(PEER_VALIDATORS, method, params);
      const answer = (script[method] ?? willing[method]) as ((p: unknown) => unknown) | undefined;
      if (!answer) throw new RpcError('ENOMETHOD', `the stand-in has no answer to ${method}`);
      return answer(params) as never;
    },
    async sendFiles(node, transfer, paths) {
      self.events.push('sendFiles');
      sent.push({ node, method: 'sendFiles', params: { transfer, paths } });
      return script.sendFiles ? script.sendFiles(transfer, paths) : { bytes: 4, dir: `/state/incoming/${transfer}` };
    },
    async openPages(node, id) {
      self.events.push('openPages');
      sent.push({ node, method: 'openPages', params: { id } });
      if (script.openPages) return script.openPages(id);
      return { id, bytes: () => PAGE_BYTES, close: () => undefined };
    },
  };
}

/** The source's orchestrator on `node` (node 1 unless given), its peers scripted. */
export function sourceNode(script: PeerScript = {}, node: TestNode = testNode(1)) {
  const peer = scriptedPeer(node, script);
  const orch = new Orchestrator({
    jobs: node.jobs, steps: node.steps, stateDir: STATE, link: () => peer, clock: node.clock,
    bestNode: () => undefined, restoreTimeoutMs: 25_000, log: (m) => node.log.push(m),
  });
  return { node, peer, orch };
}

/** The target side on `node` (node 2 unless given); `call` serves a request as the peer layer does. */
export function targetNode(node: TestNode = testNode(2), opts: { blocksGuests?: boolean } = {}) {
  const side = new TargetSide({
    jobs: node.jobs, steps: node.steps, stateDir: STATE, clock: node.clock,
    blocksGuests: () => opts.blocksGuests ?? false, log: (m) => node.log.push(m),
  });
  const served = side.handlers();
  const call = <K extends keyof TargetRequests>(method: K, params: TargetRequests[K]['req']): Promise<TargetRequests[K]['res']> =>
    Promise.resolve().then(() => (served[method] as (p: unknown) => TargetRequests[K]['res'])(validateRequest(PEER_VALIDATORS, method, params)));
  const status = async (id: string) => (await call('mig.status', { id })).phase;
  return { node, side, call, status };
}

/** Job 1.100 as node 1 sends it, frozen there for migration `id` to node 2. */
export function sentJob(id: string, over: Partial<JobRecord> = {}): JobRecord {
  return jobRecord({ pid: 77, pidStart: 1, state: 'frozen', frozenBy: 'checkpoint', stateBeforeFreeze: 'running', moving: { id, from: 1, to: 2 }, ...over });
}

/** Node 1's migration of job 1.100 to `t`, begun and its images arrived; its id. */
export async function received(t: ReturnType<typeof targetNode>, over: Partial<JobRecord> = {}): Promise<string> {
  const id = `1.100-1-${t.node.world.now}`;
  await t.call('mig.begin', { id, job: sentJob(id, over) });
  const dir = t.side.dirOf(id);
  t.node.disk.put(`${dir}/core.img`, 'core');
  t.node.disk.put(`${dir}/pages-1.img`, 'x'.repeat(4096));
  return id;
}

/** As `received`, then restored here (stopped, waiting for the commit); its id and PID here. */
export async function restored(t: ReturnType<typeof targetNode>, over: Partial<JobRecord> = {}): Promise<{ id: string; pid: number }> {
  const id = await received(t, over);
  const { pid } = await t.call('mig.restore', { id, job: sentJob(id, over) });
  return { id, pid };
}
