import { TokenError } from '../base/errors';
import { decodeToken006 } from '../token006/decode';
import { decodeToken007, type SignedHeader007 } from '../token007/decode';
import { checkTokenString, resolveDecodeOptions, type DecodeLimits } from './token-input';
import type { DecodeOptions, DecodedToken } from './token-types';

/**
 * Reads an AccessToken2 ("007") or legacy AccessToken ("006") without checking its signature
 * (no certificate needed): to inspect a token, or to find out why Agora refuses it.
 * `version` tells which kind came back. Use {@link verifyToken} to accept a token.
 *
 * Strict by default: only the canonical form a builder produces is accepted. Pass
 * `{ lenient: true }` to read what Agora's Java reference parser reads.
 *
 * @throws TokenError for anything that is not a well-formed token (every input, including
 *   non-strings): `ERR_TOKEN_NOT_STRING`, `ERR_TOKEN_TOO_LONG`, `ERR_TOKEN_VERSION`,
 *   `ERR_TOKEN_BASE64`, `ERR_TOKEN_ZLIB`, `ERR_TOKEN_INFLATE_LIMIT`, `ERR_TOKEN_TRUNCATED`,
 *   `ERR_TOKEN_TRAILING_BYTES`, `ERR_TOKEN_MALFORMED`.
 *
 * @example
 * ```ts
 * const decoded = decodeToken(token);
 * if (decoded.version === '007') {
 *   console.log(new Date(decoded.expiresAt * 1000), decoded.services.map((s) => s.name));
 * }
 * ```
 */
export function decodeToken(token: string, options?: DecodeOptions): DecodedToken {
  return decodeWithLimits(token, resolveDecodeOptions(options));
}

/**
 * {@link decodeToken} with its options resolved; `beforeServices` as decodeToken007's (a 006
 * token has no services to put off: it is decoded whole).
 */
export function decodeWithLimits(token: unknown, limits: DecodeLimits, beforeServices?: (header: SignedHeader007) => void): DecodedToken {
  const text = checkTokenString(token, limits.maxTokenLength);
  const version = text.slice(0, 3);
  if (version === '007') return decodeToken007(text, limits.lenient, limits.maxPayloadBytes, beforeServices);
  if (version === '006') return decodeToken006(text, limits.lenient, limits.maxPayloadBytes);
  throw new TokenError(
    'ERR_TOKEN_VERSION',
    text.length === 0
      ? 'token is empty'
      : `token must start with "007" (AccessToken2) or "006" (AccessToken), got ${JSON.stringify(text.slice(0, 8))}${text.length > 8 ? '…' : ''}`,
  );
}
