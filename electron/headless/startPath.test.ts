/**
 * `npm start` where Electron is missing (build/start.mjs -> the headless bundle -> the
 * browser), for real, with a stand-in browser (MOSIXVIEW_BROWSER) that records its command
 * line and signs in as Chromium would. Every local user can read a process's command line
 * (/proc/PID/cmdline): none of them may carry the session, or a login code still good.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import WebSocket from 'ws';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let work: string;
let child: ChildProcess | undefined;
let headlessPid: number | undefined;

/** Records its command line, then follows the page it was given like a browser: one GET, no redirects. */
const FAKE_BROWSER = `
const fs = require('fs');
const http = require('http');
const path = require('path');
const { fileURLToPath } = require('url');
const rec = { pid: process.pid, argv: process.argv.slice(2), cmdline: fs.readFileSync('/proc/self/cmdline', 'utf8').split('\\0') };
const save = () => fs.writeFileSync(process.env.FAKE_BROWSER_RECORD, JSON.stringify(rec));
try {
  const app = rec.argv.find((a) => a.startsWith('--app=')).slice('--app='.length);
  if (app.startsWith('file:')) {
    rec.page = fileURLToPath(app);
    rec.pageMode = fs.statSync(rec.page).mode & 0o777;
    rec.dirMode = fs.statSync(path.dirname(rec.page)).mode & 0o777;
    const html = fs.readFileSync(rec.page, 'utf8');
    rec.target = /url=([^"]+)"/.exec(html)[1].replace(/&amp;/g, '&');
  } else {
    rec.target = app;
  }
  http.get(rec.target, (res) => {
    rec.status = res.statusCode;
    rec.location = res.headers.location;
    rec.setCookie = res.headers['set-cookie'];
    res.resume();
    save();
  }).on('error', (e) => { rec.error = String(e); save(); });
} catch (e) {
  rec.error = String(e);
  save();
}
`;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mv-start-'));
  // The headless bundle from the current sources, where start.mjs looks for it (cwd/dist/...).
  await build({
    entryPoints: [join(ROOT, 'electron/headless/cli.ts')],
    outfile: join(work, 'dist/electron/headless.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));
  mkdirSync(join(work, 'dist/renderer'));
  mkdirSync(join(work, 'dist/agent'));
  // Looked for at start; never run here (no node answers).
  writeFileSync(join(work, 'dist/agent/mosixview-agent.cjs'), '// placeholder\n');
  writeFileSync(join(work, 'dist/renderer/index.html'), '<!doctype html><title>test</title>');
  writeFileSync(join(work, 'fake-browser'), `#!${process.execPath}\n${FAKE_BROWSER}`, { mode: 0o755 });
  // One node nobody answers for: the service runs, and does nothing of interest here.
  writeFileSync(join(work, 'hpc.map'), '1 127.0.0.1 1\n');
}, 60_000);

afterAll(() => {
  // The headless server first: killed with its parent, it would be left behind.
  for (const pid of [headlessPid, child?.exitCode === null ? child.pid : undefined]) {
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  rmSync(work, { recursive: true, force: true });
});

function get(url: string, cookie?: string): Promise<{ status: number; setCookie?: string[] }> {
  return new Promise((res, rej) => {
    request(url, { headers: cookie ? { cookie } : {} }, (r) => {
      r.resume();
      res({ status: r.statusCode ?? 0, setCookie: r.headers['set-cookie'] });
    })
      .on('error', rej)
      .end();
  });
}

function cmdline(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

describe('npm start in headless mode', () => {
  it('opens the browser signed in, with no session and no live code on any command line', async () => {
    const record = join(work, 'browser.json');
    child = spawn(process.execPath, [join(ROOT, 'build/start.mjs'), '--map', join(work, 'hpc.map'), '--port', '1', '--no-agent', '--known-hosts', '/dev/null'], {
      cwd: work,
      env: {
        ...process.env,
        HOME: work,
        MOSIXVIEW_CONFIG_DIR: join(work, 'config'),
        MOSIXVIEW_HEADLESS: '1',
        MOSIXVIEW_BROWSER: join(work, 'fake-browser'),
        FAKE_BROWSER_RECORD: record,
        DISPLAY: ':99',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 300 && !existsSync(record); i++) await sleep(50);
    headlessPid = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]) || undefined;
    expect(existsSync(record), `no browser started; output:\n${out}`).toBe(true);
    await sleep(100); // the record is written in one go; let the printed lines arrive too
    const rec = JSON.parse(readFileSync(record, 'utf8')) as {
      argv: string[];
      cmdline: string[];
      page: string;
      pageMode: number;
      dirMode: number;
      target: string;
      status: number;
      location: string;
      setCookie: string[];
      error?: string;
    };
    // Every command line of the start path: npm start's node, the headless server, the browser.
    const lines = [cmdline(child.pid!), cmdline(headlessPid!), rec.argv, rec.cmdline];
    expect(lines[1]!.some((a) => a.endsWith('dist/electron/headless.cjs'))).toBe(true);
    const all = lines.flat();
    expect(all.filter((a) => /code=|token=/.test(a))).toEqual([]);
    const printed = /at (http:\/\/127\.0\.0\.1:\d+\/\?code=([\w-]+)#\/)/.exec(out);
    expect(printed, out).not.toBeNull();
    const printedCode = printed![2]!;
    expect(rec.error).toBeUndefined();

    // The browser signed in: a session cookie for the page the login page forwarded to.
    expect(rec.status).toBe(303);
    expect(rec.location).toBe('/');
    const cookie = rec.setCookie[0]!.split(';')[0]!;
    const session = cookie.split('=')[1]!;
    expect(session.length).toBeGreaterThanOrEqual(32);
    const origin = new URL(rec.target).origin;
    const launchCode = new URL(rec.target).searchParams.get('code')!;
    // The page that held the code was private and is gone once used.
    expect(rec.pageMode).toBe(0o600);
    expect(rec.dirMode).toBe(0o700);
    expect(existsSync(rec.page)).toBe(false);

    for (const secret of [session, printedCode, launchCode]) expect(all.filter((a) => a.includes(secret))).toEqual([]);
    // Nothing on them works as a code (used, or never one).
    const candidates = new Set(all.flatMap((a) => a.match(/[\w-]{20,}/g) ?? []));
    for (const c of [launchCode, ...candidates]) expect((await get(`${origin}/?code=${encodeURIComponent(c)}`)).status, c).toBe(403);

    // The session opens the API; without it the API stays shut.
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/api`, { origin, headers: { cookie } });
    await new Promise<void>((r, j) => (ws.once('open', () => r()), ws.once('error', j)));
    ws.close();
    const refused = await new Promise<number>((r) => {
      const w = new WebSocket(`${origin.replace('http', 'ws')}/api`, { origin });
      w.once('unexpected-response', (_q, res) => r(res.statusCode ?? 0));
      w.once('error', () => r(-1));
    });
    expect(refused).toBe(403);
    // The printed link is another browser's, still good once.
    expect((await get(printed![1]!)).status).toBe(303);
    expect((await get(printed![1]!)).status).toBe(403);

    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
  }, 60_000);
});
