/**
 * Byte-level helpers for the history store: CRC-32 (built in only from Node 20.15,
 * and the agent must run on Node 18) and LEB128 varints with zigzag for deltas.
 */
import * as zlib from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** IEEE CRC-32, the one zlib and gzip use, so `python -c zlib.crc32` can check a frame. */
export function crc32(buf: Uint8Array, start = 0, end = buf.length): number {
  // zlib's where Node has it: a day's summaries are 4.5 MB to check, ten times faster there.
  if (zlibCrc32 && end - start > 64) return zlibCrc32(buf.subarray(start, end));
  return crc32Js(buf, start, end);
}

const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** The same CRC in JavaScript, for Node 18 (tests compare it with zlib's). */
export function crc32Js(buf: Uint8Array, start = 0, end = buf.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Growable output buffer; varints keep idle nodes at about one byte per field. */
export class ByteWriter {
  private buf: Buffer;
  length = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v & 0xff;
  }

  /** Unsigned varint; numbers up to 2^53 (ms timestamps) without BigInt. */
  uvar(v: number): void {
    if (!(v >= 0) || !Number.isSafeInteger(v)) throw new RangeError(`not a varint: ${v}`);
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  /** Signed varint (zigzag), for deltas. */
  svar(v: number): void {
    this.uvar(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  f64(v: number): void {
    this.room(8);
    this.buf.writeDoubleLE(v, this.length);
    this.length += 8;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  result(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class ByteReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end) throw new RangeError('record ends early');
    return this.buf[this.pos++]!;
  }

  uvar(): number {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = this.u8();
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 0x80;
      if (mul > 2 ** 56) throw new RangeError('varint too long');
    }
  }

  f64(): number {
    if (this.pos + 8 > this.end) throw new RangeError('record ends early');
    // Through one shared 8-byte buffer: a DataView per number was a day's read's largest allocation.
    for (let i = 0; i < 8; i++) F64_BYTES[LITTLE_ENDIAN ? i : 7 - i] = this.buf[this.pos + i]!;
    this.pos += 8;
    return F64[0]!;
  }

  svar(): number {
    const z = this.uvar();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
}
