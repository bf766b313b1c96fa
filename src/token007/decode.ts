import { ByteReader } from '../bytes/reader';
import { isHex } from '../bytes/hex';
import { readPrivileges } from '../decoded-privileges';
import { TokenError } from '../errors';
import type { DecodedPrivilege, DecodedService, DecodedToken007 } from '../token-types';
import { decodeTokenBase64 } from '../token-input';
import { InflateError, zlibInflate, type InflateResult } from '../zlib/inflate';
import type { Rtm2Permission } from './permissions';
import { serviceSpec, type FieldSpec, type ServiceSpec } from './services';

/** Length of the version prefix ("007"). */
const PREFIX_LENGTH = 3;
/** An HMAC-SHA256 signature. */
const SIGNATURE_LENGTH = 32;
/**
 * The Java reference parses service types 1–8 and stops at any other; 9 (ConvoAI) and 10 (STT)
 * came later, in the Node.js reference only.
 */
const REFERENCE_MAX_TYPE = 8;

function inflatePayload(compressed: Uint8Array, lenient: boolean, maxPayloadBytes: number, shared: boolean): InflateResult {
  try {
    const result = zlibInflate(compressed, { maxOutput: maxPayloadBytes, lenient }); void shared; // the output is always the caller's own now
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
  return r.utf8(r.length16(lenient, what), !lenient, what);
}

/**
 * The last valid appId read and its bytes. A server verifies tokens of one app over and over:
 * comparing 32 bytes costs a fraction of decoding them to a string and checking its digits.
 * Only a 32-hex-digit appId is kept, which decodes alike in strict and lenient mode.
 */
let lastAppId = '';
const lastAppIdBytes = new Uint8Array(32);

/** The appId: strict mode requires 32 hex digits. */
function readAppId(r: ByteReader, lenient: boolean): string {
  const length = r.length16(lenient, 'appId');
  const { data, pos } = r;
  if (length === 32 && lastAppId !== '' && r.remaining >= 32) {
    let same = 0;
    for (let i = 0; i < 32; i++) same |= data[pos + i] ^ lastAppIdBytes[i];
    if (same === 0) {
      r.pos = pos + 32;
      return lastAppId;
    }
  }
  const appId = r.utf8(length, !lenient, 'appId');
  if (isHex(appId, 32)) {
    lastAppId = appId;
    lastAppIdBytes.set(data.subarray(pos, pos + 32));
  } else if (!lenient) {
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

function readField(r: ByteReader, field: FieldSpec, lenient: boolean): string | number | Rtm2Permission[] {
  switch (field.kind) {
    case 'string':
      return readString(r, lenient, field.name);
    case 'role':
      return r.i16(field.name);
    case 'permissions':
      return readPermissions(r, lenient);
  }
}

/** One known service, after its type: privileges, then the fields its table row lists. */
function readService(r: ByteReader, spec: ServiceSpec, issueTs: number, lenient: boolean): DecodedService {
  const { privileges, privilegeDetails } = readPrivileges(r, lenient, spec.privileges, issueTs, `${spec.label} service`);
  const service: Record<string, unknown> = {
    type: spec.type, name: spec.name, label: spec.label, privileges, privilegeDetails,
  };
  for (const field of spec.fields) service[field.name] = readField(r, field, lenient);
  return service as unknown as DecodedService;
}

/**
 * The payload of a 007 token: the inflater's shared buffer when it fits (no copy; valid until the
 * next inflate), else a buffer of its own.
 */
function tokenPayload(token: string, lenient: boolean, maxPayloadBytes: number, shared: boolean): InflateResult {
  // The compressed bytes are only read by the inflater: a shared buffer saves an allocation.
  return inflatePayload(decodeTokenBase64(token, PREFIX_LENGTH, lenient, true), lenient, maxPayloadBytes, shared);
}

/**
 * The decoded token that came from the shared inflate buffer last, the signed bytes in that
 * buffer, and the inflateCalls() count while they are valid: verifying right after decoding
 * reads them there instead of through the copy `signingInfo` makes.
 */
let lastShared: DecodedToken007 | undefined;
let lastSignedBytes: Uint8Array = new Uint8Array(0);
let lastInflateCalls = -1;

/** The signed bytes of a decoded token, without a copy when they are still in the inflate buffer. */
export function signedBytes007(decoded: DecodedToken007): Uint8Array {
  if (decoded === lastShared && lastInflateCalls === 0) return lastSignedBytes;
  return decoded.signingInfo;
}

/** Where a decoded token's signed bytes come from until they are first read. */
interface SignedBytesSource {
  readonly token: string;
  readonly lenient: boolean;
  readonly maxPayloadBytes: number;
  /** Offset of the signed bytes in the payload. */
  readonly from: number;
  /** The bytes, once read (or from the start, when the payload has a buffer of its own). */
  bytes: Uint8Array | undefined;
}
const SOURCE = Symbol('signingInfo source');

/**
 * A decoded 007 token. Every field is a plain own property but `signingInfo`, a getter that
 * copies the signed bytes on first read (by decoding the token again: the same token always
 * decodes to the same bytes). Most callers never read them, and the copy is a typed array of
 * more than 64 bytes, which V8 keeps outside its heap: allocating it was a seventh of a verify.
 * JSON (`toJSON`) and property reads see `signingInfo` as before; a spread copy (`{...token}`)
 * does not include it.
 */
class Decoded007 implements DecodedToken007 {
  readonly version = '007';
  readonly expiresAt: number;
  private readonly [SOURCE]: SignedBytesSource;

  constructor(
    readonly appId: string, readonly issueTs: number, readonly expire: number, readonly salt: number,
    readonly services: readonly DecodedService[], readonly signature: Uint8Array, source: SignedBytesSource,
  ) {
    this.expiresAt = issueTs + expire;
    this[SOURCE] = source;
  }

  get signingInfo(): Uint8Array {
    const source = this[SOURCE];
    return (source.bytes ??= tokenPayload(source.token, source.lenient, source.maxPayloadBytes, false).output.subarray(source.from));
  }

  /** The token as plain data, `signingInfo` included: what `JSON.stringify` writes. */
  toJSON(): DecodedToken007 {
    const { version, appId, issueTs, expire, expiresAt, salt, services, signature, signingInfo } = this;
    return { version, appId, issueTs, expire, expiresAt, salt, services, signature, signingInfo };
  }

  /** What Node's `util.inspect` (and so `console.log`) shows: the plain data, as for JSON. */
  [Symbol.for('nodejs.util.inspect.custom')](): DecodedToken007 {
    return this.toJSON();
  }
}

/**
 * Decodes a 007 token (the caller has checked the prefix and the length cap).
 * Strict: canonical base64, a complete zlib stream with its checksum and nothing after it, a
 * 32-byte signature, a 32-hex-digit app ID, unsigned counts, valid UTF-8, no duplicate
 * privilege, no byte left after the last service. Lenient: what the Java reference's `parse`
 * accepts (see `DecodeOptions.lenient`).
 *
 * Token-sized payloads are read in the inflater's shared buffer. What the result keeps of them
 * is copied: the 32-byte signature (on V8's heap, cheap) now, `signingInfo` when first read
 * (see Decoded007).
 */
export function decodeToken007(token: string, lenient: boolean, maxPayloadBytes: number): DecodedToken007 {
  const { output: payload } = tokenPayload(token, lenient, maxPayloadBytes, true);
  const shared = false as boolean; // zlibInflate no longer returns views of a shared buffer
  const r = new ByteReader(payload);

  const signatureLength = r.length16(lenient, 'signature');
  if (!lenient && signatureLength !== SIGNATURE_LENGTH) {
    throw new TokenError(
      'ERR_TOKEN_MALFORMED',
      `signature must be ${SIGNATURE_LENGTH} bytes (HMAC-SHA256), the token says ${signatureLength}`,
    );
  }
  const signatureView = r.bytes(signatureLength, 'signature');
  const signature = shared ? signatureView.slice() : signatureView;
  const signedFrom = r.pos;
  const signedView = payload.subarray(signedFrom);

  const appId = readAppId(r, lenient);
  const issueTs = r.u32('issueTs');
  const expire = r.u32('expire');
  const salt = r.u32('salt');
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
          const unparsed = r.bytes(r.remaining, 'unknown service');
          services.push(unknownService(type, shared ? unparsed.slice() : unparsed));
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
  if (!lenient && !unknownType && r.remaining > 0) {
    throw new TokenError(
      'ERR_TOKEN_TRAILING_BYTES',
      `${r.remaining} byte${r.remaining === 1 ? '' : 's'} left after the last of ${count} service${count === 1 ? '' : 's'}`,
    );
  }

  const source: SignedBytesSource = {
    token, lenient, maxPayloadBytes, from: signedFrom, bytes: shared ? undefined : signedView,
  };
  const decoded = new Decoded007(appId, issueTs, expire, salt, services, signature, source);
  if (!shared) return decoded;
  lastShared = decoded;
  lastSignedBytes = signedView;
  lastInflateCalls = 0;
  return decoded;
}

const NO_PRIVILEGES: Readonly<Record<number, number>> = Object.freeze({});
const NO_DETAILS: readonly DecodedPrivilege[] = Object.freeze([]);

function unknownService(type: number, unparsed: Uint8Array): DecodedService {
  return {
    type, name: 'unknown', label: 'Unknown', privileges: NO_PRIVILEGES, privilegeDetails: NO_DETAILS, unparsed,
  };
}
