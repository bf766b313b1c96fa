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

/** True when `text` is exactly `length` ASCII hex digits (either case). */
export function isHex(text: string, length: number): boolean {
  if (text.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    const isDigit = c >= 48 && c <= 57;
    const isLetter = (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
    if (!isDigit && !isLetter) return false;
  }
  return true;
}
