import { constantTimeEqual } from '../crypto/constant-time';
import type { DecodedToken007 } from '../token-types';
import { signedBytes007 } from './decode';
import { signingKey } from './signature';

const expected = new Uint8Array(32);

/**
 * True when the token's signature is the HMAC of its signing bytes, exactly as they arrived,
 * under the key derived from `appCertificate` (validated hex), `issueTs` and `salt`. The
 * comparison is constant-time.
 */
export function signatureMatches007(decoded: DecodedToken007, appCertificate: string): boolean {
  const { signature } = decoded;
  if (signature.length !== expected.length) return false;
  const signingInfo = signedBytes007(decoded);
  signingKey(appCertificate, decoded.issueTs, decoded.salt).sign(signingInfo, 0, signingInfo.length, expected);
  return constantTimeEqual(signature, 0, expected, 0, expected.length);
}
