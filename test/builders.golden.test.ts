import { describe, expect, it } from 'vitest';
import * as lib from '../src/index';
import { loadGolden } from './helpers/golden';
import { isBuilderVector, replay } from './helpers/replay';

const FILES = [
  'accesstoken2-builders.json',
  'accesstoken2-services.json',
  'accesstoken2-convoai-stt.json',
  'accesstoken-006.json',
];

describe.each(FILES)('golden builder vectors: %s', (file) => {
  const vectors = loadGolden(file).filter(isBuilderVector);

  it('replays every builder vector byte for byte (or throws TokenError where the reference returns "")', () => {
    let replayed = 0;
    const failures: string[] = [];
    for (const v of vectors) {
      // Proven otherwise: user ids over 65,535 UTF-8 bytes do not fit the u16 length prefix; the
      // reference wraps the length and emits a token whose length field lies. We refuse them.
      const overU16 = v.kind === 'chat.user.oversize' && new TextEncoder().encode(v.args!.userId).length > 0xffff;
      if (overU16) {
        expect(() => replay(lib, v), v.id).toThrow(expect.objectContaining({ code: 'ERR_STRING_TOO_LONG' }));
        replayed++;
        continue;
      }
      try {
        const token = replay(lib, v);
        if (v.token === '') failures.push(`${v.id}: reference returned "" but we built a token`);
        else if (token !== v.token) failures.push(`${v.id}: token differs`);
      } catch (err) {
        if (!(err instanceof lib.TokenError)) failures.push(`${v.id}: threw ${String(err)}`);
        else if (v.token !== '') failures.push(`${v.id}: threw ${err.code} (${err.message}) but the reference built a token`);
      }
      replayed++;
    }
    expect(failures).toEqual([]);
    // Fail loudly if a filter or an early exit skipped vectors.
    expect(replayed).toBe(vectors.length);
    expect(replayed).toBeGreaterThan(0);
  });
});
