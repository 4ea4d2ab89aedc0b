/**
 * The node's side of membership (cluster.configure / cluster.info / cluster.key): a key is
 * never replaced silently, setpe -off is remembered, the map's origin is recorded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PeerService } from './peerService.js';
import { keyId } from '../../shared/clusterKey.js';
import { KEY_CHANGE_REFUSED } from '../../shared/protocol/agent.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { testPort } from './testPort.test-util.js';

const services: PeerService[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function service(): { svc: PeerService; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mv-peersvc-'));
  dirs.push(dir);
  const svc = new PeerService(dir, 'test', { MOSIXVIEW_PEER_PORT: String(testPort()) });
  services.push(svc);
  return { svc, dir };
}

const MAP = '1 127.0.0.1 1\n2 127.0.0.2 1\n';
const hex = () => randomBytes(32).toString('hex');
const idOf = (h: string) => keyId(Buffer.from(h, 'hex'));

async function refusal(p: Promise<unknown>): Promise<RpcError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(RpcError);
  return e as RpcError;
}

describe('PeerService.configure: the cluster key', () => {
  it('installs a key on a node that has none (0600), and takes the same key again', async () => {
    const { svc, dir } = service();
    const k = hex();
    const info = await svc.configure({ keyHex: k, mapText: MAP, nodeId: 1, by: 'gui' });
    expect(info).toMatchObject({ keyInstalled: true, keyId: idOf(k), nodeId: 1, listening: true, mapBy: 'gui', leftAt: null });
    expect(statSync(join(dir, 'cluster.key')).mode & 0o777).toBe(0o600);
    await expect(svc.configure({ keyHex: k })).resolves.toMatchObject({ keyId: idOf(k) });
  });

  it('refuses another key unless the request rotates from the installed one, and changes nothing', async () => {
    const { svc, dir } = service();
    const k = hex();
    const other = hex();
    await svc.configure({ keyHex: k, mapText: MAP, nodeId: 1 });
    const e = await refusal(svc.configure({ keyHex: other, mapText: MAP, nodeId: 1 }));
    expect(e.code).toBe(KEY_CHANGE_REFUSED);
    expect(e.message).toContain(`this node has cluster key ${idOf(k)}, not ${idOf(other)}`);
    expect(e.message).toMatch(/never replaced silently/);
    expect(readFileSync(join(dir, 'cluster.key'), 'utf8').trim()).toBe(k);
    expect(svc.info().keyId).toBe(idOf(k));

    const wrong = await refusal(svc.configure({ keyHex: other, rotateFrom: idOf(other) }));
    expect(wrong.code).toBe(KEY_CHANGE_REFUSED);
    expect(wrong.message).toContain(`this node has key ${idOf(k)}`);
    expect(svc.info().keyId).toBe(idOf(k));

    const rotated = await svc.configure({ keyHex: other, rotateFrom: idOf(k) });
    expect(rotated).toMatchObject({ keyId: idOf(other), listening: true });
    expect(readFileSync(join(dir, 'cluster.key'), 'utf8').trim()).toBe(other);
  });

  it('refuses a malformed key before anything else', async () => {
    const { svc } = service();
    await expect(svc.configure({ keyHex: 'abc' })).rejects.toThrow(/64 hex digits/);
  });

  it('reports the key in use, not a file changed behind its back', async () => {
    const { svc, dir } = service();
    const k = hex();
    await svc.configure({ keyHex: k, mapText: MAP, nodeId: 1 });
    writeFileSync(join(dir, 'cluster.key'), hex() + '\n');
    expect(svc.info().keyId).toBe(idOf(k));
  });

  it('cluster.key hands out the installed key; none installed is a clear error', async () => {
    const { svc } = service();
    expect(() => svc.exportKey()).toThrow(/no cluster key is installed on this node/);
    const k = hex();
    await svc.configure({ keyHex: k });
    expect(svc.exportKey()).toEqual({ keyHex: k, keyId: idOf(k) });
  });
});

describe('PeerService.configure: the map (setpe wins)', () => {
  it('setpe -off is remembered until a map is installed again; the origin of the map is recorded', async () => {
    const { svc } = service();
    await svc.configure({ keyHex: hex(), mapText: MAP, nodeId: 1, by: 'gui' });
    const off = await svc.configure({ off: true });
    expect(off.map).toEqual([]);
    expect(off.listening).toBe(false);
    expect(off.mapBy).toBeNull();
    expect(Date.parse(off.leftAt ?? '')).not.toBeNaN();
    expect(svc.info().leftAt).toBe(off.leftAt);
    // The key stays: leaving the cluster is about the map.
    expect(off.keyInstalled).toBe(true);

    const back = await svc.configure({ mapText: MAP, nodeId: 1 });
    expect(back).toMatchObject({ leftAt: null, mapBy: 'setpe', nodeId: 1, listening: true });
  });

  it('starts asked at once (the daemon starting while a GUI configures) leave one channel, listening, with no problem told', async () => {
    const { svc } = service();
    await svc.configure({ keyHex: hex(), mapText: MAP, nodeId: 1, by: 'gui' });
    const [, , info] = await Promise.all([svc.start(), svc.start(), svc.configure({ mapText: MAP, nodeId: 1, by: 'gui' })]);
    expect(info).toMatchObject({ listening: true, nodeId: 1 });
    expect(svc.info().problem).toBeUndefined();
    // Each start's exchange socket is closed or in use: sequence numbers go on rising across a restart.
    const before = svc.exchange!.send('127.0.0.2', null)!;
    await svc.start();
    expect(svc.exchange!.send('127.0.0.2', null)!).toBeGreaterThan(before);
    expect(svc.info().problem).toBeUndefined();
  });

  it('a map written by an older agent (no origin recorded) reports mapBy null', async () => {
    const { svc, dir } = service();
    await svc.configure({ mapText: MAP, nodeId: 1, by: 'gui' });
    rmSync(join(dir, 'map-origin'));
    await svc.start();
    expect(svc.info().mapBy).toBeNull();
  });
});
