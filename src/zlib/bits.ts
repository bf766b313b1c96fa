/*
 * Deflate's bit output: zlib's bi_buf / bi_valid with send_bits and bi_windup. Bits go out
 * least significant first, two bytes at a time. One block is written at a time, so the state is
 * shared; the hot loops (the LZ77 pass, compress_block) copy `pos`, `buf` and `count` into
 * locals and store them back before they call anything here.
 */

const EMPTY: Uint8Array = new Uint8Array(0);

/** The bit writer's state. */
export const bitOut = {
  /** The buffer being written; EMPTY between blocks, so no caller's buffer stays reachable. */
  out: EMPTY as Uint8Array,
  /** Next byte to write. */
  pos: 0,
  /** Pending bits (bi_buf); fewer than 16 between calls. */
  buf: 0,
  /** How many bits of `buf` are pending (bi_valid). */
  count: 0,
};

/** Starts writing at `out[pos]` with no pending bits. */
export function startBits(out: Uint8Array, pos: number): void {
  bitOut.out = out;
  bitOut.pos = pos;
  bitOut.buf = 0;
  bitOut.count = 0;
}

/** send_bits: `value` must fit in `length` (at most 16) bits. */
export function sendBits(value: number, length: number): void {
  let buf = bitOut.buf | (value << bitOut.count);
  let count = bitOut.count + length;
  if (count >= 16) {
    const out = bitOut.out;
    out[bitOut.pos++] = buf & 0xff;
    out[bitOut.pos++] = (buf >>> 8) & 0xff;
    buf >>>= 16;
    count -= 16;
  }
  bitOut.buf = buf;
  bitOut.count = count;
}

/** Bits written since `out[startPos]` (bytes written plus pending bits). */
export function bitsSince(startPos: number): number {
  return (bitOut.pos - startPos) * 8 + bitOut.count;
}

/** bi_windup: pads to a byte boundary with zero bits, ends the block and returns its end. */
export function windupBits(): number {
  const { out, buf, count } = bitOut;
  if (count > 8) {
    out[bitOut.pos++] = buf & 0xff;
    out[bitOut.pos++] = (buf >>> 8) & 0xff;
  } else if (count > 0) {
    out[bitOut.pos++] = buf & 0xff;
  }
  bitOut.buf = 0;
  bitOut.count = 0;
  bitOut.out = EMPTY;
  return bitOut.pos;
}
