/**
 * Headless mode: the UI over HTTP on 127.0.0.1, the API over a WebSocket on the same
 * origin. Only a browser signed in with a one-time login code (headlessAuth.ts), whose
 * WebSocket comes from that origin, may use the API. The UI's files themselves are public.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiService } from '../core/clusterTypes.js';
import { serveApi } from '../core/apiEndpoint.js';
import { CONTENT_SECURITY_POLICY } from '../security/csp.js';
import { HeadlessAuth, LOGIN_CODE_TTL_MS } from './headlessAuth.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface HeadlessServer {
  origin: string;
  /** A URL that signs one browser in: its code works once, within `ttlMs`; `onUsed` says when. */
  loginUrl(ttlMs?: number, onUsed?: () => void): string;
  close(): Promise<void>;
}

const PRIVATE = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
const STALE_LINK =
  'This Mosixview link was already used or has expired: a link signs in one browser, once, within minutes.\n' +
  'For a new one, press Enter in the terminal where Mosixview runs (or start it again).\n';

export async function startHeadlessServer(service: ApiService, opts: { rendererDir: string; port?: number }): Promise<HeadlessServer> {
  let origin = '';
  let auth: HeadlessAuth | undefined;

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('code')) {
      // The code for a cookie, then the plain page: the code leaves the address bar and history.
      const cookie = auth!.redeem(url.searchParams.get('code'));
      if (cookie || auth!.signedIn(req.headers.cookie)) {
        res.writeHead(303, { ...PRIVATE, location: '/', ...(cookie ? { 'set-cookie': cookie } : {}) }).end();
      } else {
        res.writeHead(403, { ...PRIVATE, 'content-type': 'text/plain; charset=utf-8' }).end(STALE_LINK);
      }
      return;
    }
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
        ...PRIVATE,
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found (is the renderer built? run "npm run build")\n`);
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ok = url.pathname === '/api' && auth!.signedIn(req.headers.cookie) && req.headers.origin === origin;
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
  auth = new HeadlessAuth(`mosixview-${port}`);
  return {
    origin,
    loginUrl: (ttlMs = LOGIN_CODE_TTL_MS, onUsed) => `${origin}/?code=${auth!.mintCode(ttlMs, onUsed)}#/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
