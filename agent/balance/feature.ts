/**
 * The balancing core in the daemon: the node's controls (persisted), infod every half
 * second over the sealed UDP exchange, the cluster view for the other features and the
 * CLI, automatic decisions once per sample, and expel/bring through the migration service.
 */
import { RpcError } from '../../shared/protocol/rpc.js';
import type { Handlers } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentRequests } from '../../shared/protocol/agent.js';
import type { PeerRequests } from '../../shared/protocol/peer.js';
import type { BalanceState, MoveReport } from '../../shared/protocol/agentBalance.js';
import type { NodeId } from '../../shared/domain/node.js';
import { criuProblem } from '../jobs/cantMove.js';
import { defineFeature, type DaemonContext, type PartsProviding, type ServicesFor } from '../daemon/feature.js';
import { Balancer } from './balancer.js';
import { ControlsStore } from './controlsStore.js';
import { bringHome } from './bringHome.js';
import { AGENT_VERSION } from '../version.js';

export const GOSSIP_MS = 500;
/** Moves of whole jobs take a while; bring waits for each node's moves to end. */
const BRING_TIMEOUT_MS = 10 * 60_000;
/** An agent that does not answer a ping within this is down, as far as isup goes. */
const PING_TIMEOUT_MS = 3000;
/** A target's word (arrival notice, facts) is waited for this long at most. */
const TARGET_TIMEOUT_MS = 5000;

function buildBalance(ctx: DaemonContext, services: ServicesFor<never>): PartsProviding<'clusterView' | 'controls'> {
  const store = new ControlsStore(ctx.paths.dir);
  const balancer = new Balancer({
    clock: Date.now,
    rng: Math.random,
    membership: () => ctx.peers.membership,
    send: (msg) => {
      const net = ctx.peers.net;
      const ex = ctx.peers.exchange;
      if (!net || !ex) return;
      try {
        ex.send(net.address(msg.to), msg);
      } catch {
        /* a node without an address or a full socket buffer: the next round picks another peer */
      }
    },
    migration: () => services.migration,
    store,
    announce: async (to, job) => {
      await ctx.peers.net?.request(to, 'balance.arriving', { job }, TARGET_TIMEOUT_MS);
    },
    // The jobs service is there when the migration service is (the migrate feature needs it).
    checkJob: async (job) => {
      if (!services.migration || !services.jobs) return [];
      const [home, id] = job.split('.').map(Number);
      return services.jobs.check({ ref: { home: home!, id: id! } });
    },
    targetProblem: async (node) => {
      const net = ctx.peers.net;
      if (!net) return undefined;
      const f = await net.request(node, 'mig.facts', null, TARGET_TIMEOUT_MS);
      if (f.blocksGuests) return { why: `node ${node} blocks guests (mosctl block)`, blocks: true };
      const criu = criuProblem(node, f.criu);
      return criu ? { why: criu } : undefined;
    },
    // Read at each sample: the alerts feature is built before this one, or not at all.
    alertLog: () => services.alertEvents?.mark(),
  });
  let timer: ReturnType<typeof setInterval> | undefined;
  let unlisten: (() => void) | undefined;

  const state = (): BalanceState => {
    const flags = balancer.flags();
    const self = balancer.selfId();
    const mig = services.migration;
    return {
      nodeId: self ?? null,
      flags,
      decay: balancer.decay(),
      speed: ctx.speed(),
      exchanging: ctx.peers.exchange !== undefined && !flags.quiet,
      canMigrate: services.migration !== undefined,
      note: [balancer.note, store.problem].filter(Boolean).join('; '),
      moves: balancer.moves,
      failedMoves: balancer.failedMoves,
      jobs: balancer.trackedJobs,
      guests: mig && self !== undefined ? mig.candidates().filter((j) => j.home !== self).length : 0,
      away: mig?.away() ?? 0,
      held: balancer.held(),
      avoiding: balancer.avoiding(),
    };
  };

  const bring = async (): Promise<MoveReport> => {
    const self = balancer.selfId();
    const net = ctx.peers.net;
    if (self === undefined || !net) return { moved: [], failed: [], unreachable: [], note: 'bring: this node is not in a cluster (no map or key installed), so no job of it runs elsewhere' };
    return bringHome(self, net.nodes.map((n) => n.id), (node) => net.request(node, 'balance.sendHome', { home: self }, BRING_TIMEOUT_MS));
  };

  const handlers: Handlers<AgentRequests> = {
    'balance.state': () => state(),
    'balance.view': () => ({ self: balancer.selfId() ?? null, map: ctx.peers.membership?.nodes ?? [], nodes: balancer.view() }),
    'balance.set': (p) => {
      balancer.set(p.flag, p.value);
      return state();
    },
    'balance.setDecay': (p) => {
      balancer.setDecay(p);
      return state();
    },
    'balance.expel': () => balancer.expel(),
    'balance.bring': () => bring(),
    'balance.ping': async ({ node }) => {
      const self = balancer.selfId();
      if (node === self) return { up: true, ms: 0 };
      const net = ctx.peers.net;
      if (!net) return { up: false, why: 'this node is not in a cluster (no map and key installed), so it cannot ask others' };
      const t0 = performance.now();
      try {
        const hello = await net.request(node as NodeId, 'peer.hello', { from: self ?? 0, version: AGENT_VERSION }, PING_TIMEOUT_MS);
        if (hello.nodeId !== node) return { up: false, why: `the agent there says it is node ${hello.nodeId}` };
        return { up: true, ms: Math.round((performance.now() - t0) * 10) / 10 };
      } catch (e) {
        return { up: false, why: (e as Error).message };
      }
    },
    'balance.sampleOf': async ({ node }) => {
      const self = balancer.selfId();
      const own = ctx.latest()?.sample;
      if (node === self || (self === undefined && own)) {
        if (!own) throw new RpcError('EIO', 'this node has no sample yet');
        return own;
      }
      const net = ctx.peers.net;
      if (!net) throw new RpcError('ENONODE', `this node is not in a cluster, so it cannot ask node ${node}`);
      return net.request(node as NodeId, 'balance.sample', null, 5000);
    },
  };

  const peerHandlers: Handlers<PeerRequests> = {
    'balance.sendHome': ({ home }) => balancer.sendJobsOf(home),
    'balance.arriving': ({ job }) => (balancer.expectArrival(job), null),
    'balance.sample': () => {
      const s = ctx.latest()?.sample;
      if (!s) throw new RpcError('EIO', 'no sample yet');
      return s;
    },
  };

  return {
    handlers,
    peerHandlers,
    services: {
      clusterView: { view: () => balancer.view(), reported: () => balancer.view('reported') },
      controls: { flags: () => balancer.flags() },
    },
    start: () => {
      unlisten = ctx.peers.onExchange((env) => balancer.receive(env.from, env.body));
      timer = setInterval(() => balancer.gossip(), GOSSIP_MS);
      timer.unref?.();
    },
    onSample: (snap) => {
      balancer.onSample(snap);
    },
    stop: () => {
      if (timer) clearInterval(timer);
      unlisten?.();
    },
  };
}

export const balanceFeature = defineFeature({ name: 'balance', provides: ['clusterView', 'controls'], build: buildBalance });
