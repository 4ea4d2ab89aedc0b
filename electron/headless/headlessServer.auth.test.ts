/**
 * The headless server's sign-in: a one-time login code for a session cookie, and a WebSocket
 * only with that cookie, from the server's own origin, on /api.
 */
import { describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { collector, connect, get, headlessServerFixture, loginPath, type HttpReply } from './headlessServer.test-util.js';


describe('startHeadlessServer: signing in', () => {
  const h = headlessServerFixture();

  it('listens on 127.0.0.1 only; a login URL carries a random one-time code', async () => {
    expect(h.server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(h.port).toBeGreaterThan(0);
    const url = h.server.loginUrl();
    expect(url).toMatch(new RegExp(`^${h.server.origin}/\\?code=[\\w-]{32,}#/$`));
    expect(h.server.loginUrl()).not.toBe(url);
  });

  it('exchanges a code at / for an HttpOnly, SameSite=Strict session cookie of this h.port', async () => {
    const r = await get(h.port, loginPath(h.server.loginUrl()));
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    const [cookie] = r.headers['set-cookie']!;
    expect(cookie).toMatch(new RegExp(`^mosixview-${h.port}=[\\w-]{32,}; Path=/; HttpOnly; SameSite=Strict$`));
    // The code is not the session: it does not open the API.
    const code = new URL(h.server.loginUrl()).searchParams.get('code')!;
    expect((await h.open(`mosixview-${h.port}=${code}`, h.server.origin)).status).toBe(403);
  });

  it('refuses a code used before, an expired one and a made-up one (403, no cookie)', async () => {
    const url = h.server.loginUrl();
    expect((await get(h.port, loginPath(url))).status).toBe(303);
    const expired = h.server.loginUrl(1);
    await new Promise((r) => setTimeout(r, 20));
    for (const path of [loginPath(url), loginPath(expired), '/?code=made-up', `/?code=`]) {
      const r = await get(h.port, path);
      expect(r.status, path).toBe(403);
      expect(r.headers['set-cookie'], path).toBeUndefined();
      expect(r.body).toMatch(/already used or has expired.*press Enter in the terminal/s);
    }
  });

  it('tells the owner of a login code when it was used', async () => {
    const used: string[] = [];
    const url = h.server.loginUrl(60_000, () => used.push('once'));
    expect(used).toEqual([]);
    await get(h.port, loginPath(url));
    await get(h.port, loginPath(url));
    expect(used).toEqual(['once']);
  });

  it('refuses a WebSocket without the session cookie, or with a wrong one (403)', async () => {
    const good = await h.signIn();
    const [name, value] = good.split('=') as [string, string];
    for (const bad of [undefined, '', `${name}=`, `${name}=x`, `${name}=${value.slice(0, -1)}`, `${name}=${value}x`, `mosixview-${h.port + 1}=${value}`, `other=${value}`]) {
      const r = await h.open(bad, h.server.origin);
      expect(r.ws, `cookie ${JSON.stringify(bad)}`).toBeUndefined();
      expect(r.status).toBe(403);
    }
    expect(h.svc.listeners.size).toBe(0);
  });

  it('refuses the right cookie from a foreign Origin, or with no Origin (403)', async () => {
    const cookie = await h.signIn();
    for (const origin of ['http://evil.example', `http://localhost:${h.port}`, `https://127.0.0.1:${h.port}`, 'null', undefined]) {
      const r = await h.open(cookie, origin);
      expect(r.ws, `origin ${origin}`).toBeUndefined();
      expect(r.status).toBe(403);
    }
    expect(h.svc.calls).toEqual([]);
  });

  it('refuses the right cookie and origin on a path other than /api', async () => {
    const r = await connect(`ws://127.0.0.1:${h.port}/other`, h.server.origin, await h.signIn());
    if (r.ws) h.sockets.push(r.ws);
    expect(r.status).toBe(403);
  });

  it('serves the API over JSON lines to a signed-in browser from its own origin, among other cookies', async () => {
    const { ws } = await h.open(`theme=dark; ${await h.signIn()}; other=1`, h.server.origin);
    expect(ws).toBeDefined();
    const c = collector(ws!);
    ws!.send(JSON.stringify({ id: 1, method: 'cluster.get', params: null }));
    const reply = await c.next((m) => m.id === 1);
    expect(reply).toEqual({ id: 1, result: h.svc.snapshot });
    expect(h.svc.calls).toEqual([['cluster.get', null]]);
  });

  it('a signed-in browser opening a login link again just goes on', async () => {
    const cookie = await h.signIn();
    const r = await new Promise<HttpReply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: h.port, path: '/?code=used-or-not', headers: { cookie } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
      });
      req.on('error', reject);
      req.end();
    });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    expect(r.headers['set-cookie']).toBeUndefined();
  });

});
