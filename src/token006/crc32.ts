/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib's crc32 and Java's CRC32. */
const TABLE = crcTable();

/** The CRC of each byte value (tables are built in functions: see docs/design.md, "Load time"). */
function crcTable(): Int32Array {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
}

/** CRC-32 of `bytes[start, end)`, unsigned. */
export function crc32(bytes: Uint8Array, start = 0, end: number = bytes.length): number {
  let c = -1;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
