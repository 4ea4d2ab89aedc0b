/**
 * Asks an sshd for its host certificate. ssh2 1.17 cannot negotiate certificate host key
 * algorithms (docs/ARCHITECTURE.md, "Host certificates"), so before the real handshake this
 * runs the first half of one by itself: version exchange, KEXINIT offering only the
 * *-cert-v01@openssh.com algorithms, curve25519-sha256. The server's reply holds its
 * certificate and a signature over the exchange hash by the certified key, which proves the
 * server holds that key; then the connection is dropped. The real handshake must then
 * present the same key (sshConnect.ts compares them).
 */
import { createHash, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { isCertType, parseOpensshCert } from './opensshCert.js';
import { verifySshSignature, wireMpint, wireString, WireReader } from './sshWire.js';

export const CERT_HOST_KEY_ALGOS = [
  'ssh-ed25519-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'rsa-sha2-512-cert-v01@openssh.com',
  'rsa-sha2-256-cert-v01@openssh.com',
];
const KEX = 'curve25519-sha256';
const CLIENT_VERSION = 'SSH-2.0-mosixview_certprobe';

function packet(payload: Buffer): Buffer {
  let pad = 8 - ((5 + payload.length) % 8);
  if (pad < 4) pad += 8;
  const head = Buffer.alloc(5);
  head.writeUInt32BE(1 + payload.length + pad, 0);
  head[4] = pad;
  return Buffer.concat([head, payload, randomBytes(pad)]);
}

function kexInit(): Buffer {
  const lists = [KEX, CERT_HOST_KEY_ALGOS.join(','), 'aes128-ctr', 'aes128-ctr', 'hmac-sha2-256', 'hmac-sha2-256', 'none', 'none', '', ''];
  return Buffer.concat([Buffer.from([20]), randomBytes(16), ...lists.map((l) => wireString(l)), Buffer.from([0, 0, 0, 0, 0])]);
}

/** Reads the server's version line, then whole unencrypted packets, from a stream. */
class Incoming {
  private buf = Buffer.alloc(0);
  private waiting?: () => void;
  private ended?: Error;
  constructor(sock: Duplex) {
    sock.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.waiting?.();
    });
    const end = (e?: Error) => {
      this.ended = e ?? new Error('the server closed the connection');
      this.waiting?.();
    };
    sock.on('error', end).on('close', () => end());
  }

  private async more(): Promise<void> {
    if (this.ended) throw this.ended;
    await new Promise<void>((r) => (this.waiting = r));
    this.waiting = undefined;
  }

  async versionLine(): Promise<string> {
    for (;;) {
      const nl = this.buf.indexOf(0x0a);
      if (nl >= 0) {
        const line = this.buf.subarray(0, nl).toString('latin1').replace(/\r$/, '');
        this.buf = this.buf.subarray(nl + 1);
        if (line.startsWith('SSH-')) return line;
      } else {
        await this.more();
      }
    }
  }

  async payload(): Promise<Buffer> {
    for (;;) {
      if (this.buf.length >= 5) {
        const len = this.buf.readUInt32BE(0);
        if (len > 256 * 1024) throw new Error('oversized packet');
        if (this.buf.length >= 4 + len) {
          const pad = this.buf[4]!;
          const payload = this.buf.subarray(5, 4 + len - pad);
          this.buf = this.buf.subarray(4 + len);
          // SSH_MSG_IGNORE, SSH_MSG_DEBUG may come at any time.
          if (payload[0] !== 2 && payload[0] !== 4) return payload;
          continue;
        }
      }
      await this.more();
    }
  }
}

/**
 * The host certificate `sock`'s server proves to hold, or undefined when it offers none.
 * Throws when the exchange fails or the proof is bad. Ends `sock` in every case.
 */
export async function probeHostCert(sock: Duplex): Promise<Buffer | undefined> {
  const incoming = new Incoming(sock);
  try {
    sock.write(`${CLIENT_VERSION}\r\n`);
    const serverVersion = await incoming.versionLine();
    const ourInit = kexInit();
    sock.write(packet(ourInit));
    const theirInit = await incoming.payload();
    if (theirInit[0] !== 20) throw new Error(`expected KEXINIT, got message ${theirInit[0]}`);
    const r = new WireReader(theirInit.subarray(17));
    const kexAlgos = r.text().split(',');
    const hostKeyAlgos = r.text().split(',');
    if (!hostKeyAlgos.some((a) => CERT_HOST_KEY_ALGOS.includes(a))) return undefined;
    if (!kexAlgos.includes(KEX)) throw new Error(`the server does not offer ${KEX}`);
    const { publicKey, privateKey } = generateKeyPairSync('x25519');
    const ourPoint = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    sock.write(packet(Buffer.concat([Buffer.from([30]), wireString(ourPoint)])));
    const reply = await incoming.payload();
    if (reply[0] !== 31) throw new Error(`expected KEX_ECDH_REPLY, got message ${reply[0]}`);
    const rr = new WireReader(reply.subarray(1));
    const certBlob = rr.string();
    const theirPoint = rr.string();
    const signature = rr.string();
    const certType = new WireReader(certBlob).text();
    if (!isCertType(certType)) throw new Error(`the server presented ${certType}, not a certificate`);
    const peer = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: theirPoint.toString('base64url') }, format: 'jwk' });
    const secret = diffieHellman({ privateKey, publicKey: peer });
    const h = createHash('sha256');
    for (const part of [Buffer.from(CLIENT_VERSION), Buffer.from(serverVersion, 'latin1'), ourInit, theirInit, certBlob, ourPoint, theirPoint]) {
      h.update(wireString(part));
    }
    h.update(wireMpint(secret));
    if (!verifySshSignature(parseOpensshCert(certBlob).keyBlob, h.digest(), signature)) {
      throw new Error('the server does not prove it holds the certified key (bad exchange signature)');
    }
    return certBlob;
  } finally {
    sock.destroy();
  }
}
