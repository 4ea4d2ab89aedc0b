/**
 * The shared-files detector against a stand-in peer that sees this machine's files, except
 * one directory that is its own (as a node's private /tmp): there it sees another directory.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShareDetector, type ShareLink } from './shareDetector.js';
import { answerLook } from './shareProbe.js';
import { PEER_VALIDATORS } from '../../shared/protocol/peer.validate.js';
import { validateRequest } from '../../shared/protocol/validate.js';

let top: string;
let shared: string;
let priv: string;
let privOnPeer: string;
beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'mvshare-'));
  shared = join(top, 'shared');
  priv = join(top, 'tmp');
  privOnPeer = join(top, 'peer-tmp');
  for (const d of [shared, priv, privOnPeer, join(shared, 'work')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(shared, 'work', 'job.js'), 'x');
  writeFileSync(join(priv, 'job.js'), 'x');
  writeFileSync(join(top, 'lib.so'), 'library');
});
afterAll(() => rmSync(top, { recursive: true, force: true }));

/** Node 2 sees everything as this node does, except `priv`, which is its own directory there. */
function peer(opts: { down?: number[] } = {}) {
  const asked: unknown[] = [];
  const seenThere = (p: string) => (p === priv || p.startsWith(`${priv}/`) ? privOnPeer + p.slice(priv.length) : p);
  const link: ShareLink = {
    selfId: 1,
    nodes: [{ id: 1 }, { id: 2 }, { id: 3 }],
    request: async (node, method, params) => {
      // The peer channel checks every request before its handler sees it.
      validateRequest(PEER_VALIDATORS, method, params);
      asked.push({ node, ...params });
      if (opts.down?.includes(node)) throw new Error('connection refused');
      const req = params as Parameters<typeof answerLook>[0];
      return answerLook({ markers: req.markers.map((m) => ({ ...m, dir: seenThere(m.dir) })), files: req.files.map(seenThere) });
    },
  };
  return { link, asked };
}

const detector = (link: ShareLink, now = () => 0) => new ShareDetector({ link: () => link, roots: () => [shared], now });

describe('what another node really shares', () => {
  it('a directory whose marker the peer finds is shared; a private one is not, and says why; no marker is left behind', async () => {
    const { link } = peer();
    const d = detector(link);
    const seen = await d.towards(2, [join(shared, 'work', 'job.js'), join(priv, 'job.js'), priv], priv);
    expect(seen.get(join(shared, 'work', 'job.js'))).toEqual({ visible: true });
    expect(seen.get(join(priv, 'job.js'))).toEqual({ visible: false, why: `a marker file written in ${priv} here is not seen there` });
    expect(seen.get(priv)).toEqual(seen.get(join(priv, 'job.js')));
    expect(readdirSync(priv).filter((f) => f.startsWith('.mosixview-share-'))).toEqual([]);
    expect(readdirSync(shared).sort()).toEqual(['work']);
  });

  it('a file outside every shared directory counts when the peer has the same one (size and time)', async () => {
    const { link } = peer();
    writeFileSync(join(priv, 'lib.so'), 'library');
    writeFileSync(join(privOnPeer, 'lib.so'), 'library');
    utimesSync(join(privOnPeer, 'lib.so'), 1000, 1000);
    const seen = await detector(link).towards(2, [join(top, 'lib.so'), join(top, 'gone.so'), join(priv, 'job.js'), join(priv, 'lib.so')], undefined);
    expect(seen.get(join(top, 'lib.so'))).toEqual({ visible: true });
    expect(seen.get(join(priv, 'job.js'))).toEqual({ visible: false, why: 'there is no such file there' });
    expect(seen.get(join(priv, 'lib.so'))).toEqual({ visible: false, why: 'there is another file there (other size or modification time)' });
    // Gone here too: nothing to compare, so nothing to claim.
    expect(seen.get(join(top, 'gone.so'))).toEqual({ visible: false, why: 'it is gone here, so it could not be compared' });
  });

  it('asks each thing once while the answer is fresh', async () => {
    const { link, asked } = peer();
    let now = 0;
    const d = detector(link, () => now);
    const paths = [join(shared, 'work', 'job.js'), join(top, 'lib.so')];
    await d.towards(2, paths, undefined);
    await d.towards(2, paths, undefined);
    expect(asked).toHaveLength(1);
    now = 60 * 60_000;
    await d.towards(2, paths, undefined);
    expect(asked).toHaveLength(2);
  });

  it('a node that does not answer is named, and its silence is not remembered', async () => {
    const { link, asked } = peer({ down: [3] });
    const d = detector(link);
    const seen = await d.towards(3, [join(shared, 'work', 'job.js')], undefined);
    expect(seen.get(join(shared, 'work', 'job.js'))).toEqual({ visible: false, why: 'no answer to the shared-files check: connection refused' });
    await d.towards(3, [join(shared, 'work', 'job.js')], undefined);
    expect(asked).toHaveLength(2);
  });

  it('anywhere: the nodes that see every path; the cached answer for a working directory, for the balancer', async () => {
    const { link } = peer({ down: [3] });
    const d = detector(link);
    const a = await d.anywhere([join(shared, 'work', 'job.js')], join(shared, 'work'));
    expect(a.sharedWith).toEqual([2]);
    expect(d.cwdProblem(priv)).toBeUndefined(); // not known yet: asks in the background
    await d.idle();
    expect(d.cwdProblem(priv)).toBe(`its working directory ${priv} is not shared with another node: a marker file written in ${priv} here is not seen there (node 2); no answer to the shared-files check: connection refused (node 3)`);
    expect(d.cwdProblem(join(shared, 'work'))).toBeUndefined();
  });

  it('without a cluster there is no other node to ask', async () => {
    const d = new ShareDetector({ link: () => undefined, roots: () => [], now: () => 0 });
    expect(await d.anywhere(['/x'], '/x')).toEqual({ seen: new Map([['/x', { visible: false, why: 'this node is not in a cluster yet: there is no other node to compare with' }]]), sharedWith: [] });
  });
});
