import { describe, expect, it } from 'vitest';
import { precheck, sharedWorkdir, type PrecheckDeps } from './precheck.js';
import type { Visibility } from '../../shared/jobs/targetFacts.js';

const criu = { path: '/usr/sbin/criu', version: '4.1.1', preDump: false };
const no = (why: string): Visibility => ({ visible: false, why });

function deps(seen: Record<string, Visibility>, over: Partial<PrecheckDeps> = {}): PrecheckDeps & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    criu: async () => criu,
    isDir: (p) => p !== '/nowhere',
    config: { sharedRoots: [], localRoots: ['/proc'] },
    shares: {
      others: () => [2, 3],
      anywhere: async (paths) => {
        asked.push([...paths]);
        const m = new Map<string, Visibility>(paths.map((p) => [p, seen[p] ?? { visible: true }]));
        return { seen: m, sharedWith: paths.every((p) => m.get(p)!.visible) ? [2, 3] : [] };
      },
    },
    ...over,
  };
}
const spec = (cwd: string, argv = ['/usr/bin/sleep', '60'], mode = { kind: 'plain' as const }) => ({ argv, cwd, mode });

describe('"Can it migrate?" before a start', () => {
  it('a shared working directory and an installed program: yes, and where', async () => {
    const d = deps({});
    expect(await precheck(spec('/home/ann/run'), d)).toEqual({ reasons: [], sharedWith: [2, 3] });
    expect(d.asked).toEqual([['/home/ann/run', '/usr/bin/sleep']]);
  });

  it('a working directory no other node sees: the reason says which and how it is known', async () => {
    const d = deps({ '/tmp/run': no('a marker file written in /tmp/run here is not seen there (nodes 2, 3)') });
    expect(await precheck(spec('/tmp/run'), d)).toEqual({
      reasons: ['its working directory /tmp/run is not shared with another node: a marker file written in /tmp/run here is not seen there (nodes 2, 3); start it in a directory every node mounts (an NFS home)'],
      sharedWith: [],
    });
  });

  it('the mode, CRIU, a program only here, a directory that does not exist: each said', async () => {
    const d = deps({ '/opt/mine/crunch': no('there is no such file there (nodes 2, 3)') }, { criu: async () => ({ preDump: false }) });
    const r = await precheck(spec('/nowhere', ['/opt/mine/crunch'], { kind: 'nomig' } as never), d);
    expect(r.reasons).toEqual([
      expect.stringMatching(/nomig/),
      expect.stringMatching(/^CRIU is not installed on this node/),
      'its working directory /nowhere does not exist on this node',
      'its program /opt/mine/crunch is not on the other nodes alike: there is no such file there (nodes 2, 3)',
    ]);
  });

  it('configured roots override what is found; local roots say so', async () => {
    const d = deps({ '/scratch/run': no('x') }, { config: { sharedRoots: ['/scratch'], localRoots: ['/proc'] } });
    expect((await precheck(spec('/scratch/run'), d)).reasons).toEqual([]);
    const l = deps({}, { config: { sharedRoots: [], localRoots: ['/scratch'] } });
    expect((await precheck(spec('/scratch/run'), l)).reasons).toEqual(['its working directory /scratch/run is under /scratch, which localRoots names as node-local']);
  });
});

describe('the default working directory', () => {
  it('the home, when every other node sees it; else not, with the reason', async () => {
    expect(await sharedWorkdir('/home/ann', deps({}))).toEqual({ home: '/home/ann', shared: true });
    expect(await sharedWorkdir('/root', deps({ '/root': no('a marker file written in /root here is not seen there (nodes 2, 3)') }))).toEqual({
      home: '/root', shared: false, why: 'a marker file written in /root here is not seen there (nodes 2, 3)',
    });
    const some = deps({});
    some.shares.anywhere = async (paths) => ({ seen: new Map<string, Visibility>(paths.map((p) => [p, { visible: true }])), sharedWith: [2] });
    expect(await sharedWorkdir('/home/ann', some)).toEqual({ home: '/home/ann', shared: false, why: 'only node 2 sees it, not node 3' });
  });
});
