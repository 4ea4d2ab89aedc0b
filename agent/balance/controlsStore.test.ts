import { afterAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentEvents, AgentRequests } from '../../shared/protocol/agent.js';
import { DEFAULT_DECAY } from '../../shared/balancing/types.js';
import { NO_FLAGS } from '../../shared/protocol/balanceFlags.js';
import { statePaths } from '../stateDir.js';
import { proveIdentity } from '../daemon/proveIdentity.js';
import { AgentDaemon } from '../daemon/agentDaemon.js';
import { ControlsStore, sanitizeControls } from './controlsStore.js';
import { balanceFeature } from './feature.js';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mvb-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('ControlsStore', () => {
  it('defaults when there is no file; saves and loads back', () => {
    const s = new ControlsStore(temp());
    expect(s.load()).toEqual({ flags: NO_FLAGS, decay: DEFAULT_DECAY });
    s.save({ flags: { ...NO_FLAGS, block: true, quiet: true }, decay: { intervalS: 3, slow: 950, fast: 900 } });
    expect(new ControlsStore(s.file.replace(/\/controls\.json$/, '')).load()).toEqual({ flags: { ...NO_FLAGS, block: true, quiet: true }, decay: { intervalS: 3, slow: 950, fast: 900 } });
  });

  it('a corrupt file gives the defaults and a problem to show', () => {
    const dir = temp();
    writeFileSync(join(dir, 'controls.json'), '{ not json');
    const s = new ControlsStore(dir);
    expect(s.load()).toEqual({ flags: NO_FLAGS, decay: DEFAULT_DECAY });
    expect(s.problem).toMatch(/not valid JSON/);
  });

  it('keeps valid fields and drops bad ones one by one', () => {
    expect(sanitizeControls({ flags: { stay: true, block: 'yes' }, decay: { intervalS: 0, slow: 900, fast: 950 } })).toEqual({
      flags: { ...NO_FLAGS, stay: true },
      decay: DEFAULT_DECAY,
    });
  });
});

describe('balance feature in the daemon', () => {
  async function client(socket: string) {
    const sock = connect(socket);
    await new Promise<void>((r, j) => (sock.once('connect', r), sock.once('error', j)));
    const ep = new RpcEndpoint<AgentRequests, Record<never, never>, Record<never, never>, AgentEvents>((l) => sock.write(l), {});
    sock.on('data', (d: Buffer) => ep.receive(d));
    await proveIdentity(ep);
    return { ep, sock };
  }

  it('flags and decay set over the socket survive a daemon restart; bad requests are refused', async () => {
    const dir = temp();
    // A speed the admin set: the daemon measures nothing at start and keeps it.
    writeFileSync(join(dir, 'speed.json'), JSON.stringify({ source: 'admin', speed: 20000 }) + '\n');
    const paths = statePaths({ MOSIXVIEW_STATE_DIR: dir });
    const d1 = new AgentDaemon(paths, () => undefined, [balanceFeature]);
    await d1.start();
    const a = await client(paths.socket);
    expect((await a.ep.request('balance.state', null)).flags).toEqual(NO_FLAGS);
    await a.ep.request('balance.set', { flag: 'block', value: true });
    await a.ep.request('balance.set', { flag: 'stay', value: true });
    await a.ep.request('balance.setDecay', { intervalS: 2, slow: 960, fast: 910 });
    await expect(a.ep.request('balance.set', { flag: 'nope' as 'stay', value: true })).rejects.toMatchObject({ code: 'EINVAL' });
    await expect(a.ep.request('balance.setDecay', { intervalS: 1, slow: 100, fast: 900 })).rejects.toThrow(/slow \(100\) must not be below fast/);
    const st = await a.ep.request('balance.state', null);
    expect(st).toMatchObject({ nodeId: null, canMigrate: false, speed: 20000, exchanging: false });
    expect(JSON.parse(readFileSync(join(dir, 'controls.json'), 'utf8')).flags.block).toBe(true);
    a.sock.destroy();
    d1.stop();

    const d2 = new AgentDaemon(paths, () => undefined, [balanceFeature]);
    await d2.start();
    const b = await client(paths.socket);
    const again = await b.ep.request('balance.state', null);
    expect(again.flags).toEqual({ ...NO_FLAGS, block: true, stay: true });
    expect(again.decay).toEqual({ intervalS: 2, slow: 960, fast: 910 });
    // Not in a cluster: the view is empty and bring says why nothing can come home.
    expect(await b.ep.request('balance.view', null)).toEqual({ self: null, map: [], nodes: [] });
    expect((await b.ep.request('balance.bring', null)).note).toMatch(/not in a cluster/);
    b.sock.destroy();
    d2.stop();
  });
});
