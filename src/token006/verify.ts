import { utf8Encode } from '../bytes/utf8';
import { constantTimeEqual } from '../crypto/constant-time';
import type { DecodedToken006 } from '../read/token-types';
import type { HmacKey } from '../crypto/hmac';
import { sign006 } from './access-token';

/**
 * True when the token's signature is `HMAC(appCertificate, appId + channelName + uid + message)`
 * over the message bytes exactly as they arrived (the certificate as text, or an app's own HMAC key for it). The channel name and uid are not in the token
 * (only their CRCs), so the caller supplies them. The comparison is constant-time.
 */
export function signatureMatches006(
  decoded: DecodedToken006, certificate: string | HmacKey, channelName: string, uid: string,
): boolean {
  const { signature } = decoded;
  if (signature.length !== 32) return false;
  const expected = new Uint8Array(32);
  sign006(certificate, decoded.appId, utf8Encode(channelName), utf8Encode(uid), decoded.message, expected);
  const matches = constantTimeEqual(signature, 0, expected, 0, 32);
  expected.fill(0);
  return matches;
}
