import type { SignedHeader007 } from './decode';
import { matchesOnce, type TokenSigner } from './signature';

/**
 * True when the token's signature is the HMAC of its signing bytes, exactly as they arrived,
 * under the key derived from the certificate (validated hex, or an app's own signer),
 * `issueTs` and `salt`. The comparison is constant-time, and the expected MAC stays in the
 * HMAC scratch, zeroed before this returns.
 */
export function signatureMatches007(header: SignedHeader007, certificate: string | TokenSigner): boolean {
  const { signature, signingInfo, issueTs, salt } = header;
  if (signature.length !== 32) return false;
  return typeof certificate === 'string'
    ? matchesOnce(certificate, issueTs, salt, signingInfo, 0, signingInfo.length, signature)
    : certificate.matches(issueTs, salt, signingInfo, 0, signingInfo.length, signature);
}
