import { afterEach, describe, expect, it } from 'vitest';
import { RpcError } from '../../shared/protocol/rpc.js';
import { AGENT_PROTOCOL_VERSION } from '../../shared/protocol/agent.js';
import type { MembershipView, NodeView } from '../../shared/domain/node.js';
import { LaunchError } from './agentChannel.js';
import { FakeAgent, FakeLauncher, sampleOf, sleep, STOPPED_LINE, until as waitFor, type OpenStep } from './fakeAgent.test-util.js';
import { NodeSession, type SessionTiming } from './nodeSession.js';
import { log } from './log.js';

const TIMING: SessionTiming = { silenceMs: 300, backoffStartMs: 50, backoffMaxMs: 200 };
/** Generous: well above every timing above, so slow CI machines do not flake. */
const WAIT_MS = 5000;


const sessions: NodeSession[] = [];
const launchers: FakeLauncher[] = [];

function startSession(launcher: FakeLauncher, id = 3, host = 'n3.cluster') {
  const views: NodeView[] = [];
  const s = new NodeSession(id, host, launcher, '0.1.0+cafebabe', (v) => views.push(v), TIMING);
  sessions.push(s);
  launchers.push(launcher);
  s.start();
  return { s, views };
}

const until = <T,>(what: string, probe: () => T | undefined | false) => waitFor(what, probe, WAIT_MS);

afterEach(() => {
  for (const s of sessions.splice(0)) s.stop();
  for (const l of launchers.splice(0)) l.agents.forEach((a) => a.shutdown());
});

describe('NodeSession', () => {
  it('starts connecting, then goes up with the first sample after hello, sample, subscribe', async () => {
    const launcher = new FakeLauncher();
    const { s, views } = startSession(launcher);
    expect(s.view).toEqual({ id: 3, host: 'n3.cluster', status: 'connecting' });
    const up = await until('up', () => views.find((v) => v.status === 'up'));
    expect(launcher.last.requests.slice(0, 3)).toEqual(['hello', 'sample', 'subscribe on']);
    expect(up).toMatchObject({ id: 3, host: 'n3.cluster', status: 'up', agentVersion: '0.1.0+deadbeef', reason: undefined });
    expect(up.sample).toEqual(sampleOf(1000));
    expect(s.view.status).toBe('up');
  });

  it('goes up with its first sample while the setup still waits, and shows what the setup found when it ends', async () => {
    const launcher = new FakeLauncher();
    let release!: (m: MembershipView) => void;
    const held = new Promise<MembershipView>((r) => (release = r));
    const s = new NodeSession(3, 'n3.cluster', launcher, '0.1.0+cafebabe', () => undefined, TIMING, () => held);
    sessions.push(s);
    launchers.push(launcher);
    s.start();
    // A node waiting for the others (the cluster key) is up all the same: one that never answers holds no other row.
    await until('up during the setup', () => s.view.status === 'up');
    expect(launcher.last.requests.slice(0, 3)).toEqual(['hello', 'sample', 'subscribe on']);
    expect(s.view.warning).toBeUndefined();
    release({ warning: 'no cluster key or map installed yet: waiting for node 2 to answer', isolated: undefined, ownMap: undefined });
    await until('the setup shown', () => s.view.warning?.startsWith('no cluster key'));
    expect(s.view.status).toBe('up');
  });

  it('a setup that fails ends the connection with the reason, and it connects again', async () => {
    const launcher = new FakeLauncher([{}, {}]);
    let calls = 0;
    const s = new NodeSession(3, 'n3.cluster', launcher, '0.1.0+cafebabe', () => undefined, TIMING, async () => {
      calls++;
      if (calls === 1) throw new RpcError('EFAIL', 'cluster.info: the state dir is unreadable');
      return undefined;
    });
    sessions.push(s);
    launchers.push(launcher);
    s.start();
    await until('down', () => s.view.status === 'down' && s.view.reason);
    expect(s.view.reason).toContain('cluster.info: the state dir is unreadable');
    await until('up again', () => launcher.opens >= 2 && s.view.status === 'up');
  });

  it('takes the hello answer the channel brings (asked with the identity proof) instead of asking again', async () => {
    const agent = new FakeAgent();
    const hello = { version: '0.1.0+cafebabe', protocol: AGENT_PROTOCOL_VERSION, hostname: 'n3', pid: 7, stateDir: '/tmp/x', node: '20.0.0' };
    const launcher = new FakeLauncher([async () => ({ ...agent.channel(), hello })]);
    const { views } = startSession(launcher);
    const up = await until('up', () => views.find((v) => v.status === 'up'));
    expect(agent.requests.slice(0, 2)).toEqual(['sample', 'subscribe on']);
    expect(up.agentVersion).toBe('0.1.0+cafebabe');
    agent.shutdown();
  });

  it('emits a view for every sample event', async () => {
    const launcher = new FakeLauncher();
    const { views } = startSession(launcher);
    await until('three samples', () => views.filter((v) => v.status === 'up').length >= 4);
    const ts = views.filter((v) => v.status === 'up').map((v) => v.sample!.t);
    expect(ts.slice(0, 4)).toEqual([1000, 1001, 1002, 1003]);
  });

  it('serves requests to the agent while up', async () => {
    const launcher = new FakeLauncher();
    const { s, views } = startSession(launcher);
    await until('up', () => views.find((v) => v.status === 'up'));
    await expect(s.request('setSpeed', { speed: 12345 })).resolves.toEqual({ speed: 12345 });
  });

  it('turns down with "no data" when samples stop, reconnects by itself and comes back up', async () => {
    const launcher = new FakeLauncher();
    const { s, views } = startSession(launcher);
    await until('up', () => views.find((v) => v.status === 'up'));
    const first = launcher.last;
    first.sending = false;
    const down = await until('down', () => views.find((v) => v.status === 'down'));
    expect(down.reason).toMatch(/no data/);
    expect(down.sample).toBeUndefined();
    // The silent channel was given up.
    expect(first.closed).toBe(true);
    // A new channel, and the node is up again.
    await until('second open', () => launcher.opens >= 2);
    const downAt = views.indexOf(down);
    await until('up again', () => views.slice(downAt).find((v) => v.status === 'up'));
    expect(launcher.last).not.toBe(first);
    expect(s.view.status).toBe('up');
  });

  it('output that is not the protocol turns the node down with a clear reason', async () => {
    const launcher = new FakeLauncher([{ garbage: 'Welcome to n3! Last login: yesterday\n' }]);
    const { views } = startSession(launcher);
    const down = await until('down', () => views.find((v) => v.status === 'down'));
    expect(down.reason).toMatch(/not Mosixview protocol/);
    expect(down.reason).toContain('Welcome to n3');
    // It keeps trying.
    await until('retry', () => launcher.opens >= 2);
  });

  it('an agent that exits reports the exit code and the tail of its stderr', async () => {
    const launcher = new FakeLauncher();
    const { views } = startSession(launcher);
    await until('up', () => views.find((v) => v.status === 'up'));
    launcher.agents[0]!.sending = false;
    await launcher.agents[0]!.exit(3, null, 'line one\nmosixview-agent: the agent daemon closed the connection\n');
    const down = await until('down', () => views.find((v) => v.status === 'down'));
    expect(down.reason).toContain('exit code 3');
    expect(down.reason).toContain('mosixview-agent: the agent daemon closed the connection');
  });

  it('writes where its start-up time went and why a node went down to the GUI log', async () => {
    const lines: string[] = [];
    log.setTarget({ tag: 'mosixview', journal: false, write: (t) => void lines.push(t), now: Date.now });
    try {
      const launcher = new FakeLauncher();
      const { views } = startSession(launcher);
      await until('up', () => views.find((v) => v.status === 'up'));
      launcher.agents[0]!.sending = false;
      await launcher.agents[0]!.exit(3, null, 'disk full\n');
      const down = await until('down', () => views.find((v) => v.status === 'down'));
      await until('logged', () => lines.length > 1);
      // The fake launcher knows no SSH phases: those are 0.
      expect(lines[0]).toMatch(/Z mosixview: node 3 \(n3\.cluster\): up after \d+ ms: ssh 0, probe 0, upload 0, agent \d+, sample \d+\n$/);
      expect(lines[1]).toMatch(/Z mosixview: node 3 \(n3\.cluster\): /);
      expect(lines[1]).toContain(down.reason);
    } finally {
      log.configure('mosixview');
    }
  });

  it('an agent that exits before answering hello reports its stderr', async () => {
    const launcher = new FakeLauncher([
      async () => {
        const a = new FakeAgent({ garbage: '' });
        setTimeout(() => void a.exit(127, null, 'bash: line 1: node: command not found\n'), 20);
        return a.channel();
      },
      {},
    ]);
    const { views } = startSession(launcher);
    const down = await until('down', () => views.find((v) => v.status === 'down'));
    expect(down.reason).toContain('exit code 127');
    expect(down.reason).toContain('node: command not found');
    await until('up after retry', () => views.find((v) => v.status === 'up'));
  });

  it('a signal is named instead of an exit code', async () => {
    const launcher = new FakeLauncher();
    const { views } = startSession(launcher);
    await until('up', () => views.find((v) => v.status === 'up'));
    await launcher.agents[0]!.exit(null, 'SIGKILL');
    const down = await until('down', () => views.find((v) => v.status === 'down'));
    expect(down.reason).toContain('signal SIGKILL');
  });

  it('a launcher that rejects turns the node down with its message, and retries', async () => {
    const refused: OpenStep = () => Promise.reject(new Error('cannot connect to n3.cluster:22: connection refused'));
    const launcher = new FakeLauncher([refused, refused, {}]);
    const { views } = startSession(launcher);
    const down = await until('down', () => views.find((v) => v.status === 'down'));
    expect(down.reason).toBe('cannot connect to n3.cluster:22: connection refused');
    await until('up after retries', () => views.find((v) => v.status === 'up'));
    expect(launcher.opens).toBe(3);
  });

  it('a LaunchError with retry "manual" waits for kick()', async () => {
    const launcher = new FakeLauncher([() => Promise.reject(new LaunchError('host key of n3 rejected', 'manual')), {}]);
    const { s, views } = startSession(launcher);
    const down = await until('down', () => views.find((v) => v.status === 'down'));
    expect(down.reason).toBe('host key of n3 rejected');
    // Many times the longest backoff: a backoff retry would have happened by now.
    await sleep(TIMING.backoffMaxMs * 4);
    expect(launcher.opens).toBe(1);
    s.kick();
    await until('up after kick', () => views.find((v) => v.status === 'up'));
    expect(launcher.opens).toBe(2);
  });

  it('request() while down rejects with ENODEDOWN naming the node and the reason', async () => {
    const launcher = new FakeLauncher([() => Promise.reject(new LaunchError('no route to host', 'manual'))]);
    const { s, views } = startSession(launcher, 7, 'n7.cluster');
    await expect(s.request('procs', null)).rejects.toMatchObject({ code: 'ENODEDOWN' });
    await until('down', () => views.find((v) => v.status === 'down'));
    const err = (await s.request('procs', null).catch((e: unknown) => e)) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe('ENODEDOWN');
    expect(err.message).toContain('node 7');
    expect(err.message).toContain('n7.cluster');
    expect(err.message).toContain('no route to host');
  });

  it("a node's packaged agent (systemd) of another version is used as it is, and the row says what to do", async () => {
    const launcher = new FakeLauncher([{ hello: { version: '0.1.0+0ddba11a', supervisor: 'systemd' } }]);
    const { views } = startSession(launcher);
    const up = await until('up', () => views.find((v) => v.status === 'up'));
    expect(up.agentVersion).toBe('0.1.0+0ddba11a');
    expect(up.agentNote).toMatch(/packaged agent 0\.1\.0\+0ddba11a \(systemd service\), this GUI carries 0\.1\.0\+cafebabe: upgrade the mosixview-agent package/);
  });

  it('an agent the GUI uploaded itself carries no such note', async () => {
    const { views } = startSession(new FakeLauncher());
    expect((await until('up', () => views.find((v) => v.status === 'up'))).agentNote).toBeUndefined();
  });

  it('an agent speaking another protocol version is refused with a clear reason', async () => {
    const launcher = new FakeLauncher([{ hello: { protocol: AGENT_PROTOCOL_VERSION + 1, version: '9.9.9+abcdef01' } }]);
    const { views } = startSession(launcher);
    const down = await until('down', () => views.find((v) => v.status === 'down'));
    expect(down.reason).toContain(`protocol ${AGENT_PROTOCOL_VERSION + 1}`);
    expect(down.reason).toContain('9.9.9+abcdef01');
    expect(down.reason).toContain(`this GUI ${AGENT_PROTOCOL_VERSION}`);
    expect(views.some((v) => v.status === 'up')).toBe(false);
    expect(launcher.last.requests).toEqual(['hello']);
    expect(launcher.last.closed).toBe(true);
  });

  it('stop() while waiting to retry stops retrying', async () => {
    const launcher = new FakeLauncher([() => Promise.reject(new Error('connection refused'))]);
    const { s } = startSession(launcher);
    await until('two attempts', () => launcher.opens >= 2);
    s.stop();
    const n = launcher.opens;
    await sleep(TIMING.backoffMaxMs * 4);
    expect(launcher.opens).toBe(n);
  });

  it('stop() passes an aborted signal to a launch in progress and reports nothing more', async () => {
    let seen: AbortSignal | undefined;
    const launcher = new FakeLauncher([
      (signal) => {
        seen = signal;
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      },
    ]);
    const { s, views } = startSession(launcher);
    await until('open called', () => launcher.opens === 1);
    s.stop();
    expect(seen?.aborted).toBe(true);
    await sleep(TIMING.backoffMaxMs * 2);
    expect(launcher.opens).toBe(1);
    expect(views.filter((v) => v.status === 'down')).toEqual([]);
  });

  it('stop() while up closes the channel and stops reporting', async () => {
    const launcher = new FakeLauncher();
    const { s, views } = startSession(launcher);
    await until('up', () => views.find((v) => v.status === 'up'));
    s.stop();
    await until('channel closed', () => launcher.last.closed);
    const n = views.length;
    await sleep(TIMING.silenceMs * 2);
    expect(views.length).toBe(n);
    expect(launcher.opens).toBe(1);
    await expect(s.request('procs', null)).rejects.toMatchObject({ code: 'ENODEDOWN' });
  });

  it('stopAgent runs attach --stop and does not reconnect; startAgent runs attach --start', async () => {
    const launcher = new FakeLauncher();
    const { s, views } = startSession(launcher);
    await until('up', () => views.find((v) => v.status === 'up'));
    await s.stopAgent();
    expect(launcher.modes).toEqual(['attach', 'stop']);
    await until('down, stopped', () => s.view.status === 'down' && /agent stopped by the admin/.test(s.view.reason ?? ''));
    await sleep(TIMING.backoffMaxMs * 4);
    expect(launcher.modes).toEqual(['attach', 'stop']);
    s.startAgent();
    await until('up again', () => s.view.status === 'up');
    expect(launcher.modes).toEqual(['attach', 'stop', 'start']);
  });

  it('an agent the admin stopped earlier (attach exits 4) shows why and is not retried; kick() looks once more', async () => {
    const launcher = new FakeLauncher();
    launcher.stoppedByAdmin = true;
    const { s, views } = startSession(launcher);
    const down = await until('down', () => views.find((v) => v.status === 'down'));
    expect(down.reason).toBe(STOPPED_LINE);
    await sleep(TIMING.backoffMaxMs * 4);
    expect(launcher.modes).toEqual(['attach']);
    // Refresh: one plain attach (it would find an agent started elsewhere), which starts nothing.
    s.kick();
    await until('looked again', () => launcher.modes.length === 2);
    await sleep(TIMING.backoffMaxMs * 4);
    expect(launcher.modes).toEqual(['attach', 'attach']);
    expect(s.view.reason).toBe(STOPPED_LINE);
    s.startAgent();
    await until('up', () => s.view.status === 'up');
    expect(launcher.modes).toEqual(['attach', 'attach', 'start']);
    // Once up, a reconnect is a plain attach again.
    launcher.last.sending = false;
    await until('reconnected', () => launcher.modes.length === 4);
    expect(launcher.modes[3]).toBe('attach');
  });
});
