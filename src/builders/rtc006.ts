import type { BuildOptions } from '../args/options';
import { notIn006, optionsOf006 } from './legacy-trap';
import { Privileges006, buildToken006, uidString006 } from '../token006/access-token';
import { checkAppCertificate, checkAppId, checkRole, checkString, checkU32 } from '../args/validate';
import { RTC006_ROLES, RtcRole006, type RtcRole006Value } from './roles';

// Privilege ids in wire order: attendees join; the other roles also publish.
const JOIN: readonly number[] = Object.freeze([Privileges006.JOIN_CHANNEL]);
const JOIN_AND_PUBLISH: readonly number[] = Object.freeze([
  Privileges006.JOIN_CHANNEL, Privileges006.PUBLISH_AUDIO_STREAM, Privileges006.PUBLISH_VIDEO_STREAM,
  Privileges006.PUBLISH_DATA_STREAM,
]);

/**
 * Legacy 006 RTC tokens, as Java's `RtcTokenBuilder`. `privilegeTs` is an **absolute** Unix
 * timestamp (0 = no expiry), unlike 007's durations.
 *
 * Not `agora-token`'s `RtcTokenBuilder`, which makes 007 tokens: that one is
 * {@link RtcTokenBuilder2} here, or `RtcTokenBuilder` from `agora-access-token2/compat`. Code
 * written for `agora-token` fails here, loudly: its 7-argument `buildTokenWithUid(…, role,
 * tokenExpire, privilegeExpire)` is a type error and a `TokenError` naming the right builder,
 * and so are its methods the 006 builder does not have.
 */
export const RtcTokenBuilder = {
  /**
   * 006 RTC token for a numeric uid (0 = any uid). As in the Java reference, uids ≥ 2^31 are
   * signed as their signed 32-bit decimal (4294967295 → "-1").
   *
   * @example
   * ```ts
   * const expireAt = Math.floor(Date.now() / 1000) + 3600;
   * RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room1', 42, RtcRole006.PUBLISHER, expireAt);
   * ```
   */
  buildTokenWithUid(
    appId: string, appCertificate: string, channelName: string, uid: number, role: RtcRole006Value,
    privilegeTs: number, options?: BuildOptions,
  ): string {
    optionsOf006(options, 'RtcTokenBuilder.buildTokenWithUid', 'RtcTokenBuilder2.buildTokenWithUid');
    const n = checkU32(uid, 'uid');
    return RtcTokenBuilder.buildTokenWithUserAccount(
      appId, appCertificate, channelName, uidString006(n), role, privilegeTs, options,
    );
  },

  /** 006 RTC token for a user account; publisher, subscriber and admin also get the publish privileges. */
  buildTokenWithUserAccount(
    appId: string, appCertificate: string, channelName: string, account: string, role: RtcRole006Value,
    privilegeTs: number, options?: BuildOptions,
  ): string {
    optionsOf006(options, 'RtcTokenBuilder.buildTokenWithUserAccount', 'RtcTokenBuilder2.buildTokenWithUserAccount');
    checkAppId(appId);
    checkAppCertificate(appCertificate);
    checkString(channelName, 'channelName');
    checkString(account, 'account');
    checkRole(role, 'role', RTC006_ROLES);
    checkU32(privilegeTs, 'privilegeTs');
    return buildToken006(
      appId, appCertificate, channelName, account, role === RtcRole006.ATTENDEE ? JOIN : JOIN_AND_PUBLISH, privilegeTs, options,
    );
  },

  /** Not a 006 method: agora-token's 007 builder has it. Throws `TokenError` naming `RtcTokenBuilder2`. */
  buildTokenWithUidAndPrivilege: notIn006('RtcTokenBuilder', 'buildTokenWithUidAndPrivilege', 'RtcTokenBuilder2.buildTokenWithUidAndPrivilege'),
  /** Not a 006 method: agora-token's 007 builder has it. Throws `TokenError` naming `RtcTokenBuilder2`. */
  BuildTokenWithUserAccountAndPrivilege: notIn006(
    'RtcTokenBuilder', 'BuildTokenWithUserAccountAndPrivilege', 'RtcTokenBuilder2.buildTokenWithUserAccountAndPrivilege',
  ),
  /** Not a 006 method: agora-token's 007 builder has it. Throws `TokenError` naming `RtcTokenBuilder2`. */
  buildTokenWithRtm: notIn006('RtcTokenBuilder', 'buildTokenWithRtm', 'RtcTokenBuilder2.buildTokenWithRtm'),
  /** Not a 006 method: agora-token's 007 builder has it. Throws `TokenError` naming `RtcTokenBuilder2`. */
  buildTokenWithRtm2: notIn006('RtcTokenBuilder', 'buildTokenWithRtm2', 'RtcTokenBuilder2.buildTokenWithRtm2'),
};
