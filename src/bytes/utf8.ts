const encoder = new TextEncoder();

/** UTF-8 byte length of a JS string (lone surrogates count as U+FFFD, 3 bytes, as TextEncoder writes them). */
export function utf8Length(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      length += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      // A valid pair is 2 UTF-16 units and 4 UTF-8 bytes.
      if (next >= 0xdc00 && next <= 0xdfff) {
        length += 2;
        i++;
      } else {
        length += 2;
      }
    } else {
      length += 2;
    }
  }
  return length;
}

/**
 * Writes `text` as UTF-8 at `offset`; returns the number of bytes written. The caller has made
 * room for `utf8Length(text)` bytes. ASCII is copied by hand: short strings are the common case
 * and `encodeInto` costs more than the copy for them.
 */
export function writeUtf8(text: string, target: Uint8Array, offset: number): number {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) {
      return i + encoder.encodeInto(text.slice(i), target.subarray(offset + i)).written;
    }
    target[offset + i] = c;
  }
  return n;
}

/** UTF-8 bytes of a string. */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}
