import { constantTimeEqual } from '../crypto/constant-time';
import type { DecodedToken007 } from '../read/token-types';
import { signOnce, type TokenSigner } from './signature';

/**
 * True when the token's signature is the HMAC of its signing bytes, exactly as they arrived,
 * under the key derived from the certificate (validated hex, or an app's own signer),
 * `issueTs` and `salt`. The comparison is constant-time; the expected MAC is wiped after it.
 */
export function signatureMatches007(decoded: DecodedToken007, certificate: string | TokenSigner): boolean {
  const { signature, signingInfo, issueTs, salt } = decoded;
  if (signature.length !== 32) return false;
  const expected = new Uint8Array(32);
  if (typeof certificate === 'string') signOnce(certificate, issueTs, salt, signingInfo, 0, signingInfo.length, expected);
  else certificate.sign(issueTs, salt, signingInfo, 0, signingInfo.length, expected);
  const matches = constantTimeEqual(signature, 0, expected, 0, 32);
  expected.fill(0);
  return matches;
}
