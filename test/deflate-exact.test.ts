import { readFileSync } from 'node:fs';
import pako from 'pako';
import { describe, expect, it } from 'vitest';
import { adler32 } from '../src/zlib/adler32';
import { deflateBlockCosts, FAST_PATH_MAX, zlibDeflate, zlibDeflateShared } from '../src/zlib/deflate';
import {
  anyPayload,
  concat,
  deepHuffman,
  makeRng,
  randomBytes,
  repetitive,
  skewed,
  structuredCases,
  textLike,
  tokenPayload,
} from './support/deflate-payloads';

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const base64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64');

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Compares against pako and returns the first few mismatching inputs (hex) for the report. */
function compareAll(cases: Iterable<Uint8Array>): { count: number; failures: string[] } {
  let count = 0;
  const failures: string[] = [];
  for (const input of cases) {
    count++;
    const expected = pako.deflate(input);
    const actual = zlibDeflate(input);
    if (!sameBytes(actual, expected) && failures.length < 5) failures.push(hex(input));
    // The shared variant must give the same bytes.
    if (!sameBytes(zlibDeflateShared(input), expected) && failures.length < 5) failures.push(`shared:${hex(input)}`);
  }
  return { count, failures };
}

/** Independent reference: reduce after every byte. */
function adlerNaive(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const x of data) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}

describe('adler32', () => {
  const ascii = (s: string) => new TextEncoder().encode(s);

  it('matches known values', () => {
    expect(adler32(new Uint8Array(0))).toBe(1);
    expect(adler32(ascii('a'))).toBe(0x00620062);
    expect(adler32(ascii('abc'))).toBe(0x024d0127);
    expect(adler32(ascii('Wikipedia'))).toBe(0x11e60398);
    expect(adler32(ascii('message digest'))).toBe(0x29750586);
    expect(adler32(ascii('abcdefghijklmnopqrstuvwxyz'))).toBe(0x90860b20);
    // High bit set: must come back unsigned.
    expect(adler32(new Uint8Array(1000).fill(0xff))).toBe(adlerNaive(new Uint8Array(1000).fill(0xff)));
    expect(adler32(new Uint8Array(1000).fill(0xff))).toBeGreaterThan(0x7fffffff);
  });

  it('handles long inputs (modulo reduction) and sub-ranges', () => {
    const rng = makeRng(7);
    for (const n of [3853, 3854, 3855, 5552, 5553, 100_000]) {
      const ff = new Uint8Array(n).fill(0xff);
      expect(adler32(ff)).toBe(adlerNaive(ff));
      const r = randomBytes(rng, n);
      expect(adler32(r)).toBe(adlerNaive(r));
    }
    const data = randomBytes(rng, 5000);
    for (let i = 0; i < 200; i++) {
      const start = rng() % 5000;
      const end = start + (rng() % (5001 - start));
      expect(adler32(data, start, end)).toBe(adlerNaive(data.subarray(start, end)));
    }
    expect(() => adler32(data, 10, 5)).toThrow(RangeError);
    expect(() => adler32(data, 0, 5001)).toThrow(RangeError);
  });

  it('agrees with the trailer pako writes', () => {
    const rng = makeRng(8);
    for (let i = 0; i < 200; i++) {
      const input = anyPayload(rng, 2000);
      const z = pako.deflate(input);
      const trailer = ((z[z.length - 4] << 24) | (z[z.length - 3] << 16) | (z[z.length - 2] << 8) | z[z.length - 1]) >>> 0;
      expect(adler32(input)).toBe(trailer);
    }
  });
});

interface DecodeVector {
  id: string;
  token: string;
  decoded?: { signatureHex: string; signingInfoHex: string };
}

describe('zlibDeflate reproduces the golden AccessToken2 tokens', () => {
  const file = new URL('../fixtures/golden/accesstoken2-decode.json', import.meta.url);
  const { vectors } = JSON.parse(readFileSync(file, 'utf8')) as { vectors: DecodeVector[] };

  it('"007" + base64(zlibDeflate(payload)) equals every decode vector token', () => {
    const decodable = vectors.filter((v) => v.decoded !== undefined);
    expect(decodable.length).toBeGreaterThan(200);
    const mismatched: string[] = [];
    for (const v of decodable) {
      const { signatureHex, signingInfoHex } = v.decoded!;
      const payload = concat(concat(new Uint8Array([0x20, 0x00]), fromHex(signatureHex)), fromHex(signingInfoHex));
      expect(signatureHex.length).toBe(64);
      if ('007' + base64(zlibDeflate(payload)) !== v.token) mismatched.push(v.id);
      expect(hex(zlibDeflate(payload))).toBe(hex(pako.deflate(payload)));
    }
    expect(mismatched).toEqual([]);
  });
});

describe('zlibDeflate is byte-identical to pako.deflate', () => {
  it('on 24,000 generated payloads (token-shaped, random, repetitive, skewed, text)', () => {
    const rng = makeRng(0x5eed);
    function* cases(): Generator<Uint8Array> {
      for (let i = 0; i < 12_000; i++) yield tokenPayload(rng);
      for (let i = 0; i < 10_000; i++) yield anyPayload(rng, 700);
      for (let i = 0; i < 2_000; i++) yield anyPayload(rng, 4096);
    }
    const { count, failures } = compareAll(cases());
    expect(count).toBe(24_000);
    expect(failures).toEqual([]);
  });

  it('on every length 0..300, sizes up to 4 KiB and far repeats up to 16 KiB', () => {
    const { count, failures } = compareAll(structuredCases(makeRng(0xfeed)));
    expect(count).toBeGreaterThan(1800);
    expect(failures).toEqual([]);
  });

  it('on edge inputs', () => {
    const rng = makeRng(3);
    const edge: Uint8Array[] = [
      new Uint8Array(0),
      new Uint8Array([0]),
      new Uint8Array([1, 2]),
      new Uint8Array([7, 7, 7]),
      new Uint8Array(258).fill(0x41),
      new Uint8Array(259).fill(0x41),
      new Uint8Array(1000).fill(0),
      new Uint8Array(1 << 13).fill(0xaa),
    ];
    // Matches exactly 4096 and 4097 back (TOO_FAR only rejects length-3 matches beyond 4096).
    for (const d of [4095, 4096, 4097, 4098, 8000]) {
      const b = randomBytes(rng, d + 40);
      b.set(b.subarray(0, 3), d);
      b.set(b.subarray(10, 14), d + 10);
      b.set(b.subarray(20, 25), d + 20);
      edge.push(b);
    }
    const { failures } = compareAll(edge);
    expect(failures).toEqual([]);
  });

  it('on both sides of the fast-path limit and above it (pako fallback)', () => {
    expect(FAST_PATH_MAX).toBe(16383);
    const rng = makeRng(4);
    const cases: Uint8Array[] = [];
    for (let n = FAST_PATH_MAX - 3; n <= FAST_PATH_MAX + 3; n++) {
      cases.push(randomBytes(rng, n)); // all literals: most symbols possible
      cases.push(repetitive(rng, n));
      cases.push(skewed(rng, n));
      cases.push(textLike(rng, n));
    }
    // Window sliding and several blocks in the fallback.
    cases.push(repetitive(rng, 70_000), randomBytes(rng, 40_000), textLike(rng, 100_000));
    const { failures } = compareAll(cases);
    expect(failures).toEqual([]);
  });
});

describe('the lower bound that skips the dynamic trees', () => {
  it("never exceeds zlib's opt_len, and gets static_len exact (~30,000 payloads)", () => {
    const rng = makeRng(0xb0d);
    function* cases(): Generator<Uint8Array> {
      for (let i = 0; i < 15_000; i++) yield tokenPayload(rng);
      for (let i = 0; i < 12_000; i++) yield anyPayload(rng, 700);
      for (let i = 0; i < 1_000; i++) yield anyPayload(rng, 4096);
      for (const input of structuredCases(makeRng(0xb0e))) if (input.length <= FAST_PATH_MAX) yield input;
      for (let i = 0; i < 12; i++) yield deepHuffman(rng, 3000 + (rng() % 6000), 9 + (rng() % 4), 20 + (rng() % 13));
    }
    let count = 0;
    let bounded = 0;
    let fixedWithoutTrees = 0;
    let tokenCount = 0;
    let tokenDecided = 0;
    const bad: string[] = [];
    for (const input of cases()) {
      count++;
      const isToken = count <= 15_000;
      const { lowerBound, boundStaticLen, optLen, staticLen } = deflateBlockCosts(input);
      if (isToken) tokenCount++;
      if (lowerBound < 0) continue;
      bounded++;
      if ((lowerBound > optLen || boundStaticLen !== staticLen) && bad.length < 5) {
        bad.push(`${hex(input)}: bound ${lowerBound} > opt_len ${optLen} or static ${boundStaticLen} != ${staticLen}`);
      }
      // The decision the compressor takes from the bound alone (see blockTypeWithoutTrees).
      if ((staticLen + 10) >> 3 <= (lowerBound + 10) >> 3) {
        fixedWithoutTrees++;
        if (isToken) tokenDecided++;
      }
    }
    expect(bad).toEqual([]);
    expect(count).toBeGreaterThan(29_500);
    // Not a speed claim: the bound must be made, and be tight enough to decide, on most inputs.
    expect(bounded).toBeGreaterThan(count * 0.9);
    expect(fixedWithoutTrees).toBeGreaterThan(count / 2);
    expect(tokenDecided).toBeGreaterThan(tokenCount * 0.6);
  });
});

describe('zlibDeflate API', () => {
  it('honours length and returns a fresh copy; zlibDeflateShared returns a reused view', () => {
    const rng = makeRng(5);
    const input = tokenPayload(rng);
    for (const k of [0, 1, 5, input.length >> 1, input.length]) {
      expect(hex(zlibDeflate(input, k))).toBe(hex(pako.deflate(input.subarray(0, k))));
      expect(hex(zlibDeflateShared(input, k))).toBe(hex(pako.deflate(input.subarray(0, k))));
    }
    const a = zlibDeflate(input);
    const copy = a.slice();
    zlibDeflate(randomBytes(rng, 500));
    expect(sameBytes(a, copy)).toBe(true);

    const shared = zlibDeflateShared(input);
    const sharedCopy = shared.slice();
    zlibDeflateShared(randomBytes(rng, 100));
    expect(sameBytes(shared, sharedCopy)).toBe(false);

    expect(() => zlibDeflate(input, input.length + 1)).toThrow(RangeError);
    expect(() => zlibDeflate(input, -1)).toThrow(RangeError);
    expect(() => zlibDeflate(input, 1.5)).toThrow(RangeError);
  });

  it('accepts subarray views with a non-zero byteOffset', () => {
    const rng = makeRng(6);
    const big = randomBytes(rng, 1000);
    big.set(repetitive(rng, 500), 300);
    const view = big.subarray(300, 800);
    expect(hex(zlibDeflate(view))).toBe(hex(pako.deflate(view)));
  });
});
