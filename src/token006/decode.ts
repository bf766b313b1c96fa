import { byteReader, type ByteReader } from '../bytes/reader';
import { isHex, toHex } from '../bytes/hex';
import { readPrivileges } from '../read/decoded-privileges';
import { TokenError } from '../base/errors';
import type { DecodedToken006 } from '../read/token-types';
import { decodeTokenBase64 } from '../read/token-input';
import { PRIVILEGE_NAMES_006 } from './access-token';

/** "006" + the 32-character app ID. */
const HEADER_LENGTH = 3 + 32;
const SIGNATURE_LENGTH = 32;

/** u16 length + bytes. */
function readBytes(r: ByteReader, lenient: boolean, what: string): Uint8Array {
  return r.bytes(r.length16(lenient, what), what);
}

function trailing(count: number, where: string): TokenError {
  return new TokenError('ERR_TOKEN_TRAILING_BYTES', `${count} byte${count === 1 ? '' : 's'} left after ${where}`);
}

/**
 * Decodes a 006 token (the caller has checked the prefix and the length cap):
 * `"006" + appId + base64(bytes(signature) u32(crcChannelName) u32(crcUid) bytes(message))`,
 * `message = u32(salt) u32(ts) u16(count) (u16(privilege) u32(expireTimestamp))*`.
 * Strict: a 32-hex-digit app ID, canonical base64, a 32-byte signature, unsigned counts, no
 * duplicate privilege, nothing left over. Lenient: what the Java reference's `fromString` accepts.
 */
export function decodeToken006(token: string, lenient: boolean, maxPayloadBytes: number): DecodedToken006 {
  if (token.length < HEADER_LENGTH) {
    throw new TokenError(
      'ERR_TOKEN_TRUNCATED',
      `a 006 token starts with "006" and a 32-character app ID, but this one is only ${token.length} characters long`,
    );
  }
  const appId = token.slice(3, HEADER_LENGTH);
  if (!lenient && !isHex(appId, 32)) {
    throw new TokenError('ERR_TOKEN_MALFORMED', `the 32 characters after "006" must be a hexadecimal app ID, got ${JSON.stringify(appId)}`);
  }
  // Base64 yields at most 3 bytes per 4 characters: refuse before decoding when that is too much.
  const bodyLength = token.length - HEADER_LENGTH;
  if (Math.floor((bodyLength * 3) / 4) > maxPayloadBytes) {
    throw new TokenError(
      'ERR_TOKEN_TOO_LONG',
      `006 token body of ${bodyLength} characters exceeds the payload limit of ${maxPayloadBytes} bytes (options.maxPayloadBytes)`,
    );
  }
  const payload = decodeTokenBase64(token, HEADER_LENGTH, lenient);
  const r = byteReader(payload);

  const signature = readBytes(r, lenient, 'signature');
  if (!lenient && signature.length !== SIGNATURE_LENGTH) {
    throw new TokenError(
      'ERR_TOKEN_MALFORMED',
      `signature must be ${SIGNATURE_LENGTH} bytes (HMAC-SHA256), the token says ${signature.length}`,
    );
  }
  const crcChannelName = r.u32('crcChannelName');
  const crcUid = r.u32('crcUid');
  const message = readBytes(r, lenient, 'message');
  if (!lenient && r.remaining() > 0) throw trailing(r.remaining(), 'the message');

  const m = byteReader(message);
  const salt = m.u32('salt');
  const ts = m.u32('ts');
  const { privileges, privilegeDetails } = readPrivileges(m, lenient, PRIVILEGE_NAMES_006, 0, 'the token');
  if (!lenient && m.remaining() > 0) throw trailing(m.remaining(), 'the last privilege of the message');

  return {
    version: '006', appId, signature, signatureHex: toHex(signature), crcChannelName, crcUid, salt, ts, expiresAt: ts, privileges, privilegeDetails, message,
  };
}
