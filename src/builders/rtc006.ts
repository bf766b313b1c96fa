import type { BuildOptions } from '../args/options';
import { Privileges006, buildToken006, uidString006 } from '../token006/access-token';
import { checkAppCertificate, checkAppId, checkRole, checkString, checkU32 } from '../args/validate';
import { RTC006_ROLES, RtcRole006, type RtcRole006Value } from './roles';

function rtcPrivileges(role: number, privilegeTs: number): Map<number, number> {
  const privileges = new Map<number, number>([[Privileges006.JOIN_CHANNEL, privilegeTs]]);
  if (role !== RtcRole006.ATTENDEE) {
    privileges.set(Privileges006.PUBLISH_AUDIO_STREAM, privilegeTs);
    privileges.set(Privileges006.PUBLISH_VIDEO_STREAM, privilegeTs);
    privileges.set(Privileges006.PUBLISH_DATA_STREAM, privilegeTs);
  }
  return privileges;
}

/**
 * Legacy 006 RTC tokens, as Java's `RtcTokenBuilder`. `privilegeTs` is an **absolute** Unix
 * timestamp (0 = no expiry), unlike 007's durations.
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
    checkAppId(appId);
    checkAppCertificate(appCertificate);
    checkString(channelName, 'channelName');
    checkString(account, 'account');
    checkRole(role, 'role', RTC006_ROLES);
    checkU32(privilegeTs, 'privilegeTs');
    return buildToken006(appId, appCertificate, channelName, account, rtcPrivileges(role, privilegeTs), options);
  },
};
