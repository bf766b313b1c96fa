import { isHex } from '../bytes/hex';
import { decodeWithLimits } from './decode';
import { resolveDecodeOptions } from './token-input';
import { TokenError } from '../base/errors';
import { nowSeconds } from '../args/clock';
import { PRIVILEGE_NAMES_006, crc32OfString, uidString006 } from '../token006/access-token';
import { signatureMatches006 } from '../token006/verify';
import { SERVICES, serviceSpec, serviceSpecByName } from '../token007/services';
import type { TokenSigner } from '../token007/signature';
import type { HmacKey } from '../crypto/hmac';
import { signatureMatches007 } from '../token007/verify';
import type { SignedHeader007 } from '../token007/decode';
import type { DecodedService, DecodedToken, DecodedToken006, DecodedToken007, VerifyOptions } from './token-types';
import { checkAppCertificate, checkAppId, checkInteger, checkString, checkU16, checkU32, uidToString } from '../args/validate';

/** The checks `verifyToken` makes besides the signature, validated. */
interface Checks {
  readonly now: number;
  readonly tolerance: number;
  readonly appId: string | undefined;
  readonly serviceType: number | undefined;
  readonly privilege: number | string | undefined;
  readonly channelName: string | undefined;
  /** As given; turned into the wire string per version (006 and 007 spell large uids differently). */
  readonly uid: string | number | undefined;
}

function serviceTypeOf(service: number | string): number {
  if (typeof service === 'string') {
    const spec = serviceSpecByName(service);
    if (spec) return spec.type;
    const names = Object.values(SERVICES).map((spec) => `'${spec.name}'`).join(', ');
    throw new TokenError('ERR_INVALID_ARGUMENT', `options.service must be a service type or one of ${names}, got ${JSON.stringify(service)}`);
  }
  return checkU16(service, 'options.service');
}

function resolveChecks(options: VerifyOptions | undefined): Checks {
  const o = options ?? {};
  const { privilege, uid } = o;
  if (privilege !== undefined && typeof privilege !== 'string') checkU16(privilege, 'options.privilege');
  if (uid !== undefined && typeof uid !== 'string') checkU32(uid, 'options.uid');
  return {
    now: o.now === undefined ? nowSeconds() : checkInteger(o.now, 'options.now', 0, Number.MAX_SAFE_INTEGER),
    tolerance: o.clockTolerance === undefined ? 0 : checkInteger(o.clockTolerance, 'options.clockTolerance', 0, Number.MAX_SAFE_INTEGER),
    appId: o.appId === undefined ? undefined : checkAppId(o.appId, 'options.appId'),
    serviceType: o.service === undefined ? undefined : serviceTypeOf(o.service),
    privilege,
    channelName: o.channelName === undefined ? undefined : checkString(o.channelName, 'options.channelName'),
    uid,
  };
}

/** A privilege given by name, looked up in `names`; ids pass through. */
function privilegeId(privilege: number | string, names: Readonly<Record<number, string>>, where: string): number {
  if (typeof privilege === 'number') return privilege;
  for (const [id, name] of Object.entries(names)) if (name === privilege) return Number(id);
  const known = Object.values(names).map((name) => `'${name}'`).join(', ') || 'none';
  throw new TokenError('ERR_INVALID_ARGUMENT', `options.privilege ${JSON.stringify(privilege)} is not a privilege of ${where} (known: ${known})`);
}

function expired(what: string, expiresAt: number, checks: Checks): TokenError {
  const code = what === 'token' ? 'ERR_TOKEN_EXPIRED' : 'ERR_PRIVILEGE_EXPIRED';
  return new TokenError(
    code,
    `${what} expired at ${expiresAt} (${new Date(expiresAt * 1000).toISOString()}), now is ${checks.now}${checks.tolerance > 0 ? ` with ${checks.tolerance} s tolerance` : ''}`,
  );
}

const SIGNATURE_MISMATCH = 'signature does not match: the token was not made with this app certificate, or it was altered';

/** The services that satisfy the service / channelName / uid requirements, or why none does. */
function matchingServices(decoded: DecodedToken007, checks: Checks): readonly DecodedService[] {
  let services: readonly DecodedService[] = decoded.services;
  if (checks.serviceType !== undefined) {
    const type = checks.serviceType;
    services = services.filter((s) => s.type === type);
    if (services.length === 0) {
      const label = serviceSpec(type)?.label ?? `type ${type}`;
      throw new TokenError('ERR_SERVICE_MISSING', `token has no ${label} service (options.service)`);
    }
  }
  if (checks.channelName !== undefined) {
    const channelName = checks.channelName;
    services = services.filter((s) => s.channelName === channelName);
    if (services.length === 0) {
      throw new TokenError('ERR_CHANNEL_MISMATCH', `token has no service for channel ${JSON.stringify(channelName)} (options.channelName)`);
    }
  }
  if (checks.uid !== undefined) {
    const uid = uidToString(checks.uid, 'options.uid');
    services = services.filter((s) => s.uid === uid);
    if (services.length === 0) {
      throw new TokenError('ERR_UID_MISMATCH', `token has no service for uid ${JSON.stringify(uid)} (options.uid)`);
    }
  }
  return services;
}

/** The checks of a 007 token's header, made before its services are read: the app ID, then the signature. */
function checkHeader007(header: SignedHeader007, appCertificate: string | TokenSigner, checks: Checks, lenient: boolean): void {
  checkAppIdOption(header.appId, checks);
  // Strict decoding already refused such an app ID; the reference refuses to verify it.
  if (lenient && !isHex(header.appId, 32)) {
    throw new TokenError('ERR_TOKEN_MALFORMED', 'appId in the token is not 32 hexadecimal characters; the reference refuses to verify it');
  }
  if (!signatureMatches007(header, appCertificate)) throw new TokenError('ERR_SIGNATURE_MISMATCH', SIGNATURE_MISMATCH);
}

function checkAppIdOption(appId: string, checks: Checks): void {
  if (checks.appId !== undefined && appId.toLowerCase() !== checks.appId.toLowerCase()) {
    throw new TokenError('ERR_APP_ID_MISMATCH', `token is for app ID ${JSON.stringify(appId.slice(0, 40))}, expected ${checks.appId} (options.appId)`);
  }
}

/** The checks of a 007 token whose header checkHeader007 passed: expiry, then the options' service and privilege. */
function verify007(decoded: DecodedToken007, checks: Checks): void {
  if (checks.now > decoded.expiresAt + checks.tolerance) throw expired('token', decoded.expiresAt, checks);

  const { serviceType, privilege } = checks;
  if (serviceType === undefined && privilege === undefined && checks.channelName === undefined && checks.uid === undefined) return;
  const services = matchingServices(decoded, checks);
  if (privilege === undefined) return;
  if (serviceType === undefined) {
    throw new TokenError('ERR_INVALID_ARGUMENT', 'options.privilege needs options.service for a 007 token (privilege ids are per service)');
  }
  const spec = serviceSpec(serviceType);
  const id = privilegeId(privilege, spec?.privileges ?? {}, spec ? `the ${spec.label} service` : `service type ${serviceType}`);
  let found: number | undefined;
  for (const service of services) {
    const expire = service.privileges[id];
    if (expire === undefined) continue;
    // An expire of 0 gives the privilege no limit of its own (the FPA builder uses it).
    if (expire === 0 || checks.now <= decoded.issueTs + expire + checks.tolerance) return;
    found = decoded.issueTs + expire;
  }
  const name = spec?.privileges[id] ?? `privilege ${id}`;
  if (found === undefined) throw new TokenError('ERR_PRIVILEGE_MISSING', `token does not grant ${name} (options.privilege)`);
  throw expired(`privilege ${name}`, found, checks);
}

function verify006(decoded: DecodedToken006, appCertificate: string | HmacKey, checks: Checks): void {
  const { channelName, uid } = checks;
  if (channelName === undefined || uid === undefined) {
    throw new TokenError(
      'ERR_MISSING_ARGUMENT',
      `verifying a 006 token needs options.channelName and options.uid: its signature covers them and the token holds only their CRCs (missing: ${channelName === undefined ? 'channelName' : 'uid'})`,
    );
  }
  const uidString = typeof uid === 'number' ? uidString006(uid) : uid;
  if (crc32OfString(channelName) !== decoded.crcChannelName) {
    throw new TokenError('ERR_CHANNEL_MISMATCH', `token was not made for channel ${JSON.stringify(channelName)} (its CRC-32 differs)`);
  }
  if (crc32OfString(uidString) !== decoded.crcUid) {
    throw new TokenError('ERR_UID_MISMATCH', `token was not made for uid ${JSON.stringify(uidString)} (its CRC-32 differs)`);
  }
  if (!signatureMatches006(decoded, appCertificate, channelName, uidString)) {
    throw new TokenError('ERR_SIGNATURE_MISMATCH', SIGNATURE_MISMATCH);
  }
  if (checks.now > decoded.ts + checks.tolerance) throw expired('token', decoded.ts, checks);
  if (checks.privilege === undefined) return;
  const id = privilegeId(checks.privilege, PRIVILEGE_NAMES_006, 'a 006 token');
  const expiresAt = decoded.privileges[id];
  const name = PRIVILEGE_NAMES_006[id] ?? `privilege ${id}`;
  if (expiresAt === undefined) throw new TokenError('ERR_PRIVILEGE_MISSING', `token does not grant ${name} (options.privilege)`);
  if (expiresAt !== 0 && checks.now > expiresAt + checks.tolerance) throw expired(`privilege ${name}`, expiresAt, checks);
}

/**
 * Accepts a token: decodes it, checks its signature with `appCertificate` (constant-time, over
 * the signed bytes exactly as they arrived), that it is in date (`now <= expiresAt`, plus
 * `clockTolerance`) and whatever `options` require, and returns the decoded token.
 *
 * A 006 signature covers the channel name and uid, which the token holds only as CRCs: pass
 * `channelName` and `uid` for 006 tokens.
 *
 * @throws TokenError — a decode code (`ERR_TOKEN_*`, see {@link decodeToken}), or
 *   `ERR_SIGNATURE_MISMATCH`, `ERR_TOKEN_EXPIRED`, `ERR_APP_ID_MISMATCH`, `ERR_SERVICE_MISSING`,
 *   `ERR_CHANNEL_MISMATCH`, `ERR_UID_MISMATCH`, `ERR_PRIVILEGE_MISSING`,
 *   `ERR_PRIVILEGE_EXPIRED`; argument errors (`ERR_INVALID_APP_CERTIFICATE`, …) for bad options.
 *
 * @example
 * ```ts
 * try {
 *   const token = verifyToken(req.headers.authorization.slice(7), appCertificate, {
 *     appId, service: 'chat', privilege: 'user',
 *   });
 * } catch (err) {
 *   if (err instanceof TokenError) return reply(401, err.code);
 *   throw err;
 * }
 * ```
 */
export function verifyToken(token: string, appCertificate: string, options?: VerifyOptions): DecodedToken {
  const certificate = checkAppCertificate(appCertificate);
  return verifyWithKeys(token, { for007: certificate, for006: certificate }, options);
}

/** What checks a signature: the certificate itself, or the keys an app verifier keeps for it. */
export interface VerifyKeys {
  readonly for007: string | TokenSigner;
  readonly for006: string | HmacKey;
}

/** {@link verifyToken} with the certificate already checked (or turned into keys). */
export function verifyWithKeys(token: string, keys: VerifyKeys, options: VerifyOptions | undefined): DecodedToken {
  const limits = resolveDecodeOptions(options);
  const checks = resolveChecks(options);
  // A 007 token's signature is checked before its services are read (see decodeToken007).
  const decoded = decodeWithLimits(token, limits, (header) => checkHeader007(header, keys.for007, checks, limits.lenient));
  if (decoded.version === '007') {
    verify007(decoded, checks);
  } else {
    checkAppIdOption(decoded.appId, checks);
    verify006(decoded, keys.for006, checks);
  }
  return decoded;
}
