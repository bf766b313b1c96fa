import { AccessToken2, tokenHeader } from '../token007/access-token2';
import type { BuildOptions } from '../args/options';
import { packSingleService, type Packer, type TokenHeader } from '../token007/pack';
import { ServiceRtc, ServiceRtm } from '../token007/service';
import { Privileges, SERVICES, ServiceType } from '../token007/services';
import { checkRole, checkString, checkU32, uidToString } from '../args/validate';
import { RTC_ROLES, RtcRole, type RtcRoleValue } from './roles';

const P = Privileges.RTC;
/** The role form's privilege ids, as packSingleService takes them. */
const PUBLISHER_PRIVILEGES: readonly number[] = Object.freeze([P.JOIN_CHANNEL, P.PUBLISH_AUDIO_STREAM, P.PUBLISH_VIDEO_STREAM, P.PUBLISH_DATA_STREAM]);
const SUBSCRIBER_PRIVILEGES: readonly number[] = Object.freeze([P.JOIN_CHANNEL]);

/**
 * The role form's privileges, arguments checked: join, plus the publish privileges for a
 * publisher.
 */
function roleFormPrivileges(channelName: string, account: string, role: number, privilegeExpire: number): readonly number[] {
  checkString(channelName, 'channelName');
  checkString(account, 'account');
  checkRole(role, 'role', RTC_ROLES);
  checkU32(privilegeExpire, 'privilegeExpire');
  return role === RtcRole.PUBLISHER ? PUBLISHER_PRIVILEGES : SUBSCRIBER_PRIVILEGES;
}

/** The role form's RTC service, arguments checked. */
function rtcForRole(channelName: string, account: string, role: number, privilegeExpire: number): ServiceRtc {
  const privileges = roleFormPrivileges(channelName, account, role, privilegeExpire);
  const rtc = new ServiceRtc(channelName, account);
  for (const id of privileges) rtc.addPrivilege(id, privilegeExpire);
  return rtc;
}

function numericUid(uid: number): string {
  return uidToString(checkU32(uid, 'uid'), 'uid');
}

const RTC = SERVICES[ServiceType.RTC];

/**
 * The role form's token for a checked header: join, plus the publish privileges for a publisher,
 * all expiring at `privilegeExpire`. The one-call builders' and a maker's path.
 */
export function rtcRoleToken(
  header: TokenHeader, channelName: string, account: string, role: number, privilegeExpire: number, packer?: Packer,
): string {
  const privileges = roleFormPrivileges(channelName, account, role, privilegeExpire);
  return packSingleService(header, RTC, privileges, privilegeExpire, { channelName, uid: account }, packer);
}

/** A uid as RTC takes it: a number (0 → `""`) checked as a u32, or an account string. */
export function rtcAccount(uid: number | string): string {
  return typeof uid === 'number' ? numericUid(uid) : uid;
}

/**
 * Agora RTC tokens (AccessToken2), as Java's `RtcTokenBuilder2`. Every expire is a duration in
 * seconds from the issue time. A numeric uid of 0 means "any uid" and goes on the wire as `""`.
 */
export const RtcTokenBuilder2 = {
  /**
   * RTC token for a numeric uid; a publisher may also publish audio, video and data.
   *
   * @example
   * ```ts
   * RtcTokenBuilder2.buildTokenWithUid(appId, appCertificate, 'room1', 42, RtcRole.PUBLISHER, 3600, 3600);
   * ```
   */
  buildTokenWithUid(
    appId: string, appCertificate: string, channelName: string, uid: number, role: RtcRoleValue,
    tokenExpire: number, privilegeExpire: number, options?: BuildOptions,
  ): string {
    return RtcTokenBuilder2.buildTokenWithUserAccount(
      appId, appCertificate, channelName, numericUid(uid), role, tokenExpire, privilegeExpire, options,
    );
  },

  /**
   * RTC token for a user account (string uid).
   *
   * @example
   * ```ts
   * RtcTokenBuilder2.buildTokenWithUserAccount(appId, appCertificate, 'room1', 'alice', RtcRole.SUBSCRIBER, 3600, 3600);
   * ```
   */
  buildTokenWithUserAccount(
    appId: string, appCertificate: string, channelName: string, account: string, role: RtcRoleValue,
    tokenExpire: number, privilegeExpire: number, options?: BuildOptions,
  ): string {
    return rtcRoleToken(tokenHeader(appId, appCertificate, tokenExpire, options), channelName, account, role, privilegeExpire);
  },

  /**
   * RTC token for a numeric uid with an expire per privilege (the per-privilege overload):
   * join, publish audio, publish video, publish data, each in seconds from the issue time.
   *
   * @example
   * ```ts
   * // May join for an hour, but publish video only for the first ten minutes.
   * RtcTokenBuilder2.buildTokenWithUidAndPrivilege(appId, appCertificate, 'room1', 42, 3600, 3600, 3600, 600, 3600);
   * ```
   */
  buildTokenWithUidAndPrivilege(
    appId: string, appCertificate: string, channelName: string, uid: number, tokenExpire: number,
    joinChannelPrivilegeExpire: number, pubAudioPrivilegeExpire: number, pubVideoPrivilegeExpire: number,
    pubDataStreamPrivilegeExpire: number, options?: BuildOptions,
  ): string {
    return RtcTokenBuilder2.buildTokenWithUserAccountAndPrivilege(
      appId, appCertificate, channelName, numericUid(uid), tokenExpire, joinChannelPrivilegeExpire,
      pubAudioPrivilegeExpire, pubVideoPrivilegeExpire, pubDataStreamPrivilegeExpire, options,
    );
  },

  /**
   * RTC token for a user account with an expire per privilege. An expire of 0 gives a privilege
   * no limit of its own (it lasts as long as the token); it does not withhold it.
   *
   * @example
   * ```ts
   * RtcTokenBuilder2.buildTokenWithUserAccountAndPrivilege(appId, appCertificate, 'room1', 'alice', 3600, 3600, 600, 600, 600);
   * ```
   */
  buildTokenWithUserAccountAndPrivilege(
    appId: string, appCertificate: string, channelName: string, account: string, tokenExpire: number,
    joinChannelPrivilegeExpire: number, pubAudioPrivilegeExpire: number, pubVideoPrivilegeExpire: number,
    pubDataStreamPrivilegeExpire: number, options?: BuildOptions,
  ): string {
    const token = new AccessToken2(appId, appCertificate, tokenExpire, options);
    const rtc = new ServiceRtc(channelName, checkString(account, 'account'))
      .addPrivilege(P.JOIN_CHANNEL, checkU32(joinChannelPrivilegeExpire, 'joinChannelPrivilegeExpire'))
      .addPrivilege(P.PUBLISH_AUDIO_STREAM, checkU32(pubAudioPrivilegeExpire, 'pubAudioPrivilegeExpire'))
      .addPrivilege(P.PUBLISH_VIDEO_STREAM, checkU32(pubVideoPrivilegeExpire, 'pubVideoPrivilegeExpire'))
      .addPrivilege(P.PUBLISH_DATA_STREAM, checkU32(pubDataStreamPrivilegeExpire, 'pubDataStreamPrivilegeExpire'));
    return token.addService(rtc).build();
  },

  /**
   * RTC token (role form) plus RTM login for the same account, both in one token.
   *
   * @example
   * ```ts
   * RtcTokenBuilder2.buildTokenWithRtm(appId, appCertificate, 'room1', 'alice', RtcRole.PUBLISHER, 3600, 3600);
   * ```
   */
  buildTokenWithRtm(
    appId: string, appCertificate: string, channelName: string, account: string, role: RtcRoleValue,
    tokenExpire: number, privilegeExpire: number, options?: BuildOptions,
  ): string {
    const token = new AccessToken2(appId, appCertificate, tokenExpire, options);
    return token
      .addService(rtcForRole(channelName, account, role, privilegeExpire))
      .addService(new ServiceRtm(account).addPrivilege(Privileges.RTM.LOGIN, tokenExpire))
      .build();
  },

  /**
   * RTC token with per-privilege expires plus RTM login for `rtmUserId`, both in one token.
   *
   * @example
   * ```ts
   * RtcTokenBuilder2.buildTokenWithRtm2(appId, appCertificate, 'room1', 'alice', RtcRole.PUBLISHER,
   *   3600, 3600, 3600, 3600, 3600, 'alice', 3600);
   * ```
   */
  buildTokenWithRtm2(...args: RtcWithRtmArguments): string {
    return rtm2Token(...args).build();
  },
};

/**
 * The thirteen arguments of `RtcTokenBuilder2.buildTokenWithRtm2` and of the ConvoAI and STT
 * builders (the one description of them): RTC for `rtcAccount` with an expire per privilege
 * (a subscriber gets join only), plus RTM login for `rtmUserId`. `Id` and `Role` are the
 * account and role types (`agora-access-token2/compat` takes numbers too).
 */
export type RtcWithRtmArguments<Id = string, Role = RtcRoleValue> = [
  appId: string, appCertificate: string, channelName: string, rtcAccount: Id, rtcRole: Role,
  rtcTokenExpire: number, joinChannelPrivilegeExpire: number, pubAudioPrivilegeExpire: number,
  pubVideoPrivilegeExpire: number, pubDataStreamPrivilegeExpire: number, rtmUserId: Id,
  rtmTokenExpire: number, options?: BuildOptions,
];

/**
 * The services of `buildTokenWithRtm2`, unbuilt, so that ConvoAI and STT can add theirs:
 * RTC(channel, rtcAccount){join; publisher also audio, video, data} + RTM(rtmUserId){login}.
 */
export function rtm2Token(...[
  appId, appCertificate, channelName, rtcAccount, rtcRole, rtcTokenExpire, joinChannelPrivilegeExpire,
  pubAudioPrivilegeExpire, pubVideoPrivilegeExpire, pubDataStreamPrivilegeExpire, rtmUserId, rtmTokenExpire, options,
]: RtcWithRtmArguments<string, number>): AccessToken2 {
  const token = new AccessToken2(appId, appCertificate, rtcTokenExpire, options);
  const rtc = new ServiceRtc(channelName, checkString(rtcAccount, 'rtcAccount'));
  checkRole(rtcRole, 'rtcRole', RTC_ROLES);
  rtc.addPrivilege(P.JOIN_CHANNEL, checkU32(joinChannelPrivilegeExpire, 'joinChannelPrivilegeExpire'));
  checkU32(pubAudioPrivilegeExpire, 'pubAudioPrivilegeExpire');
  checkU32(pubVideoPrivilegeExpire, 'pubVideoPrivilegeExpire');
  checkU32(pubDataStreamPrivilegeExpire, 'pubDataStreamPrivilegeExpire');
  if (rtcRole === RtcRole.PUBLISHER) {
    rtc.addPrivilege(P.PUBLISH_AUDIO_STREAM, pubAudioPrivilegeExpire)
      .addPrivilege(P.PUBLISH_VIDEO_STREAM, pubVideoPrivilegeExpire)
      .addPrivilege(P.PUBLISH_DATA_STREAM, pubDataStreamPrivilegeExpire);
  }
  const rtm = new ServiceRtm(checkString(rtmUserId, 'rtmUserId'))
    .addPrivilege(Privileges.RTM.LOGIN, checkU32(rtmTokenExpire, 'rtmTokenExpire'));
  return token.addService(rtc).addService(rtm);
}
