import { toHex } from '../bytes/hex';
import { utf8Encode } from '../bytes/utf8';
import { md5 } from '../crypto/md5';
import { AccessToken2 } from '../token007/access-token2';
import type { BuildOptions } from '../args/options';
import { ServiceApaas, ServiceChat, ServiceRtm } from '../token007/service';
import { Privileges } from '../token007/services';
import { checkString } from '../args/validate';

/**
 * The Chat user id the reference derives from a user UUID: MD5 as a hex number without leading
 * zeros, then padded by a loop whose bound shrinks as it pads, so it adds only half the missing
 * zeros (rounded up). Reproduced as is: the id is part of the signed token.
 */
export function apaasChatUserId(userUuid: string): string {
  const hex = toHex(md5(utf8Encode(userUuid))).replace(/^0+/, '');
  const missing = 32 - hex.length;
  return '0'.repeat(Math.ceil(missing / 2)) + hex;
}

/**
 * The builder shape shared by APaaS (Flexible Classroom) and Education tokens; `Id` is the user
 * id type (`agora-access-token2/compat` takes numbers too).
 */
export interface ApaasBuilder<Id = string> {
  /**
   * Room-user token: APaaS(roomUuid, userUuid, role){room user}, RTM(userUuid){login} and a
   * Chat service (no privileges) for the Chat user id derived from `userUuid`.
   */
  buildRoomUserToken(
    appId: string, appCertificate: string, roomUuid: string, userUuid: Id, role: number, expire: number,
    options?: BuildOptions,
  ): string;
  /** User token: APaaS("", userUuid, -1){user}. */
  buildUserToken(appId: string, appCertificate: string, userUuid: Id, expire: number, options?: BuildOptions): string;
  /** App token: APaaS("", "", -1){app}. */
  buildAppToken(appId: string, appCertificate: string, expire: number, options?: BuildOptions): string;
}

const P = Privileges.APAAS;

function apaasBuilder(): ApaasBuilder {
  return {
    buildRoomUserToken(appId, appCertificate, roomUuid, userUuid, role, expire, options) {
      const token = new AccessToken2(appId, appCertificate, expire, options);
      const apaas = new ServiceApaas(roomUuid, userUuid, role).addPrivilege(P.ROOM_USER, expire);
      const rtm = new ServiceRtm(userUuid).addPrivilege(Privileges.RTM.LOGIN, expire);
      const chat = new ServiceChat(apaasChatUserId(checkString(userUuid, 'userUuid')));
      return token.addService(apaas).addService(rtm).addService(chat).build();
    },
    buildUserToken(appId, appCertificate, userUuid, expire, options) {
      const token = new AccessToken2(appId, appCertificate, expire, options);
      return token.addService(new ServiceApaas('', userUuid, -1).addPrivilege(P.USER, expire)).build();
    },
    buildAppToken(appId, appCertificate, expire, options) {
      const token = new AccessToken2(appId, appCertificate, expire, options);
      return token.addService(new ServiceApaas('', '', -1).addPrivilege(P.APP, expire)).build();
    },
  };
}

/**
 * Agora APaaS (Flexible Classroom) tokens, as Java's `ApaasTokenBuilder`.
 *
 * @example
 * ```ts
 * ApaasTokenBuilder.buildRoomUserToken(appId, appCertificate, 'room-1', 'user-1', 2, 3600);
 * ```
 */
export const ApaasTokenBuilder: ApaasBuilder = apaasBuilder();

/**
 * Agora Education tokens, as Java's `EducationTokenBuilder2` (the same wire format as APaaS).
 *
 * @example
 * ```ts
 * EducationTokenBuilder2.buildUserToken(appId, appCertificate, 'user-1', 3600);
 * ```
 */
export const EducationTokenBuilder2: ApaasBuilder = apaasBuilder();
