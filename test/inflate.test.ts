import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import fc from 'fast-check';
import pako from 'pako';
import { describe, expect, it } from 'vitest';
import { base64Decode } from '../src/bytes/base64';
import { InflateError, type InflateErrorCode, zlibInflate } from '../src/zlib/inflate';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const MB = 1 << 20;

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}

function seeded(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function randomBytes(n: number, seed: number): Uint8Array {
  const r = seeded(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = r() & 0xff;
  return out;
}

/** Compressible, token-like data: words, numbers, some random bytes. */
function textLike(n: number, seed: number): Uint8Array {
  const r = seeded(seed);
  const words = ['agora', 'token', 'channel', 'uid', 'rtc', 'rtm', 'chat', 'expire', 'salt', '007', '\u0000\u0000'];
  const out = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    const k = r() % 13;
    if (k < words.length) {
      const w = words[k];
      for (let j = 0; j < w.length && i < n; j++) out[i++] = w.charCodeAt(j);
    } else {
      out[i++] = r() & 0xff;
    }
  }
  return out;
}

function errorCode(f: () => unknown): InflateErrorCode | 'ok' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof InflateError) return e.code;
    throw e;
  }
}

/** zlib (Node's copy, same inflate.c logic as the JDK's) run the way Java's Utils.decompress runs it. */
async function javaLike(input: Uint8Array): Promise<{ out: Buffer; err?: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const inf = zlib.createInflate({ chunkSize: 8192, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    inf.on('data', (c: Buffer) => chunks.push(c));
    inf.on('error', (e: Error) => resolve({ out: Buffer.concat(chunks), err: e.message }));
    inf.on('end', () => resolve({ out: Buffer.concat(chunks) }));
    inf.end(Buffer.from(input));
  });
}

/** Our lenient result in the same shape as javaLike(). */
function oursLenient(input: Uint8Array, maxOutput = 64 * MB): { out: Buffer; err?: string } {
  try {
    const r = zlibInflate(input, { maxOutput, lenient: true });
    return { out: Buffer.from(r.output), err: r.swallowedError?.message };
  } catch (e) {
    if (!(e instanceof InflateError)) throw e;
    return { out: Buffer.alloc(0), err: e.message };
  }
}

async function expectJavaAgreement(input: Uint8Array, label: string): Promise<void> {
  const java = await javaLike(input);
  const ours = oursLenient(input);
  const ctx = `${label}: java=${java.out.length}B/${java.err ?? 'ok'} ours=${ours.out.length}B/${ours.err ?? 'ok'}`;
  expect(ours.err === undefined, ctx).toBe(java.err === undefined);
  expect(ours.out.equals(java.out), ctx).toBe(true);
}

/** LSB-first bit writer for hand-made DEFLATE streams. */
class BitWriter {
  private bytes: number[] = [];
  private cur = 0;
  private n = 0;
  bits(value: number, count: number): this {
    for (let i = 0; i < count; i++) {
      this.cur |= ((value >>> i) & 1) << this.n;
      if (++this.n === 8) this.flushByte();
    }
    return this;
  }
  /** Huffman codes are sent most significant bit first. */
  code(code: number, len: number): this {
    for (let i = len - 1; i >= 0; i--) this.bits((code >>> i) & 1, 1);
    return this;
  }
  align(): this {
    if (this.n > 0) this.flushByte();
    return this;
  }
  raw(bytes: ArrayLike<number>): this {
    this.align();
    for (let i = 0; i < bytes.length; i++) this.bytes.push(bytes[i] & 0xff);
    return this;
  }
  finish(): Uint8Array {
    this.align();
    return Uint8Array.from(this.bytes);
  }
  private flushByte(): void {
    this.bytes.push(this.cur);
    this.cur = 0;
    this.n = 0;
  }
}

const LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

function lengthSymbol(len: number): [number, number, number] {
  for (let i = LBASE.length - 1; i >= 0; i--) if (len >= LBASE[i]) return [257 + i, len - LBASE[i], LEXT[i]];
  throw new Error('bad length');
}
function distSymbol(d: number): [number, number, number] {
  for (let i = DBASE.length - 1; i >= 0; i--) if (d >= DBASE[i]) return [i, d - DBASE[i], DEXT[i]];
  throw new Error('bad distance');
}

function fixedLit(w: BitWriter, sym: number): void {
  if (sym < 144) w.code(0x30 + sym, 8);
  else if (sym < 256) w.code(0x190 + sym - 144, 9);
  else if (sym < 280) w.code(sym - 256, 7);
  else w.code(0xc0 + sym - 280, 8);
}
function fixedMatch(w: BitWriter, len: number, d: number): void {
  const [ls, lx, ln] = lengthSymbol(len);
  fixedLit(w, ls);
  w.bits(lx, ln);
  const [ds, dx, dn] = distSymbol(d);
  w.code(ds, 5);
  w.bits(dx, dn);
}
function storedBlock(w: BitWriter, data: Uint8Array, last: boolean): void {
  w.bits(last ? 1 : 0, 1).bits(0, 2).align();
  const n = data.length;
  w.raw([n & 0xff, n >>> 8, ~n & 0xff, (~n >>> 8) & 0xff]);
  w.raw(data);
}

/** Canonical codes for a list of code lengths (-1 for unused symbols). */
function canonical(lens: number[]): number[] {
  const count = new Array<number>(16).fill(0);
  for (const l of lens) if (l) count[l]++;
  const next = new Array<number>(16).fill(0);
  let code = 0;
  for (let b = 1; b < 16; b++) {
    code = (code + count[b - 1]) << 1;
    next[b] = code;
  }
  return lens.map((l) => (l ? next[l]++ : -1));
}

/** A complete code-length code: symbols 0..12 get 4 bits, 13..18 get 5 bits (13/16 + 6/32 = 1). */
const DEFAULT_CL = Array.from({ length: 19 }, (_, i) => (i < 13 ? 4 : 5));

interface DynOptions {
  clLens?: number[];
  /** Code-length symbols to send instead of one literal symbol per length: [sym, extraValue]. */
  clSymbols?: Array<[number, number]>;
  hlit?: number; // raw field override
  hdist?: number;
}

/** Writes a dynamic block header and returns encoders for literal/length and distance symbols. */
function dynamicHeader(w: BitWriter, last: boolean, litLens: number[], distLens: number[], o: DynOptions = {}) {
  w.bits(last ? 1 : 0, 1).bits(2, 2);
  w.bits(o.hlit ?? litLens.length - 257, 5);
  w.bits(o.hdist ?? distLens.length - 1, 5);
  w.bits(15, 4); // all 19 code-length code lengths
  const cl = o.clLens ?? DEFAULT_CL;
  for (const s of CL_ORDER) w.bits(cl[s], 3);
  const clCodes = canonical(cl);
  const syms: Array<[number, number]> = o.clSymbols ?? [...litLens, ...distLens].map((l) => [l, 0]);
  for (const [s, extra] of syms) {
    w.code(clCodes[s], cl[s]);
    if (s === 16) w.bits(extra, 2);
    if (s === 17) w.bits(extra, 3);
    if (s === 18) w.bits(extra, 7);
  }
  const lc = canonical(litLens);
  const dc = canonical(distLens);
  return {
    lit: (sym: number) => w.code(lc[sym], litLens[sym]),
    dist: (sym: number) => w.code(dc[sym], distLens[sym]),
  };
}

function adler(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const x of data) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** zlib wrapper around raw DEFLATE bytes; the Adler-32 is computed over `content`. */
function zwrap(raw: Uint8Array, content: Uint8Array, cmf = 0x78): Uint8Array {
  const flgBase = 0x80;
  const flg = flgBase + ((31 - ((cmf * 256 + flgBase) % 31)) % 31);
  const a = adler(content);
  return Uint8Array.from([cmf, flg, ...raw, a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff]);
}

function fixedStream(build: (w: BitWriter) => void, content: Uint8Array, cmf = 0x78): Uint8Array {
  const w = new BitWriter();
  w.bits(1, 1).bits(1, 2);
  build(w);
  return zwrap(w.finish(), content, cmf);
}

const enc = (s: string) => new TextEncoder().encode(s);

// A real token body (chat user token from the invalid-vector fixture's control token).
const TOKEN_BODY =
  'eJxTYCheH7H63//b6tcU/LkdI2U+2vGZ6RkYmP0PVnpiufW04QcFBpNU82SzNMMko0TLFJNk41SLNPNEsyTTZJMU41SjNEODhod+GQJ8DAwVYSZCjAysDIxACOKzMiTmZCanAgDd4B2W';
const TOKEN_ZLIB = new Uint8Array(Buffer.from(TOKEN_BODY, 'base64'));

// ---------------------------------------------------------------------------------------------

describe('zlibInflate: round trips', () => {
  const samples: Array<[string, Uint8Array]> = [
    ['empty', new Uint8Array(0)],
    ['one byte', Uint8Array.of(0x41)],
    ['random 100', randomBytes(100, 1)],
    ['random 3000', randomBytes(3000, 2)],
    ['text 5000', textLike(5000, 3)],
    ['zeros 70000', new Uint8Array(70000)],
    ['text 40000', textLike(40000, 4)],
    ['random 70000', randomBytes(70000, 5)],
  ];

  it('inflates pako output for every level 0–9 and every strategy', () => {
    for (const [name, data] of samples) {
      for (let level = 0; level <= 9; level++) {
        for (let strategy = 0; strategy <= 4; strategy++) {
          const z = pako.deflate(data, { level: level as pako.DeflateOptions['level'], strategy: strategy as pako.DeflateOptions['strategy'] });
          for (const lenient of [false, true]) {
            const r = zlibInflate(z, { maxOutput: data.length, lenient });
            expect(hex(r.output), `${name} L${level} S${strategy}`).toBe(hex(data));
            expect(r).toMatchObject({ complete: true, checksum: 'ok', trailing: 0 });
          }
        }
      }
    }
  });

  it('inflates every window size 8–15 and memLevel (strict window check passes for honest encoders)', () => {
    const data = textLike(120000, 6);
    for (let windowBits = 8; windowBits <= 15; windowBits++) {
      for (const memLevel of [1, 8, 9]) {
        const z = pako.deflate(data, { windowBits, memLevel: memLevel as pako.DeflateOptions['memLevel'], level: 9 });
        const r = zlibInflate(z, { maxOutput: data.length });
        expect(r.output.length).toBe(data.length);
        expect(hex(r.output.subarray(0, 64))).toBe(hex(data.subarray(0, 64)));
        expect(Buffer.from(r.output).equals(Buffer.from(data)), `wbits ${windowBits} mem ${memLevel}`).toBe(true);
      }
    }
  });

  it('inflates Node zlib output (another encoder), including Z_FIXED and Z_RLE', () => {
    for (const [name, data] of samples) {
      for (const strategy of [0, 1, 2, 3, 4]) {
        const z = zlib.deflateSync(data, { strategy });
        const r = zlibInflate(new Uint8Array(z), { maxOutput: data.length });
        expect(Buffer.from(r.output).equals(Buffer.from(data)), `${name} ${strategy}`).toBe(true);
      }
    }
  });

  it('property: arbitrary data and options round-trip', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.string({ maxLength: 2000 }).map(enc)),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 9, max: 15 }),
        (data, level, strategy, windowBits) => {
          const z = pako.deflate(data, {
            level: level as pako.DeflateOptions['level'],
            strategy: strategy as pako.DeflateOptions['strategy'],
            windowBits,
          });
          const r = zlibInflate(z, { maxOutput: data.length });
          expect(Buffer.from(r.output).equals(Buffer.from(data))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('handles output exactly at maxOutput and throws one byte below', () => {
    for (const data of [textLike(1000, 7), randomBytes(20000, 8), new Uint8Array(100000)]) {
      const z = pako.deflate(data);
      expect(zlibInflate(z, { maxOutput: data.length }).output.length).toBe(data.length);
      expect(errorCode(() => zlibInflate(z, { maxOutput: data.length - 1 }))).toBe('ERR_INFLATE_LIMIT');
      expect(errorCode(() => zlibInflate(z, { maxOutput: data.length - 1, lenient: true }))).toBe('ERR_INFLATE_LIMIT');
    }
    expect(errorCode(() => zlibInflate(pako.deflate(Uint8Array.of(1)), { maxOutput: 0 }))).toBe('ERR_INFLATE_LIMIT');
    expect(zlibInflate(pako.deflate(new Uint8Array(0)), { maxOutput: 0 }).output.length).toBe(0);
  });

  it('returns independent outputs (the scratch buffer is never exposed)', () => {
    const a = zlibInflate(pako.deflate(enc('first payload')), { maxOutput: 100 }).output;
    const b = zlibInflate(pako.deflate(enc('second')), { maxOutput: 100 }).output;
    expect(new TextDecoder().decode(a)).toBe('first payload');
    expect(new TextDecoder().decode(b)).toBe('second');
    expect(a.buffer).not.toBe(b.buffer);
  });

  it('rejects bad arguments with TypeError/RangeError', () => {
    expect(() => zlibInflate([1, 2] as unknown as Uint8Array, { maxOutput: 10 })).toThrow(TypeError);
    expect(() => zlibInflate(TOKEN_ZLIB, { maxOutput: -1 })).toThrow(RangeError);
    expect(() => zlibInflate(TOKEN_ZLIB, { maxOutput: 1.5 })).toThrow(RangeError);
  });
});

describe('zlibInflate: header and data errors', () => {
  const content = enc('aaaaa');
  const good = fixedStream((w) => {
    fixedLit(w, 97);
    fixedLit(w, 97);
    fixedMatch(w, 3, 1);
    fixedLit(w, 256);
  }, content);

  it('accepts the hand-made reference stream', () => {
    expect(new TextDecoder().decode(zlibInflate(good, { maxOutput: 10 }).output)).toBe('aaaaa');
  });

  const cases: Array<[string, Uint8Array, InflateErrorCode, RegExp]> = [
    ['FCHECK', Uint8Array.from([0x78, 0x9d, ...good.subarray(2)]), 'ERR_ZLIB_HEADER', /header check/],
    ['CM 9', zwrap(good.subarray(2, -4), content, 0x79), 'ERR_ZLIB_HEADER', /compression method/],
    ['CM 15', zwrap(good.subarray(2, -4), content, 0x7f), 'ERR_ZLIB_HEADER', /compression method/],
    ['CINFO 8', zwrap(good.subarray(2, -4), content, 0x88), 'ERR_ZLIB_HEADER', /window size/],
    ['FDICT', Uint8Array.from([0x78, 0xbb, 0, 0, 0, 1, ...good.subarray(2)]), 'ERR_ZLIB_HEADER', /dictionary/],
    ['block type 3', zwrap(new BitWriter().bits(1, 1).bits(3, 2).finish(), content), 'ERR_ZLIB_DATA', /block type/],
    [
      'stored LEN/NLEN mismatch',
      zwrap(new BitWriter().bits(1, 1).bits(0, 2).raw([5, 0, 0xfa, 0xfe]).raw(content).finish(), content),
      'ERR_ZLIB_DATA',
      /stored block lengths/,
    ],
    [
      'distance too far back',
      fixedStream((w) => {
        fixedLit(w, 97);
        fixedMatch(w, 3, 2);
        fixedLit(w, 256);
      }, content),
      'ERR_ZLIB_DATA',
      /too far back/,
    ],
    [
      'fixed literal/length 286',
      fixedStream((w) => {
        fixedLit(w, 97);
        fixedLit(w, 286);
      }, content),
      'ERR_ZLIB_DATA',
      /literal\/length code/,
    ],
    [
      'fixed literal/length 287',
      fixedStream((w) => fixedLit(w, 287), content),
      'ERR_ZLIB_DATA',
      /literal\/length code/,
    ],
    [
      'fixed distance 30',
      fixedStream((w) => {
        fixedLit(w, 97);
        fixedLit(w, 257);
        w.code(30, 5);
      }, content),
      'ERR_ZLIB_DATA',
      /distance code/,
    ],
    [
      'fixed distance 31',
      fixedStream((w) => {
        fixedLit(w, 97);
        fixedLit(w, 257);
        w.code(31, 5);
      }, content),
      'ERR_ZLIB_DATA',
      /distance code/,
    ],
    ['wrong Adler-32', Uint8Array.from([...good.subarray(0, -1), good[good.length - 1] ^ 1]), 'ERR_ZLIB_CHECKSUM', /data check/],
  ];

  // Dynamic-block headers.
  const lit3 = (): number[] => {
    const l = new Array<number>(258).fill(0);
    l[97] = 1;
    l[256] = 2;
    l[257] = 2;
    return l;
  };
  const dyn = (
    litLens: number[],
    distLens: number[],
    o: DynOptions = {},
    body?: (e: ReturnType<typeof dynamicHeader>, w: BitWriter) => void,
  ) => {
    const w = new BitWriter();
    const e = dynamicHeader(w, true, litLens, distLens, o);
    body?.(e, w);
    w.raw(new Array<number>(48).fill(0)); // enough padding for the header checks to run
    return zwrap(w.finish(), content);
  };
  cases.push(
    ['HLIT 287', dyn(lit3(), [1], { hlit: 30 }), 'ERR_ZLIB_DATA', /too many length or distance symbols/],
    ['HDIST 31', dyn(lit3(), [1], { hdist: 30 }), 'ERR_ZLIB_DATA', /too many length or distance symbols/],
    ['code-length code over-subscribed', dyn(lit3(), [1], { clLens: new Array<number>(19).fill(1) }), 'ERR_ZLIB_DATA', /code lengths set/],
    [
      'code-length code incomplete (single code)',
      dyn(lit3(), [1], { clLens: [1, ...new Array<number>(18).fill(0)] }),
      'ERR_ZLIB_DATA',
      /code lengths set/,
    ],
    [
      'code-length code empty (zlib accepts it, then misses end-of-block)',
      dyn(lit3(), [1], { clLens: new Array<number>(19).fill(0), clSymbols: [] }),
      'ERR_ZLIB_DATA',
      /end-of-block/,
    ],
    ['repeat with no previous length', dyn(lit3(), [1], { clSymbols: [[16, 0]] }), 'ERR_ZLIB_DATA', /bit length repeat/],
    [
      'repeat past the last length',
      dyn(lit3(), [1], { clSymbols: [[18, 127], [18, 127], [18, 127]] }),
      'ERR_ZLIB_DATA',
      /bit length repeat/,
    ],
    [
      'missing end-of-block code',
      dyn(
        (() => {
          const l = new Array<number>(258).fill(0);
          l[97] = 1;
          l[257] = 1;
          return l;
        })(),
        [1],
      ),
      'ERR_ZLIB_DATA',
      /end-of-block/,
    ],
    [
      'literal/length set incomplete',
      dyn(
        (() => {
          const l = new Array<number>(258).fill(0);
          l[97] = 2;
          l[98] = 2;
          l[256] = 2;
          return l;
        })(),
        [1],
      ),
      'ERR_ZLIB_DATA',
      /literal\/lengths set/,
    ],
    [
      'literal/length set over-subscribed',
      dyn(
        (() => {
          const l = new Array<number>(258).fill(0);
          l[97] = 1;
          l[98] = 1;
          l[256] = 1;
          return l;
        })(),
        [1],
      ),
      'ERR_ZLIB_DATA',
      /literal\/lengths set/,
    ],
    ['distance set over-subscribed', dyn(lit3(), [1, 1, 1]), 'ERR_ZLIB_DATA', /distances set/],
    ['distance set incomplete (2-bit)', dyn(lit3(), [2, 2, 2]), 'ERR_ZLIB_DATA', /distances set/],
    [
      // The only distance code is "0"; zlib treats "1" as an invalid code.
      'unused half of a single 1-bit distance code',
      dyn(lit3(), [1], {}, (e, w) => {
        e.lit(97);
        e.lit(257);
        w.bits(1, 1);
      }),
      'ERR_ZLIB_DATA',
      /distance code/,
    ],
    [
      'length code with an empty distance code',
      dyn(lit3(), [0], {}, (e) => {
        e.lit(97);
        e.lit(257);
      }),
      'ERR_ZLIB_DATA',
      /distance code/,
    ],
  );

  for (const [name, stream, code, message] of cases) {
    it(`${name} → ${code}`, async () => {
      for (const lenient of [false, true]) {
        let caught: unknown;
        try {
          zlibInflate(stream, { maxOutput: 1000, lenient });
        } catch (e) {
          caught = e;
        }
        expect(caught, `${name} lenient=${lenient}`).toBeInstanceOf(InflateError);
        expect((caught as InflateError).code).toBe(code);
        expect((caught as InflateError).message).toMatch(message);
      }
      // zlib itself rejects each of them too.
      const java = await javaLike(stream);
      expect(java.err, name).toBeDefined();
      expect(java.out.length).toBe(0);
    });
  }

  it('valid edge codes zlib accepts: single 1-bit distance code, EOB-only literal code, empty distance code', async () => {
    // 'a' 'a' + match(3, 1) with a one-code distance tree.
    let w = new BitWriter();
    let e = dynamicHeader(w, true, lit3(), [1]);
    e.lit(97);
    e.lit(97);
    e.lit(257);
    e.dist(0);
    e.lit(256);
    let s = zwrap(w.finish(), content);
    expect(new TextDecoder().decode(zlibInflate(s, { maxOutput: 10 }).output)).toBe('aaaaa');
    await expectJavaAgreement(s, 'single distance code');

    // A block whose literal/length code has only the end-of-block symbol, then a stored block.
    const eobOnly = new Array<number>(257).fill(0);
    eobOnly[256] = 1;
    w = new BitWriter();
    e = dynamicHeader(w, false, eobOnly, [0]);
    e.lit(256);
    storedBlock(w, content, true);
    s = zwrap(w.finish(), content);
    expect(new TextDecoder().decode(zlibInflate(s, { maxOutput: 10 }).output)).toBe('aaaaa');
    await expectJavaAgreement(s, 'EOB-only');

    // No distance codes at all, only literals.
    const lits = new Array<number>(257).fill(0);
    lits[97] = 1;
    lits[256] = 1;
    w = new BitWriter();
    e = dynamicHeader(w, true, lits, [0]);
    for (let i = 0; i < 5; i++) e.lit(97);
    e.lit(256);
    s = zwrap(w.finish(), content);
    expect(new TextDecoder().decode(zlibInflate(s, { maxOutput: 10 }).output)).toBe('aaaaa');
    await expectJavaAgreement(s, 'no distance codes');
  });

  it('empty code-length code: truncation before nlen + ndist bits wins over the error, as in zlib', async () => {
    for (const padding of [8, 31, 32, 40]) {
      const w = new BitWriter();
      storedBlock(w, content, false);
      dynamicHeader(w, true, lit3(), [1], { clLens: new Array<number>(19).fill(0), clSymbols: [] });
      w.raw(new Array<number>(padding).fill(0));
      const s = w.finish();
      const r = oursLenient(Uint8Array.from([0x78, 0x9c, ...s]));
      // 259 one-bit lengths are needed; the 74 header bits leave 6 bits in their last byte.
      expect(r.err === undefined, `padding ${padding}`).toBe(padding * 8 + 6 < 259);
      if (r.err === undefined) expect(new TextDecoder().decode(r.out)).toBe('aaaaa');
      await expectJavaAgreement(Uint8Array.from([0x78, 0x9c, ...s]), `padding ${padding}`);
    }
  });

  it('long Huffman codes (> 10 bits) decode through subtables', () => {
    // Skewed frequencies force 10–15 bit codes in dynamic blocks.
    const r = seeded(99);
    const data = new Uint8Array(60000);
    for (let i = 0; i < data.length; i++) {
      const x = r() % 1000;
      data[i] = x < 900 ? 65 : x < 990 ? 66 + (x % 5) : r() & 0xff;
    }
    for (const strategy of [0, 2]) {
      const z = pako.deflate(data, { strategy: strategy as pako.DeflateOptions['strategy'] });
      expect(Buffer.from(zlibInflate(z, { maxOutput: data.length }).output).equals(Buffer.from(data))).toBe(true);
    }
  });

  it('strict mode enforces the window size the header declares; lenient (like zlib) does not', async () => {
    const data = new Uint8Array(303);
    for (let i = 0; i < 300; i++) data[i] = (i * 7) & 0xff;
    data.set(data.subarray(0, 3), 300);
    const s = fixedStream((w) => {
      for (let i = 0; i < 300; i++) fixedLit(w, data[i]);
      fixedMatch(w, 3, 300);
      fixedLit(w, 256);
    }, data, 0x08); // CINFO 0: 256-byte window
    expect(errorCode(() => zlibInflate(s, { maxOutput: 1000 }))).toBe('ERR_ZLIB_DATA');
    expect(Buffer.from(zlibInflate(s, { maxOutput: 1000, lenient: true }).output).equals(Buffer.from(data))).toBe(true);
    await expectJavaAgreement(s, 'CINFO 0 with distance 300');
  });
});

describe('zlibInflate: truncation and trailing bytes', () => {
  const streams: Array<[string, Uint8Array]> = [
    ['token', TOKEN_ZLIB],
    ['dynamic text', pako.deflate(textLike(3000, 10))],
    ['stored', pako.deflate(randomBytes(300, 11), { level: 0 })],
    ['fixed', pako.deflate(textLike(500, 12), { strategy: 4 })],
    ['two stored blocks', pako.deflate(randomBytes(70000, 13), { level: 0 })],
  ];

  it('truncation at every position: strict throws ERR_ZLIB_TRUNCATED, lenient gives what zlib gives', async () => {
    for (const [name, z] of streams) {
      const full = zlibInflate(z, { maxOutput: 10 * MB }).output;
      const step = z.length > 5000 ? 97 : 1;
      for (let cut = 0; cut < z.length; cut += step) {
        const part = z.subarray(0, cut);
        expect(errorCode(() => zlibInflate(part, { maxOutput: 10 * MB })), `${name} cut ${cut}`).toBe('ERR_ZLIB_TRUNCATED');
        const r = zlibInflate(part, { maxOutput: 10 * MB, lenient: true });
        // A prefix of the real output, identical to zlib's partial output.
        expect(Buffer.from(r.output).equals(Buffer.from(full.subarray(0, r.output.length))), `${name} cut ${cut}`).toBe(true);
        const node = cut < 2 ? Buffer.alloc(0) : zlib.inflateSync(part, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
        expect(r.output.length, `${name} cut ${cut}`).toBe(node.length);
        if (cut >= z.length - 4) {
          expect(r.complete).toBe(true);
          expect(r.checksum).toBe(cut === z.length - 4 ? 'missing' : 'truncated');
          expect(r.output.length).toBe(full.length);
        } else {
          expect(r.checksum).toBe('missing');
        }
      }
    }
  });

  it('truncated outputs match the Java loop exactly', async () => {
    for (const [name, z] of streams.slice(0, 4)) {
      for (let cut = 0; cut < z.length; cut += 7) await expectJavaAgreement(z.subarray(0, cut), `${name} cut ${cut}`);
    }
  });

  it('reports bytes after the Adler-32 as trailing (both modes)', () => {
    for (const [name, z] of streams) {
      for (const extra of [[0], [1, 2, 3], Array.from(TOKEN_ZLIB)]) {
        const withTail = Uint8Array.from([...z, ...extra]);
        for (const lenient of [false, true]) {
          const r = zlibInflate(withTail, { maxOutput: 10 * MB, lenient });
          expect(r.trailing, name).toBe(extra.length);
          expect(r.checksum).toBe('ok');
        }
      }
    }
  });
});

describe('zlibInflate: corrupted streams', () => {
  const streams: Array<[string, Uint8Array]> = [
    ['token', TOKEN_ZLIB],
    ['dynamic text', pako.deflate(textLike(600, 20))],
    ['stored', pako.deflate(randomBytes(100, 21), { level: 0 })],
    ['huffman only', pako.deflate(textLike(400, 22), { strategy: 2 })],
  ];

  it('every single-bit flip: only InflateError, and lenient mode agrees with the Java loop', async () => {
    for (const [name, z] of streams) {
      const original = zlibInflate(z, { maxOutput: MB }).output;
      for (let bit = 0; bit < z.length * 8; bit++) {
        const bad = z.slice();
        bad[bit >>> 3] ^= 1 << (bit & 7);
        // strict: an InflateError, or (flips in ignored padding bits) the original data.
        let strictOut: Uint8Array | undefined;
        try {
          strictOut = zlibInflate(bad, { maxOutput: MB }).output;
        } catch (e) {
          expect(e, `${name} bit ${bit}`).toBeInstanceOf(InflateError);
        }
        if (strictOut) expect(hex(strictOut), `${name} bit ${bit}`).toBe(hex(original));
        await expectJavaAgreement(bad, `${name} bit ${bit}`);
      }
    }
  }, 120_000);

  it('property: random mutations never throw anything but InflateError, lenient == Java loop', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 600 }), fc.string({ maxLength: 600 }).map(enc)),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (data, level, strategy, edits, cut) => {
          const z = pako.deflate(data, {
            level: level as pako.DeflateOptions['level'],
            strategy: strategy as pako.DeflateOptions['strategy'],
          }).slice();
          for (const [at, value] of edits) z[at % z.length] = value;
          const bad = cut === undefined ? z : z.subarray(0, cut % (z.length + 1));
          try {
            zlibInflate(bad, { maxOutput: 4096 });
          } catch (e) {
            expect(e).toBeInstanceOf(InflateError);
          }
          await expectJavaAgreement(bad, 'mutation');
        },
      ),
      { numRuns: 1500 },
    );
  }, 120_000);

  it('property: arbitrary bytes behind a valid header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 200 }), async (tail) => {
        const input = Uint8Array.from([0x78, 0x9c, ...tail]);
        for (const lenient of [false, true]) {
          try {
            zlibInflate(input, { maxOutput: 1 << 16, lenient });
          } catch (e) {
            expect(e).toBeInstanceOf(InflateError);
          }
        }
        await expectJavaAgreement(input, 'random tail');
      }),
      { numRuns: 1500 },
    );
  }, 120_000);
});

describe('zlibInflate lenient: Java keeps only whole 8192-byte chunks before an error', () => {
  const stored = (n: number, seed: number) => randomBytes(n, seed);

  const build = (prefixLen: number, tail: (w: BitWriter) => void): Uint8Array => {
    const w = new BitWriter();
    storedBlock(w, stored(prefixLen, prefixLen), false);
    w.bits(1, 1).bits(1, 2); // final fixed block
    tail(w);
    return zwrap(w.finish(), new Uint8Array(0));
  };

  const cases: Array<[string, Uint8Array, number]> = [
    ['invalid distance code at 8192', build(8192, (w) => { fixedLit(w, 257); w.code(30, 5); }), 0],
    ['invalid literal code at 8192', build(8192, (w) => fixedLit(w, 286)), 0],
    ['too far back at 8192 (checked in the next call)', build(8192, (w) => fixedMatch(w, 3, 10000)), 8192],
    ['literal then too far back at 8192', build(8191, (w) => { fixedLit(w, 1); fixedMatch(w, 3, 10000); }), 8192],
    ['invalid code at 8193', build(8192, (w) => { fixedLit(w, 1); fixedLit(w, 287); }), 8192],
    ['too far back at 16383', build(16383, (w) => fixedMatch(w, 3, 20000)), 8192],
    ['too far back at 16384', build(16384, (w) => fixedMatch(w, 3, 20000)), 16384],
    ['wrong Adler-32 after 8192 bytes', build(8192, (w) => fixedLit(w, 256)), 0],
    ['wrong Adler-32 after 8193 bytes', build(8192, (w) => { fixedLit(w, 7); fixedLit(w, 256); }), 8192],
    ['wrong Adler-32 after 24576 bytes', build(24576, (w) => fixedLit(w, 256)), 16384],
  ];

  for (const [name, stream, keep] of cases) {
    it(name, async () => {
      let kept = 0;
      try {
        const r = zlibInflate(stream, { maxOutput: MB, lenient: true });
        expect(r.swallowedError).toBeInstanceOf(InflateError);
        expect(r.complete).toBe(false);
        kept = r.output.length;
      } catch (e) {
        expect(e).toBeInstanceOf(InflateError);
      }
      expect(kept).toBe(keep);
      expect(errorCode(() => zlibInflate(stream, { maxOutput: MB }))).not.toBe('ok');
      await expectJavaAgreement(stream, name);
    });
  }
});

describe('zlibInflate: decompression bombs', () => {
  it('10 MB of zeros with maxOutput 64 KiB: ERR_INFLATE_LIMIT, fast, small memory', () => {
    const bomb = pako.deflate(new Uint8Array(10 * MB));
    expect(bomb.length).toBeLessThan(20000);
    const g = (globalThis as { gc?: () => void }).gc;
    for (const lenient of [false, true]) {
      g?.();
      const before = process.memoryUsage();
      const t0 = performance.now();
      let code: string | undefined;
      try {
        zlibInflate(bomb, { maxOutput: 64 * 1024, lenient });
      } catch (e) {
        code = (e as InflateError).code;
      }
      const ms = performance.now() - t0;
      const after = process.memoryUsage();
      expect(code).toBe('ERR_INFLATE_LIMIT');
      expect(ms).toBeLessThan(100);
      expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(MB);
      expect(after.heapUsed - before.heapUsed).toBeLessThan(8 * MB);
    }
  });

  it('a bomb inside a small token-sized input stops at maxOutput whatever the block kind', () => {
    for (const strategy of [0, 1, 2, 3, 4]) {
      const z = pako.deflate(new Uint8Array(2 * MB).fill(65), { strategy: strategy as pako.DeflateOptions['strategy'] });
      expect(errorCode(() => zlibInflate(z, { maxOutput: 4096 }))).toBe('ERR_INFLATE_LIMIT');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Golden vectors: base64 + zlib layers of the invalid-token fixture
// ---------------------------------------------------------------------------------------------

interface Vector {
  id: string;
  category: string;
  description: string;
  token: string | null;
  parse: boolean;
  decoded?: { signatureHex: string; signingInfoHex: string };
}

const invalid = (JSON.parse(readFileSync(new URL('../fixtures/golden/accesstoken2-invalid.json', import.meta.url), 'utf8')) as {
  vectors: Vector[];
}).vectors;

/** What the strict path (strict base64 + strict inflate) says about each body. */
const STRICT_EXPECTED: Record<string, string> = {
  'invalid-013': 'ERR_BASE64', 'invalid-014': 'ERR_BASE64', 'invalid-015': 'ERR_BASE64',
  'invalid-017': 'ERR_ZLIB_TRUNCATED', 'invalid-018': 'ERR_ZLIB_TRUNCATED', 'invalid-019': 'ERR_ZLIB_TRUNCATED',
  'invalid-020': 'ERR_ZLIB_TRUNCATED', 'invalid-021': 'ERR_BASE64', 'invalid-022': 'ERR_BASE64',
  'invalid-023': 'ERR_BASE64', 'invalid-025': 'ERR_BASE64', 'invalid-026': 'ERR_BASE64', 'invalid-027': 'ERR_BASE64',
  'invalid-028': 'ERR_BASE64', 'invalid-029': 'ERR_BASE64', 'invalid-030': 'ERR_BASE64', 'invalid-031': 'ERR_BASE64',
  'invalid-032': 'ERR_ZLIB_TRUNCATED', 'invalid-033': 'ERR_ZLIB_TRUNCATED', 'invalid-034': 'ERR_ZLIB_TRUNCATED',
  'invalid-035': 'ERR_ZLIB_TRUNCATED', 'invalid-036': 'ERR_BASE64', 'invalid-037': 'ERR_BASE64',
  'invalid-038': 'ERR_BASE64', 'invalid-039': 'ERR_ZLIB_TRUNCATED', 'invalid-041': 'ERR_BASE64',
  'invalid-043': 'ERR_BASE64', 'invalid-044': 'ERR_BASE64', 'invalid-045': 'ERR_BASE64', 'invalid-046': 'ERR_BASE64',
  'invalid-047': 'ERR_BASE64', 'invalid-048': 'ok', 'invalid-049': 'ERR_BASE64', 'invalid-050': 'trailing:3',
  'invalid-052': 'ERR_ZLIB_HEADER', 'invalid-053': 'ERR_BASE64', 'invalid-054': 'ERR_ZLIB_CHECKSUM',
  'invalid-055': 'ERR_ZLIB_DATA', 'invalid-058': 'ERR_BASE64', 'invalid-059': 'ERR_BASE64', 'invalid-060': 'ERR_BASE64',
  'invalid-061': 'ERR_BASE64', 'invalid-062': 'ERR_BASE64', 'invalid-063': 'ERR_BASE64', 'invalid-065': 'ERR_BASE64',
  'invalid-066': 'ERR_BASE64', 'invalid-067': 'ERR_ZLIB_CHECKSUM', 'invalid-068': 'ERR_ZLIB_CHECKSUM',
  'invalid-069': 'ERR_ZLIB_HEADER', 'invalid-070': 'ERR_ZLIB_HEADER', 'invalid-071': 'ERR_ZLIB_HEADER',
  'invalid-072': 'ERR_ZLIB_HEADER', 'invalid-073': 'ERR_ZLIB_CHECKSUM', 'invalid-074': 'ERR_ZLIB_TRUNCATED',
  'invalid-075': 'ERR_ZLIB_TRUNCATED', 'invalid-076': 'ERR_ZLIB_TRUNCATED', 'invalid-077': 'ERR_ZLIB_CHECKSUM',
  'invalid-078': 'trailing:5', 'invalid-079': 'trailing:12', 'invalid-080': 'ERR_ZLIB_HEADER',
  'invalid-081': 'ok', 'invalid-082': 'ok', 'invalid-083': 'ok', 'invalid-084': 'ok',
  'invalid-085': 'ERR_ZLIB_HEADER', 'invalid-086': 'ERR_ZLIB_HEADER', 'invalid-088': 'ERR_ZLIB_HEADER',
  'invalid-089': 'ERR_ZLIB_CHECKSUM', 'invalid-090': 'ERR_ZLIB_TRUNCATED', 'invalid-091': 'ERR_ZLIB_TRUNCATED',
  'invalid-093': 'ERR_ZLIB_DATA', 'invalid-094': 'trailing:5', 'invalid-095': 'trailing:12',
  'invalid-096': 'ERR_ZLIB_HEADER', 'invalid-097': 'ok', 'invalid-099': 'ok', 'invalid-100': 'ok',
  'invalid-101': 'ERR_ZLIB_TRUNCATED', 'invalid-102': 'ok', 'invalid-103': 'ERR_ZLIB_HEADER',
};

function strictOutcome(body: string): string {
  let bytes: Uint8Array;
  try {
    bytes = base64Decode(body, false, MB);
  } catch (e) {
    return (e as { code: string }).code;
  }
  try {
    const r = zlibInflate(bytes, { maxOutput: MB });
    return r.trailing > 0 ? `trailing:${r.trailing}` : 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(InflateError);
    return (e as InflateError).code;
  }
}

/** Java's AccessToken2.parse over the inflated bytes (enough of it to tell parse true/false). */
function javaParses(b: Uint8Array): boolean {
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  let p = 0;
  const need = (n: number) => {
    if (p + n > b.length) throw new Error('underflow');
  };
  const u16 = () => (need(2), (p += 2), dv.getUint16(p - 2, true));
  const u32 = () => (need(4), (p += 4), dv.getUint32(p - 4, true));
  const str = () => {
    const n = u16();
    need(n);
    p += n;
  };
  try {
    str();
    str();
    u32();
    u32();
    u32();
    const n = u16();
    for (let i = 0; i < n; i++) {
      const t = u16();
      if (t < 1 || t > 8) break;
      const m = u16();
      for (let k = 0; k < m; k++) (u16(), u32());
      if (t === 1 || t === 3 || t === 6) (str(), str());
      else if (t === 2 || t === 5 || t === 8) str();
      else if (t === 7) (str(), str(), u16());
    }
    return true;
  } catch {
    return false;
  }
}

describe('golden invalid vectors (base64 + zlib layers)', () => {
  const mine = invalid.filter((v) => ['base64', 'zlib', 'truncated', 'alternateCompression'].includes(v.category));

  it('covers the expected vectors', () => {
    expect(mine.map((v) => v.id).sort()).toEqual(Object.keys(STRICT_EXPECTED).sort());
  });

  for (const v of mine) {
    it(`${v.id} ${v.category}: ${v.description}`, () => {
      const body = (v.token ?? '').slice(3);
      expect(strictOutcome(body)).toBe(STRICT_EXPECTED[v.id]);

      // Lenient: commons-codec base64, then the Java inflate loop.
      const bytes = base64Decode(body, true, MB);
      let output: Uint8Array | undefined;
      try {
        const r = zlibInflate(bytes, { maxOutput: MB, lenient: true });
        expect(r.swallowedError).toBeUndefined();
        output = r.output;
      } catch (e) {
        expect(e).toBeInstanceOf(InflateError);
      }
      if (v.parse) {
        // Java parsed it: we must hand over exactly signature + signing info.
        expect(output).toBeDefined();
        expect(hex(output as Uint8Array)).toBe(`2000${v.decoded?.signatureHex}${v.decoded?.signingInfoHex}`);
      } else if (output) {
        // Java did not parse it: our bytes must not parse either (the payload layer rejects them).
        expect(javaParses(output)).toBe(false);
      }
    });
  }

  it('every decode vector inflates strictly to signature + signing info', () => {
    const decode = (JSON.parse(readFileSync(new URL('../fixtures/golden/accesstoken2-decode.json', import.meta.url), 'utf8')) as {
      vectors: Vector[];
    }).vectors;
    for (const v of decode) {
      const r = zlibInflate(base64Decode((v.token ?? '').slice(3), false, MB), { maxOutput: MB });
      expect(r.trailing).toBe(0);
      expect(hex(r.output)).toBe(`2000${v.decoded?.signatureHex}${v.decoded?.signingInfoHex}`);
    }
  });
});

describe('performance (informational)', () => {
  it('inflates and base64-decodes a ~200-byte token payload in a few µs', () => {
    const decode = (JSON.parse(readFileSync(new URL('../fixtures/golden/accesstoken2-decode.json', import.meta.url), 'utf8')) as {
      vectors: Vector[];
    }).vectors;
    const withSize = decode.map((v) => {
      const body = (v.token ?? '').slice(3);
      const z = base64Decode(body, false, MB);
      return { body, z, size: zlibInflate(z, { maxOutput: MB }).output.length };
    });
    withSize.sort((a, b) => Math.abs(a.size - 200) - Math.abs(b.size - 200));
    const { body, z, size } = withSize[0];
    // Best of several batches: the machine may be shared, the minimum is the cost of the code.
    const time = (f: () => unknown, batches = 8, n = 4000): number => {
      for (let i = 0; i < 4000; i++) f();
      let best = Infinity;
      for (let b = 0; b < batches; b++) {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) f();
        best = Math.min(best, ((performance.now() - t0) * 1000) / n);
      }
      return best;
    };
    const inflateUs = time(() => zlibInflate(z, { maxOutput: 64 * 1024 }));
    const lenientUs = time(() => zlibInflate(z, { maxOutput: 64 * 1024, lenient: true }));
    const b64Us = time(() => base64Decode(body, false, 64 * 1024));
    const b64LenientUs = time(() => base64Decode(body, true, 64 * 1024));
    console.log(
      `payload ${size} B (zlib ${z.length} B, base64 ${body.length} chars): inflate ${inflateUs.toFixed(2)} µs ` +
        `(lenient ${lenientUs.toFixed(2)}), base64 strict ${b64Us.toFixed(2)} µs (lenient ${b64LenientUs.toFixed(2)})`,
    );
    expect(inflateUs).toBeLessThan(100);
    expect(b64Us).toBeLessThan(100);
  });
});
