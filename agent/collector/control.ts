/** The collector's control socket: what `mosixcollector -n`, `-r` and `-d` ask the running collector. */
import { connect } from 'node:net';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { ProblemReport } from './problemLog.js';
import type { AlertList } from '../../shared/alerts/alertRules.js';

export type CollectorRequests = {
  checkpoint: { req: { label: string }; res: { t: number } };
  rotate: { req: null; res: { backup: string | null } };
  /** The last write problem (a full disk, a failed rotation...), or null. */
  status: { req: null; res: { pid: number; current: string; problem: ProblemReport | null } };
  /** The rules, active and recent alerts (mosctl alerts, the GUI, through the agent's alerts.list). */
  alerts: { req: null; res: AlertList };
  /** KEY=VALUE changes of the rules, all or none, kept in collector.json. */
  'alerts.set': { req: { set: string[] }; res: AlertList };
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
