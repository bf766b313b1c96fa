/**
 * Every code a {@link TokenError} can carry. Branch on these, never on messages.
 *
 * Build side: `ERR_INVALID_APP_ID`, `ERR_INVALID_APP_CERTIFICATE`, `ERR_NO_SERVICE`,
 * `ERR_INVALID_NUMBER`, `ERR_STRING_TOO_LONG`, `ERR_MISSING_ARGUMENT`, `ERR_INVALID_ARGUMENT`,
 * `ERR_INVALID_ROLE`, `ERR_NO_RANDOM_SOURCE`.
 *
 * Read side: `ERR_TOKEN_NOT_STRING`, `ERR_TOKEN_TOO_LONG`, `ERR_TOKEN_VERSION`,
 * `ERR_TOKEN_BASE64`, `ERR_TOKEN_ZLIB`, `ERR_TOKEN_INFLATE_LIMIT`, `ERR_TOKEN_TRUNCATED`,
 * `ERR_TOKEN_TRAILING_BYTES`, `ERR_TOKEN_MALFORMED`, `ERR_SIGNATURE_MISMATCH`,
 * `ERR_TOKEN_EXPIRED`, `ERR_PRIVILEGE_EXPIRED`, `ERR_PRIVILEGE_MISSING`, `ERR_SERVICE_MISSING`,
 * `ERR_APP_ID_MISMATCH`, `ERR_CHANNEL_MISMATCH`, `ERR_UID_MISMATCH`.
 *
 * Client side (`agora-access-token2/client`): `ERR_TOKEN_FETCH`, `ERR_TOKEN_RENEW`; a fetched
 * token that cannot be used carries the read-side code that says why.
 */
export type TokenErrorCode =
  | 'ERR_INVALID_APP_ID'
  | 'ERR_INVALID_APP_CERTIFICATE'
  | 'ERR_NO_SERVICE'
  | 'ERR_INVALID_NUMBER'
  | 'ERR_STRING_TOO_LONG'
  | 'ERR_MISSING_ARGUMENT'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_INVALID_ROLE'
  | 'ERR_NO_RANDOM_SOURCE'
  | 'ERR_TOKEN_NOT_STRING'
  | 'ERR_TOKEN_TOO_LONG'
  | 'ERR_TOKEN_VERSION'
  | 'ERR_TOKEN_BASE64'
  | 'ERR_TOKEN_ZLIB'
  | 'ERR_TOKEN_INFLATE_LIMIT'
  | 'ERR_TOKEN_TRUNCATED'
  | 'ERR_TOKEN_TRAILING_BYTES'
  | 'ERR_TOKEN_MALFORMED'
  | 'ERR_SIGNATURE_MISMATCH'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_PRIVILEGE_EXPIRED'
  | 'ERR_PRIVILEGE_MISSING'
  | 'ERR_SERVICE_MISSING'
  | 'ERR_APP_ID_MISMATCH'
  | 'ERR_CHANNEL_MISMATCH'
  | 'ERR_UID_MISMATCH'
  | 'ERR_TOKEN_FETCH'
  | 'ERR_TOKEN_RENEW';

/**
 * The one error class of this library. Where Agora's reference silently returns `""` or
 * crashes, this library throws a `TokenError` whose `code` says what happened and whose message
 * names the argument and the rule it broke.
 *
 * @example
 * ```ts
 * try {
 *   ChatTokenBuilder2.buildUserToken('not-an-app-id', cert, 'alice', 3600);
 * } catch (err) {
 *   if (err instanceof TokenError && err.code === 'ERR_INVALID_APP_ID') { ... }
 * }
 * ```
 */
export class TokenError extends Error {
  /** Stable, machine-readable reason. */
  readonly code: TokenErrorCode;

  constructor(code: TokenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = 'TokenError';
    this.code = code;
    if (options && 'cause' in options) {
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: true, configurable: true });
    }
  }
}
