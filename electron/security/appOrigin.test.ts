import { describe, expect, it } from 'vitest';
import { APP_ENTRY, APP_ORIGIN, appFilePath, isAppUrl, isTrustedSender } from './appOrigin.js';

describe('isAppUrl', () => {
  it('accepts our own pages', () => {
    expect(APP_ORIGIN).toBe('mosixview://app');
    expect(isAppUrl(APP_ENTRY)).toBe(true);
    expect(isAppUrl('mosixview://app/index.html#/node/3')).toBe(true);
    expect(isAppUrl('mosixview://app/')).toBe(true);
  });

  it('refuses empty and unparsable input', () => {
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl(null)).toBe(false);
    expect(isAppUrl('')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
    expect(isAppUrl('/index.html')).toBe(false);
  });

  it('refuses other schemes', () => {
    for (const u of [
      'https://app/index.html',
      'http://app/index.html',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'mosixviewx://app/index.html',
      'about:blank',
    ]) expect(isAppUrl(u), u).toBe(false);
  });

  it('refuses other hosts, ports and look-alikes', () => {
    for (const u of [
      'mosixview://evil/index.html',
      'mosixview://app.evil.example/index.html',
      'mosixview://appx/index.html',
      'mosixview://app:8080/index.html',
      'mosixview:///index.html',
    ]) expect(isAppUrl(u), u).toBe(false);
  });

  it('refuses user:pass@ tricks in either direction', () => {
    expect(isAppUrl('mosixview://user:pass@app/index.html')).toBe(false);
    expect(isAppUrl('mosixview://user@app/index.html')).toBe(false);
    expect(isAppUrl('mosixview://:pass@app/index.html')).toBe(false);
    expect(isAppUrl('mosixview://app@evil.example/index.html')).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts only the top frame of an app page', () => {
    expect(isTrustedSender({ url: APP_ENTRY })).toBe(true);
    expect(isTrustedSender({ url: `${APP_ENTRY}#/node/2`, parent: null })).toBe(true);
  });

  it('refuses a missing frame, a subframe and a foreign page', () => {
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    expect(isTrustedSender({ url: APP_ENTRY, parent: { url: APP_ENTRY } })).toBe(false);
    expect(isTrustedSender({ url: 'https://example.org/' })).toBe(false);
    expect(isTrustedSender({ url: '' })).toBe(false);
  });
});

describe('appFilePath', () => {
  it('maps app URLs to files below the renderer directory', () => {
    expect(appFilePath('mosixview://app/')).toBe('index.html');
    expect(appFilePath('mosixview://app/index.html')).toBe('index.html');
    expect(appFilePath('mosixview://app/index.html#/node/3')).toBe('index.html');
    expect(appFilePath('mosixview://app/app.js?v=1')).toBe('app.js');
    expect(appFilePath('mosixview://app/assets/logo.svg')).toBe('assets/logo.svg');
  });

  it('serves nothing for other schemes, hosts or credentials', () => {
    expect(appFilePath('file:///etc/passwd')).toBeUndefined();
    expect(appFilePath('https://app/index.html')).toBeUndefined();
    expect(appFilePath('mosixview://evil/index.html')).toBeUndefined();
    expect(appFilePath('mosixview://u:p@app/index.html')).toBeUndefined();
  });

  it('never yields a path that leaves the renderer directory', () => {
    for (const u of [
      'mosixview://app/../../etc/passwd',
      'mosixview://app/%2e%2e/%2e%2e/etc/passwd',
      'mosixview://app/%2E%2E/etc/passwd',
      'mosixview://app/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'mosixview://app/..%2f..%2fetc/passwd',
      'mosixview://app/a/..%2f..%2f..%2fetc/passwd',
      'mosixview://app/..%5c..%5cetc/passwd',
      'mosixview://app/%252e%252e/etc/passwd',
      'mosixview://app//etc/passwd',
    ]) {
      const rel = appFilePath(u);
      if (rel !== undefined) {
        // The URL parser may have resolved dot segments itself: what is left must be relative and clean.
        expect(rel, u).not.toMatch(/^[/\\]/);
        expect(rel.split(/[/\\]/), u).not.toContain('..');
      }
    }
    // Encoded slashes that decode to a ".." segment are refused outright.
    expect(appFilePath('mosixview://app/%2e%2e%2f%2e%2e%2fetc%2fpasswd')).toBeUndefined();
    expect(appFilePath('mosixview://app/..%2fsecret.txt')).toBeUndefined();
  });

  it('refuses names with characters outside the plain file-name set', () => {
    expect(appFilePath('mosixview://app/..%5csecret.txt')).toBeUndefined();
    expect(appFilePath('mosixview://app/a%00.js')).toBeUndefined();
    expect(appFilePath('mosixview://app/a%20b.js')).toBeUndefined();
  });

  it('answers undefined, not an exception, for malformed percent-encoding', () => {
    expect(appFilePath('mosixview://app/%')).toBeUndefined();
    expect(appFilePath('mosixview://app/%E0%A4%A')).toBeUndefined();
  });
});
