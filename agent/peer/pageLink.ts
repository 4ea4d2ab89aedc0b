/**
 * Page channels on the peer port: a connection of its own per migration, opened by the
 * source with a header line `{"pages": ID, "from": NODE}` and answered by the target with
 * `{"ok": true}` once its page server waits for the pages (or `{"ok": false, "error": ...}`).
 * After that line the connection carries CRIU's page-xfer bytes, both ways.
 */
import type { Duplex } from 'node:stream';
import type { NodeId } from '../../shared/domain/node.js';
import { StreamPageChannel } from '../jobs/pageChannel.js';

export interface PagesHeader {
  pages: string;
  from: NodeId;
}

const SAFE_ID = /^[A-Za-z0-9._-]{1,120}$/;

export function isPagesHeader(h: unknown): h is PagesHeader {
  const x = h as PagesHeader;
  return !!x && typeof x === 'object' && typeof x.pages === 'string' && SAFE_ID.test(x.pages) && Number.isInteger(x.from) && x.from > 0;
}

/**
 * What the target's agent does with an incoming page channel: resolves once its page server
 * takes the pages (the source is then told it may dump), rejects to refuse the channel.
 */
export type PagesHandler = (header: PagesHeader, channel: StreamPageChannel) => Promise<void>;

/** Source side: sends the header and waits for the target's ready line. */
export function openPages(sock: Duplex, header: PagesHeader, onBytes?: (n: number) => void): Promise<StreamPageChannel> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const fail = (why: string) => {
      cleanup();
      sock.destroy();
      reject(new Error(why));
    };
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const nl = buf.indexOf(10);
      if (nl < 0) return buf.length > 4096 ? fail('unreadable answer from the target agent') : undefined;
      cleanup();
      let a: { ok?: boolean; error?: string };
      try {
        a = JSON.parse(buf.subarray(0, nl).toString('utf8')) as typeof a;
      } catch {
        return fail('unreadable answer from the target agent');
      }
      if (!a.ok) return fail(a.error ?? 'the target refused the page channel');
      sock.pause();
      const rest = buf.subarray(nl + 1);
      if (rest.length) sock.unshift(rest);
      resolve(new StreamPageChannel(header.pages, sock, onBytes));
    };
    const onClose = () => fail('the target agent closed the page channel before it was ready');
    const cleanup = () => {
      sock.off('data', onData);
      sock.off('close', onClose);
    };
    sock.on('data', onData);
    sock.once('close', onClose);
    sock.write(JSON.stringify(header) + '\n');
  });
}

/** Target side: hands the channel to `handler`, which answers ready (or refuses) through `ready`. */
export function servePages(sock: Duplex, header: PagesHeader, rest: Buffer, handler: PagesHandler | undefined, who: string): void {
  if (!handler) {
    sock.end(JSON.stringify({ ok: false, error: `${who} takes no page channels (not in a cluster?)` }) + '\n');
    return;
  }
  if (rest.length) sock.unshift(rest);
  const channel = new StreamPageChannel(header.pages, sock);
  handler(header, channel).then(
    () => void sock.write(JSON.stringify({ ok: true }) + '\n'),
    (e: Error) => void (sock.destroyed || sock.end(JSON.stringify({ ok: false, error: `${who}: ${e.message}` }) + '\n')),
  );
}
