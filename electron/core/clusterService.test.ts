import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvents, HostKeyPrompt } from '../../shared/protocol/api.js';
import type { NodeView } from '../../shared/domain/node.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { ClusterService } from './clusterService.js';
import type { HostKeyDecision } from './clusterTypes.js';
import type { ClusterConfig, NodeTarget } from './profile.js';
import { FakeAgent, FakeLauncher, TEST_TIMING, sleep, until } from './fakeAgent.test-util.js';
import { LaunchError, type AgentLauncher } from './agentChannel.js';

const TIMING = TEST_TIMING;

function target(id: number, host: string, line: number): NodeTarget {
  return { id, host, aliases: [], line, ssh: {} };
}

type Ev = { [E in keyof ApiEvents]: { event: E; data: ApiEvents[E] } }[keyof ApiEvents];

const services: ClusterService[] = [];

/** A profile cluster whose map lists IDs out of numeric order; IP hosts keep DNS out of it. */
function makeService(ids = [5, 2, 9, 1], launcher: (id: number, decide: HostKeyDecision) => AgentLauncher = () => new FakeLauncher()) {
  const config: ClusterConfig = {
    name: 'test',
    source: 'profile',
    nodes: ids.map((id, i) => target(id, `10.0.0.${id}`, i + 1)),
  };
  const launchers = new Map<number, FakeLauncher>();
  const deciders = new Map<number, HostKeyDecision>();
  const svc = new ClusterService(config, {
    clientVersion: '0.1.0+cafebabe',
    timing: TIMING,
    launcherFor: (node, decide) => {
      const id = node === 'local' ? 1 : node.id;
      deciders.set(id, decide);
      const l = launcher(id, decide);
      if (l instanceof FakeLauncher) launchers.set(id, l);
      return l;
    },
  });
  const events: Ev[] = [];
  svc.subscribe((event, data) => events.push({ event, data } as Ev));
  services.push(svc);
  return { svc, launchers, deciders, events };
}

/** Every node view sent, in order, out of the cluster.views events. */
const pushedViews = (events: Ev[]): NodeView[] => events.flatMap((e) => (e.event === 'cluster.views' ? e.data.views : []));

function promptInfo(nodeId: number, fingerprint: string): Omit<HostKeyPrompt, 'promptId'> {
  return { nodeId, host: `10.0.0.${nodeId}`, port: 22, keyType: 'ssh-ed25519', fingerprint, knownHostsFile: '/home/u/.ssh/known_hosts' };
}

afterEach(() => {
  for (const s of services.splice(0)) s.stop();
});

describe('ClusterService', () => {
  it('lists the nodes in map order', () => {
    const { svc, launchers } = makeService([5, 2, 9, 1]);
    const snap = svc.snapshot();
    expect(snap.name).toBe('test');
    expect(snap.source).toBe('profile');
    expect(snap.nodes.map((n) => n.id)).toEqual([5, 2, 9, 1]);
    expect(snap.nodes.map((n) => n.host)).toEqual(['10.0.0.5', '10.0.0.2', '10.0.0.9', '10.0.0.1']);
    expect(snap.nodes.every((n) => n.status === 'connecting')).toBe(true);
    expect(snap.hostKeyPrompts).toEqual([]);
    expect([...launchers.keys()]).toEqual([5, 2, 9, 1]);
  });

  it('cluster.get through dispatch returns the snapshot', async () => {
    const { svc } = makeService([3, 1]);
    const snap = (await svc.dispatch('cluster.get', null)) as { nodes: NodeView[] };
    expect(snap.nodes.map((n) => n.id)).toEqual([3, 1]);
  });

  it.each([['node.kill'], ['__proto__'], ['constructor'], [42], [undefined]])('dispatch rejects unknown channel %j with ENOCHANNEL', async (channel) => {
    const { svc } = makeService();
    const err = (await svc.dispatch(channel, null).catch((e: unknown) => e)) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe('ENOCHANNEL');
  });

  it.each([
    ['speed "fast"', { nodeId: 2, speed: 'fast' }, 'EINVAL', /^speed: expected .*100 to 1000000.*got "fast"$/],
    ['speed 5', { nodeId: 2, speed: 5 }, 'EINVAL', /^speed: .*100 to 1000000.*got 5$/],
    ['speed 2.5e6', { nodeId: 2, speed: 2_500_000 }, 'EINVAL', /^speed: /],
    ['speed 100.5', { nodeId: 2, speed: 100.5 }, 'EINVAL', /^speed: /],
    ['no speed', { nodeId: 2 }, 'EINVAL', /^speed: .*got nothing$/],
    ['nodeId "2"', { nodeId: '2', speed: 10000 }, 'EINVAL', /^nodeId: expected a node number .*got "2"$/],
    ['null request', null, 'EINVAL', /^the request: expected an object with nodeId, speed, got null$/],
    ['a field it does not take', { nodeId: 2, speed: 10000, force: true }, 'EINVAL', /^force: unknown field: send only nodeId, speed$/],
    ['nodeId 99', { nodeId: 99, speed: 10000 }, 'ENONODE', /node 99.*5, 2, 9, 1/],
  ])('node.setSpeed with %s fails with the right code', async (_what, req, code, message) => {
    const { svc } = makeService();
    const err = (await svc.dispatch('node.setSpeed', req).catch((e: unknown) => e)) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('node.setSpeed on a node that is not up fails with ENODEDOWN', async () => {
    const { svc } = makeService();
    await expect(svc.dispatch('node.setSpeed', { nodeId: 2, speed: 20000 })).rejects.toMatchObject({ code: 'ENODEDOWN' });
  });

  it('started: emits the views in cluster.views events and forwards setSpeed to the node agent', async () => {
    const { svc, events, launchers } = makeService([5, 2]);
    svc.start();
    await until('both up', () => svc.snapshot().nodes.every((n) => n.status === 'up'));
    await until('both up on the wire', () => [5, 2].every((id) => pushedViews(events).some((v) => v.id === id && v.status === 'up')));
    // IP hosts resolve to themselves.
    expect(svc.snapshot().nodes.map((n) => n.address)).toEqual(['10.0.0.5', '10.0.0.2']);
    await expect(svc.dispatch('node.setSpeed', { nodeId: 2, speed: 25000 })).resolves.toEqual({ speed: 25000 });
    expect(launchers.get(2)!.last.requests).toContain('hello');
  });

  it('two decisions about the same node and key share one prompt and one answer', async () => {
    const { svc, deciders, events } = makeService();
    const decide = deciders.get(2)!;
    const a = decide(promptInfo(2, 'SHA256:abc'));
    const b = decide(promptInfo(2, 'SHA256:abc'));
    const prompts = events.filter((e) => e.event === 'hostKey.prompt');
    expect(prompts).toHaveLength(1);
    const prompt = prompts[0]!.data as HostKeyPrompt;
    expect(prompt).toMatchObject({ nodeId: 2, fingerprint: 'SHA256:abc', keyType: 'ssh-ed25519' });
    expect(typeof prompt.promptId).toBe('string');
    expect(svc.snapshot().hostKeyPrompts).toEqual([prompt]);

    await expect(svc.dispatch('hostKey.answer', { promptId: prompt.promptId, accept: false })).resolves.toBeNull();
    await expect(a).resolves.toBe(false);
    await expect(b).resolves.toBe(false);
    expect(svc.snapshot().hostKeyPrompts).toEqual([]);
  });

  it('only accept === true accepts: "yes" is refused and the question stays open', async () => {
    const { svc, deciders, events } = makeService();
    let decided: boolean | undefined;
    void deciders.get(1)!(promptInfo(1, 'SHA256:k1')).then((d) => (decided = d));
    const prompt = events.find((e) => e.event === 'hostKey.prompt')!.data as HostKeyPrompt;
    await expect(svc.dispatch('hostKey.answer', { promptId: prompt.promptId, accept: 'yes' })).rejects.toMatchObject({ code: 'EINVAL', message: 'accept: expected true or false, got "yes"' });
    expect(decided).toBeUndefined();
    expect(svc.snapshot().hostKeyPrompts).toHaveLength(1);
    await svc.dispatch('hostKey.answer', { promptId: prompt.promptId, accept: false });
    expect(decided).toBe(false);
  });

  /** Asks about an unknown key on every connection, as SshLauncher does with an empty known_hosts. */
  const askingLauncher = (id: number, decide: HostKeyDecision): AgentLauncher => ({
    async open() {
      if (!(await decide(promptInfo(id, `SHA256:k${id}`)))) throw new LaunchError(`host key of 10.0.0.${id} was not accepted: not connecting`, 'manual');
      return new FakeAgent({}).channel();
    },
  });
  const viewOf = (svc: ClusterService, id: number) => svc.snapshot().nodes.find((n) => n.id === id)!;
  const promptsOf = (events: Ev[], id: number) =>
    events.filter((e) => e.event === 'hostKey.prompt').map((e) => e.data as HostKeyPrompt).filter((p) => p.nodeId === id);

  it('after Reject the node says so and waits; hostKey.askAgain asks again, and accepting brings it up', async () => {
    const { svc, events } = makeService([1, 2], askingLauncher);
    svc.start();
    const first = await until('node 2 asked', () => promptsOf(events, 2)[0]);
    await svc.dispatch('hostKey.answer', { promptId: first.promptId, accept: false });
    await until('node 2 down', () => viewOf(svc, 2).status === 'down');
    expect(viewOf(svc, 2)).toMatchObject({ status: 'down', hostKeyRejected: true, reason: expect.stringMatching(/not accepted/) });
    await until('node 2 down on the wire', () => pushedViews(events).filter((v) => v.id === 2).at(-1)?.status === 'down');
    expect(pushedViews(events).filter((v) => v.id === 2).at(-1)).toMatchObject({ status: 'down', hostKeyRejected: true });
    await sleep(TIMING.backoffMaxMs * 3);
    expect(promptsOf(events, 2)).toHaveLength(1); // no nagging by itself

    await expect(svc.dispatch('hostKey.askAgain', { nodeId: 2 })).resolves.toBeNull();
    expect(viewOf(svc, 2).hostKeyRejected).toBeFalsy();
    const second = await until('node 2 asked again', () => promptsOf(events, 2)[1]);
    expect(second.fingerprint).toBe('SHA256:k2');
    await svc.dispatch('hostKey.answer', { promptId: second.promptId, accept: true });
    await until('node 2 up', () => viewOf(svc, 2).status === 'up');
    expect(viewOf(svc, 2).hostKeyRejected).toBeFalsy();
  });

  it('hostKey.askAgain checks its node', async () => {
    const { svc } = makeService([1, 2]);
    await expect(svc.dispatch('hostKey.askAgain', { nodeId: 7 })).rejects.toMatchObject({ code: 'ENONODE' });
    await expect(svc.dispatch('hostKey.askAgain', null)).rejects.toMatchObject({ code: 'EINVAL' });
  });

  it('unsubscribe stops delivery', () => {
    const { svc, deciders } = makeService();
    const got: string[] = [];
    const off = svc.subscribe((event) => got.push(event));
    void deciders.get(5)!(promptInfo(5, 'SHA256:a'));
    off();
    void deciders.get(5)!(promptInfo(5, 'SHA256:b'));
    expect(got).toEqual(['hostKey.prompt']);
  });
});
