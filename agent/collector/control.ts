/** The collector's control socket: what `mosixcollector -n` and `-r` ask the running collector. */
import { connect } from 'node:net';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';

export type CollectorRequests = {
  checkpoint: { req: { label: string }; res: { t: number } };
  rotate: { req: null; res: { backup: string | null } };
};

export function collectorRequest<K extends keyof CollectorRequests & string>(
  socket: string,
  method: K,
  params: CollectorRequests[K]['req'],
): Promise<CollectorRequests[K]['res']> {
  return new Promise((resolve, reject) => {
    const sock = connect(socket);
    const ep = new RpcEndpoint<CollectorRequests, Record<never, never>>((l) => sock.write(l), {}, { timeoutMs: 10_000 });
    sock.on('data', (d) => ep.receive(d));
    sock.once('error', (e) => reject(new Error(`cannot reach the collector at ${socket}: ${e.message}`)));
    sock.once('connect', () => {
      ep.request(method, params).then(resolve, reject).finally(() => sock.end());
    });
  });
}
