import { TokenError } from '../base/errors';

// ignoreBOM keeps a leading U+FEFF: it is part of the string (golden user ids start with one).
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Little-endian reader over untrusted bytes. Every read is checked against the end of the
 * buffer first and throws `TokenError('ERR_TOKEN_TRUNCATED')` naming what was being read,
 * so no read can run past the data or return `undefined` bytes.
 */
export class ByteReader {
  /** Offset of the next byte to read. */
  pos: number;

  constructor(readonly data: Uint8Array, start = 0, readonly end: number = data.length) {
    this.pos = start;
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.end - this.pos < n) {
      throw new TokenError(
        'ERR_TOKEN_TRUNCATED',
        `token payload ends early: reading ${what} at byte ${this.pos} needs ${n} byte${n === 1 ? '' : 's'}, ${this.end - this.pos} left`,
      );
    }
  }

  u16(what: string): number {
    this.need(2, what);
    const d = this.data;
    const p = this.pos;
    this.pos = p + 2;
    return d[p] | (d[p + 1] << 8);
  }

  /** A two's-complement 16-bit value (Java `short`). */
  i16(what: string): number {
    return (this.u16(what) << 16) >> 16;
  }

  /**
   * A u16 count. With `lenient`, read as Java's `ByteBuffer.getShort()` does: 0x8000 and up
   * are negative, so the count loop does not run and the count is 0.
   */
  count16(lenient: boolean, what: string): number {
    if (!lenient) return this.u16(what);
    const n = this.i16(what);
    return n < 0 ? 0 : n;
  }

  /**
   * A u16 length prefix. With `lenient`, 0x8000 and up are negative as Java reads them, and
   * Java fails (`NegativeArraySizeException`): `TokenError('ERR_TOKEN_MALFORMED')`.
   */
  length16(lenient: boolean, what: string): number {
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

  u32(what: string): number {
    this.need(4, what);
    const d = this.data;
    const p = this.pos;
    this.pos = p + 4;
    return (d[p] | (d[p + 1] << 8) | (d[p + 2] << 16) | (d[p + 3] << 24)) >>> 0;
  }

  /** The next `length` bytes as a view (no copy). */
  bytes(length: number, what: string): Uint8Array {
    this.need(length, what);
    const p = this.pos;
    this.pos = p + length;
    return this.data.subarray(p, p + length);
  }

  /**
   * The next `length` bytes as UTF-8. Unless `lenient`, malformed UTF-8 throws
   * `TokenError('ERR_TOKEN_MALFORMED')`; otherwise each bad sequence becomes U+FFFD (as Java's
   * `new String(bytes, UTF_8)` does).
   */
  utf8(length: number, lenient: boolean, what: string): string {
    this.need(length, what);
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
}
