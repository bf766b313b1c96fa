import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Base64Error, base64Decode, base64Encode } from '../src/bytes/base64';
import { isHex } from '../src/bytes/hex';
import { seededBytes } from './helpers/random';

const nodeB64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64');
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
const ascii = (b: Uint8Array) => String.fromCharCode(...b);

/**
 * A line-by-line transcription of commons-codec 1.15 `Base64.decodeBase64(String)` with the default
 * (lenient) policy, as the Java reference calls it: `Base64.decodeBase64(s.getBytes())`.
 */
const JAVA_DECODE_TABLE: number[] = (() => {
  const t = new Array<number>(123).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  t[45] = 62; // '-'
  t[95] = 63; // '_'
  return t;
})();

function commonsCodecDecode(s: string): Uint8Array {
  // String.getBytes() with -Dfile.encoding=UTF-8; Java turns a lone surrogate into '?', Node into
  // EF BF BD: neither is in the table, so both are skipped the same way.
  const bytes = Buffer.from(s, 'utf8');
  if (bytes.length === 0) return new Uint8Array(0);
  const out: number[] = [];
  let modulus = 0;
  let work = 0;
  for (const u of bytes) {
    const b = u > 127 ? u - 256 : u; // Java bytes are signed
    if (b === 61) break; // pad: "We're done."
    if (b >= 0 && b < JAVA_DECODE_TABLE.length) {
      const result = JAVA_DECODE_TABLE[b];
      if (result >= 0) {
        modulus = (modulus + 1) % 4;
        work = (work << 6) + result;
        if (modulus === 0) out.push((work >> 16) & 0xff, (work >> 8) & 0xff, work & 0xff);
      }
    }
  }
  if (modulus === 2) {
    work >>= 4;
    out.push(work & 0xff);
  } else if (modulus === 3) {
    work >>= 2;
    out.push((work >> 8) & 0xff, work & 0xff);
  }
  return Uint8Array.from(out);
}

function b64Error(f: () => unknown): Base64Error {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Base64Error);
    expect((e as Base64Error).code).toBe('ERR_BASE64');
    return e as Base64Error;
  }
  throw new Error('expected a Base64Error');
}

describe('base64Encode', () => {
  it("matches Buffer.toString('base64') for random inputs of every length 0..300", () => {
    for (let n = 0; n <= 300; n++) {
      for (let seed = 1; seed <= 3; seed++) {
        const b = seededBytes(n, n * 7 + seed);
        expect(base64Encode(b), `length ${n}`).toBe(nodeB64(b));
      }
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64Encode(all)).toBe(nodeB64(all));
  });

  it('encodes a sub-range [start, end)', () => {
    const b = seededBytes(100, 5);
    for (const [s, e] of [[0, 0], [0, 100], [1, 2], [3, 99], [50, 51], [97, 100], [100, 100]]) {
      expect(base64Encode(b, s, e)).toBe(nodeB64(b.subarray(s, e)));
    }
    expect(base64Encode(b, 10)).toBe(nodeB64(b.subarray(10)));
    expect(base64Encode(b.subarray(10, 20))).toBe(nodeB64(b.subarray(10, 20)));
  });

  it('rejects invalid ranges', () => {
    const b = new Uint8Array(4);
    expect(() => base64Encode(b, -1)).toThrow(RangeError);
    expect(() => base64Encode(b, 0, 5)).toThrow(RangeError);
    expect(() => base64Encode(b, 3, 2)).toThrow(RangeError);
    expect(() => base64Encode(b, 0.5)).toThrow(RangeError);
  });

  it('property: matches Buffer', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => base64Encode(b) === nodeB64(b)), { numRuns: 500 });
  });
});

describe("base64Decode strict (lenient = false)", () => {
  it('round-trips every length 0..300', () => {
    for (let n = 0; n <= 300; n++) {
      const b = seededBytes(n, n + 11);
      expect(hex(base64Decode(nodeB64(b), false, n))).toBe(hex(b));
    }
  });

  it('rejects non-canonical and malformed text with the offending index', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['Q', 1, /multiple of 4/],
      ['QUJ', 3, /multiple of 4/],
      ['QUJDR', 5, /multiple of 4/],
      ['QUJD\n', 4, /invalid character U\+000A at index 4/],
      ['QU J=', 2, /invalid character/],
      ['QUJ==', 5, /multiple of 4/],
      ['QU J', 2, /invalid character/],
      ['QUJD QUJ', 4, /invalid character/],
      ['QUJ*', 3, /invalid character '\*'/],
      ['QU-_', 2, /invalid character '-'/],
      ['QUJD\r\nQU', 4, /U\+000D/],
      ['QUéD', 2, /U\+00E9/],
      ['QU\uD800D', 2, /U\+D800/],
      ['QQ==QUJD', 2, /'=' at index 2 is not padding/],
      ['Q===', 1, /'=' at index 1/],
      ['====', 0, /'=' at index 0/],
      ['QU=D', 2, /'=' at index 2/],
      ['=QUJ', 0, /'=' at index 0/],
      ['QR==', 1, /low 4 bits/], // 'R' leaves 0001 in the unused bits
      ['QUJ=', 2, /low 2 bits/], // 'J' = 001001: unused 01
      ['QUL=', 2, /low 2 bits/],
    ];
    for (const [text, index, message] of cases) {
      const e = b64Error(() => base64Decode(text, false, 100));
      expect(e.index, text).toBe(index);
      expect(e.message, text).toMatch(message);
    }
    expect(hex(base64Decode('QQ==', false, 1))).toBe('41');
    expect(hex(base64Decode('QUI=', false, 2))).toBe('4142');
    expect(hex(base64Decode('', false, 0))).toBe('');
  });

  it('property: accepts exactly the canonical encodings, and decodes them like Buffer', () => {
    const chars = 'ABCDQRSTwxyz0189+/=-_ Jg'.split('');
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...chars), { maxLength: 24 }).map((a) => a.join('')),
        (text) => {
          const canonical = text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text) && nodeB64(Buffer.from(text, 'base64')) === text;
          let ok = true;
          let out: Uint8Array | undefined;
          try {
            out = base64Decode(text, false, 1000);
          } catch (e) {
            expect(e).toBeInstanceOf(Base64Error);
            ok = false;
          }
          expect(ok, JSON.stringify(text)).toBe(canonical);
          if (out) expect(hex(out)).toBe(Buffer.from(text, 'base64').toString('hex'));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('property: every non-canonical last character of a real encoding is rejected', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 50 }).filter((b) => b.length % 3 !== 0), fc.nat(63), (b, v) => {
        const text = nodeB64(b);
        const pad = text.endsWith('==') ? 2 : 1;
        const i = text.length - pad - 1;
        const mutated = text.slice(0, i) + alphabet[v] + text.slice(i + 1);
        const mask = pad === 2 ? 0x0f : 0x03;
        if ((v & mask) === 0) {
          expect(base64Decode(mutated, false, 100).length).toBe(b.length);
        } else {
          expect(b64Error(() => base64Decode(mutated, false, 100)).index).toBe(i);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('checks maxBytes before allocating', () => {
    expect(base64Decode('QUJD', false, 3).length).toBe(3);
    expect(b64Error(() => base64Decode('QUJD', false, 2)).message).toMatch(/exceeds the limit of 2/);
    expect(b64Error(() => base64Decode('QQ==', false, 0)).message).toMatch(/decoded size 1/);
    // A huge text is refused without decoding it.
    const huge = 'A'.repeat(40_000_000);
    expect(huge.charCodeAt(huge.length - 1)).toBe(65); // flatten the rope outside the timing
    const t0 = performance.now();
    b64Error(() => base64Decode(huge, false, 1024));
    expect(performance.now() - t0).toBeLessThan(50);
  });
});

describe("base64Decode lenient (commons-codec 1.15 semantics)", () => {
  const examples: Array<[string, string]> = [
    ['QUJD', 'ABC'],
    ['QUJ', 'AB'], // final 3 chars → 2 bytes
    ['QU', 'A'], // final 2 chars → 1 byte
    ['Q', ''], // final lone char ignored
    ['QUJDR', 'ABC'],
    ['QR', 'A'], // non-zero unused bits dropped, no error
    ['QUL', 'AB'],
    ['QQ==', 'A'],
    ['QQ=', 'A'],
    ['QQ', 'A'],
    ['QU=JD', 'A'], // the first '=' ends the input
    ['QQ==QUJD', 'A'],
    ['=QUJD', ''],
    ['Q U\r\nJ\tD', 'ABC'], // whitespace skipped
    ['QU*J!D', 'ABC'], // any other non-alphabet ASCII skipped
    ['QéUJD', 'ABC'], // non-ASCII skipped
    ['Q\uD800UJD', 'ABC'], // lone surrogate skipped
    ['QUJD😀QUJD', 'ABCABC'],
    ['', ''],
    ['   ', ''],
  ];
  for (const [text, expected] of examples) {
    it(`${JSON.stringify(text)} → ${JSON.stringify(expected)}`, () => {
      expect(ascii(base64Decode(text, true, 100))).toBe(expected);
      expect(ascii(commonsCodecDecode(text))).toBe(expected);
    });
  }

  it("accepts the URL-safe alphabet ('-' = '+', '_' = '/') and mixes", () => {
    const b = Uint8Array.from([0xfb, 0xff, 0xbf, 0xfe, 0xfb, 0xef]);
    const std = nodeB64(b);
    expect(std).toMatch(/[+/]/);
    const url = std.replace(/\+/g, '-').replace(/\//g, '_');
    expect(hex(base64Decode(url, true, 100))).toBe(hex(b));
    expect(hex(base64Decode(std, true, 100))).toBe(hex(b));
    expect(hex(base64Decode('-_+/', true, 100))).toBe(hex(base64Decode('+/+/', true, 100)));
    expect(hex(base64Decode('-_+/', true, 100))).toBe('fbffbf');
  });

  it('round-trips every length 0..300 (with and without padding, with line breaks)', () => {
    for (let n = 0; n <= 300; n++) {
      const b = seededBytes(n, n + 99);
      const text = nodeB64(b);
      expect(hex(base64Decode(text, true, n))).toBe(hex(b));
      expect(hex(base64Decode(text.replace(/=/g, ''), true, n))).toBe(hex(b));
      expect(hex(base64Decode(text.replace(/(.{76})/g, '$1\r\n'), true, n))).toBe(hex(b));
    }
  });

  it('property: identical to the transcribed commons-codec decoder on arbitrary strings', () => {
    const noisy = fc
      .array(
        fc.oneof(
          fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_'.split('')),
          fc.constantFrom('=', ' ', '\n', '\r', '\t', '*', '.', 'é', '\uD83D', '\uDE00', '😀', '\u0000', '\u007f', '\u0080', '~', '{'),
        ),
        { maxLength: 60 },
      )
      .map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(noisy, fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ maxLength: 60 })), (text) => {
        expect(hex(base64Decode(text, true, 1000))).toBe(hex(commonsCodecDecode(text)));
      }),
      { numRuns: 5000 },
    );
  });

  it('bounds the output by maxBytes using the exact decoded size', () => {
    expect(base64Decode(' Q U J D \n'.repeat(10), true, 30).length).toBe(30);
    expect(b64Error(() => base64Decode('QUJD'.repeat(10), true, 29)).message).toMatch(/exceeds the limit of 29/);
    // The limit is exact for every size: n alphabet characters decode to floor(n/4)*3 + [0,0,1,2][n%4].
    for (let max = 0; max < 20; max++) {
      for (let chars = 0; chars < 30; chars++) {
        const size = Math.floor(chars / 4) * 3 + [0, 0, 1, 2][chars % 4];
        const text = 'A'.repeat(chars);
        if (size <= max) expect(base64Decode(text, true, max).length).toBe(size);
        else b64Error(() => base64Decode(text, true, max));
      }
    }
    expect(base64Decode('QUJD'.repeat(10) + '=' + 'QUJD'.repeat(1000), true, 30).length).toBe(30);
    const huge = 'A'.repeat(20_000_000);
    expect(huge.charCodeAt(huge.length - 1)).toBe(65);
    const t0 = performance.now();
    expect(b64Error(() => base64Decode(huge, true, 1024)).index).toBe(1366); // the 1367th character: stops early
    expect(performance.now() - t0).toBeLessThan(50);
  });

  it('rejects bad arguments', () => {
    expect(() => base64Decode('QUJD', false, -1)).toThrow(RangeError);
    expect(() => base64Decode(1 as unknown as string, true, 10)).toThrow(TypeError);
  });
});

describe('isHex (app IDs and certificates)', () => {
  it('agrees with /^[0-9a-fA-F]{n}$/ on every code unit next to the hex ranges, and on random text', () => {
    const edges = [0, 15, 16, 25, 47, 48, 57, 58, 64, 65, 70, 71, 96, 97, 102, 103, 127, 128, 176, 183, 304, 0xff10, 0xff21, 0xff41, 0xffff];
    for (const c of edges) {
      const text = `${'a'.repeat(31)}${String.fromCharCode(c)}`;
      expect(isHex(text, 32), `code ${c}`).toBe(/^[0-9a-fA-F]{32}$/.test(text));
    }
    fc.assert(fc.property(fc.string({ minLength: 31, maxLength: 33, unit: fc.constantFrom(...'0123456789abcdefABCDEF0123456789abcdefABCDEFgG:/@`\u0130\uff21'.split('')) }), (text) => {
      expect(isHex(text, 32)).toBe(/^[0-9a-fA-F]{32}$/.test(text));
    }));
  });
});
