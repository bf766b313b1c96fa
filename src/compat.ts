/**
 * `agora-access-token2/compat`: the export names and call shapes of `agora-token` 2.0.6, so that
 * moving to this library is a change of import path. Every method is a thin wrapper over this
 * library's builders: the tokens carry the same content as `agora-token`'s (they are compressed
 * with classic zlib, as Agora's Java reference does, so the strings themselves differ), and bad
 * input throws a {@link TokenError} where `agora-token` returned `""` or threw a bare
 * `TypeError`/`RangeError`. docs/migration-compat-notes.md lists every deliberate difference.
 *
 * Each method also takes an optional last argument, {@link BuildOptions}, that `agora-token`
 * does not have: a fixed issue time and salt, for reproducible tokens.
 *
 * @example
 * ```ts
 * // before: import { RtcTokenBuilder, RtcRole } from 'agora-token';
 * import { RtcTokenBuilder, RtcRole } from 'agora-access-token2/compat';
 *
 * const token = RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room1', 42, RtcRole.PUBLISHER, 3600, 3600);
 * ```
 *
 * @packageDocumentation
 * @module agora-access-token2/compat
 */

import { ApaasTokenBuilder as CoreApaasTokenBuilder, EducationTokenBuilder2, type ApaasBuilder } from './builders/apaas';
import { ChatTokenBuilder2 } from './builders/chat';
import { ConvoAITokenBuilder as CoreConvoAITokenBuilder, SttTokenBuilder as CoreSttTokenBuilder, type AgentTokenBuilder } from './builders/convoai';
import { FpaTokenBuilder } from './builders/fpa';
import { RtcRole, type RtcRoleValue } from './builders/roles';
import { RtcTokenBuilder2, type RtcWithRtmArguments } from './builders/rtc';
import { RtmTokenBuilder2 } from './builders/rtm';
import { TokenError } from './base/errors';
import type { BuildOptions } from './args/options';
import { Rtm2Permissions as CoreRtm2Permissions, RtmPermissionType, RtmResourceType } from './token007/permissions';
import { uidToString } from './args/validate';

export { TokenError, type TokenErrorCode } from './base/errors';
export type { BuildOptions } from './args/options';
export { RtcRole, FpaTokenBuilder };
export type { RtcWithRtmArguments, ApaasBuilder };

/**
 * A user id as `agora-token` takes it: a string, or a number written in decimal, where the
 * number 0 means "any user" and goes on the wire as `""`. Numbers must be integers from 0 to
 * 4294967295.
 */
export type CompatUserId = string | number;

// agora-token's rule for numeric ids (ServiceRtc, ServiceRtm2): 0 → "", n → String(n).
const idOf = (value: CompatUserId, name: string): string => uidToString(value, name);

// agora-token compares roles loosely; this library accepts only the roles it defines and throws
// ERR_INVALID_ROLE for the rest, so the cast is checked at run time.
const roleOf = (role: number): RtcRoleValue => role as RtcRoleValue;

/**
 * RTC tokens (AccessToken2), as `agora-token`'s `RtcTokenBuilder` (its 007 builder). Roles are
 * {@link RtcRole} values; expires are seconds from now.
 */
export class RtcTokenBuilder {
  /**
   * RTC token for a numeric uid (0: any uid) or a string account.
   *
   * @example
   * ```ts
   * RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'room1', 42, RtcRole.PUBLISHER, 3600, 3600);
   * ```
   */
  static buildTokenWithUid(
    appId: string, appCertificate: string, channelName: string, uid: CompatUserId, role: number,
    tokenExpire: number, privilegeExpire = 0, options?: BuildOptions,
  ): string {
    return RtcTokenBuilder2.buildTokenWithUserAccount(
      appId, appCertificate, channelName, idOf(uid, 'uid'), roleOf(role), tokenExpire, privilegeExpire, options,
    );
  }

  /** RTC token for a user account (a number is written in decimal; 0 means any uid). */
  static buildTokenWithUserAccount(
    appId: string, appCertificate: string, channelName: string, account: CompatUserId, role: number,
    tokenExpire: number, privilegeExpire = 0, options?: BuildOptions,
  ): string {
    return RtcTokenBuilder2.buildTokenWithUserAccount(
      appId, appCertificate, channelName, idOf(account, 'account'), roleOf(role), tokenExpire, privilegeExpire, options,
    );
  }

  /** RTC token for a uid with an expire per privilege (join, audio, video, data). */
  static buildTokenWithUidAndPrivilege(
    appId: string, appCertificate: string, channelName: string, uid: CompatUserId, tokenExpire: number,
    joinChannelPrivilegeExpire: number, pubAudioPrivilegeExpire: number, pubVideoPrivilegeExpire: number,
    pubDataStreamPrivilegeExpire: number, options?: BuildOptions,
  ): string {
    return RtcTokenBuilder2.buildTokenWithUserAccountAndPrivilege(
      appId, appCertificate, channelName, idOf(uid, 'uid'), tokenExpire, joinChannelPrivilegeExpire,
      pubAudioPrivilegeExpire, pubVideoPrivilegeExpire, pubDataStreamPrivilegeExpire, options,
    );
  }

  /**
   * RTC token for a user account with an expire per privilege. Capitalised as in `agora-token`
   * (`Build…`), so existing calls keep working.
   */
  static BuildTokenWithUserAccountAndPrivilege(
    appId: string, appCertificate: string, channelName: string, account: CompatUserId, tokenExpire: number,
    joinChannelPrivilegeExpire: number, pubAudioPrivilegeExpire: number, pubVideoPrivilegeExpire: number,
    pubDataStreamPrivilegeExpire: number, options?: BuildOptions,
  ): string {
    return RtcTokenBuilder2.buildTokenWithUserAccountAndPrivilege(
      appId, appCertificate, channelName, idOf(account, 'account'), tokenExpire, joinChannelPrivilegeExpire,
      pubAudioPrivilegeExpire, pubVideoPrivilegeExpire, pubDataStreamPrivilegeExpire, options,
    );
  }

  /** RTC token (role form) plus RTM login for the same account, in one token. */
  static buildTokenWithRtm(
    appId: string, appCertificate: string, channelName: string, account: CompatUserId, role: number,
    tokenExpire: number, privilegeExpire = 0, options?: BuildOptions,
  ): string {
    return RtcTokenBuilder2.buildTokenWithRtm(
      appId, appCertificate, channelName, idOf(account, 'account'), roleOf(role), tokenExpire, privilegeExpire, options,
    );
  }

  /** RTC token with an expire per privilege plus RTM login for `rtmUserId`, in one token. */
  static buildTokenWithRtm2 = rtcWithRtm((...args) => RtcTokenBuilder2.buildTokenWithRtm2(...args));
}

/** Chat tokens, as `agora-token`'s `ChatTokenBuilder`. */
export class ChatTokenBuilder {
  /**
   * Chat user token.
   *
   * @example
   * ```ts
   * ChatTokenBuilder.buildUserToken(appId, appCertificate, 'alice', 3600);
   * ```
   */
  static buildUserToken(
    appId: string, appCertificate: string, userId: CompatUserId, expire: number, options?: BuildOptions,
  ): string {
    return ChatTokenBuilder2.buildUserToken(appId, appCertificate, idOf(userId, 'userId'), expire, options);
  }

  /** Chat app token, for your server's calls to the Chat REST API. */
  static buildAppToken(appId: string, appCertificate: string, expire: number, options?: BuildOptions): string {
    return ChatTokenBuilder2.buildAppToken(appId, appCertificate, expire, options);
  }
}

/** The resource-type → permission-type → resources map of {@link Rtm2Permissions.details}. */
export type Rtm2PermissionDetails = { [resourceType: number]: { [permissionType: number]: string[] } };

/**
 * RTM2 resource-level permissions, as `agora-token`'s `Rtm2Permissions`: `details` holds the
 * grants, and a later `add` of the same (resource type, permission type) replaces the list.
 * The token packs them sorted by type, whatever the order of the calls.
 *
 * @example
 * ```ts
 * const permissions = new Rtm2Permissions();
 * permissions.add(Rtm2Permissions.kMessageChannels, Rtm2Permissions.kWrite, ['lobby']);
 * RtmTokenBuilder.buildTokenWithPermissions(appId, appCertificate, 'alice', permissions, 3600);
 * ```
 */
export class Rtm2Permissions {
  /** Resource type: message channels (0). */
  static readonly kMessageChannels: number = RtmResourceType.MESSAGE_CHANNEL;
  /** Resource type: stream channels (1). */
  static readonly kStreamChannels: number = RtmResourceType.STREAM_CHANNEL;
  /** Resource type: group channels (2). */
  static readonly kGroupChannels: number = RtmResourceType.GROUP_CHANNEL;
  /** Resource type: server groups (3). */
  static readonly kServerGroups: number = RtmResourceType.SERVER_GROUP;
  /** Resource type: users (4). */
  static readonly kUsers: number = RtmResourceType.USER;
  /** Permission type: read (0). */
  static readonly kRead: number = RtmPermissionType.READ;
  /** Permission type: write (1). */
  static readonly kWrite: number = RtmPermissionType.WRITE;

  /** The grants: resource type → permission type → resources. */
  details: Rtm2PermissionDetails = {};

  /** Adds or replaces the resources for a resource type and permission type. */
  add(resourceType: number, permissionType: number, resources: readonly string[]): void {
    if (!Array.isArray(resources)) {
      throw new TokenError('ERR_INVALID_ARGUMENT', 'resources must be an array of strings');
    }
    const byPermission = (this.details[resourceType] ??= {});
    byPermission[permissionType] = Array.from(resources);
  }
}

/** This library's permissions for what `agora-token` accepts: its `details` shape, or none. */
function corePermissionsOf(permissions: unknown): CoreRtm2Permissions | null {
  if (permissions === null || permissions === undefined) return null;
  if (permissions instanceof CoreRtm2Permissions) return permissions;
  const details = (permissions as { details?: unknown }).details;
  if (typeof details !== 'object' || details === null) {
    throw new TokenError('ERR_INVALID_ARGUMENT', 'permissions must be an Rtm2Permissions (or null)');
  }
  const core = new CoreRtm2Permissions();
  for (const [resourceType, byPermission] of Object.entries(details as Record<string, unknown>)) {
    if (typeof byPermission !== 'object' || byPermission === null) {
      throw new TokenError('ERR_INVALID_ARGUMENT', `permissions.details[${resourceType}] must be an object`);
    }
    for (const [permissionType, resources] of Object.entries(byPermission as Record<string, unknown>)) {
      core.add(Number(resourceType), Number(permissionType), resources as readonly string[]);
    }
  }
  return core;
}

/** RTM tokens (AccessToken2), as `agora-token`'s `RtmTokenBuilder` (its 007 builder). */
export class RtmTokenBuilder {
  /**
   * RTM login token.
   *
   * @example
   * ```ts
   * RtmTokenBuilder.buildToken(appId, appCertificate, 'alice', 3600);
   * ```
   */
  static buildToken(
    appId: string, appCertificate: string, userId: CompatUserId, expire: number, options?: BuildOptions,
  ): string {
    return RtmTokenBuilder2.buildToken(appId, appCertificate, idOf(userId, 'userId'), expire, options);
  }

  /** RTM2 token with resource-level permissions (`null`: none). */
  static buildTokenWithPermissions(
    appId: string, appCertificate: string, userId: CompatUserId, permissions: Rtm2Permissions | CoreRtm2Permissions | null,
    expire: number, options?: BuildOptions,
  ): string {
    return RtmTokenBuilder2.buildTokenWithPermissions(
      appId, appCertificate, idOf(userId, 'userId'), corePermissionsOf(permissions), expire, options,
    );
  }
}

/**
 * The static methods of {@link ApaasTokenBuilder} (and {@link EducationTokenBuilder}): the core
 * `ApaasBuilder`, with user UUIDs as strings or numbers.
 *
 * @example
 * ```ts
 * ApaasTokenBuilder.buildRoomUserToken(appId, appCertificate, 'room-1', 'user-1', 2, 3600);
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ApaasTokenBuilder extends ApaasBuilder<CompatUserId> {}

function apaasWrapper(core: ApaasBuilder): ApaasTokenBuilder {
  return {
    buildRoomUserToken: (appId, appCertificate, roomUuid, userUuid, role, expire, options) =>
      core.buildRoomUserToken(appId, appCertificate, roomUuid, idOf(userUuid, 'userUuid'), role, expire, options),
    buildUserToken: (appId, appCertificate, userUuid, expire, options) =>
      core.buildUserToken(appId, appCertificate, idOf(userUuid, 'userUuid'), expire, options),
    buildAppToken: (appId, appCertificate, expire, options) => core.buildAppToken(appId, appCertificate, expire, options),
  };
}

/** APaaS (Flexible Classroom) tokens, as `agora-token`'s `ApaasTokenBuilder`. */
export const ApaasTokenBuilder: ApaasTokenBuilder = apaasWrapper(CoreApaasTokenBuilder);

/** Education tokens, as `agora-token`'s `EducationTokenBuilder` (the APaaS wire format). */
export const EducationTokenBuilder: ApaasTokenBuilder = apaasWrapper(EducationTokenBuilder2);
/** The static methods of {@link EducationTokenBuilder}. */
export type EducationTokenBuilder = ApaasTokenBuilder;

/** The static method of {@link ConvoAITokenBuilder} (and {@link SttTokenBuilder}). */
export interface ConvoAITokenBuilder {
  /**
   * RTC (per-privilege expires) + RTM login + this builder's service, in one token; the
   * arguments of `RtcTokenBuilder.buildTokenWithRtm2`, ids as strings or numbers.
   *
   * @example
   * ```ts
   * ConvoAITokenBuilder.buildToken(appId, appCertificate, 'room1', 'agent', RtcRole.PUBLISHER,
   *   3600, 3600, 3600, 3600, 3600, 'agent', 3600);
   * ```
   */
  buildToken(...args: RtcWithRtmArguments<CompatUserId, number>): string;
}

/** The thirteen arguments with compat ids turned into wire strings and the role checked at run time. */
function coreRtcWithRtm(args: RtcWithRtmArguments<CompatUserId, number>): RtcWithRtmArguments {
  const [appId, appCertificate, channelName, rtcAccount, rtcRole, ...expires] = args;
  const [rtcTokenExpire, join, audio, video, data, rtmUserId, rtmTokenExpire, options] = expires;
  return [
    appId, appCertificate, channelName, idOf(rtcAccount, 'rtcAccount'), roleOf(rtcRole), rtcTokenExpire,
    join, audio, video, data, idOf(rtmUserId, 'rtmUserId'), rtmTokenExpire, options,
  ];
}

/**
 * A method taking the thirteen arguments the compat way, over a core one. Its `length` is
 * agora-token's, 12 (the options are optional), for code that reads arities.
 */
function rtcWithRtm(core: (...args: RtcWithRtmArguments) => string): (...args: RtcWithRtmArguments<CompatUserId, number>) => string {
  const method = (...args: RtcWithRtmArguments<CompatUserId, number>): string => core(...coreRtcWithRtm(args));
  return Object.defineProperty(method, 'length', { value: 12 });
}

function agentWrapper(core: AgentTokenBuilder): ConvoAITokenBuilder {
  return { buildToken: rtcWithRtm((...args) => core.buildToken(...args)) };
}

/** Conversational AI agent tokens (RTC + RTM + ConvoAI), as `agora-token`'s `ConvoAITokenBuilder`. */
export const ConvoAITokenBuilder: ConvoAITokenBuilder = agentWrapper(CoreConvoAITokenBuilder);

/** Speech-to-text tokens (RTC + RTM + STT), as `agora-token`'s `SttTokenBuilder`. */
export const SttTokenBuilder: ConvoAITokenBuilder = agentWrapper(CoreSttTokenBuilder);
/** The static method of {@link SttTokenBuilder}. */
export type SttTokenBuilder = ConvoAITokenBuilder;

/**
 * All of the above in one object, for code written as `import AgoraToken from 'agora-token'`
 * (or `const AgoraToken = require('agora-token')`).
 */
const agoraTokenCompat = {
  ApaasTokenBuilder, ChatTokenBuilder, ConvoAITokenBuilder, EducationTokenBuilder, FpaTokenBuilder,
  RtcRole, RtcTokenBuilder, RtmTokenBuilder, Rtm2Permissions, SttTokenBuilder,
};
export default agoraTokenCompat;
