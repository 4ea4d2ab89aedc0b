import { describe, expect, it } from 'vitest';
import type { NodeSample } from '../../shared/domain/node.js';
import type { ViewNode } from '../../shared/balancing/types.js';
import { parseMosctl, parseSetpe } from '../balance/controls.js';
import { DEFAULT_DECAY } from '../../shared/balancing/types.js';
import { NO_FLAGS } from '../../shared/protocol/balanceFlags.js';
import type { ClusterInfo } from '../../shared/protocol/agent.js';
import type { BalanceState, ClusterViewReply } from '../../shared/protocol/agentBalance.js';
import { runMosctl, type MosctlAgent } from './mosctl.js';
import { runSetpe } from './setpe.js';
import { bar, monFrame } from './mon.js';

const own: NodeSample = { t: 1, hostname: 'mvnode1', cpus: 2, demand: 1, load: 1.5, util: 40, mem: { totalKb: 4096, freeKb: 1024, availableKb: 2048 }, speed: 10000, procCount: 3 };
const map = [1, 2, 3].map((id) => ({ id, host: `10.0.0.${id}`, aliases: id === 2 ? ['n2.local'] : [], line: id }));
const v = (node: number, over: Partial<ViewNode> = {}): ViewNode => ({ node, load: 0.5 * node, speed: 10000 * node, cpus: 1, memAvailKb: 1024, memTotalKb: 2048, util: 25, t: 1, seq: 1, up: true, ageMs: 400, self: node === 1, ...over });
const view: ClusterViewReply = { self: 1, map, nodes: [v(1), v(2, { block: true }), v(3, { up: false, ageMs: 9000 })] };
const info: ClusterInfo = { nodeId: 1, map, mapBy: 'setpe', leftAt: null, keyInstalled: true, keyId: 'k', listening: true, port: 7249, exchange: { accepted: 10, forged: 2, stale: 0, replayed: 1, ahead: 0 }, peers: [] };
const state: BalanceState = { nodeId: 1, flags: { ...NO_FLAGS, block: true }, decay: DEFAULT_DECAY, speed: 10000, exchanging: true, canMigrate: false, note: 'no migration service', moves: 0, failedMoves: 0, jobs: 0, guests: 2, away: 1,
  held: [{ job: '1.7', why: 'CRIU is not installed on this node: install criu >= 4' }, { job: '2.3', why: 'moved here by the admin 40 s ago: the admin\'s placement stands for 600 s (560 s left)' }],
  avoiding: [{ node: 3, why: 'CRIU 3.17 on node 3 is too old', forS: 290 }] };

function fakeAgent(calls: [string, unknown][] = []): MosctlAgent {
  const answers: Record<string, unknown> = {
    sample: own,
    'cluster.info': info,
    'balance.view': view,
    'balance.state': state,
    'balance.set': state,
    'balance.setDecay': { ...state, decay: { intervalS: 2, slow: 975, fast: 926 } },
    'balance.expel': { moved: ['3.1'], failed: [{ job: '2.5', why: 'home unreachable' }], unreachable: [] },
    'balance.ping': (p: { node: number }) => (p.node === 3 ? { up: false, why: 'node 3 (10.0.0.3) did not answer within 3000 ms' } : { up: true, ms: p.node === 1 ? 0 : 1.2 }),
    'balance.sampleOf': { ...own, hostname: 'mvnode2', mem: { totalKb: 8, freeKb: 3, availableKb: 5 } },
    setSpeed: { speed: 15000 },
    'cluster.configure': info,
  };
  return {
    request: (async (method: string, params: unknown) => {
      calls.push([method, params]);
      const a = answers[method];
      return typeof a === 'function' ? (a as (p: unknown) => unknown)(params) : a;
    }) as MosctlAgent['request'],
  };
}

async function mosctl(args: string[]) {
  const lines: string[] = [];
  const calls: [string, unknown][] = [];
  const p = parseMosctl(args);
  if (!p.ok) throw new Error(p.error);
  const code = await runMosctl(p.value, fakeAgent(calls), (s) => lines.push(s)).catch((e: Error) => e);
  return { lines, calls, code };
}

describe('mosctl', () => {
  it('readers about this node use its own sample; about node N the cluster view', async () => {
    expect((await mosctl(['getload'])).lines).toEqual(['150']);
    expect((await mosctl(['getload', '2'])).lines).toEqual(['100']);
    expect((await mosctl(['getspeed', '2'])).lines).toEqual(['20000']);
    expect((await mosctl(['getmem', '2'])).lines).toEqual([String(1024 * 1024)]);
    expect((await mosctl(['getutil', '2'])).lines).toEqual(['25%']);
    expect((await mosctl(['getfree', '2'])).lines).toEqual([String(3 * 1024)]);
    expect((await mosctl(['getload', '3'])).code).toMatchObject({ message: expect.stringMatching(/Node 3 \(10\.0\.0\.3\) is down: no news of it for 9\.0 s/) });
  });

  it('status shows flags, decay, balancer and the exchange counters; status N one line', async () => {
    const s = (await mosctl(['status'])).lines.join('\n');
    expect(s).toContain('Node 1 of 3; cluster key installed; peer channel listening on port 7249\nMap: installed with setpe');
    expect(s).toContain('Flags: stay off, lstay off, block on, quiet off (automigration on)');
    expect(s).toContain('Decay: interval 1 s, slowdecay 975, fastdecay 926');
    expect(s).toContain('Load exchange: 10 accepted, 2 forged, 0 stale, 1 replayed');
    // What keeps jobs here and which targets the balancer leaves alone, each with why.
    expect(s).toContain('Job 1.7 stays here: CRIU is not installed on this node: install criu >= 4');
    expect(s).toContain("Job 2.3 stays here: moved here by the admin 40 s ago: the admin's placement stands for 600 s (560 s left)");
    expect(s).toContain('Node 3 gets no jobs from here for 290 s: CRIU 3.17 on node 3 is too old');
    const two = await mosctl(['status', '2']);
    expect(two.lines[0]).toMatch(/^Node 2 \(10\.0\.0\.2\) is up: speed 20000, 1 CPU\(s\), load 1\.00, .*guests blocked/);
    expect((await mosctl(['status', '3'])).code).toBe(1);
  });

  it('isup, whois, flags, expel, setspeed, setdecay', async () => {
    // A ping over the peer channel, not the exchange view: node 3's view entry is stale, node 2's ping answers.
    expect(await mosctl(['isup', '2'])).toMatchObject({ lines: ['2 is up (answered in 1.2 ms)'], code: 0 });
    expect((await mosctl(['isup', '2'])).calls).toContainEqual(['balance.ping', { node: 2 }]);
    expect(await mosctl(['isup', '3'])).toMatchObject({ lines: ['3 is down: node 3 (10.0.0.3) did not answer within 3000 ms'], code: 1 });
    expect(await mosctl(['isup'])).toMatchObject({ lines: ['1 is up (answered in 0 ms)'], code: 0 });
    expect((await mosctl(['isup', '9'])).code).toBeInstanceOf(Error);
    expect((await mosctl(['whois'])).lines).toEqual(['1\t10.0.0.1']);
    expect((await mosctl(['whois', '2'])).lines).toEqual(['2\t10.0.0.2\t(n2.local)']);
    expect((await mosctl(['whois', '10.0.0.3'])).lines).toEqual(['3\t10.0.0.3']);
    expect((await mosctl(['whois', '10.9.9.9'])).code).toMatchObject({ message: '10.9.9.9 is not in this cluster\'s map' });
    expect((await mosctl(['noblock'])).calls).toEqual([['balance.set', { flag: 'block', value: false }]]);
    expect((await mosctl(['nostay'])).calls).toEqual([['balance.set', { flag: 'stay', value: false }]]);
    const ex = await mosctl(['expel']);
    expect(ex.lines).toEqual(['expel: 1 job(s) sent home: 3.1', '  job 2.5 stayed: home unreachable']);
    expect(ex.code).toBe(1);
    expect((await mosctl(['setspeed', '15000'])).lines).toEqual(['15000']);
    expect(await mosctl(['setdecay', '2'])).toMatchObject({ lines: ['interval 2 s, slowdecay 975, fastdecay 926'], calls: [['balance.setDecay', { intervalS: 2 }]] });
  });

  it('unsupported commands are refused with the reason', () => {
    const p = parseMosctl(['nomfs']);
    expect(p.ok).toBe(false);
    expect(!p.ok && p.error).toMatch(/MFS .* is not part of Mosixview/);
  });
});

describe('setpe', () => {
  const io = (files: Record<string, string>) => {
    const lines: string[] = [];
    return { lines, files, out: (s: string) => lines.push(s), readFile: (p: string) => { if (!(p in files)) throw new Error('ENOENT'); return files[p]!; }, writeFile: (p: string, t: string) => void (files[p] = t) };
  };
  const run = async (args: string[], files: Record<string, string> = {}, calls: [string, unknown][] = []) => {
    const p = parseSetpe(args);
    if (!p.ok) throw new Error(p.error);
    const x = io(files);
    const err = await runSetpe(p.value, fakeAgent(calls), x).catch((e: Error) => e);
    return { ...x, err, calls };
  };

  it('-r prints the installed map in map syntax, or writes it to the file', async () => {
    expect((await run(['-r'])).lines).toEqual(['1\t10.0.0.1\t1', '2\t10.0.0.2\t1', '2\tn2.local\tALIAS', '3\t10.0.0.3\t1']);
    const w = await run(['-r', '-f', '/etc/hpc.map']);
    expect(w.files['/etc/hpc.map']).toBe('1\t10.0.0.1\t1\n2\t10.0.0.2\t1\n2\tn2.local\tALIAS\n3\t10.0.0.3\t1\n');
  });

  it('-w checks the file first and names file:line; a good map is installed', async () => {
    const bad = await run(['-w', '-f', 'my.map'], { 'my.map': '# cluster\n1 10.0.0.1 2\n2 10.0.0.9 1\n' });
    expect(bad.err).toMatchObject({ message: 'my.map:3: node 2 is already defined on line 2' });
    expect(bad.calls).toEqual([]);
    const good = await run(['-w', '-f', 'my.map'], { 'my.map': '1 10.0.0.1 3\n' });
    // Recorded as the admin's own map: Mosixview then leaves it alone.
    expect(good.calls).toEqual([['cluster.configure', { mapText: '1 10.0.0.1 3\n', by: 'setpe' }]]);
    expect(good.lines[0]).toBe('this node is node 1 of 3; peer channel listening on port 7249');
    expect((await run(['-w', '-f', 'gone.map'])).err).toMatchObject({ message: expect.stringMatching(/^cannot read gone\.map/) });
  });

  it('-off leaves the cluster, and says that Mosixview does not undo it', async () => {
    const off = await run(['-off']);
    expect(off.calls).toEqual([['cluster.configure', { off: true }]]);
    expect(off.lines).toEqual(['this node left the cluster: no map installed, no load exchange; Mosixview does not put its map back (setpe -w, or "Install the profile\'s map" in Mosixview, joins again)']);
  });
});

describe('mon', () => {
  it('draws a row per map node with load, speed, memory and utilisation bars; down nodes say so', () => {
    const lines = monFrame(view, own, new Date(2024, 0, 1, 12, 0, 0));
    expect(lines[0]).toBe('mon: 3 node(s), 2 up; this is node 1    12:00:00    q or Ctrl-C quits');
    expect(lines[3]).toBe(`    1  10.0.0.1        up    load ${bar(50)}  0.50  speed   10000  mem ${bar(50)} 50%  util ${bar(25)} 25%`);
    expect(lines[4]).toContain('    2  10.0.0.2        up    load [####################]  1.00  speed   20000');
    expect(lines[5]).toBe('    3  10.0.0.3        down  no news for 9 s');
  });

  it('outside a cluster shows this node alone', () => {
    const lines = monFrame({ self: null, map: [], nodes: [] }, own, new Date());
    expect(lines[0]).toMatch(/^mon: not in a cluster/);
    expect(lines[3]).toMatch(/^ {4}- {2}mvnode1 +up +load \[#{15}\.{5}\]  1\.50/);
  });

  it('bars clamp to 0..100', () => {
    expect(bar(-5, 4)).toBe('[....]');
    expect(bar(250, 4)).toBe('[####]');
    expect(bar(NaN, 4)).toBe('[....]');
  });
});
