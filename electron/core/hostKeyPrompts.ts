/**
 * The host-key questions put to the admin: one open question per node and key (a reconnect
 * while the admin thinks joins it), its answer, and the nodes the admin said no about.
 */
import { randomUUID } from 'node:crypto';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { HostKeyPrompt } from '../../shared/protocol/api.js';
import type { NodeId, NodeView } from '../../shared/domain/node.js';
import type { Emit, HostKeyDecision } from './clusterTypes.js';

interface OpenPrompt {
  prompt: HostKeyPrompt;
  waiters: ((accept: boolean) => void)[];
}

export class HostKeyPrompts {
  private readonly prompts = new Map<string, OpenPrompt>();
  /** Nodes whose host key the admin rejected: they wait for "Ask again" (hostKey.askAgain). */
  private readonly rejected = new Set<NodeId>();

  constructor(private readonly emit: Emit) {}

  /** What a launcher calls about an unknown key; resolves with the admin's answer. */
  readonly decide: HostKeyDecision = (info) =>
    new Promise<boolean>((resolve) => {
      for (const open of this.prompts.values()) {
        if (open.prompt.nodeId === info.nodeId && open.prompt.fingerprint === info.fingerprint) {
          open.waiters.push(resolve);
          return;
        }
      }
      const prompt: HostKeyPrompt = { ...info, promptId: randomUUID() };
      this.prompts.set(prompt.promptId, { prompt, waiters: [resolve] });
      this.emit('hostKey.prompt', prompt);
    });

  /** The questions not answered yet, for the snapshot. */
  open(): HostKeyPrompt[] {
    return [...this.prompts.values()].map((p) => p.prompt);
  }

  /** Answers an open question (only accept === true accepts); returns its node and the answer. */
  answer({ promptId, accept }: { promptId: string; accept: boolean }): { nodeId: NodeId; accept: boolean } {
    const open = this.prompts.get(promptId);
    if (!open) throw new RpcError('ENOPROMPT', 'that host key question was already answered or has expired');
    this.prompts.delete(open.prompt.promptId);
    open.waiters.forEach((w) => w(accept));
    this.emit('hostKey.resolved', { promptId: open.prompt.promptId });
    if (accept) this.rejected.delete(open.prompt.nodeId);
    else this.rejected.add(open.prompt.nodeId);
    return { nodeId: open.prompt.nodeId, accept };
  }

  /** "Ask again": the node's rejection is forgotten, so its next connection asks. */
  askAgain(nodeId: NodeId): void {
    this.rejected.delete(nodeId);
  }

  /** A node the admin said no about is marked while it is not up; once up (key added by hand, say) the mark is gone. */
  mark(v: NodeView): NodeView {
    if (v.status === 'up') this.rejected.delete(v.id);
    return this.rejected.has(v.id) ? { ...v, hostKeyRejected: true } : v;
  }

  /** Shutting down: every open question is answered no. */
  stop(): void {
    for (const p of this.prompts.values()) p.waiters.forEach((w) => w(false));
    this.prompts.clear();
  }
}
