import { readdirSync, readFileSync } from 'node:fs';
import pako from 'pako';
import { describe, expect, it } from 'vitest';
import { adler32 } from '../src/zlib/adler32';
import { deflateBlockCosts, zlibDeflate, zlibDeflateBound, zlibDeflateInto } from '../src/zlib/deflate';
import { zlibInflate } from '../src/zlib/inflate';
import { DEFLATE_HEAD, zlibScratch } from '../src/zlib/scratch';
import { runTokens } from '../src/zlib/trees';
import {
  anyPayload,
  concat,
  deepHuffman,
  makeRng,
  payloadOfClass,
  randomBytes,
  repetitive,
  SIZE_CLASSES,
  sizedPayload,
  skewed,
  structuredCases,
  textLike,
  tokenPayload,
} from './support/deflate-payloads';

const ZLIB_SCRATCH = zlibScratch();

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
    if (!sameBytes(actual, expected) && failures.length < 5) failures.push(input.length > 512 ? `${input.length} bytes` : hex(input));
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
    // Around the packed steps (from 256 bytes, 88 a step) and the modulo reductions (3848).
    for (const n of [7, 8, 9, 255, 256, 257, 343, 344, 345, 3847, 3848, 3849, 3853, 3854, 3855, 3936, 5552, 5553, 100_000]) {
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
    // A view that starts at an odd offset of its buffer (the words are read through a DataView).
    const shifted = randomBytes(rng, 5003).subarray(3);
    for (const [start, end] of [[0, 5000], [1, 4999], [2, 300], [5, 261]]) {
      expect(adler32(shifted, start, end)).toBe(adlerNaive(shifted.subarray(start, end)));
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

  it('on 20,800 payloads of every size class up to 64 KiB (1 B … 64 KiB; token, text, random, repetitive, skewed)', () => {
    // Per class: how many payloads. Fewer of the large ones keep the test within CI time.
    const perClass = new Map([[1, 2000], [64, 6000], [512, 6000], [2048, 3500], [8192, 1600], [16384, 800], [32768, 500], [65536, 400]]);
    const rng = makeRng(0x5123);
    const counts = new Map<number, number>();
    function* cases(): Generator<Uint8Array> {
      for (const size of SIZE_CLASSES) {
        for (let i = 0; i < perClass.get(size)!; i++) {
          const input = payloadOfClass(rng, size);
          counts.set(size, (counts.get(size) ?? 0) + 1);
          yield input;
        }
      }
    }
    const { count, failures } = compareAll(cases());
    expect(failures).toEqual([]);
    expect(count).toBe(20_800);
    for (const size of SIZE_CLASSES) expect(counts.get(size)).toBeGreaterThanOrEqual(400);
  });

  it('across the block boundary (16,383 symbols), the window slide (strstart >= 65,274) and beyond 64 KiB', () => {
    const rng = makeRng(4);
    const cases: Uint8Array[] = [];
    // Random bytes are all literals: the n-1-th symbol ends the first block exactly at these sizes.
    for (const n of [16382, 16383, 16384, 16385, 16386, 32766, 32767, 32768, 32769, 49152, 49153]) cases.push(randomBytes(rng, n));
    // The window slides once the data reaches 2 * 32768 - 262 bytes.
    for (const n of [65273, 65274, 65275, 65276, 65400, 65535, 65536]) {
      for (const kind of ['token', 'text', 'random', 'repetitive', 'skewed'] as const) cases.push(sizedPayload(rng, n, kind));
    }
    // Stored blocks after a slide: a block that began before it can no longer be stored.
    const tail = concat(repetitive(rng, 40_000), randomBytes(rng, 25_536));
    cases.push(tail, concat(textLike(rng, 33_000), randomBytes(rng, 32_536)));
    // Beyond the payload cap: several slides and blocks.
    cases.push(repetitive(rng, 70_000), randomBytes(rng, 100_000), textLike(rng, 200_000), sizedPayload(rng, 150_000, 'token'));
    // deepHuffman trees in a later block.
    cases.push(concat(randomBytes(rng, 17_000), deepHuffman(rng, 12_000, 11, 24)));
    const { failures } = compareAll(cases);
    expect(failures).toEqual([]);
  });

  it('reads only input[0, length): bytes after it (a writer buffer) change nothing', () => {
    const rng = makeRng(12);
    for (let i = 0; i < 300; i++) {
      const input = i % 3 === 0 ? anyPayload(rng, 3000) : tokenPayload(rng);
      const backing = concat(input, randomBytes(rng, 300));
      expect(hex(zlibDeflate(backing, input.length))).toBe(hex(pako.deflate(input)));
    }
  });
});

describe('no hidden state in src/zlib', () => {
  it('results do not depend on what the scratch arrays hold (filled with junk between calls)', () => {
    const rng = makeRng(13);
    const inputs = [tokenPayload(rng), anyPayload(rng, 3000), sizedPayload(rng, 65536, 'token'), sizedPayload(rng, 20_000, 'random')];
    const expected = inputs.map((x) => hex(pako.deflate(x)));
    for (let round = 0; round < 3; round++) {
      for (const [k, input] of inputs.entries()) {
        // Everything but DEFLATE_HEAD, whose all-zeros is the one invariant between calls.
        for (const { array } of ZLIB_SCRATCH) {
          if (array === DEFLATE_HEAD) continue;
          for (let i = 0; i < array.length; i++) array[i] = rng();
        }
        const z = zlibDeflate(input);
        expect(hex(z)).toBe(expected[k]);
        for (const { array } of ZLIB_SCRATCH) {
          if (array === DEFLATE_HEAD) continue;
          for (let i = 0; i < array.length; i++) array[i] = rng();
        }
        expect(hex(zlibInflate(z, { maxOutput: 1 << 17 }).output)).toBe(hex(input));
      }
    }
  });

  it('leaves DEFLATE_HEAD zeroed after every call, and returns arrays of their own', () => {
    const rng = makeRng(14);
    const scratchBuffers = new Set(ZLIB_SCRATCH.map((e) => e.array.buffer));
    for (const n of [0, 1, 2, 3, 100, 4096, 4097, 30_000, 65_536, 70_000]) {
      const input = sizedPayload(rng, n, 'token');
      const z = zlibDeflate(input);
      expect(DEFLATE_HEAD.every((v) => v === 0)).toBe(true);
      expect(scratchBuffers.has(z.buffer as ArrayBuffer)).toBe(false);
      const out = zlibInflate(z, { maxOutput: n }).output;
      expect(scratchBuffers.has(out.buffer as ArrayBuffer)).toBe(false);
    }
  });

  it('ZLIB_SCRATCH lists distinct arrays, and src/zlib declares no module-level let or var', () => {
    const buffers = ZLIB_SCRATCH.map((e) => e.array.buffer);
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(new Set(ZLIB_SCRATCH.map((e) => e.name)).size).toBe(ZLIB_SCRATCH.length);
    const dir = new URL('../src/zlib/', import.meta.url);
    for (const file of readdirSync(dir)) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      expect(source.match(/^(let|var|export let|export var) /m), file).toBeNull();
    }
  });
});

describe('the lower bound that skips the dynamic trees', () => {
  it("never exceeds zlib's opt_len, and gets static_len exact (~30,000 payloads)", () => {
    const rng = makeRng(0xb0d);
    function* cases(): Generator<Uint8Array> {
      for (let i = 0; i < 15_000; i++) yield tokenPayload(rng);
      for (let i = 0; i < 12_000; i++) yield anyPayload(rng, 700);
      for (let i = 0; i < 1_000; i++) yield anyPayload(rng, 4096);
      for (const input of structuredCases(makeRng(0xb0e))) if (input.length < 16383) yield input;
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
    expect(tokenDecided).toBeGreaterThan(tokenCount * 0.75);
  });

  it("counts a run's code-length tokens as zlib's scan_tree does, and no split of a run takes fewer", () => {
    // zlib's scan_tree on one run of `run` equal non-zero lengths after a different one.
    const scanTreeTokens = (run: number): number => {
      let tokens = 0;
      let maxCount = 7;
      let minCount = 4;
      let first = true;
      for (let left = run; left > 0; ) {
        const count = Math.min(left, maxCount);
        tokens += count < minCount ? count : first ? 2 : 1;
        first = false;
        left -= count;
        maxCount = 6;
        minCount = 3;
      }
      return tokens;
    };
    // The fewest tokens over every split of L adjacent lengths into runs (the bound's old table).
    const fewest = [0];
    for (let total = 1; total <= 286; total++) {
      let best = Infinity;
      for (let run = 1; run <= total; run++) best = Math.min(best, fewest[total - run] + scanTreeTokens(run));
      fewest.push(best);
    }
    for (let run = 0; run <= 286; run++) {
      expect(runTokens(run), `run ${run}`).toBe(scanTreeTokens(run));
      expect(runTokens(run), `L ${run}`).toBe(fewest[run]);
    }
  });
});

describe('zlibDeflate API', () => {
  it('honours length and returns a fresh copy', () => {
    const rng = makeRng(5);
    const input = tokenPayload(rng);
    for (const k of [0, 1, 5, input.length >> 1, input.length]) {
      expect(hex(zlibDeflate(input, k))).toBe(hex(pako.deflate(input.subarray(0, k))));
    }
    const a = zlibDeflate(input);
    const copy = a.slice();
    zlibDeflate(randomBytes(rng, 500));
    expect(sameBytes(a, copy)).toBe(true);

    expect(() => zlibDeflate(input, input.length + 1)).toThrow(RangeError);
    expect(() => zlibDeflate(input, -1)).toThrow(RangeError);
    expect(() => zlibDeflate(input, 1.5)).toThrow(RangeError);
    expect(() => zlibDeflate([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('accepts subarray views with a non-zero byteOffset', () => {
    const rng = makeRng(6);
    const big = randomBytes(rng, 1000);
    big.set(repetitive(rng, 500), 300);
    const view = big.subarray(300, 800);
    expect(hex(zlibDeflate(view))).toBe(hex(pako.deflate(view)));
  });

  it('zlibDeflateInto: the same bytes wherever they go, and never over its own input', () => {
    const rng = makeRng(7);
    for (const input of [tokenPayload(rng), randomBytes(rng, 3000), repetitive(rng, 70_000)]) {
      const n = input.length;
      const expected = hex(pako.deflate(input));
      const room = zlibDeflateBound(n);
      // After the input in its own array, with the room the token packer reserves: written in place.
      const packed = new Uint8Array(n + room);
      packed.set(input);
      const len = zlibDeflateInto(packed, n, packed, n);
      expect(hex(packed.subarray(n, n + len))).toBe(expected);
      expect(hex(packed.subarray(0, n))).toBe(hex(input));
      // Into the input's own bytes (room enough, but overlapping): still the right stream, via the scratch.
      const overlapping = new Uint8Array(n + room);
      overlapping.set(input);
      const at = n >> 1;
      const len2 = zlibDeflateInto(overlapping, n, overlapping, at);
      expect(hex(overlapping.subarray(at, at + len2))).toBe(expected);
      // Less room than the bound: copied when it fits, a RangeError when not.
      const tight = new Uint8Array(expected.length / 2);
      expect(hex(tight.subarray(0, zlibDeflateInto(input, n, tight, 0)))).toBe(expected);
      expect(() => zlibDeflateInto(input, n, new Uint8Array(4), 0)).toThrow(RangeError);
      expect(() => zlibDeflateInto(input, n, tight, 1.5)).toThrow(RangeError);
    }
  });
});
