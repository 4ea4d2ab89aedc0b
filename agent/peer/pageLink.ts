/**
 * Page channels on the peer port: a connection of its own per migration, opened by the
 * source with a header line `{"pages": ID, "from": NODE}` and answered by the target with
 * `{"ok": true}` once its page server waits for the pages (or `{"ok": false, "error": ...}`).
 * After that line the connection carries CRIU's page-xfer bytes, both ways.
 */
import type { Duplex } from 'node:stream';
import type { PagesHeader } from '../../shared/protocol/peer.js';
import { pagesHeader } from '../../shared/protocol/peer.validate.js';
import { StreamPageChannel } from '../jobs/pageChannel.js';

export type { PagesHeader };

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

/**
 * Target side: checks the header (a bad one is refused, naming the field), then hands the
 * channel to `handler`, which answers ready (or refuses) through `ready`.
 */
export function servePages(sock: Duplex, raw: unknown, rest: Buffer, handler: PagesHandler | undefined, who: string): void {
  const refuse = (why: string) => void (sock.destroyed || sock.end(JSON.stringify({ ok: false, error: `${who}: ${why}` }) + '\n'));
  let header: PagesHeader;
  try {
    header = pagesHeader.check(raw, '');
  } catch (e) {
    return refuse(`bad page channel header: ${(e as Error).message}`);
  }
  if (!handler) return refuse('takes no page channels (not in a cluster?)');
  if (rest.length) sock.unshift(rest);
  const channel = new StreamPageChannel(header.pages, sock);
  handler(header, channel).then(
    () => void sock.write(JSON.stringify({ ok: true }) + '\n'),
    (e: Error) => refuse(e.message),
  );
}
