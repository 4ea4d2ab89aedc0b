/**
 * Browser stand-in for the Electron preload: the same MosixviewBridge, carried over the
 * headless mode's WebSocket. The access token comes from the page URL.
 */
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { ApiEvents, ApiRequests, MosixviewBridge } from '../../shared/protocol/api.js';

export function createWsBridge(onConnection: (state: 'open' | 'lost', why?: string) => void): MosixviewBridge {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api?token=${encodeURIComponent(token)}`);
  const queue: string[] = [];
  const ep = new RpcEndpoint<ApiRequests, Record<never, never>, Record<never, never>, ApiEvents>(
    (line) => (ws.readyState === WebSocket.OPEN ? ws.send(line) : queue.push(line)),
    {},
    { timeoutMs: 60000 },
  );
  ws.onopen = () => {
    queue.splice(0).forEach((l) => ws.send(l));
    onConnection('open');
  };
  ws.onmessage = (m) => ep.receive(String(m.data) + '\n');
  ws.onclose = () => {
    const why = token ? 'the Mosixview main process closed the connection (stopped?)' : 'this page has no access token: open the URL that "npm start" printed';
    ep.close(why);
    onConnection('lost', why);
  };
  return {
    invoke: (channel, req) => ep.request(channel, req),
    on: (event, cb) => ep.on(event, cb),
  };
}
