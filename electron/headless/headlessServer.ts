/**
 * Headless mode: the UI over HTTP on 127.0.0.1, the API over a WebSocket on the same
 * origin. Only a client that knows the random token (given in the printed URL) and
 * comes from that origin may use the API.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClusterService } from '../core/clusterService.js';
import { serveApi } from '../core/apiEndpoint.js';
import { CONTENT_SECURITY_POLICY } from '../security/csp.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface HeadlessServer {
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startHeadlessServer(
  service: ClusterService,
  opts: { rendererDir: string; port?: number; token?: string },
): Promise<HeadlessServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  let origin = '';

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rel = url.pathname === '/' ? 'index.html' : normalize(url.pathname).replace(/^[/\\]+/, '');
    if (req.method !== 'GET' || rel.includes('..') || !TYPES[extname(rel)]) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    try {
      const body = await readFile(join(opts.rendererDir, rel));
      res.writeHead(200, {
        'content-type': TYPES[extname(rel)]!,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found (is the renderer built? run "npm run build")\n`);
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ok = url.pathname === '/api' && sameToken(url.searchParams.get('token'), token) && req.headers.origin === origin;
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachClient(ws));
  });

  const attachClient = (ws: WebSocket) => {
    const api = serveApi(
      service,
      (line) => ws.send(line),
      () => ws.close(1008, 'protocol error'),
    );
    ws.on('message', (data) => api.endpoint.receive(data.toString() + '\n'));
    ws.on('close', () => api.close());
    ws.on('error', () => api.close());
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}#/`,
    origin,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
