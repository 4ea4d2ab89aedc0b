import { describe, expect, it } from 'vitest';
import type { NodeSample } from '../../shared/domain/node.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { agentProblem, monFrame } from './mon.js';

const own = { hostname: 'mvnode1', load: 1.5, cpus: 2, speed: 10000, util: 40, mem: { totalKb: 1000, availableKb: 500, freeKb: 400 } } as unknown as NodeSample;
const SOCK = '/var/lib/mosixview/agent.sock';

describe('mon tells apart why it shows no cluster', () => {
  it('no map installed: this node alone, and that is the reason given', () => {
    expect(monFrame({ self: null, map: [], nodes: [] }, own, new Date())[0]).toMatch(/^mon: not in a cluster \(no map installed\): this node only/);
  });

  it('the agent answered, but not with the cluster view: its own words, not "no map"', () => {
    const lines = monFrame({ error: new RpcError('EIO', 'the load exchange is not running') }, own, new Date());
    expect(lines[0]).toMatch(/^mon: the agent could not give the cluster view \(the load exchange is not running\): this node only/);
    expect(lines.join('\n')).not.toMatch(/no map/);
  });

  it('the agent stopped answering: unreachable, with what to do', () => {
    const lines = monFrame({ error: new RpcError('ETIMEDOUT', 'no answer to "balance.view" within 15 s') }, undefined, new Date());
    expect(lines[0]).toMatch(/^mon: agent unreachable: it does not answer \(no answer to "balance.view" within 15 s\)/);
  });

  it('no agent, a socket left behind, no permission, a hung agent: each named', () => {
    expect(agentProblem({ code: 'ENOENT', message: 'x' }, SOCK)).toBe(
      `no agent: the Mosixview agent is not running on this node (no socket at ${SOCK}): start it with "systemctl start mosixview-agent" or "mosixview-agent daemon &"`,
    );
    expect(agentProblem({ code: 'ECONNREFUSED', message: 'x' }, SOCK)).toMatch(/^no agent: nothing listens at .*agent\.sock \(the agent stopped or crashed and left its socket\)/);
    expect(agentProblem({ code: 'EACCES', message: 'x' }, SOCK)).toMatch(/^agent unreachable: no permission to use .*agent\.sock: run mon as the agent's user or as root/);
    expect(agentProblem({ code: 'ETIMEDOUT', message: 'no answer to "hello" within 15 s' }, SOCK)).toMatch(
      /^agent unreachable: it does not answer \(no answer to "hello" within 15 s\): it may be hung; restart it/,
    );
    expect(agentProblem({ code: 'ECLOSED', message: 'the agent closed the connection' }, SOCK)).toMatch(/^agent unreachable: the agent closed the connection \(was it stopped\?\)/);
  });
});
