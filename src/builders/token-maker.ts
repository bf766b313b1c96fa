import { ByteWriter } from '../bytes/writer';
import { TokenError } from '../base/errors';
import { resolveBuildOptions, type BuildOptions } from '../args/options';
import { packToken, type Packer, type TokenHeader } from '../token007/pack';
import { Service } from '../token007/service';
import { TokenSigner } from '../token007/signature';
import { checkAppCertificate, checkAppId, checkU32 } from '../args/validate';
import { chatAppToken, chatUserToken } from './chat';
import { rtcAccount, rtcRoleToken } from './rtc';
import type { RtcRoleValue } from './roles';
import { rtmToken } from './rtm';

/** The app a {@link TokenMaker} or {@link TokenVerifier} is for. */
export interface AppCredentials {
  /** The app ID, 32 hexadecimal characters. */
  readonly appId: string;
  /** The app certificate, 32 hexadecimal characters. */
  readonly appCertificate: string;
}

/**
 * Makes 007 tokens for one app, faster than the one-call builders for many tokens: the app ID
 * and certificate are checked once, and it keeps — until {@link TokenMaker.wipe} — the app ID
 * as it goes on the wire, the certificate as the 32-byte message of the signing chain, the
 * chain's first step for the last issue time (`HMAC(u32(issueTs), certificate)`, which every
 * token of the same second shares), and a writer of its own. It keeps no token and no user data
 * between calls. Not safe to share between threads (a worker each); calls never interleave in
 * one JavaScript thread, so one per app is enough.
 *
 * Every method takes the same arguments as the builder it names, less the app ID and
 * certificate, and returns the same token.
 *
 * @example
 * ```ts
 * const maker = createTokenMaker({ appId, appCertificate });
 * const token = maker.buildChatUserToken('alice', 3600);
 * maker.wipe(); // when the app's certificate is no longer needed
 * ```
 */
export interface TokenMaker {
  /** The app ID tokens are made for. */
  readonly appId: string;
  /** As `ChatTokenBuilder2.buildUserToken`. */
  buildChatUserToken(userId: string, expire: number, options?: BuildOptions): string;
  /** As `ChatTokenBuilder2.buildAppToken`. */
  buildChatAppToken(expire: number, options?: BuildOptions): string;
  /**
   * As `RtcTokenBuilder2.buildTokenWithUid` for a number (0: any uid) and
   * `buildTokenWithUserAccount` for a string.
   */
  buildRtcToken(
    channelName: string, uid: number | string, role: RtcRoleValue, tokenExpire: number, privilegeExpire: number,
    options?: BuildOptions,
  ): string;
  /** As `RtmTokenBuilder2.buildToken`. */
  buildRtmToken(userId: string, expire: number, options?: BuildOptions): string;
  /** Any combination of services, as `new AccessToken2(…).addService(…).build()`. */
  buildToken(expire: number, services: readonly Service[], options?: BuildOptions): string;
  /** Zeroes the certificate and keys it keeps; every later call throws `ERR_INVALID_APP_CERTIFICATE`. */
  wipe(): void;
}

/** The wire form of an app ID: u16 length + its ASCII bytes. */
function appIdField(appId: string): Uint8Array {
  return new ByteWriter(34).string(appId).view();
}

/** A {@link TokenMaker} for one app; throws `TokenError` for a bad app ID or certificate. */
export function createTokenMaker(credentials: AppCredentials): TokenMaker {
  const appId = checkAppId(credentials?.appId);
  const signer = new TokenSigner(true).setCertificate(checkAppCertificate(credentials?.appCertificate));
  const packer: Packer = { writer: new ByteWriter(1024), signer, appIdField: appIdField(appId) };
  let wiped = false;

  /** The checked header of one token, in the order the builders check (expire, then options). */
  const header = (expire: number, options: BuildOptions | undefined): TokenHeader => {
    if (wiped) throw new TokenError('ERR_INVALID_APP_CERTIFICATE', 'this token maker was wiped; create a new one');
    checkU32(expire, 'expire');
    const { issueTs, salt } = resolveBuildOptions(options);
    return { appId, expire, issueTs, salt };
  };

  return {
    appId,
    buildChatUserToken: (userId, expire, options) => chatUserToken(header(expire, options), userId, packer),
    buildChatAppToken: (expire, options) => chatAppToken(header(expire, options), packer),
    buildRtcToken: (channelName, uid, role, tokenExpire, privilegeExpire, options) => {
      const h = header(tokenExpire, options);
      return rtcRoleToken(h, channelName, rtcAccount(uid), role, privilegeExpire, packer);
    },
    buildRtmToken: (userId, expire, options) => rtmToken(header(expire, options), userId, packer),
    buildToken(expire, services, options) {
      const h = header(expire, options);
      if (!Array.isArray(services) || services.length === 0 || !services.every((s) => s instanceof Service)) {
        throw new TokenError('ERR_NO_SERVICE', 'services must be a non-empty array of Service objects');
      }
      return packToken(h, services, packer);
    },
    wipe() {
      wiped = true;
      signer.wipe();
    },
  };
}
