import { TokenError } from '../base/errors';
import { writeUtf8 } from './utf8';

/** Largest value a u16 count or length can carry. */
const U16_MAX = 0xffff;

/**
 * Little-endian writer over a growable buffer. One instance is reused by the packers, so a
 * token costs no buffer allocation; `finish()` hands out a view that is valid until the next
 * `reset()`.
 */
export class ByteWriter {
  private buffer: Uint8Array;
  private length = 0;

  constructor(initialSize = 1024) {
    this.buffer = new Uint8Array(initialSize);
  }

  reset(): this {
    this.length = 0;
    return this;
  }

  /** Zeroes the bytes written so far and resets: for a writer reused as scratch. */
  wipe(): this {
    this.buffer.fill(0, 0, this.length);
    this.length = 0;
    return this;
  }

  get position(): number {
    return this.length;
  }

  /**
   * The backing buffer; the bytes written so far are `[0, position)`. Valid until the next
   * write (a write may move the bytes to a larger buffer). Lets hot paths pass a range instead
   * of allocating a view.
   */
  get backing(): Uint8Array {
    return this.buffer;
  }

  /** The bytes written so far, as a view into the shared buffer. */
  view(start = 0): Uint8Array {
    return this.buffer.subarray(start, this.length);
  }

  /**
   * Makes room for `extra` bytes past the position without writing them, and returns the
   * backing buffer: for a caller that writes there itself (the compressed token after its content).
   */
  room(extra: number): Uint8Array {
    this.reserve(extra);
    return this.buffer;
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  u16(value: number): this {
    this.reserve(2);
    const b = this.buffer;
    b[this.length++] = value & 0xff;
    b[this.length++] = (value >>> 8) & 0xff;
    return this;
  }

  u32(value: number): this {
    this.reserve(4);
    const b = this.buffer;
    b[this.length++] = value & 0xff;
    b[this.length++] = (value >>> 8) & 0xff;
    b[this.length++] = (value >>> 16) & 0xff;
    b[this.length++] = (value >>> 24) & 0xff;
    return this;
  }

  /** Raw bytes, no length prefix. */
  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  /**
   * A u16 count of `what`: refuses a count over 65,535 (it would wrap) with
   * `TokenError('ERR_INVALID_ARGUMENT')`.
   */
  count16(count: number, what: string): this {
    if (count > U16_MAX) {
      throw new TokenError('ERR_INVALID_ARGUMENT', `${what} must be at most ${U16_MAX} (a u16 on the wire), got ${count}`);
    }
    return this.u16(count);
  }

  /** u16 length + bytes; refuses more than 65,535 bytes (`ERR_STRING_TOO_LONG`). */
  bytes(bytes: Uint8Array): this {
    if (bytes.length > U16_MAX) {
      throw new TokenError('ERR_STRING_TOO_LONG', `a length-prefixed field holds at most ${U16_MAX} bytes, got ${bytes.length}`);
    }
    return this.u16(bytes.length).raw(bytes);
  }

  /** UTF-8 without a length prefix. */
  text(text: string): this {
    this.reserve(3 * text.length);
    this.length += writeUtf8(text, this.buffer, this.length);
    return this;
  }

  /**
   * u16 byte length + UTF-8; refuses more than 65,535 bytes (`ERR_STRING_TOO_LONG`: callers
   * check first, with the argument's name, see `checkString`; this is the last guard). One pass:
   * room for the most bytes the text can take (3 per UTF-16 unit), then the length goes in front.
   */
  string(text: string): this {
    this.reserve(2 + 3 * text.length);
    const b = this.buffer;
    const at = this.length;
    const size = writeUtf8(text, b, at + 2);
    if (size > U16_MAX) {
      throw new TokenError('ERR_STRING_TOO_LONG', `a string field holds at most ${U16_MAX} bytes of UTF-8, got ${size}`);
    }
    b[at] = size & 0xff;
    b[at + 1] = (size >>> 8) & 0xff;
    this.length = at + 2 + size;
    return this;
  }
}
