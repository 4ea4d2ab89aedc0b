/**
 * Browser stand-in for the Electron preload: the same MosixviewBridge, carried over the
 * headless mode's WebSocket. The browser signs in with the link Mosixview printed, which
 * leaves an HttpOnly session cookie; the WebSocket carries it by itself (same origin).
 */
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { ApiEvents, ApiRequests, MosixviewBridge } from '../../shared/protocol/api.js';

export function createWsBridge(onConnection: (state: 'open' | 'lost', why?: string) => void): MosixviewBridge {
  const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api`);
  let opened = false;
  const queue: string[] = [];
  const ep = new RpcEndpoint<ApiRequests, Record<never, never>, Record<never, never>, ApiEvents>(
    (line) => (ws.readyState === WebSocket.OPEN ? ws.send(line) : queue.push(line)),
    {},
    { timeoutMs: 60000 },
  );
  ws.onopen = () => {
    opened = true;
    queue.splice(0).forEach((l) => ws.send(l));
    onConnection('open');
  };
  ws.onmessage = (m) => ep.receive(String(m.data) + '\n');
  ws.onclose = () => {
    // A refused sign-in and a stopped server look alike to a page (the browser hides the 403).
    const why = opened
      ? 'the Mosixview main process closed the connection (stopped?)'
      : 'this browser is not signed in, or Mosixview is not running: open the link Mosixview printed in its terminal (press Enter there for a new one)';
    ep.close(why);
    onConnection('lost', why);
  };
  return {
    invoke: (channel, req) => ep.request(channel, req),
    on: (event, cb) => ep.on(event, cb),
  };
}
