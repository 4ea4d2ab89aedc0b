/**
 * The cluster key and the map as the GUI keeps them on the nodes (ClusterService with
 * ClusterMembership), against fake agents that refuse a key change as the real one does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvents } from '../../shared/protocol/api.js';
import type { ClusterKeyState } from '../../shared/protocol/apiMembership.js';
import type { NodeResult } from '../../shared/protocol/apiBalance.js';
import { formatHpcMap } from '../../shared/hpcMap.js';
import { ClusterService } from './clusterService.js';
import { ClusterKeyStore } from './clusterKeyFile.js';
import { membershipApi } from './membershipApi.js';
import type { ClusterConfig } from './profile.js';
import { FakeLauncher, type OpenStep, TEST_TIMING, sleep, until } from './fakeAgent.test-util.js';
import { FakeNode, idOfHex, newKeyHex } from './fakeNode.test-util.js';

const TIMING = TEST_TIMING;
const MEMBERSHIP = { pollMs: 50, setupWaitMs: 300 };

const services: ClusterService[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const IDS = [1, 2, 3, 4];
const config: ClusterConfig = { name: 'lab', source: 'profile', nodes: IDS.map((id) => ({ id, host: `10.0.0.${id}`, aliases: [], line: id, ssh: {} })) };
const PROFILE_MAP = formatHpcMap(config.nodes);

/** A GUI on the profile: `keyHex` in its key file (none: no file), `steps` to replace a node's launcher. */
function gui(nodes: Record<number, FakeNode>, keyHex?: string, steps: Record<number, (OpenStep | object)[]> = {}, membershipTiming = MEMBERSHIP) {
  const dir = mkdtempSync(join(tmpdir(), 'mv-membership-'));
  dirs.push(dir);
  const keyFile = join(dir, 'lab.cluster-key');
  if (keyHex) writeFileSync(keyFile, keyHex + '\n', { mode: 0o600 });
  const states: ClusterKeyState[] = [];
  const svc = new ClusterService(config, {
    clientVersion: '0.1.0+cafebabe',
    timing: TIMING,
    membershipTiming,
    keys: new ClusterKeyStore(keyFile),
    features: [membershipApi],
    launcherFor: (node) => new FakeLauncher(steps[node === 'local' ? 0 : node.id] ?? [nodes[node === 'local' ? 0 : node.id]!.agent()]),
  });
  svc.subscribe((event, data) => {
    if (event === 'clusterKey.state') states.push(data as ApiEvents['clusterKey.state']);
  });
  services.push(svc);
  svc.start();
  const view = (id: number) => svc.snapshot().nodes.find((n) => n.id === id)!;
  const allUp = (ids = IDS) => until('nodes up', () => ids.every((id) => view(id).status === 'up'));
  const ask = <T,>(channel: string, req: unknown) => svc.dispatch(channel, req) as Promise<T>;
  return { svc, keyFile, states, view, allUp, ask, state: () => ask<ClusterKeyState>('clusterKey.get', null) };
}

const fresh = () => Object.fromEntries(IDS.map((id) => [id, new FakeNode()])) as Record<number, FakeNode>;
const member = (keyHex: string, id: number) => new FakeNode({ keyHex, mapText: PROFILE_MAP, nodeId: id, mapBy: 'gui' });

describe('the cluster key', () => {
  it('a fresh cluster gets one new key (created 0600) and the map on every node', async () => {
    const nodes = fresh();
    const g = gui(nodes);
    await g.allUp();
    await until('all configured', () => IDS.every((id) => nodes[id]!.mapText));
    const key = readFileSync(g.keyFile, 'utf8').trim();
    expect(statSync(g.keyFile).mode & 0o777).toBe(0o600);
    for (const id of IDS) expect(nodes[id]).toMatchObject({ keyHex: key, mapText: PROFILE_MAP, nodeId: id, mapBy: 'gui' });
    expect(await g.state()).toMatchObject({ status: 'agreed', guiKeyId: idOfHex(key), installed: [{ keyId: idOfHex(key), nodes: IDS }], keyless: [] });
    expect(IDS.map((id) => g.view(id).warning)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('a second GUI with another key installs nothing, says so naming both keys, and adopts the cluster key on request', async () => {
    const k = newKeyHex();
    const mine = newKeyHex();
    const nodes = { 1: member(k, 1), 2: member(k, 2), 3: member(k, 3), 4: new FakeNode() };
    const g = gui(nodes, mine);
    await g.allUp();
    const conflict = await until('conflict', () => g.states.find((s) => s.status === 'conflict' && s.unknown.length === 0));
    expect(conflict).toMatchObject({ guiKeyId: idOfHex(mine), installed: [{ keyId: idOfHex(k), nodes: [1, 2, 3] }], keyless: [4] });
    await sleep(MEMBERSHIP.pollMs * 4);
    for (const id of IDS) expect(nodes[id as 1]!.configures).toEqual([]);
    expect(g.view(4).warning).toMatch(/nothing installed here: this GUI's cluster key is not the cluster's/);

    expect((await g.ask<ClusterKeyState>('clusterKey.readOnly', null)).status).toBe('readOnly');
    await sleep(MEMBERSHIP.pollMs * 4);
    expect(nodes[4].configures).toEqual([]);

    const adopted = await g.ask<ClusterKeyState>('clusterKey.adopt', { keyId: idOfHex(k) });
    expect(adopted).toMatchObject({ status: 'agreed', guiKeyId: idOfHex(k) });
    expect(adopted.outcome).toContain(`adopted the cluster's key ${idOfHex(k)} from node 1 into ${g.keyFile} (mode 0600); this GUI's previous key is kept in ${g.keyFile}.old-${idOfHex(mine)}`);
    expect(readFileSync(g.keyFile, 'utf8').trim()).toBe(k);
    expect(statSync(g.keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${g.keyFile}.old-${idOfHex(mine)}`, 'utf8').trim()).toBe(mine);
    // The keyless node now gets the cluster's key (and the map), nobody else is touched.
    await until('node 4 configured', () => nodes[4].keyHex === k && nodes[4].mapText === PROFILE_MAP);
    for (const id of [1, 2, 3]) expect(nodes[id as 1].configures).toEqual([]);
  });

  it('a copied profile without its key file creates no key and offers the cluster key', async () => {
    const k = newKeyHex();
    const g = gui({ 1: member(k, 1), 2: member(k, 2), 3: member(k, 3), 4: member(k, 4) });
    await g.allUp();
    const s = await until('conflict', () => g.states.find((x) => x.status === 'conflict' && x.unknown.length === 0));
    expect(s).toMatchObject({ guiKeyId: null, installed: [{ keyId: idOfHex(k), nodes: IDS }] });
    expect(existsSync(g.keyFile)).toBe(false);
  });

  it('a keyless node waits while a node that may hold the cluster key has not answered', async () => {
    const k = newKeyHex();
    let release!: () => void;
    const late = new Promise<void>((r) => (release = r));
    const nodes = { 1: new FakeNode(), 2: member(k, 2), 3: new FakeNode(), 4: new FakeNode() };
    const slow: OpenStep = async (signal) => {
      await late;
      return new FakeLauncher([nodes[2].agent()]).open(signal);
    };
    const g = gui(nodes, newKeyHex(), { 2: [slow] });
    await g.allUp([1, 3, 4]);
    // Up at once; what they wait for is said once the wait (setupWaitMs) is over.
    await until('the wait said', () => g.view(1).warning);
    expect(g.view(1).warning).toBe("no cluster key or map installed yet: waiting for node 2 to answer (it may hold the cluster's key)");
    expect(nodes[1].configures).toEqual([]);
    release();
    await until('conflict', () => g.states.find((s) => s.status === 'conflict' && s.unknown.length === 0));
    await sleep(MEMBERSHIP.pollMs * 4);
    for (const id of [1, 3, 4]) expect(nodes[id as 1].configures).toEqual([]);
  });

  it('a node that does not answer holds no other row: they are up at once and claim nothing about the key while they wait', async () => {
    const nodes = fresh();
    const never: OpenStep = (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped'))));
    // A long wait, as in a real GUI (15 s): the rows must not be held for it.
    const g = gui(nodes, newKeyHex(), { 2: [never] }, { pollMs: 50, setupWaitMs: 60_000 });
    await g.allUp([1, 3, 4]);
    expect(g.view(2).status).toBe('connecting');
    for (const id of [1, 3, 4]) {
      expect(g.view(id).warning).toBeUndefined();
      expect(nodes[id]!.configures).toEqual([]);
    }
  });

  it('rotation needs every node up and says what would happen to a node that is down', async () => {
    const k = newKeyHex();
    const g = gui({ 1: member(k, 1), 2: member(k, 2), 3: member(k, 3), 4: new FakeNode() }, newKeyHex(), {
      4: [() => Promise.reject(new Error('cannot connect to 10.0.0.4:22: connection refused'))],
    });
    await g.allUp([1, 2, 3]);
    await until('node 4 down', () => g.view(4).status === 'down');
    const s = await g.state();
    expect(s.rotateBlocked).toMatch(/^rotation needs every node up: node 4 is down \(cannot connect .*\)\. A node that is down during a rotation keeps the old key/);
    await expect(g.ask('clusterKey.rotate', null)).rejects.toMatchObject({ code: 'ENODEDOWN', message: s.rotateBlocked });
  });

  it('rotation puts the GUI key on every node at once, each replacing exactly the key it was seen with', async () => {
    const k = newKeyHex();
    const x = newKeyHex();
    const nodes = { 1: member(k, 1), 2: member(k, 2), 3: member(x, 3), 4: member(k, 4) };
    const g = gui(nodes, k);
    await g.allUp();
    const conflict = await until('conflict', () => g.states.find((s) => s.status === 'conflict' && s.unknown.length === 0));
    expect(conflict.installed).toEqual([{ keyId: idOfHex(k), nodes: [1, 2, 4] }, { keyId: idOfHex(x), nodes: [3] }]);
    const after = await g.ask<ClusterKeyState>('clusterKey.rotate', null);
    expect(after).toMatchObject({ status: 'agreed', installed: [{ keyId: idOfHex(k), nodes: IDS }], outcome: `every node has key ${idOfHex(k)} now (rotated)` });
    expect(nodes[3].configures).toEqual([{ keyHex: k, rotateFrom: idOfHex(x) }]);
    expect(nodes[1].configures).toEqual([{ keyHex: k, rotateFrom: idOfHex(k) }]);
  });
});

describe('the map: what was done on the node wins', () => {
  it("a node's own map (setpe -w) and a node that left (setpe -off) are kept and shown; the admin can install the profile's map", async () => {
    const k = newKeyHex();
    const own = '1 10.0.0.1 5\n';
    const nodes = { 1: member(k, 1), 2: new FakeNode({ keyHex: k, leftAt: '2024-05-01T10:00:00.000Z' }), 3: new FakeNode({ keyHex: k, mapText: own, nodeId: 3, mapBy: 'setpe' }), 4: member(k, 4) };
    const g = gui(nodes, k);
    await g.allUp();
    await until('rows', () => g.view(3).ownMap && g.view(2).ownMap);
    expect(g.view(3).ownMap).toBe('node 3 has its own map (setpe -w), 5 nodes; the profile has 4; Mosixview keeps it (the node wins)');
    expect(g.view(2).ownMap).toMatch(/^node 2 left the cluster \(setpe -off on the node, 2024-05-01T10:00:00.000Z\)/);
    await sleep(MEMBERSHIP.pollMs * 4);
    expect(nodes[3].mapText).toBe(own);
    expect(nodes[2].configures).toEqual([]);

    // setpe -w on node 4 while the GUI runs: shown at the next look, not undone.
    nodes[4].configure({ mapText: own, nodeId: 4 });
    await until('node 4 own map', () => g.view(4).ownMap);
    expect(nodes[4].mapText).toBe(own);

    const r = await g.ask<NodeResult<null>[]>('membership.installMap', { nodeId: 3 });
    expect(r).toEqual([{ nodeId: 3, ok: true, value: null }]);
    expect(nodes[3]).toMatchObject({ mapText: PROFILE_MAP, nodeId: 3, mapBy: 'gui' });
    expect(g.view(3).ownMap).toBeUndefined();
  });
});

describe('a node its peers reject', () => {
  it('is shown cut off, naming who rejects it; the others are not', async () => {
    const k = newKeyHex();
    const x = newKeyHex();
    const nodes = { 1: member(k, 1), 2: member(k, 2), 3: member(x, 3), 4: member(k, 4) };
    const traffic = (peer: number, ok: boolean) => ({ nodeId: peer, address: `10.0.0.${peer}`, accepted: ok ? 5 : 0, forged: ok ? 0 : 5, acceptedAgoMs: ok ? 200 : null, forgedAgoMs: ok ? null : 300 });
    for (const id of [1, 2, 4]) nodes[id as 1].peers = IDS.filter((p) => p !== id).map((p) => traffic(p, p !== 3));
    nodes[3].peers = [1, 2, 4].map((p) => traffic(p, false));
    const g = gui(nodes, k);
    await g.allUp();
    const row = await until('node 3 cut off', () => g.view(3).isolated);
    expect(row).toBe(`peers reject this node's cluster key: nodes 1, 2, 4 drop its load-exchange datagrams as forged (this node has key ${idOfHex(x)}, they have ${idOfHex(k)})`);
    expect([1, 2, 4].map((id) => g.view(id).isolated)).toEqual([undefined, undefined, undefined]);
    // Healed (e.g. rotated): the row clears.
    for (const n of Object.values(nodes)) n.peers = n.peers.map((p) => ({ ...p, acceptedAgoMs: 100 }));
    await until('node 3 cleared', () => g.view(3).isolated === undefined);
  });
});
