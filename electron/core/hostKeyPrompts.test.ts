import { describe, expect, it } from 'vitest';
import type { ApiEvents, HostKeyPrompt } from '../../shared/protocol/api.js';
import type { NodeView } from '../../shared/domain/node.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { HostKeyPrompts } from './hostKeyPrompts.js';

type Ev = { [E in keyof ApiEvents]: { event: E; data: ApiEvents[E] } }[keyof ApiEvents];

function broker() {
  const events: Ev[] = [];
  const prompts = new HostKeyPrompts((event, data) => events.push({ event, data } as Ev));
  const asked = () => events.filter((e) => e.event === 'hostKey.prompt').map((e) => e.data as HostKeyPrompt);
  return { prompts, events, asked };
}

function promptInfo(nodeId: number, fingerprint: string): Omit<HostKeyPrompt, 'promptId'> {
  return { nodeId, host: `10.0.0.${nodeId}`, port: 22, keyType: 'ssh-ed25519', fingerprint, knownHostsFile: '/home/u/.ssh/known_hosts' };
}

const down = (id: number): NodeView => ({ id, host: `10.0.0.${id}`, status: 'down' });

describe('HostKeyPrompts', () => {
  it('a different key, or another node, gets its own prompt', () => {
    const { prompts, asked } = broker();
    void prompts.decide(promptInfo(2, 'SHA256:abc'));
    void prompts.decide(promptInfo(2, 'SHA256:xyz'));
    void prompts.decide(promptInfo(5, 'SHA256:abc'));
    expect(asked().map((p) => [p.nodeId, p.fingerprint])).toEqual([
      [2, 'SHA256:abc'],
      [2, 'SHA256:xyz'],
      [5, 'SHA256:abc'],
    ]);
    expect(new Set(asked().map((p) => p.promptId)).size).toBe(3);
    expect(prompts.open()).toEqual(asked());
  });

  it('accepting resolves true, emits hostKey.resolved, and a second answer fails with ENOPROMPT', async () => {
    const { prompts, events, asked } = broker();
    const decision = prompts.decide(promptInfo(9, 'SHA256:k9'));
    const prompt = asked()[0]!;
    expect(prompts.answer({ promptId: prompt.promptId, accept: true })).toEqual({ nodeId: 9, accept: true });
    await expect(decision).resolves.toBe(true);
    expect(events.filter((e) => e.event === 'hostKey.resolved').map((e) => e.data)).toEqual([{ promptId: prompt.promptId }]);

    for (const again of [{ promptId: prompt.promptId, accept: true }, { promptId: 'no-such-prompt', accept: true }]) {
      const err = (() => {
        try {
          prompts.answer(again);
        } catch (e) {
          return e;
        }
      })() as RpcError;
      expect(err).toBeInstanceOf(RpcError);
      expect(err.code).toBe('ENOPROMPT');
    }
    // Only the one resolution was announced.
    expect(events.filter((e) => e.event === 'hostKey.resolved')).toHaveLength(1);
  });

  it('a no marks the node until it is up or asked again (dispatch refuses anything but true or false: clusterService.test)', async () => {
    const { prompts, asked } = broker();
    const decision = prompts.decide(promptInfo(1, 'SHA256:k1'));
    expect(prompts.answer({ promptId: asked()[0]!.promptId, accept: false })).toEqual({ nodeId: 1, accept: false });
    await expect(decision).resolves.toBe(false);
    expect(prompts.mark(down(1))).toMatchObject({ hostKeyRejected: true });
    expect(prompts.mark(down(2)).hostKeyRejected).toBeUndefined();
    prompts.askAgain(1);
    expect(prompts.mark(down(1)).hostKeyRejected).toBeUndefined();

    void prompts.decide(promptInfo(1, 'SHA256:k1'));
    prompts.answer({ promptId: asked()[1]!.promptId, accept: false });
    expect(prompts.mark({ ...down(1), status: 'up' }).hostKeyRejected).toBeUndefined();
    expect(prompts.mark(down(1)).hostKeyRejected).toBeUndefined();
  });

  it('stop() answers open prompts with no', async () => {
    const { prompts } = broker();
    const decision = prompts.decide(promptInfo(5, 'SHA256:k5'));
    prompts.stop();
    await expect(decision).resolves.toBe(false);
    expect(prompts.open()).toEqual([]);
  });
});
