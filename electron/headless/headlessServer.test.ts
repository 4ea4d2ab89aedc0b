/**
 * The headless server serving a signed-in browser: the API over JSON lines, service events,
 * the renderer's files (with the CSP) and nothing else.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../security/csp.js';
import { collector, connect, get, headlessServerFixture } from './headlessServer.test-util.js';


describe('startHeadlessServer', () => {
  const h = headlessServerFixture();

  it('returns errors with their code, and refuses unknown methods', async () => {
    const { ws } = await h.open(await h.signIn(), h.server.origin);
    const c = collector(ws!);
    ws!.send(JSON.stringify({ id: 2, method: 'node.procs', params: { nodeId: 9 } }));
    ws!.send(JSON.stringify({ id: 3, method: 'constructor', params: null }));
    expect(await c.next((m) => m.id === 2)).toEqual({
      id: 2,
      error: { code: 'ENONODE', message: 'there is no node 9 in this cluster' },
    });
    expect(await c.next((m) => m.id === 3)).toMatchObject({ id: 3, error: { code: 'ENOMETHOD' } });
    expect(h.svc.calls).toEqual([['node.procs', { nodeId: 9 }]]);
  });

  it('sends service events to connected clients, and stops when they leave', async () => {
    const { ws } = await h.open(await h.signIn(), h.server.origin);
    const c = collector(ws!);
    expect(h.svc.listeners.size).toBe(1);
    h.svc.emit('cluster.views', { views: [{ id: 1, host: 'n1', status: 'down', reason: 'unreachable' }] });
    expect(await c.next((m) => m.event === 'cluster.views')).toEqual({
      event: 'cluster.views',
      data: { views: [{ id: 1, host: 'n1', status: 'down', reason: 'unreachable' }] },
    });
    ws!.close();
    await new Promise<void>((r) => ws!.once('close', () => r()));
    const end = Date.now() + 3000;
    while (h.svc.listeners.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(h.svc.listeners.size).toBe(0);
  });

  it('closes a client that sends something that is not protocol', async () => {
    const { ws } = await h.open(await h.signIn(), h.server.origin);
    const closed = new Promise<number>((r) => ws!.once('close', (code) => r(code)));
    ws!.send('this is not json');
    expect(await closed).toBe(1008);
  });

  it('serves index.html at / with the CSP and hardening headers', async () => {
    for (const path of ['/', '/index.html']) {
      const r = await get(h.port, path);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.body).toContain('Mosixview headless test');
    }
    const js = await get(h.port, '/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log("headless");');
  });

  it('answers 404 to path traversal, plain or encoded', async () => {
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E/package.json',
      '/../secret.js',
      '/%2e%2e/secret.js',
      '/%2e%2e%2fsecret.js',
      '/..%2fsecret.js',
      '/..%5csecret.js',
      '/..\\secret.js',
      '//../secret.js',
    ]) {
      const r = await get(h.port, path);
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toContain('SECRET');
    }
  });

  it('answers 404 to unknown extensions, missing files and non-GET methods', async () => {
    expect((await get(h.port, '/notes.txt')).status).toBe(404);
    expect((await get(h.port, '/index')).status).toBe(404);
    expect((await get(h.port, '/missing.js')).status).toBe(404);
    const post = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: h.port, path: '/index.html', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(post).toBe(404);
  });

  it('close() disconnects clients, unsubscribes and stops listening', async () => {
    const { ws } = await h.open(await h.signIn(), h.server.origin);
    expect(h.svc.listeners.size).toBe(1);
    const closed = new Promise<void>((r) => ws!.once('close', () => r()));
    await h.server.close();
    await closed;
    expect(h.svc.listeners.size).toBe(0);
    await expect(get(h.port, '/')).rejects.toThrow(/ECONNREFUSED/);
    const again = await connect(h.apiUrl(), h.server.origin);
    expect(again.ws).toBeUndefined();
    expect(again.error).toMatch(/ECONNREFUSED/);
    // afterEach closes again: that must be harmless.
  });
});
