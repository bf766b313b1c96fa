import { TokenError } from '../base/errors';

// ignoreBOM keeps a leading U+FEFF: it is part of the string (golden user ids start with one).
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Little-endian reader over untrusted bytes. Every read is checked against the end of the
 * buffer first and throws `TokenError('ERR_TOKEN_TRUNCATED')` naming what was being read,
 * so no read can run past the data or return `undefined` bytes.
 *
 * A literal made by {@link byteReader}, not a class instance: a decode's reader dies with the
 * call, and a class instance's shape can then be dropped by a full GC, which deoptimizes every
 * function that used it (see ../zlib/deflate-state.ts). A literal's shape is held by its
 * boilerplate.
 */
export interface ByteReader {
  readonly data: Uint8Array;
  readonly end: number;
  /** Offset of the next byte to read. */
  pos: number;
  /** Bytes not read yet. */
  remaining(): number;
  u16(what: string): number;
  /** A two's-complement 16-bit value (Java `short`). */
  i16(what: string): number;
  /**
   * A u16 count. With `lenient`, read as Java's `ByteBuffer.getShort()` does: 0x8000 and up
   * are negative, so the count loop does not run and the count is 0.
   */
  count16(lenient: boolean, what: string): number;
  /**
   * A u16 length prefix. With `lenient`, 0x8000 and up are negative as Java reads them, and
   * Java fails (`NegativeArraySizeException`): `TokenError('ERR_TOKEN_MALFORMED')`.
   */
  length16(lenient: boolean, what: string): number;
  u32(what: string): number;
  /** The next `length` bytes as a view (no copy). */
  bytes(length: number, what: string): Uint8Array;
  /**
   * The next `length` bytes as UTF-8. Unless `lenient`, malformed UTF-8 throws
   * `TokenError('ERR_TOKEN_MALFORMED')`; otherwise each bad sequence becomes U+FFFD (as Java's
   * `new String(bytes, UTF_8)` does).
   */
  utf8(length: number, lenient: boolean, what: string): string;
}

/** A reader over data[start, end). */
export function byteReader(data: Uint8Array, start = 0, end: number = data.length): ByteReader {
  return { data, end, pos: start, remaining, u16, i16, count16, length16, u32, bytes, utf8 };
}

function remaining(this: ByteReader): number {
  return this.end - this.pos;
}

function need(r: ByteReader, n: number, what: string): void {
  if (r.end - r.pos < n) {
    throw new TokenError(
      'ERR_TOKEN_TRUNCATED',
      `token payload ends early: reading ${what} at byte ${r.pos} needs ${n} byte${n === 1 ? '' : 's'}, ${r.end - r.pos} left`,
    );
  }
}

function u16(this: ByteReader, what: string): number {
  need(this, 2, what);
  const d = this.data;
  const p = this.pos;
  this.pos = p + 2;
  return d[p] | (d[p + 1] << 8);
}

function i16(this: ByteReader, what: string): number {
  return (this.u16(what) << 16) >> 16;
}

function count16(this: ByteReader, lenient: boolean, what: string): number {
  if (!lenient) return this.u16(what);
  const n = this.i16(what);
  return n < 0 ? 0 : n;
}

function length16(this: ByteReader, lenient: boolean, what: string): number {
  if (!lenient) return this.u16(`${what} length`);
  const n = this.i16(`${what} length`);
  if (n < 0) {
    throw new TokenError(
      'ERR_TOKEN_MALFORMED',
      `${what} length ${n & 0xffff} at byte ${this.pos - 2} is negative as the reference reads it (a signed 16-bit value)`,
    );
  }
  return n;
}

function u32(this: ByteReader, what: string): number {
  need(this, 4, what);
  const d = this.data;
  const p = this.pos;
  this.pos = p + 4;
  return (d[p] | (d[p + 1] << 8) | (d[p + 2] << 16) | (d[p + 3] << 24)) >>> 0;
}

function bytes(this: ByteReader, length: number, what: string): Uint8Array {
  need(this, length, what);
  const p = this.pos;
  this.pos = p + length;
  return this.data.subarray(p, p + length);
}

function utf8(this: ByteReader, length: number, lenient: boolean, what: string): string {
  need(this, length, what);
  const start = this.pos;
  this.pos = start + length;
  if (length === 0) return '';
  const view = this.data.subarray(start, start + length);
  if (lenient) return lenientDecoder.decode(view);
  try {
    return strictDecoder.decode(view);
  } catch {
    throw new TokenError('ERR_TOKEN_MALFORMED', `${what} at byte ${start} is not valid UTF-8`);
  }
}
