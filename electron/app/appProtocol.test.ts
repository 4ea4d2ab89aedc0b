/** The app's own scheme: serves the renderer's files with the CSP, and nothing outside them. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../security/csp.js';
import { started } from './fakeElectron.test-util.js';

let root: string;
let rendererDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mosixview-app-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Mosixview test</title>');
  writeFileSync(join(rendererDir, 'app.js'), 'console.log("app");');
  // A file next to (outside of) the renderer directory, which must never be served.
  writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
  writeFileSync(join(root, 'secret.js'), 'TOP SECRET');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the mosixview: protocol handler', () => {
  let t: Awaited<ReturnType<typeof started>>;
  beforeEach(async () => {
    t = await started(rendererDir);
  });
  const get = (url: string) => t.protocols.get('mosixview')!({ url });

  it('serves index.html with the content security policy', async () => {
    for (const url of ['mosixview://app/index.html', 'mosixview://app/', 'mosixview://app/index.html#/node/3']) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('content-type')).toBe('text/html');
      expect(await res.text()).toContain('Mosixview test');
    }
  });

  it('serves scripts with their type and the CSP', async () => {
    const res = await get('mosixview://app/app.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await res.text()).toBe('console.log("app");');
  });

  it('answers 404 to path traversal, plain or encoded', async () => {
    for (const url of [
      'mosixview://app/../../etc/passwd',
      'mosixview://app/../secret.txt',
      'mosixview://app/../secret.js',
      'mosixview://app/%2e%2e/secret.txt',
      'mosixview://app/%2E%2E/%2e%2e/etc/passwd',
      'mosixview://app/%2e%2e%2fsecret.txt',
      'mosixview://app/..%2fsecret.js',
      'mosixview://app/..%5csecret.js',
      'mosixview://app/%252e%252e/secret.txt',
      'mosixview://app/%',
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(await res.text(), url).not.toContain('SECRET');
    }
  });

  it('answers 404 for other hosts, credentials and missing files', async () => {
    for (const url of [
      'mosixview://evil/index.html',
      'mosixview://app.evil/index.html',
      'mosixview://app:99/index.html',
      'mosixview://user:pass@app/index.html',
      'mosixview://app/missing.js',
    ]) {
      expect((await get(url)).status, url).toBe(404);
    }
  });
});
