import { byteReader, type ByteReader } from '../bytes/reader';
import { isHex, toHex } from '../bytes/hex';
import { readPrivileges } from '../read/decoded-privileges';
import { TokenError } from '../base/errors';
import type { DecodedPrivilege, DecodedService, DecodedToken007 } from '../read/token-types';
import { decodeTokenBase64 } from '../read/token-input';
import { InflateError, zlibInflate, type InflateResult } from '../zlib/inflate';
import type { Rtm2Permission } from './permissions';
import { serviceSpec, type ServiceSpec } from './services';

/** Length of the version prefix ("007"). */
const PREFIX_LENGTH = 3;
/** An HMAC-SHA256 signature. */
const SIGNATURE_LENGTH = 32;
/**
 * The Java reference parses service types 1–8 and stops at any other; 9 (ConvoAI) and 10 (STT)
 * came later, in the Node.js reference only.
 */
const REFERENCE_MAX_TYPE = 8;

/** What a 007 token's signature depends on, and the app ID: read before its services. */
export type SignedHeader007 = Pick<DecodedToken007, 'appId' | 'issueTs' | 'salt' | 'signature' | 'signingInfo'>;

function inflatePayload(compressed: Uint8Array, lenient: boolean, maxPayloadBytes: number): InflateResult {
  try {
    const result = zlibInflate(compressed, { maxOutput: maxPayloadBytes, lenient });
    if (!lenient && result.trailing > 0) {
      throw new TokenError(
        'ERR_TOKEN_TRAILING_BYTES',
        `${result.trailing} byte${result.trailing === 1 ? '' : 's'} after the end of the zlib stream`,
      );
    }
    return result;
  } catch (err) {
    if (!(err instanceof InflateError)) throw err;
    switch (err.code) {
      case 'ERR_INFLATE_LIMIT':
        throw new TokenError(
          'ERR_TOKEN_INFLATE_LIMIT',
          `token payload inflates to more than ${maxPayloadBytes} bytes (options.maxPayloadBytes); inflation was stopped there`,
          { cause: err },
        );
      case 'ERR_ZLIB_TRUNCATED':
        throw new TokenError(
          'ERR_TOKEN_TRUNCATED',
          `token ends early: ${err.message} (was the token cut off?)`,
          { cause: err },
        );
      default:
        throw new TokenError('ERR_TOKEN_ZLIB', `token body is not a valid zlib stream: ${err.message}`, { cause: err });
    }
  }
}

/** A u16-length-prefixed UTF-8 string: strict decoding refuses malformed UTF-8. */
function readString(r: ByteReader, lenient: boolean, what: string): string {
  return r.utf8(r.length16(lenient, what), lenient, what);
}

/** The appId: strict mode requires 32 hex digits. */
function readAppId(r: ByteReader, lenient: boolean): string {
  const appId = r.utf8(r.length16(lenient, 'appId'), lenient, 'appId');
  if (!lenient && !isHex(appId, 32)) {
    throw new TokenError('ERR_TOKEN_MALFORMED', `appId in the token must be 32 hexadecimal characters, got ${JSON.stringify(appId.slice(0, 40))}`);
  }
  return appId;
}

/** RTM2 permissions. The reference reads these counts unsigned (unlike the others). */
function readPermissions(r: ByteReader, lenient: boolean): Rtm2Permission[] {
  const list: Rtm2Permission[] = [];
  const resourceTypes = r.u16('RTM2 resource type count');
  let seen: Map<number, number> | undefined;
  for (let i = 0; i < resourceTypes; i++) {
    const resourceType = r.u16('RTM2 resource type');
    const permissionTypes = r.u16('RTM2 permission count');
    for (let j = 0; j < permissionTypes; j++) {
      const permissionType = r.u16('RTM2 permission type');
      const count = r.u16('RTM2 resource count');
      const resources: string[] = [];
      for (let k = 0; k < count; k++) resources.push(readString(r, lenient, 'RTM2 resource'));
      const grant: Rtm2Permission = { resourceType, permissionType, resources };
      // The reference keeps one list per (resource type, permission type): the last one wins.
      const key = resourceType * 0x10000 + permissionType;
      const earlier = (seen ??= new Map()).get(key);
      if (earlier === undefined) {
        seen.set(key, list.length);
        list.push(grant);
      } else if (lenient) {
        list[earlier] = grant;
      } else {
        throw new TokenError(
          'ERR_TOKEN_MALFORMED',
          `RTM2 permissions list resource type ${resourceType} / permission type ${permissionType} twice`,
        );
      }
    }
  }
  return list;
}

/** One known service, after its type: privileges, then the fields its table row lists. */
function readService(r: ByteReader, spec: ServiceSpec, issueTs: number, lenient: boolean): DecodedService {
  const { privileges, privilegeDetails } = readPrivileges(r, lenient, spec.privileges, issueTs, `${spec.label} service`);
  const service: Mutable<DecodedService> = {
    type: spec.type, name: spec.name, label: spec.label, privileges, privilegeDetails,
  };
  for (const field of spec.fields) {
    switch (field.kind) {
      case 'string':
        service[field.name] = readString(r, lenient, field.name);
        break;
      case 'role':
        service.role = r.i16(field.name);
        break;
      case 'permissions':
        service.permissions = readPermissions(r, lenient);
        break;
    }
  }
  return service;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The payload of a 007 token, in an array of its own. The base64 bytes are decoded into the
 * base64 module's scratch, inflated at once, then wiped there.
 */
function tokenPayload(token: string, lenient: boolean, maxPayloadBytes: number): Uint8Array {
  const compressed = decodeTokenBase64(token, PREFIX_LENGTH, lenient, true);
  try {
    // Without the `shared` option, zlibInflate's output is the caller's (and after the zlib
    // rewrite of issue 14, always): the decoded token keeps views of it.
    return inflatePayload(compressed, lenient, maxPayloadBytes).output;
  } finally {
    compressed.fill(0);
  }
}

/**
 * Decodes a 007 token (the caller has checked the prefix and the length cap).
 * Strict: canonical base64, a complete zlib stream with its checksum and nothing after it, a
 * 32-byte signature, a 32-hex-digit app ID, unsigned counts, valid UTF-8, no duplicate
 * privilege, no byte left after the last service. Lenient: what the Java reference's `parse`
 * accepts (see `DecodeOptions.lenient`).
 *
 * The result owns its payload: `signature`, `signingInfo` and any `unparsed` bytes are views of
 * it, and nothing of it stays in this module.
 *
 * `beforeServices` sees the signed header before a service is read: verifying checks the
 * signature there, so that a forged token is refused for the price of its HMAC, not of parsing
 * up to 64 KiB of services.
 */
export function decodeToken007(
  token: string, lenient: boolean, maxPayloadBytes: number, beforeServices?: (header: SignedHeader007) => void,
): DecodedToken007 {
  const payload = tokenPayload(token, lenient, maxPayloadBytes);
  const r = byteReader(payload);

  const signatureLength = r.length16(lenient, 'signature');
  if (!lenient && signatureLength !== SIGNATURE_LENGTH) {
    throw new TokenError(
      'ERR_TOKEN_MALFORMED',
      `signature must be ${SIGNATURE_LENGTH} bytes (HMAC-SHA256), the token says ${signatureLength}`,
    );
  }
  const signature = r.bytes(signatureLength, 'signature');
  const signingInfo = payload.subarray(r.pos);

  const appId = readAppId(r, lenient);
  const issueTs = r.u32('issueTs');
  const expire = r.u32('expire');
  const salt = r.u32('salt');
  if (beforeServices !== undefined) beforeServices({ appId, issueTs, salt, signature, signingInfo });
  const count = r.count16(lenient, 'service count');

  const services: DecodedService[] = [];
  let unknownType = false;
  // Lenient: set once a type the reference does not parse has been read. The reference stops at
  // such a type, so any read error after it is one the reference never meets.
  let pastReference = false;
  for (let i = 0; i < count; i++) {
    try {
      const type = r.u16('service type');
      const spec = serviceSpec(type);
      if (spec === undefined) {
        // Its layout is unknown, so nothing after it can be read; the signature still covers it.
        if (!lenient) {
          const unparsed = r.bytes(r.remaining(), 'unknown service');
          services.push(unknownService(type, unparsed));
        }
        unknownType = true;
        break;
      }
      if (type > REFERENCE_MAX_TYPE) pastReference = true;
      services.push(readService(r, spec, issueTs, lenient));
    } catch (err) {
      if (lenient && pastReference && err instanceof TokenError) break;
      throw err;
    }
  }
  if (!lenient && !unknownType && r.remaining() > 0) {
    throw new TokenError(
      'ERR_TOKEN_TRAILING_BYTES',
      `${r.remaining()} byte${r.remaining() === 1 ? '' : 's'} left after the last of ${count} service${count === 1 ? '' : 's'}`,
    );
  }

  return {
    version: '007', appId, issueTs, expire, expiresAt: issueTs + expire, salt, services, signature,
    signatureHex: toHex(signature), signingInfo,
  };
}

const NO_PRIVILEGES: Readonly<Record<number, number>> = Object.freeze({});
const NO_DETAILS: readonly DecodedPrivilege[] = Object.freeze([]);

function unknownService(type: number, unparsed: Uint8Array): DecodedService {
  return {
    type, name: 'unknown', label: 'Unknown', privileges: NO_PRIVILEGES, privilegeDetails: NO_DETAILS, unparsed,
  };
}
