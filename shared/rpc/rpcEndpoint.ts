/**
 * One end of a JSON-lines channel: it calls the other side's requests (Out), serves
 * its own (In), emits events (OutEv) and listens to the other side's (InEv).
 * Transport-free: the owner feeds received text to `receive` and provides `send`.
 */
import { LineSplitter } from './lineSplitter.js';
import { RpcError, errorBody, wireError, type EventMap, type RequestMap, type RpcMessage } from '../protocol/rpc.js';

export type Handlers<In extends RequestMap> = {
  [K in keyof In]?: (params: In[K]['req']) => Promise<In[K]['res']> | In[K]['res'];
};

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
  method: string;
}

export interface EndpointOptions {
  /** Called once with a description when the peer sends something that is not protocol. */
  onProtocolError?: (problem: string) => void;
  /** Default timeout for outgoing requests, ms. */
  timeoutMs?: number;
}

export class RpcEndpoint<
  Out extends RequestMap,
  OutEv extends EventMap,
  In extends RequestMap = Record<never, never>,
  InEv extends EventMap = Record<never, never>,
> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(data: unknown) => void>>();
  private readonly splitter: LineSplitter;
  /** Streaming: a UTF-8 character split across two chunks is decoded whole. */
  private readonly decoder = new TextDecoder('utf-8');
  private closedReason: string | undefined;

  constructor(
    private readonly send: (line: string) => void,
    private readonly handlers: Handlers<In> = {},
    private readonly opts: EndpointOptions = {},
  ) {
    this.splitter = new LineSplitter(
      (line) => this.onLine(line),
      (size) => this.protocolError(`a line of ${size} bytes without a newline`),
    );
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  receive(chunk: string | Buffer): void {
    this.splitter.push(typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
  }

  request<K extends keyof Out & string>(
    method: K,
    params: Out[K]['req'],
    timeoutMs = this.opts.timeoutMs ?? 15000,
  ): Promise<Out[K]['res']> {
    if (this.closedReason !== undefined) {
      return Promise.reject(new RpcError('ECLOSED', this.closedReason));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const p: Pending = { resolve: resolve as (v: unknown) => void, reject, method };
      if (timeoutMs > 0) {
        p.timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new RpcError('ETIMEDOUT', `no answer to "${method}" within ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
      }
      this.pending.set(id, p);
      this.write({ id, method, params });
    });
  }

  emit<K extends keyof OutEv & string>(event: K, data: OutEv[K]): void {
    if (this.closedReason === undefined) this.write({ event, data });
  }

  on<K extends keyof InEv & string>(event: K, cb: (data: InEv[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const fn = cb as (d: unknown) => void;
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Rejects every pending request; later requests fail at once with the reason. */
  close(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    for (const [, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new RpcError('ECLOSED', reason));
    }
    this.pending.clear();
  }

  private write(msg: RpcMessage): void {
    try {
      this.send(JSON.stringify(msg) + '\n');
    } catch (e) {
      this.close(`cannot send: ${(e as Error).message}`);
    }
  }

  private protocolError(problem: string): void {
    this.opts.onProtocolError?.(problem);
  }

  private onLine(line: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.protocolError(`unreadable output: "${line.slice(0, 120)}"`);
      return;
    }
    if (typeof msg !== 'object' || msg === null) {
      this.protocolError(`unexpected output: "${line.slice(0, 120)}"`);
      return;
    }
    const m = msg as Record<string, unknown>;
    if (typeof m.event === 'string') {
      this.listeners.get(m.event)?.forEach((cb) => cb(m.data));
    } else if (typeof m.id === 'number' && typeof m.method === 'string') {
      void this.serve(m.id, m.method, m.params);
    } else if (typeof m.id === 'number' && ('result' in m || 'error' in m)) {
      this.settle(m.id, m);
    } else {
      this.protocolError(`unexpected message: "${line.slice(0, 120)}"`);
    }
  }

  private settle(id: number, m: Record<string, unknown>): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    if ('error' in m) {
      p.reject(wireError(m.error));
    } else {
      p.resolve(m.result);
    }
  }

  private async serve(id: number, method: string, params: unknown): Promise<void> {
    const handler = Object.prototype.hasOwnProperty.call(this.handlers, method)
      ? (this.handlers as Record<string, ((p: unknown) => unknown) | undefined>)[method]
      : undefined;
    if (!handler) {
      this.write({ id, error: { code: 'ENOMETHOD', message: `unknown request "${method}"` } });
      return;
    }
    try {
      const result = await handler(params);
      this.write({ id, result: result === undefined ? null : result });
    } catch (e) {
      this.write({ id, error: errorBody(e) });
    }
  }
}
