/**
 * Base64 (RFC 4648 §4, standard alphabet, `=` padding) for token bodies.
 *
 * Runtime-agnostic (no Buffer / atob, which differ between runtimes in what they accept), and
 * bounded: decoders compute the exact decoded size and compare it with `maxBytes` before
 * allocating anything.
 *
 * Two decoding modes:
 *
 * - strict (`lenient` false): canonical RFC 4648 §4 only. Length a multiple of 4, only `A–Z a–z 0–9 + /`,
 *   `=` only as the last one or two characters of the text, and the unused low bits of the last
 *   data character must be zero. Exactly one text decodes to a given byte string, so a token has
 *   one spelling.
 *
 * - `lenient`: what the Java reference gets from Apache commons-codec 1.15
 *   `Base64.decodeBase64(token.substring(3).getBytes())` (default CodecPolicy.LENIENT):
 *   - characters are taken from left to right; the first `=` ends the input (anything after
 *     it, including more data, is ignored);
 *   - every character that is not in the decode table is skipped silently: whitespace, CR/LF,
 *     `*`, `!`, every non-ASCII character (its UTF-8 bytes are all ≥ 0x80, negative in Java);
 *   - the decode table accepts both alphabets: `+` and `-` are 62, `/` and `_` are 63;
 *   - values are packed 4 characters → 3 bytes; a final group of 2 characters gives 1 byte and of
 *     3 characters gives 2 bytes, with the unused low bits dropped without any check; a final
 *     lone character is ignored; padding is optional.
 */

/** Thrown by base64Decode; `index` is the offending character index in the text (or its length). */
export class Base64Error extends Error {
  readonly code = 'ERR_BASE64' as const;
  readonly index: number;
  constructor(message: string, index: number) {
    super(message);
    this.name = 'Base64Error';
    this.index = index;
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 61; // '='

/** 6-bit value → ASCII code of its character. */
const CODES = Uint8Array.from(ALPHABET, (character) => character.charCodeAt(0));
/**
 * The encoder writes ASCII codes into a buffer and makes the string in one native call: building
 * it by `+=` costs a cons string per step (≈ 2 KB of heap for a token) and twice the time.
 * Outputs up to SMALL characters (every token) use a shared buffer and a cached view of each
 * length, so encoding allocates only the string.
 */
const SMALL = 512;
const smallScratch = new Uint8Array(SMALL);
/** smallViews[n] is smallScratch.subarray(0, n), made on first use. */
const smallViews: Uint8Array[] = [];
const asciiDecoder = new TextDecoder();
// smallScratch and decodeScratch are scratch (listed in test/module-state.test.ts): token text and
// token bytes, public, rewritten by every call; the 007 decoder zeroes the decoded bytes after
// inflating them. The view caches hold views of them, made once per length.

/**
 * ASCII code → 6-bit value in any of `alphabets`, 255 = in none. Built in a function, not a loop
 * at module level (docs/design.md, "Load time").
 */
function valueTable(...alphabets: string[]): Uint8Array {
  const table = new Uint8Array(128).fill(255);
  for (const alphabet of alphabets) for (let i = 0; i < 64; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}
/** Strict: the standard alphabet only. */
const STRICT_TABLE = valueTable(ALPHABET);
/** commons-codec's DECODE_TABLE: standard and URL-safe ('-' is 62, '_' 63) characters. */
const LENIENT_TABLE = valueTable(ALPHABET, `${ALPHABET.slice(0, 62)}-_`);

/**
 * Standard base64 with padding of bytes[start, end), after `prefix` (ASCII, e.g. a token's
 * version): one string made at once instead of a concatenation.
 */
export function base64Encode(bytes: Uint8Array, start = 0, end: number = bytes.length, prefix = ''): string {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > bytes.length || start > end) {
    throw new RangeError(`base64Encode: invalid range [${start}, ${end}) for ${bytes.length} bytes`);
  }
  const size = prefix.length + Math.ceil((end - start) / 3) * 4;
  const out = size <= SMALL ? smallScratch : new Uint8Array(size);
  let o = 0;
  for (; o < prefix.length; o++) out[o] = prefix.charCodeAt(o);
  const groupsEnd = end - ((end - start) % 3);
  o = encodeGroups(bytes, start, groupsEnd, out, o);
  o = encodeLast(bytes, groupsEnd, end, out, o);
  // ASCII is valid UTF-8 that decodes to itself. A large `out` has exactly `size` = o bytes.
  return asciiDecoder.decode(out === smallScratch ? (smallViews[o] ??= smallScratch.subarray(0, o)) : out);
}

/**
 * The whole 3-byte groups of bytes[i, end) as 4 characters each into out from `o`; returns the
 * position after them. A function of its own, with nothing after the loop: V8 compiles a long
 * loop while it runs (on-stack replacement), and when a cold branch followed the loop in the
 * same function, large tokens kept re-entering a cached compilation that lacked that branch and
 * fell back to the interpreter (83 times in 300 builds of 64 KB).
 */
function encodeGroups(bytes: Uint8Array, i: number, end: number, out: Uint8Array, o: number): number {
  for (; i < end; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = CODES[v >>> 18];
    out[o++] = CODES[(v >>> 12) & 63];
    out[o++] = CODES[(v >>> 6) & 63];
    out[o++] = CODES[v & 63];
  }
  return o;
}

/** The last 1 or 2 bytes, bytes[i, end), with their padding; returns the position after them. */
function encodeLast(bytes: Uint8Array, i: number, end: number, out: Uint8Array, o: number): number {
  const rest = end - i;
  if (rest === 1) {
    const v = bytes[i];
    out[o++] = CODES[v >>> 2];
    out[o++] = CODES[(v & 3) << 4];
    out[o++] = PAD;
    out[o++] = PAD;
  } else if (rest === 2) {
    const v = (bytes[i] << 8) | bytes[i + 1];
    out[o++] = CODES[v >>> 10];
    out[o++] = CODES[(v >>> 4) & 63];
    out[o++] = CODES[(v & 15) << 2];
    out[o++] = PAD;
  }
  return o;
}

function describe(code: number): string {
  if (code >= 0x21 && code < 0x7f) return `'${String.fromCharCode(code)}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function checkMax(size: number, maxBytes: number): void {
  if (size > maxBytes) {
    throw new Base64Error(`decoded size ${size} bytes exceeds the limit of ${maxBytes} bytes`, 0);
  }
}

/**
 * Decodes base64 text (from `start` on, as if given `text.slice(start)`), strict or `lenient`: see
 * the module comment.
 * @throws Base64Error (code 'ERR_BASE64') for malformed text (strict) or when the decoded size
 *   would exceed maxBytes (both modes). Lenient never rejects a character.
 */
export function base64Decode(text: string, lenient: boolean, maxBytes: number, start = 0): Uint8Array {
  return decode(text, start, lenient, maxBytes, false);
}

/**
 * Same bytes as {@link base64Decode}, but up to SMALL bytes come back as a view into a buffer
 * that the next call overwrites: for bytes that are consumed right away (inflated). A fresh
 * array of more than 64 bytes lives outside V8's heap and costs about as much as decoding a
 * whole token.
 */
export function base64DecodeShared(text: string, lenient: boolean, maxBytes: number, start = 0): Uint8Array {
  return decode(text, start, lenient, maxBytes, true);
}

/** Decodes text[start, …), as if given `text.slice(start)`: error indices count from `start`. */
function decode(text: string, start: number, lenient: boolean, maxBytes: number, shared: boolean): Uint8Array {
  if (typeof text !== 'string') throw new TypeError('base64Decode: text must be a string');
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new RangeError('base64Decode: maxBytes must be a non-negative safe integer');
  }
  if (!Number.isSafeInteger(start) || start < 0 || start > text.length) {
    throw new RangeError(`base64Decode: start ${start} is outside the text (length ${text.length})`);
  }
  if (!lenient) return decodeStrict(text, start, maxBytes, shared);
  return decodeLenient(start === 0 ? text : text.slice(start), maxBytes, shared);
}

const decodeScratch = new Uint8Array(SMALL);
/** decodeViews[n] is decodeScratch.subarray(0, n), made on first use. */
const decodeViews: Uint8Array[] = [];

/** The output array of a decode: fresh, or a cached view of decodeScratch when shared. */
function output(size: number, shared: boolean): Uint8Array {
  if (!shared || size > SMALL) return new Uint8Array(size);
  return (decodeViews[size] ??= decodeScratch.subarray(0, size));
}

/**
 * Strict decoding of text[start, text.length), read in place: slicing a token's body first
 * makes a sliced string, whose every charCodeAt goes through an indirection. Error indices are
 * relative to `start`.
 */
function decodeStrict(text: string, start: number, maxBytes: number, shared: boolean): Uint8Array {
  const n = text.length - start;
  if (n % 4 !== 0) {
    if (start > 0) return decodeStrict(text.slice(start), 0, maxBytes, shared);
    // Name a stray character (space, '*', URL-safe '-') if there is one: more useful than the length.
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i);
      if (code !== PAD && (code >= 128 || STRICT_TABLE[code] > 63)) {
        throw new Base64Error(`invalid character ${describe(code)} at index ${i}`, i);
      }
    }
    throw new Base64Error(`length ${n} is not a multiple of 4`, n);
  }
  if (n === 0) return new Uint8Array(0);
  // Padding may only be the last one or two characters.
  let pad = 0;
  if (text.charCodeAt(start + n - 1) === PAD) pad = text.charCodeAt(start + n - 2) === PAD ? 2 : 1;
  const size = (n / 4) * 3 - pad;
  checkMax(size, maxBytes);
  const out = output(size, shared);
  const dataEnd = n - pad;
  const full = dataEnd - (dataEnd % 4); // characters in complete 4-character groups
  decodeGroups(text, start, full, out);
  // The padded last group, if any: characters from i, bytes from o.
  const i = full;
  const o = (full >>> 2) * 3;
  if (pad > 0) {
    // The last group: 2 (pad 2) or 3 (pad 1) data characters.
    const a = value(text, start, i);
    const b = value(text, start, i + 1);
    if (pad === 2) {
      if ((b & 0x0f) !== 0) {
        throw new Base64Error(`non-canonical last character ${describe(text.charCodeAt(start + i + 1))} at index ${i + 1}: its low 4 bits must be zero`, i + 1);
      }
      out[o] = (a << 2) | (b >>> 4);
    } else {
      const c = value(text, start, i + 2);
      if ((c & 0x03) !== 0) {
        throw new Base64Error(`non-canonical last character ${describe(text.charCodeAt(start + i + 2))} at index ${i + 2}: its low 2 bits must be zero`, i + 2);
      }
      const v = (a << 12) | (b << 6) | c;
      out[o] = v >>> 10;
      out[o + 1] = (v >>> 2) & 0xff;
    }
  }
  return out;
}

/**
 * text[start, start + full) (whole 4-character groups, no padding) into out[0, 3 * full / 4).
 * A function of its own, with nothing after its loop, for the reason encodeGroups gives: the
 * padded last group used to follow the loop, and large tokens kept deoptimizing there.
 */
function decodeGroups(text: string, start: number, full: number, out: Uint8Array): void {
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const j = start + i;
    const c0 = text.charCodeAt(j);
    const c1 = text.charCodeAt(j + 1);
    const c2 = text.charCodeAt(j + 2);
    const c3 = text.charCodeAt(j + 3);
    // Codes ≥ 128 (non-ASCII) are never valid: one test for the group, then the table is read
    // with the low 7 bits (whatever it returns for a masked code, the group is refused).
    const a = STRICT_TABLE[c0 & 127];
    const b = STRICT_TABLE[c1 & 127];
    const c = STRICT_TABLE[c2 & 127];
    const d = STRICT_TABLE[c3 & 127];
    if (((a | b | c | d) > 63) || (c0 | c1 | c2 | c3) > 127) throw badChar(text, start, i);
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 0xff;
    out[o++] = v & 0xff;
  }
}

/** The value of text[start + i]; errors name index i. */
function value(text: string, start: number, i: number): number {
  const code = text.charCodeAt(start + i);
  const v = code < 128 ? STRICT_TABLE[code] : 255;
  if (v > 63) throw badChar(text, start, i);
  return v;
}

/**
 * Names the first bad character of a group starting at `from` of text[start, ...) (only called
 * when there is one).
 */
function badChar(text: string, start: number, from: number): Base64Error {
  for (let i = from; start + i < text.length; i++) {
    const code = text.charCodeAt(start + i);
    if (code === PAD) {
      return new Base64Error(`'=' at index ${i} is not padding at the end of the text`, i);
    }
    if (code >= 128 || STRICT_TABLE[code] > 63) {
      return new Base64Error(`invalid character ${describe(code)} at index ${i}`, i);
    }
  }
  return new Base64Error('invalid character', from);
}

function decodeLenient(text: string, maxBytes: number, shared: boolean): Uint8Array {
  // Pass 1: count the characters commons-codec would use, to size (and cap) the output exactly.
  // Stop counting as soon as the limit is certain to be exceeded (hostile multi-MB input).
  const n = text.length;
  const q = Math.floor(maxBytes / 3);
  const r = maxBytes % 3;
  const maxChars = 4 * q + r + 1; // most characters that decode to ≤ maxBytes bytes
  let count = 0;
  let stop = n;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    if (code === PAD) {
      stop = i;
      break;
    }
    if (code < 128 && LENIENT_TABLE[code] < 64 && ++count > maxChars) {
      throw new Base64Error(`decoded size exceeds the limit of ${maxBytes} bytes (at index ${i})`, i);
    }
  }
  const rest = count & 3;
  const size = (count >>> 2) * 3 + (rest === 3 ? 2 : rest === 2 ? 1 : 0);
  checkMax(size, maxBytes); // cannot fail after the loop; kept as the allocation guard
  const out = output(size, shared);
  // Pass 2: decode.
  let acc = 0;
  let have = 0;
  let o = 0;
  for (let i = 0; i < stop; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128) continue;
    const v = LENIENT_TABLE[code];
    if (v > 63) continue;
    acc = (acc << 6) | v;
    if (++have === 4) {
      out[o++] = acc >>> 16;
      out[o++] = (acc >>> 8) & 0xff;
      out[o++] = acc & 0xff;
      acc = 0;
      have = 0;
    }
  }
  // commons-codec at EOF: 3 chars = 18 bits → 2 bytes, 2 chars = 12 bits → 1 byte (extra bits
  // dropped unchecked), 1 char = 6 bits → nothing.
  if (have === 3) {
    out[o++] = acc >>> 10;
    out[o++] = (acc >>> 2) & 0xff;
  } else if (have === 2) {
    out[o++] = acc >>> 4;
  }
  return out;
}

/** The module's scratch, for the test that checks it holds no secret after a call. @internal */
export const base64Scratch: readonly Uint8Array[] = [smallScratch, decodeScratch];
