/**
 * What `decodeToken` and `verifyToken` take and return.
 */

import type { DecodedFieldValues, PrivilegeName007, ServiceName } from '../token007/services';
import type { PrivilegeName006 } from '../token006/access-token';

/**
 * Default cap on the token string's length, in characters: 16 KiB. A real token is under 1 KB;
 * the largest golden builder token (an RTM2 token with many resources) is 4.7 KB.
 */
export const DEFAULT_MAX_TOKEN_LENGTH = 16 * 1024;
/**
 * Default cap on the payload after base64 and inflation, in bytes: 64 KiB, room for a
 * 32 KiB user id. It bounds memory (the inflater's buffer never exceeds it) and decoding time
 * (linear in the payload, a few milliseconds at worst).
 */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

/** Options of {@link decodeToken}. */
export interface DecodeOptions {
  /**
   * Accept what Agora's Java reference parser accepts (default `false`, strict): characters
   * outside base64 are skipped, the URL-safe alphabet and missing padding are accepted, a zlib
   * stream may lack (part of) its checksum or be followed by other bytes, bytes after the last
   * service are ignored, and counts and string lengths are read as Java reads them (signed
   * 16-bit: a count of 0x8000 or more means "none", a string length of 0x8000 or more is an
   * error). Services 9 and 10 (ConvoAI, STT), which the Java reference does not know, are still
   * read; should reading fail after one of them, the services read so far are kept, since the
   * reference stops at such a type. As the reference's 8 KiB read loop does, a payload whose
   * zlib data turns bad (or whose checksum is wrong) after 8,192 bytes or more is read from the
   * whole 8,192-byte chunks before the fault; a signature covers only those bytes, so such a
   * token verifies only if it was signed that way. Strict mode accepts only the canonical form
   * a builder produces: canonical base64, one complete zlib stream with a valid checksum and nothing
   * after it, a 32-byte signature, a 32-hex-digit app ID, unsigned counts, valid UTF-8, no
   * privilege listed twice and no byte left after the last service.
   */
  readonly lenient?: boolean;
  /**
   * Longest token string accepted, in characters; checked before anything is decoded.
   * Default {@link DEFAULT_MAX_TOKEN_LENGTH} (16 KiB).
   */
  readonly maxTokenLength?: number;
  /**
   * Largest payload accepted, in bytes: the inflated content of a 007 token, the base64-decoded
   * content of a 006 token. Inflation stops as soon as it is passed.
   * Default {@link DEFAULT_MAX_PAYLOAD_BYTES} (64 KiB).
   */
  readonly maxPayloadBytes?: number;
}

/** Options of {@link verifyToken}: the decode options plus what to check. */
export interface VerifyOptions extends DecodeOptions {
  /** The current time in Unix seconds; default the clock. */
  readonly now?: number;
  /** Seconds a token (or privilege) is still accepted after it expired; default 0. */
  readonly clockTolerance?: number;
  /** The app ID the token must carry (compared case-insensitively). */
  readonly appId?: string;
  /**
   * 007: a service the token must carry, by wire type (`ServiceType.RTC`) or table name (`'rtc'`).
   * Ignored for 006 (which has no services).
   */
  readonly service?: number | ServiceName;
  /**
   * A privilege the token must grant, in date: by id, or by the name the service table (007) or
   * the 006 privilege list gives it (`'joinChannel'`). For 007 it needs `service`.
   */
  readonly privilege?: number | PrivilegeName007 | PrivilegeName006;
  /**
   * The channel name. Required for 006, whose signature covers it (the token holds only its
   * CRC-32). For 007: a service carrying a `channelName` field equal to it must be present
   * (among services of type `service`, when given).
   */
  readonly channelName?: string;
  /**
   * The uid, as a string or a number (0 means `""`). Required for 006, whose signature covers
   * it; a 006 number ≥ 2^31 is taken as the reference signs it, its signed 32-bit decimal
   * (4294967295 → `"-1"`). For 007: a service carrying a `uid` field equal to it must be
   * present (RTC); a number is its unsigned decimal, as the 007 builders write it.
   */
  readonly uid?: string | number;
}

/** One privilege of a decoded token, for people: its name and when it ends. */
export interface DecodedPrivilege {
  /** Privilege id (u16). */
  readonly id: number;
  /** Its name in the service table (007) or the 006 list; undefined for an id nobody defined. */
  readonly name: string | undefined;
  /**
   * Absolute Unix time (seconds) the privilege ends; `null` when its expire is 0, which means
   * it has no limit of its own (the token's expiry still applies).
   */
  readonly expiresAt: number | null;
}

/**
 * One service of a decoded 007 token. The fields after the privileges are present as the
 * service table lists them for the type (`channelName` and `uid` for RTC, `userId` for Chat …);
 * their names and types come from the table (`DecodedFieldValues`): `channelName`, `uid`,
 * `account`, `userId`, `roomUuid`, `userUuid` (strings), `role` (APaaS, signed 16-bit: -1 when
 * not a room token) and `permissions` (RTM2, in wire order).
 */
export interface DecodedService extends Partial<DecodedFieldValues> {
  /** Wire type (u16). */
  readonly type: number;
  /** Service table name (`'chat'`, `'rtc'` …), or `'unknown'` for a type this library does not know. */
  readonly name: ServiceName | 'unknown';
  /** Human name (`'Chat'`, `'RTC'` …), or `'Unknown'`. */
  readonly label: string;
  /** Privilege id → expire, in seconds counted from the token's `issueTs` (0: no limit of its own). */
  readonly privileges: Readonly<Record<number, number>>;
  /** The same privileges with names and absolute expiry times, in token order. */
  readonly privilegeDetails: readonly DecodedPrivilege[];
  /**
   * Only on the entry for a service type this library does not know (strict mode): the bytes
   * after its type field, which cannot be read without knowing its layout. Decoding ends there.
   */
  readonly unparsed?: Uint8Array;
}

/** A decoded AccessToken2 ("007"). */
export interface DecodedToken007 {
  /** Discriminates the two token versions. */
  readonly version: '007';
  /** The app ID the token is for. */
  readonly appId: string;
  /** Unix time in seconds when the token was made. */
  readonly issueTs: number;
  /** Lifetime in seconds from `issueTs`. */
  readonly expire: number;
  /** `issueTs + expire`: the token is in date while `now <= expiresAt`. */
  readonly expiresAt: number;
  /** The token's random u32 salt (part of the signing key). */
  readonly salt: number;
  /** Services in token order. */
  readonly services: readonly DecodedService[];
  /** The signature as it arrived (32 bytes in a well-formed token); a view of the token's own payload. */
  readonly signature: Uint8Array;
  /**
   * The signature in lower-case hex: what identifies this token. A token has many valid
   * encodings (another compressor, unused zlib and base64 bits), all with this signature, so a
   * deny-list must key on it, never on the token string (see docs/security.md).
   */
  readonly signatureHex: string;
  /** The signed bytes exactly as they arrived (everything after the signature); a view of the payload. */
  readonly signingInfo: Uint8Array;
}

/** A decoded legacy AccessToken ("006"). */
export interface DecodedToken006 {
  /** Discriminates the two token versions. */
  readonly version: '006';
  /** The 32 characters after the version prefix. */
  readonly appId: string;
  /** The signature as it arrived; a view of the payload. */
  readonly signature: Uint8Array;
  /** The signature in lower-case hex: the key for a deny-list (see {@link DecodedToken007.signatureHex}). */
  readonly signatureHex: string;
  /** CRC-32 of the channel name's UTF-8 bytes (the token does not hold the name). */
  readonly crcChannelName: number;
  /** CRC-32 of the uid string's UTF-8 bytes. */
  readonly crcUid: number;
  /** The token's random u32 salt (part of the signed message). */
  readonly salt: number;
  /** The message's own expiry, absolute Unix seconds (issue time + 24 h in the reference). */
  readonly ts: number;
  /** Same as `ts`: the token is in date while `now <= expiresAt`. */
  readonly expiresAt: number;
  /** Privilege id → absolute expiry timestamp (0: no expiry). */
  readonly privileges: Readonly<Record<number, number>>;
  /** The same privileges with names, in token order. */
  readonly privilegeDetails: readonly DecodedPrivilege[];
  /** The signed message bytes exactly as they arrived; a view of the payload. */
  readonly message: Uint8Array;
}

/** A decoded token of either version; `version` tells which. */
export type DecodedToken = DecodedToken007 | DecodedToken006;
