/** A stand-in for the main process in renderer tests: handlers per channel, events on demand. */
import { vi } from 'vitest';
import { act } from '@testing-library/react';
import type { ApiEvents, ApiRequests, MosixviewBridge } from '../../shared/protocol/api.js';
import type { NodeView } from '../../shared/domain/node.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { clusterActions } from '../store/clusterStore.js';

export type Handlers = { [C in keyof ApiRequests]?: (req: ApiRequests[C]['req']) => ApiRequests[C]['res'] | Promise<ApiRequests[C]['res']> };
type Invoke = <C extends keyof ApiRequests>(channel: C, req: ApiRequests[C]['req']) => Promise<ApiRequests[C]['res']>;

export function fakeBridge(handlers: Handlers) {
  const listeners = new Map<string, Set<(d: unknown) => void>>();
  const invoke = vi.fn<Invoke>(async (channel, req) => {
    const h = handlers[channel] as ((r: unknown) => unknown) | undefined;
    if (!h) throw new RpcError('ENOCHANNEL', `no fake for ${String(channel)}`);
    return h(req) as never;
  });
  const bridge: MosixviewBridge = {
    invoke,
    on: (event, cb) => {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb as (d: unknown) => void);
      return () => set.delete(cb as (d: unknown) => void);
    },
  };
  const emit = <E extends keyof ApiEvents>(event: E, data: ApiEvents[E]) => act(() => listeners.get(event)?.forEach((cb) => cb(data)));
  /** The calls of one channel, their requests in order. */
  const calls = <C extends keyof ApiRequests>(channel: C) => invoke.mock.calls.filter((c) => c[0] === channel).map((c) => c[1] as ApiRequests[C]['req']);
  return { bridge, invoke, emit, calls };
}

/** Puts nodes (all up) into the cluster store, as cluster.get does in every window. */
export function loadNodes(ids: number[]): void {
  const nodes: NodeView[] = ids.map((id) => ({ id, host: `node${id}.lab`, status: 'up' }));
  act(() => clusterActions.applySnapshot({ name: 'lab', source: 'profile', nodes, hostKeyPrompts: [] }));
}
