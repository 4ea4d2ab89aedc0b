/**
 * The target's side of a page channel: the first line is checked before a page server is
 * started for it, and a bad one is answered with what was wrong, not a silent hang-up.
 */
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { servePages, type PagesHandler } from './pageLink.js';

/** What the target answers on a channel opened with `header` (its first line). */
function answer(header: unknown, handler: PagesHandler | undefined): Promise<{ ok: boolean; error?: string }> {
  const sock = new PassThrough();
  const line = new Promise<string>((resolve) => {
    let got = '';
    sock.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.includes('\n')) resolve(got.slice(0, got.indexOf('\n')));
    });
  });
  servePages(sock, header, Buffer.alloc(0), handler, 'node 2');
  return line.then((l) => JSON.parse(l) as { ok: boolean; error?: string });
}

describe('servePages', () => {
  it('refuses a bad header naming the field; the handler never sees it', async () => {
    const seen: string[] = [];
    const handler: PagesHandler = async (h) => void seen.push(h.pages);
    expect(await answer({ pages: '../../etc', from: 1 }, handler)).toEqual({
      ok: false,
      error: 'node 2: bad page channel header: pages: expected a migration id (letters, digits, ".", "_" and "-", as the source made it), got "../../etc"',
    });
    expect(await answer({ pages: '1.100-1-5', from: -1 }, handler)).toMatchObject({ ok: false, error: expect.stringMatching(/^node 2: bad page channel header: from: expected a node number/) });
    expect(seen).toEqual([]);
  });

  it('a good header goes to the handler, and its answer to the source', async () => {
    const seen: string[] = [];
    expect(await answer({ pages: '1.100-1-5--final', from: 1 }, async (h) => void seen.push(`${h.pages} from ${h.from}`))).toEqual({ ok: true });
    expect(seen).toEqual(['1.100-1-5--final from 1']);
    expect(await answer({ pages: '1.100-1-5', from: 1 }, () => Promise.reject(new Error('no migration 1.100-1-5 from node 1 is waiting for its memory here')))).toEqual({
      ok: false,
      error: 'node 2: no migration 1.100-1-5 from node 1 is waiting for its memory here',
    });
    expect(await answer({ pages: '1.100-1-5', from: 1 }, undefined)).toEqual({ ok: false, error: 'node 2: takes no page channels (not in a cluster?)' });
  });
});
