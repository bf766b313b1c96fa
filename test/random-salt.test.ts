import { afterEach, describe, expect, test, vi } from 'vitest';
import { ChatTokenBuilder2, decodeToken, TokenError } from '../src/index';

const APP_ID = '970CA35de60c44645bbae8a215061b33';
const APP_CERTIFICATE = '5CFd2fd1755d40ecb72977518be15d3b';

/** A fresh copy of src/args/random.ts (its pool starts empty) under a stubbed `crypto`. */
async function randomSaltWith(getRandomValues: ((array: Uint32Array) => Uint32Array) | undefined) {
  vi.resetModules();
  vi.stubGlobal('crypto', getRandomValues ? { getRandomValues } : undefined);
  return (await import('../src/args/random')).randomSalt;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('the default salt', () => {
  test('is in 1 … 99,999,999 like the references, spread over the whole range, fresh each build', () => {
    const salts = Array.from({ length: 4000 }, () => decodeToken(ChatTokenBuilder2.buildUserToken(APP_ID, APP_CERTIFICATE, 'alice', 600)).salt);
    for (const salt of salts) {
      expect(Number.isInteger(salt) && salt >= 1 && salt <= 99_999_999, `salt ${salt}`).toBe(true);
    }
    // 4,000 uniform draws miss the lowest or highest 2% of the range with probability ~2 · 0.98^4000.
    expect(Math.min(...salts)).toBeLessThan(2_000_000);
    expect(Math.max(...salts)).toBeGreaterThan(98_000_000);
    expect(new Set(salts).size).toBeGreaterThan(3990);
  });

  test('maps 32-bit draws without bias: draws past the last whole multiple of 99,999,999 are thrown away', async () => {
    // 42 · 99,999,999 = 4,199,999,958 is the first draw that is thrown away.
    const draws = [0xffffffff, 4_199_999_958, 4_199_999_957, 0, 99_999_998, 99_999_999, 4_199_999_959, 123];
    let calls = 0;
    const randomSalt = await randomSaltWith((array) => {
      calls++;
      array.fill(7);
      array.set(draws);
      return array;
    });
    expect([randomSalt(), randomSalt(), randomSalt(), randomSalt(), randomSalt()]).toEqual([99_999_999, 1, 99_999_999, 1, 124]);
    expect(calls).toBe(1); // one refill serves many salts
  });

  test('draws again when a whole refill is thrown away', async () => {
    let calls = 0;
    const randomSalt = await randomSaltWith((array) => {
      array.fill(calls++ === 0 ? 0xffffffff : 5);
      return array;
    });
    expect(randomSalt()).toBe(6);
    expect(calls).toBe(2);
  });

  test('without crypto.getRandomValues the build says so, and an explicit salt still works', async () => {
    const randomSalt = await randomSaltWith(undefined);
    // (A fresh module graph has its own TokenError class, so the name and code are checked.)
    expect(() => randomSalt()).toThrow(expect.objectContaining({ name: TokenError.name, code: 'ERR_NO_RANDOM_SOURCE' }));
    // An explicit salt may be any u32, as the format allows.
    const token = ChatTokenBuilder2.buildUserToken(APP_ID, APP_CERTIFICATE, 'alice', 600, { salt: 0xffffffff });
    expect(decodeToken(token).salt).toBe(0xffffffff);
  });
});
