/** ASCII codes of the hex digits. */
const DIGITS = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
const asciiDecoder = new TextDecoder();

/** Lower-case hex of bytes: ASCII codes written once, made a string in one native call. */
export function toHex(bytes: Uint8Array): string {
  const codes = new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    codes[2 * i] = DIGITS[bytes[i] >> 4];
    codes[2 * i + 1] = DIGITS[bytes[i] & 15];
  }
  return asciiDecoder.decode(codes);
}

/** 1 for the ASCII codes of hex digits (either case), 0 for the other codes below 128. */
const HEX_DIGIT = asciiSet('0123456789abcdefABCDEF');

/** 1 at the ASCII code of each character of `chars`, built in a function (docs/design.md, "Load time"). */
function asciiSet(chars: string): Uint8Array {
  const set = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) set[chars.charCodeAt(i)] = 1;
  return set;
}

/** True when `text` is exactly `length` ASCII hex digits (either case): one table read a character. */
export function isHex(text: string, length: number): boolean {
  if (text.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || HEX_DIGIT[c] === 0) return false;
  }
  return true;
}
