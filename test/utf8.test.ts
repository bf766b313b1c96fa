import { describe, expect, it } from 'vitest';
import { utf8Length, writeUtf8 } from '../src/bytes/utf8';

const encoder = new TextEncoder();

/** Strings on both sides of the length where utf8.ts hands over to the native encoder. */
function samples(): string[] {
  const pieces = ['a', 'Z9_-', 'é', '中', '😀', '\ud800', '\udc00x', 'ab\ud83d'];
  const out: string[] = [''];
  let seed = 7;
  for (const length of [1, 2, 3, 31, 32, 33, 63, 64, 65, 66, 100, 1000, 30_000]) {
    for (let k = 0; k < 6; k++) {
      let text = '';
      while (text.length < length) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        // k = 0: ASCII only; otherwise a mix, non-ASCII starting before or after the hand-over.
        text += k === 0 ? String.fromCharCode(0x20 + (seed % 95)) : pieces[seed % pieces.length];
      }
      out.push(text.slice(0, length));
    }
  }
  // Long text is measured in chunks of 2,048 units: pairs and lone surrogates at the cuts.
  for (const at of [2_046, 2_047, 2_048, 16_383]) {
    out.push(`${'a'.repeat(at)}😀${'b'.repeat(20_000)}`, `${'a'.repeat(at)}\ud83d${'é'.repeat(20_000)}`, `${'中'.repeat(at)}\udc00x`);
  }
  return out;
}

describe('utf8Length and writeUtf8', () => {
  it('agree with TextEncoder on ASCII, multi-byte, pairs and lone surrogates, short and long', () => {
    for (const text of samples()) {
      const expected = encoder.encode(text);
      expect(utf8Length(text), JSON.stringify(text.slice(0, 40))).toBe(expected.length);
      const target = new Uint8Array(5 + 3 * text.length + 5).fill(0xee);
      const written = writeUtf8(text, target, 5);
      expect(written).toBe(expected.length);
      expect(target.subarray(5, 5 + written)).toEqual(expected);
      // Nothing before the offset or past the bytes written is touched.
      expect(target.subarray(0, 5).every((b) => b === 0xee)).toBe(true);
      expect(target.subarray(5 + written).every((b) => b === 0xee)).toBe(true);
    }
  });
});
