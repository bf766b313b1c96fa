import { utf8Encode } from '../bytes/utf8';
import { constantTimeEqual } from '../crypto/constant-time';
import type { DecodedToken006 } from '../token-types';
import { sign006 } from './access-token';

const expected = new Uint8Array(32);

/**
 * True when the token's signature is `HMAC(appCertificate, appId + channelName + uid + message)`
 * over the message bytes exactly as they arrived. The channel name and uid are not in the token
 * (only their CRCs), so the caller supplies them. The comparison is constant-time.
 */
export function signatureMatches006(
  decoded: DecodedToken006, appCertificate: string, channelName: string, uid: string,
): boolean {
  const { signature } = decoded;
  if (signature.length !== expected.length) return false;
  sign006(appCertificate, decoded.appId, utf8Encode(channelName), utf8Encode(uid), decoded.message, expected);
  return constantTimeEqual(signature, 0, expected, 0, expected.length);
}
