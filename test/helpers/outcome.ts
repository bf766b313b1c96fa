import { expect } from 'vitest';
import { TokenError } from '../../src/index';

/**
 * What a call did: `'accepted'`, the TokenError code it threw, or a note that it threw something
 * else. A TokenError must also be one users can act on: named, with a message that says something.
 */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof TokenError) {
      expect(err.name).toBe('TokenError');
      expect(err.message.length).toBeGreaterThan(10);
      return err.code;
    }
    return `not a TokenError: ${String(err)}`;
  }
  return 'accepted';
}
