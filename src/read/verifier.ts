import { HmacKey } from '../crypto/hmac';
import { TokenError } from '../base/errors';
import type { DecodedToken, VerifyOptions } from './token-types';
import { TokenSigner } from '../token007/signature';
import { checkAppCertificate, checkAppId } from '../args/validate';
import { verifyWithKeys } from './verify';

/**
 * Verifies tokens for one app, as {@link verifyToken} with its certificate, faster for many
 * tokens: the certificate is checked once, and it keeps — until {@link TokenVerifier.wipe} —
 * the certificate as the 007 signing chain's message with the first step for the last issue
 * time, and the HMAC key schedule of the certificate for 006 tokens. It keeps no token between
 * calls. With `appId`, every token must carry that app ID (`ERR_APP_ID_MISMATCH`).
 *
 * @example
 * ```ts
 * const verifier = createTokenVerifier({ appId, appCertificate });
 * const decoded = verifier.verify(token, { service: 'chat', privilege: 'user' });
 * ```
 */
export interface TokenVerifier {
  /** As `verifyToken(token, appCertificate, options)`; `options.appId` defaults to the verifier's. */
  verify(token: string, options?: VerifyOptions): DecodedToken;
  /** Zeroes the certificate and keys it keeps; every later call throws `ERR_INVALID_APP_CERTIFICATE`. */
  wipe(): void;
}

/** What {@link createTokenVerifier} takes: the certificate, and optionally the app ID to require. */
export interface VerifierCredentials {
  /** The app certificate, 32 hexadecimal characters. */
  readonly appCertificate: string;
  /** When given, the app ID every token must carry. */
  readonly appId?: string;
}

/** A {@link TokenVerifier} for one app; throws `TokenError` for a bad certificate or app ID. */
export function createTokenVerifier(credentials: VerifierCredentials): TokenVerifier {
  const certificate = checkAppCertificate(credentials?.appCertificate);
  const appId = credentials.appId === undefined ? undefined : checkAppId(credentials.appId);
  const for007 = new TokenSigner(true).setCertificate(certificate);
  const certificateBytes = new TextEncoder().encode(certificate);
  const for006 = new HmacKey(certificateBytes);
  certificateBytes.fill(0);
  let wiped = false;
  return {
    verify(token, options) {
      if (wiped) throw new TokenError('ERR_INVALID_APP_CERTIFICATE', 'this token verifier was wiped; create a new one');
      // Options that are not an object go through as they are, to be refused.
      const merge = appId !== undefined && (options == null || (typeof options === 'object' && options.appId === undefined));
      const withAppId = merge ? { ...options, appId } : options;
      return verifyWithKeys(token, { for007, for006 }, withAppId);
    },
    wipe() {
      wiped = true;
      for007.wipe();
      for006.wipe();
    },
  };
}
