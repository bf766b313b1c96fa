/**
 * The checks every token goes through before its format is read: the argument is a string,
 * within the length cap, and its base64 body decodes. Shared by the 007 and 006 decoders.
 */

import { Base64Error, base64Decode, base64DecodeShared } from '../bytes/base64';
import { TokenError } from '../base/errors';
import {
  DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_TOKEN_LENGTH, type DecodeOptions,
} from './token-types';
import { checkInteger } from '../args/validate';

/** Decode options with defaults applied. */
export interface DecodeLimits {
  readonly lenient: boolean;
  readonly maxTokenLength: number;
  readonly maxPayloadBytes: number;
}

const DEFAULT_LIMITS: DecodeLimits = Object.freeze({
  lenient: false,
  maxTokenLength: DEFAULT_MAX_TOKEN_LENGTH,
  maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
});

/** Largest cap an option may set (a JS string can be longer, but no token should be). */
const MAX_LIMIT = 0x7fffffff;

/** Validates the decode options and fills in the defaults. */
export function resolveDecodeOptions(options: DecodeOptions | undefined): DecodeLimits {
  if (options === undefined || options === null) return DEFAULT_LIMITS;
  if (typeof options !== 'object') {
    throw new TokenError('ERR_INVALID_ARGUMENT', `options must be an object, got ${typeof options}`);
  }
  const { lenient, maxTokenLength, maxPayloadBytes } = options;
  if (lenient === undefined && maxTokenLength === undefined && maxPayloadBytes === undefined) return DEFAULT_LIMITS;
  if (lenient !== undefined && typeof lenient !== 'boolean') {
    throw new TokenError('ERR_INVALID_ARGUMENT', `options.lenient must be a boolean, got ${typeof lenient}`);
  }
  return {
    lenient: lenient === true,
    maxTokenLength: maxTokenLength === undefined
      ? DEFAULT_MAX_TOKEN_LENGTH
      : checkInteger(maxTokenLength, 'options.maxTokenLength', 1, MAX_LIMIT),
    maxPayloadBytes: maxPayloadBytes === undefined
      ? DEFAULT_MAX_PAYLOAD_BYTES
      : checkInteger(maxPayloadBytes, 'options.maxPayloadBytes', 1, MAX_LIMIT),
  };
}

/** The token argument as a string no longer than the cap. */
export function checkTokenString(token: unknown, maxTokenLength: number): string {
  if (typeof token !== 'string') {
    throw new TokenError(
      'ERR_TOKEN_NOT_STRING',
      `token must be a string, got ${token === null ? 'null' : typeof token}`,
    );
  }
  if (token.length > maxTokenLength) {
    throw new TokenError(
      'ERR_TOKEN_TOO_LONG',
      `token is ${token.length} characters long, more than the limit of ${maxTokenLength} (options.maxTokenLength)`,
    );
  }
  return token;
}

/**
 * Decodes the base64 body of a token (`token.slice(start)`): canonical RFC 4648 in strict
 * mode, commons-codec's lenient reading otherwise. The output is at most 3/4 of the text, which
 * the length cap already bounds.
 */
export function decodeTokenBase64(token: string, start: number, lenient: boolean, shared = false): Uint8Array {
  try {
    // shared: a reused buffer (base64DecodeShared), for bytes inflated right away. The body is
    // read in place, without slicing the token.
    const maxBytes = Math.ceil((token.length - start) / 4) * 3;
    return (shared ? base64DecodeShared : base64Decode)(token, lenient, maxBytes, start);
  } catch (err) {
    if (err instanceof Base64Error) {
      throw new TokenError(
        'ERR_TOKEN_BASE64',
        `token body is not canonical base64: ${err.message} (index ${start + err.index} of the token)`,
        { cause: err },
      );
    }
    throw err;
  }
}
