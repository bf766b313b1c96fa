import * as lib from '../../src/index';
import type { GoldenVector } from './golden';

type Lib = typeof lib;

/** Builds RTM2 permissions from a vector's list of `add` calls (or null). */
export function permissionsOf(L: Lib, list: any[] | null | undefined) {
  if (list === null || list === undefined) return null;
  const permissions = new L.Rtm2Permissions();
  for (const p of list) permissions.add(p.resourceType, p.permissionType, p.resources);
  return permissions;
}

/** Builds a service object from a vector's service description. */
export function serviceOf(L: Lib, s: any) {
  let service: InstanceType<Lib['Service']>;
  switch (s.type) {
    case 1: service = new L.ServiceRtc(s.channelName, s.uid); break;
    case 2: service = new L.ServiceRtm(s.userId); break;
    case 3: service = new L.ServiceStreaming(s.channelName, s.account); break;
    case 4: service = new L.ServiceFpa(); break;
    case 5: service = new L.ServiceChat(s.userId); break;
    case 6: service = new L.ServiceFcdn(s.channelName, s.account); break;
    case 7: service = new L.ServiceApaas(s.roomUuid, s.userUuid, s.role); break;
    case 8: service = new L.ServiceRtm2(s.userId, permissionsOf(L, s.permissions)); break;
    case 9: service = new L.ServiceConvoAI(); break;
    case 10: service = new L.ServiceStt(); break;
    default: service = new L.Service(s.type);
  }
  for (const [id, expire] of Object.entries(s.privileges as Record<string, number>)) {
    service.addPrivilege(Number(id), expire);
  }
  return service;
}

/**
 * Replays one builder vector through the public API of `L` (the source or the built package)
 * and returns the token. Throws whatever the library throws.
 */
export function replay(L: Lib, v: GoldenVector): string {
  const a = v.args!;
  const o = { issueTs: v.issueTs ?? undefined, salt: v.salt ?? undefined };
  const privilegeArgs = [a.joinChannelPrivilegeExpire, a.pubAudioPrivilegeExpire, a.pubVideoPrivilegeExpire, a.pubDataStreamPrivilegeExpire] as const;
  const rtm2Args = [a.appId, a.appCertificate, a.channelName, a.rtcAccount, a.rtcRole, a.rtcTokenExpire, ...privilegeArgs, a.rtmUserId, a.rtmTokenExpire, o] as const;
  switch (v.kind) {
    case 'chat.user':
    case 'chat.user.oversize':
      return L.ChatTokenBuilder2.buildUserToken(a.appId, a.appCertificate, a.userId, a.expire, o);
    case 'chat.app':
      return L.ChatTokenBuilder2.buildAppToken(a.appId, a.appCertificate, a.expire, o);
    case 'rtc.uid':
      return L.RtcTokenBuilder2.buildTokenWithUid(a.appId, a.appCertificate, a.channelName, a.uid, a.role, a.tokenExpire, a.privilegeExpire, o);
    case 'rtc.account':
      return L.RtcTokenBuilder2.buildTokenWithUserAccount(a.appId, a.appCertificate, a.channelName, a.account, a.role, a.tokenExpire, a.privilegeExpire, o);
    case 'rtc.uidPrivilege':
      return L.RtcTokenBuilder2.buildTokenWithUidAndPrivilege(a.appId, a.appCertificate, a.channelName, a.uid, a.tokenExpire, ...privilegeArgs, o);
    case 'rtc.accountPrivilege':
      return L.RtcTokenBuilder2.buildTokenWithUserAccountAndPrivilege(a.appId, a.appCertificate, a.channelName, a.account, a.tokenExpire, ...privilegeArgs, o);
    case 'rtc.rtm':
      return L.RtcTokenBuilder2.buildTokenWithRtm(a.appId, a.appCertificate, a.channelName, a.account, a.role, a.tokenExpire, a.privilegeExpire, o);
    case 'rtc.rtm2':
      return L.RtcTokenBuilder2.buildTokenWithRtm2(...rtm2Args);
    case 'convoai.token':
      return L.ConvoAITokenBuilder.buildToken(...rtm2Args);
    case 'stt.token':
      return L.SttTokenBuilder.buildToken(...rtm2Args);
    case 'rtm.token':
      return L.RtmTokenBuilder2.buildToken(a.appId, a.appCertificate, a.userId, a.expire, o);
    case 'rtm.permissions':
      return L.RtmTokenBuilder2.buildTokenWithPermissions(a.appId, a.appCertificate, a.userId, permissionsOf(L, a.permissions), a.expire, o);
    case 'fpa.token':
      return L.FpaTokenBuilder.buildToken(a.appId, a.appCertificate, o);
    case 'apaas.roomUser':
      return L.ApaasTokenBuilder.buildRoomUserToken(a.appId, a.appCertificate, a.roomUuid, a.userUuid, a.role, a.expire, o);
    case 'apaas.user':
      return L.ApaasTokenBuilder.buildUserToken(a.appId, a.appCertificate, a.userUuid, a.expire, o);
    case 'apaas.app':
      return L.ApaasTokenBuilder.buildAppToken(a.appId, a.appCertificate, a.expire, o);
    case 'education.roomUser':
      return L.EducationTokenBuilder2.buildRoomUserToken(a.appId, a.appCertificate, a.roomUuid, a.userUuid, a.role, a.expire, o);
    case 'education.user':
      return L.EducationTokenBuilder2.buildUserToken(a.appId, a.appCertificate, a.userUuid, a.expire, o);
    case 'education.app':
      return L.EducationTokenBuilder2.buildAppToken(a.appId, a.appCertificate, a.expire, o);
    case 'services':
    case 'services.unknownType': {
      const token = new L.AccessToken2(a.appId, a.appCertificate, a.expire, o);
      for (const s of a.services) token.addService(serviceOf(L, s));
      return token.build();
    }
    case 'rtc006.uid':
      return L.RtcTokenBuilder.buildTokenWithUid(a.appId, a.appCertificate, a.channelName, a.uid, a.role, a.privilegeTs, o);
    case 'rtc006.account':
      return L.RtcTokenBuilder.buildTokenWithUserAccount(a.appId, a.appCertificate, a.channelName, a.account, a.role, a.privilegeTs, o);
    case 'rtm006.token':
      return L.RtmTokenBuilder.buildToken(a.appId, a.appCertificate, a.uid, a.role, a.privilegeTs, o);
    default:
      throw new Error(`no replay for kind ${v.kind}`);
  }
}

/** Kinds that are builder calls (everything but decode/invalid vectors). */
export function isBuilderVector(v: GoldenVector): boolean {
  return v.kind !== 'decode' && v.kind !== 'invalid' && v.kind !== 'invalid006';
}
