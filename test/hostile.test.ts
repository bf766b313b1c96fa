import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import pako from 'pako';
import { describe, expect, it } from 'vitest';
import {
  ChatTokenBuilder2, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_TOKEN_LENGTH, RtcTokenBuilder, TokenError, decodeToken, verifyToken,
} from '../src/index';
import { makeRng } from './support/deflate-payloads';
import { examine, loadSeeds, mutatePayload, mutateText, packPayload } from './support/token-fuzz';
import { codeOf } from './helpers/outcome';

const APP_ID = '970CA35de60c44645bbae8a215061b33';
const CERT = '5CFd2fd1755d40ecb72977518be15d3b';

/**
 * Runs `fn` while recording the largest Uint8Array constructed through the global (the
 * inflater's output buffer grows that way) and the process' memory before and after.
 */
function measure(fn: () => unknown): { largest: number; arrayBuffers: number; heapUsed: number; result: unknown } {
  const original = globalThis.Uint8Array;
  let largest = 0;
  globalThis.Uint8Array = new Proxy(original, {
    construct(target, args, newTarget) {
      if (typeof args[0] === 'number') largest = Math.max(largest, args[0]);
      return Reflect.construct(target, args, newTarget === globalThis.Uint8Array ? target : newTarget);
    },
  });
  const before = process.memoryUsage();
  let result: unknown;
  try {
    result = fn();
  } catch (err) {
    result = err;
  } finally {
    globalThis.Uint8Array = original;
  }
  const after = process.memoryUsage();
  return { largest, arrayBuffers: after.arrayBuffers - before.arrayBuffers, heapUsed: after.heapUsed - before.heapUsed, result };
}

describe('a 10 MB zlib bomb wrapped as a token', () => {
  const TEN_MB = 10 * 1024 * 1024;
  const compressed = deflateSync(new Uint8Array(TEN_MB), { level: 9 });
  const bomb = `007${compressed.toString('base64')}`;

  it('is small enough to pass the length cap, so the inflate cap is what stops it', () => {
    expect(bomb.length).toBeLessThan(DEFAULT_MAX_TOKEN_LENGTH);
    expect(bomb.length).toBeGreaterThan(10_000);
  });

  it('is refused with ERR_TOKEN_INFLATE_LIMIT without allocating anything near 10 MB (both modes)', () => {
    // Control: the same measurement sees a real inflation of the bomb.
    const control = measure(() => pako.inflate(compressed));
    expect((control.result as Uint8Array).length).toBe(TEN_MB);
    expect(control.arrayBuffers + control.heapUsed).toBeGreaterThan(TEN_MB * 0.9);

    for (const lenient of [false, true]) {
      // Our allocations are the same on every attempt; the test runner's own (RPC buffers, JIT)
      // only add to a delta. The smallest of three attempts is the bomb's.
      const attempts = [0, 1, 2].map(() => measure(() => decodeToken(bomb, { lenient })));
      const m = {
        ...attempts[0],
        arrayBuffers: Math.min(...attempts.map((a) => a.arrayBuffers)),
        heapUsed: Math.min(...attempts.map((a) => a.heapUsed)),
      };
      expect(m.result).toBeInstanceOf(TokenError);
      expect((m.result as TokenError).code).toBe('ERR_TOKEN_INFLATE_LIMIT');
      // The output buffer doubles up to the cap and no further.
      expect(m.largest).toBeLessThanOrEqual(DEFAULT_MAX_PAYLOAD_BYTES);
      expect(m.arrayBuffers).toBeLessThan(1024 * 1024);
      expect(m.heapUsed).toBeLessThan(4 * 1024 * 1024);
      console.log(`bomb (lenient=${lenient}): largest buffer ${m.largest} B, arrayBuffers Δ ${m.arrayBuffers} B, heapUsed Δ ${m.heapUsed} B; pako control: arrayBuffers Δ ${control.arrayBuffers} B`);
    }
    expect(codeOf(() => verifyToken(bomb, CERT))).toBe('ERR_TOKEN_INFLATE_LIMIT');
  });

  it('inflates under a raised cap (the cap, not luck, stopped it) and is then refused as malformed', () => {
    const m = measure(() => decodeToken(bomb, { maxPayloadBytes: TEN_MB }));
    expect((m.result as TokenError).code).toBe('ERR_TOKEN_MALFORMED'); // signature length 0
    expect(m.largest).toBeGreaterThanOrEqual(TEN_MB / 2);
  });
});

describe('caps and non-string input', () => {
  const token = ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'alice', 600, { issueTs: 1_750_000_000, salt: 1 });

  it('caps the token length before decoding anything', () => {
    const huge = `007${'A'.repeat(50_000_000)}`;
    const m = measure(() => decodeToken(huge));
    expect((m.result as TokenError).code).toBe('ERR_TOKEN_TOO_LONG');
    expect(m.largest).toBe(0);
    expect(codeOf(() => decodeToken(token, { maxTokenLength: token.length }))).toBe('accepted');
    expect(codeOf(() => decodeToken(token, { maxTokenLength: token.length - 1 }))).toBe('ERR_TOKEN_TOO_LONG');
    expect(codeOf(() => verifyToken(token, CERT, { maxTokenLength: 10 }))).toBe('ERR_TOKEN_TOO_LONG');
  });

  it('caps the payload size, for 007 (inflated) and 006 (base64-decoded)', () => {
    const size = (decodeToken(token) as { signingInfo: Uint8Array }).signingInfo.length + 34;
    expect(codeOf(() => decodeToken(token, { maxPayloadBytes: size }))).toBe('accepted');
    expect(codeOf(() => decodeToken(token, { maxPayloadBytes: size - 1 }))).toBe('ERR_TOKEN_INFLATE_LIMIT');
    const t006 = RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'room', 1, 1, 0);
    expect(codeOf(() => decodeToken(t006, { maxPayloadBytes: 1000 }))).toBe('accepted');
    expect(codeOf(() => decodeToken(t006, { maxPayloadBytes: 20 }))).toBe('ERR_TOKEN_TOO_LONG');
  });

  it('refuses invalid cap options', () => {
    for (const bad of [0, -1, 1.5, '100', Number.NaN, 2 ** 40]) {
      expect(codeOf(() => decodeToken(token, { maxTokenLength: bad as number }))).toBe('ERR_INVALID_NUMBER');
      expect(codeOf(() => decodeToken(token, { maxPayloadBytes: bad as number }))).toBe('ERR_INVALID_NUMBER');
    }
  });

  it('gives ERR_TOKEN_NOT_STRING for anything but a string', () => {
    const inputs: unknown[] = [undefined, null, 7, 7n, true, {}, [], new Uint8Array(8), new String(token), Symbol('t'), () => token];
    for (const input of inputs) {
      expect(codeOf(() => decodeToken(input as string)), String(typeof input)).toBe('ERR_TOKEN_NOT_STRING');
      expect(codeOf(() => decodeToken(input as string, { lenient: true }))).toBe('ERR_TOKEN_NOT_STRING');
      expect(codeOf(() => verifyToken(input as string, CERT))).toBe('ERR_TOKEN_NOT_STRING');
    }
  });
});

describe('property tests: only TokenError escapes, and nothing with changed signed bytes verifies', () => {
  const seeds = loadSeeds();
  const seedArb = fc.integer({ min: 0, max: seeds.length - 1 });
  const noFinding = (token: unknown, seedIndex?: number): boolean => {
    const finding = examine(token, seedIndex === undefined ? undefined : seeds[seedIndex]);
    if (finding) throw new Error(`${finding.kind}: ${finding.detail}`);
    return true;
  };

  it('has seeds of both versions', () => {
    expect(seeds.length).toBeGreaterThan(2000);
    expect(seeds.some((s) => s.token.startsWith('006'))).toBe(true);
  });

  it('random strings, with and without a version prefix', () => {
    const prefix = fc.constantFrom('', '007', '006', `006${APP_ID}`, '007eJ');
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.base64String({ maxLength: 400 }), fc.string({ maxLength: 200 }));
    fc.assert(fc.property(prefix, text, seedArb, (p, t, s) => noFinding(p + t, s)), { numRuns: 3000 });
  });

  it('random bytes behind "007", raw and zlib-wrapped, and behind "006" + app ID', () => {
    const bytes = fc.uint8Array({ maxLength: 300 });
    fc.assert(fc.property(bytes, seedArb, (b, s) => {
      const raw = Buffer.from(b).toString('base64');
      return noFinding(`007${raw}`, s) && noFinding(`007${deflateSync(b).toString('base64')}`, s) && noFinding(`006${APP_ID}${raw}`, s);
    }), { numRuns: 1500 });
  });

  it('golden tokens with random bit flips, truncations and insertions in the text', () => {
    fc.assert(fc.property(seedArb, fc.integer({ min: 0, max: 0x7fffffff }), (s, r) => {
      const rng = makeRng(r);
      return noFinding(mutateText(rng, seeds[s].token), s);
    }), { numRuns: 6000 });
  });

  it('golden tokens with their payload mutated (counts, lengths, bytes) and re-packed', () => {
    fc.assert(fc.property(seedArb, fc.integer({ min: 0, max: 0x7fffffff }), (s, r) => {
      const rng = makeRng(r);
      let payload = mutatePayload(rng, seeds[s].payload);
      if (rng() % 3 === 0) payload = mutatePayload(rng, payload);
      return noFinding(packPayload(seeds[s], payload, rng() % 10), s);
    }), { numRuns: 4000 });
  });

  it('the oracle does see a false accept (checking the check)', () => {
    const seed = seeds.find((s) => s.token.startsWith('007'))!;
    const other = seeds.find((s) => s.token.startsWith('007') && s.certificate === seed.certificate && s.signed !== seed.signed);
    // A valid token whose signed bytes differ from the seed's is exactly what the oracle must flag.
    if (other) expect(examine(other.token, seed)?.kind).toBe('falseAccept');
    else expect(examine(seed.token, { ...seed, signed: `${seed.signed}00` })?.kind).toBe('falseAccept');
    expect(examine(seed.token, seed)).toBeUndefined();
  });
});
