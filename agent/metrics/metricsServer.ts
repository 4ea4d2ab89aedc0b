/**
 * The optional /metrics endpoint (metrics.json "listen"): GET /metrics answers in the format
 * the scraper's Accept header asks for. Off by default; a port already taken is logged and the
 * agent goes on without it.
 */
import { createServer, type Server } from 'node:http';
import { contentType, negotiateFormat, type MetricsFormat } from './openMetrics.js';
import type { ListenAddress } from './metricsSettings.js';

export function serveMetrics(at: ListenAddress, text: (f: MetricsFormat) => string, log: (m: string) => void): Promise<Server | undefined> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('only /metrics is served here\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('use GET\n');
      return;
    }
    const format = negotiateFormat(req.headers.accept);
    let body: string;
    try {
      body = text(format);
    } catch (e) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end(`no figures yet: ${(e as Error).message}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': contentType(format), 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve) => {
    server.once('error', (e) => {
      log(`metrics: cannot serve /metrics on ${at.host}:${at.port} (${e.message}); set another "listen" in metrics.json, the agent goes on without it`);
      resolve(undefined);
    });
    server.listen(at.port, at.host, () => {
      log(`metrics: serving http://${at.host.includes(':') ? `[${at.host}]` : at.host}:${at.port}/metrics`);
      resolve(server);
    });
  });
}
