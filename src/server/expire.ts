import { HttpError } from './http-error';
import { checkExpire } from './identifiers';

/** The query names of a lifetime: `expiry` (the community servers') and `expire` (ours). */
const NAMES = ['expiry', 'expire'] as const;

/**
 * The lifetime a request asks for, in seconds: from `?expiry=`, `?expire=` and (POST
 * /getToken) the body's `expire`, which must agree when several are given. `undefined` when
 * none is (0 also means "the default"). A value that is not a whole number is a 400, never
 * ignored; the caller checks the cap.
 */
export function askedExpire(query: string, fromBody?: number): number | undefined {
  let asked = fromBody;
  let from = 'the body\'s expire';
  if (query !== '') {
    const params = new URLSearchParams(query);
    for (const name of NAMES) {
      for (const value of params.getAll(name)) {
        const expire = checkExpire(value, name);
        if (asked !== undefined && asked !== expire) {
          throw new HttpError(400, 'invalid_expire', `${name}=${expire} disagrees with ${from}=${asked}; give one lifetime`);
        }
        asked = expire;
        from = name;
      }
    }
  }
  return asked === 0 ? undefined : asked;
}

/** `asked` (or `fallback` when none) checked against the cap `max`. */
export function lifetime(asked: number | undefined, fallback: number, max: number): number {
  if (asked === undefined) return fallback;
  if (asked <= max) return asked;
  throw new HttpError(400, 'invalid_expire', `the lifetime must be at most ${max} seconds for this token, got ${asked}`);
}
