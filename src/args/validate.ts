import { isHex } from '../bytes/hex';
import { utf8Length } from '../bytes/utf8';
import { TokenError } from '../base/errors';

/** Largest value of a u32 on the wire. */
export const U32_MAX = 0xffffffff;
/** Largest byte length a u16-prefixed string can carry. */
export const STRING_MAX_BYTES = 0xffff;

function describe(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return typeof value;
}

function requirePresent(name: string, value: unknown): void {
  if (value === undefined || value === null) {
    throw new TokenError('ERR_MISSING_ARGUMENT', `${name} is required but was ${value === null ? 'null' : 'not given'}`);
  }
}

/** An Agora app ID: exactly 32 hexadecimal characters (the reference's `isUUID`). */
export function checkAppId(value: unknown, name = 'appId'): string {
  requirePresent(name, value);
  if (typeof value !== 'string' || !isHex(value, 32)) {
    throw new TokenError('ERR_INVALID_APP_ID', `${name} must be 32 hexadecimal characters, got ${describe(value)}`);
  }
  return value;
}

/** An Agora app certificate: exactly 32 hexadecimal characters. */
export function checkAppCertificate(value: unknown, name = 'appCertificate'): string {
  requirePresent(name, value);
  if (typeof value !== 'string' || !isHex(value, 32)) {
    throw new TokenError(
      'ERR_INVALID_APP_CERTIFICATE',
      `${name} must be 32 hexadecimal characters, got ${typeof value === 'string' ? `a ${value.length}-character string` : describe(value)}`,
    );
  }
  return value;
}

/** An integer within [min, max]. */
export function checkInteger(value: unknown, name: string, min: number, max: number): number {
  requirePresent(name, value);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TokenError('ERR_INVALID_NUMBER', `${name} must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

/** A u32 wire value: an integer 0 … 4294967295 (expires, uids, timestamps, salts). */
export function checkU32(value: unknown, name: string): number {
  return checkInteger(value, name, 0, U32_MAX);
}

/** A u16 wire value: service types, privilege ids, RTM2 resource/permission types. */
export function checkU16(value: unknown, name: string): number {
  return checkInteger(value, name, 0, 0xffff);
}

/** A 16-bit role: signed or unsigned spelling accepted, packed as 16 bits. */
export function checkRole16(value: unknown, name: string): number {
  requirePresent(name, value);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -0x8000 || value > 0xffff) {
    throw new TokenError('ERR_INVALID_ROLE', `${name} must be a 16-bit integer from -32768 to 65535, got ${describe(value)}`);
  }
  return value;
}

/** One of the roles a builder knows. */
export function checkRole(value: unknown, name: string, allowed: Readonly<Record<number, string>>): number {
  requirePresent(name, value);
  if (typeof value !== 'number' || !(value in allowed)) {
    const list = Object.entries(allowed).map(([n, label]) => `${n} (${label})`).join(', ');
    throw new TokenError('ERR_INVALID_ROLE', `${name} must be one of ${list}, got ${describe(value)}`);
  }
  return value;
}

/** A string that fits a u16 length prefix once encoded as UTF-8. */
export function checkString(value: unknown, name: string): string {
  requirePresent(name, value);
  if (typeof value !== 'string') {
    throw new TokenError('ERR_INVALID_ARGUMENT', `${name} must be a string, got ${describe(value)}`);
  }
  if (value.length > STRING_MAX_BYTES / 3 && utf8Length(value) > STRING_MAX_BYTES) {
    throw new TokenError(
      'ERR_STRING_TOO_LONG',
      `${name} must be at most ${STRING_MAX_BYTES} bytes in UTF-8, got ${utf8Length(value)} bytes`,
    );
  }
  return value;
}

/**
 * A uid given as a number (0 … 4294967295, where 0 means "no uid", i.e. `""`) or as an account
 * string; returns the string that goes on the wire.
 */
export function uidToString(value: unknown, name: string): string {
  if (typeof value === 'number') {
    const uid = checkU32(value, name);
    return uid === 0 ? '' : String(uid);
  }
  return checkString(value, name);
}
