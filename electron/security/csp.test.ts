import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './csp.js';

/** Parses a CSP string into directive -> source list. */
function directives(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

describe('CONTENT_SECURITY_POLICY', () => {
  const d = directives(CONTENT_SECURITY_POLICY);

  it("allows scripts only from 'self'", () => {
    expect(d.get('script-src')).toEqual(["'self'"]);
  });

  it('allows no eval and no inline script anywhere', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'wasm-unsafe-eval'");
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it("denies by default, forbids framing and plugins", () => {
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
  });

  it('connects only back to its own origin', () => {
    expect(d.get('connect-src')).toEqual(["'self'"]);
  });

  it("renderer/index.html's meta CSP has the same default-src and script-src", () => {
    const html = readFileSync(fileURLToPath(new URL('../../renderer/index.html', import.meta.url)), 'utf8');
    const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
    expect(m, 'index.html has a Content-Security-Policy meta tag').not.toBeNull();
    const meta = directives(m![1]!);
    expect(meta.get('default-src')).toEqual(d.get('default-src'));
    expect(meta.get('script-src')).toEqual(d.get('script-src'));
    expect(m![1]).not.toContain("'unsafe-eval'");
    expect(m![1]).not.toContain("'unsafe-inline'");
    // Inline scripts would be blocked by the CSP: the page must load its code from a file.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
  });
});
