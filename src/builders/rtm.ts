import { TokenError } from '../base/errors';
import { AccessToken2, tokenHeader } from '../token007/access-token2';
import type { BuildOptions } from '../args/options';
import { packSingleService, type Packer, type TokenHeader } from '../token007/pack';
import { Rtm2Permissions } from '../token007/permissions';
import { ServiceRtm2 } from '../token007/service';
import { Privileges, SERVICES, ServiceType } from '../token007/services';
import { checkString } from '../args/validate';

const RTM = SERVICES[ServiceType.RTM];
const LOGIN: readonly number[] = Object.freeze([Privileges.RTM.LOGIN]);

/** An RTM login token for a checked header: the one-call builder's and a maker's path. */
export function rtmToken(header: TokenHeader, userId: string, packer?: Packer): string {
  return packSingleService(header, RTM, LOGIN, header.expire, { userId: checkString(userId, 'userId') }, packer);
}

/** Agora RTM tokens (AccessToken2), as Java's `RtmTokenBuilder2`. */
export const RtmTokenBuilder2 = {
  /**
   * RTM login token for `userId`, valid `expire` seconds.
   *
   * @example
   * ```ts
   * RtmTokenBuilder2.buildToken(appId, appCertificate, 'alice', 3600);
   * ```
   */
  buildToken(appId: string, appCertificate: string, userId: string, expire: number, options?: BuildOptions): string {
    return rtmToken(tokenHeader(appId, appCertificate, expire, options), userId);
  },

  /**
   * RTM2 token with fine-grained permissions (`null`: none).
   *
   * @example
   * ```ts
   * const permissions = new Rtm2Permissions().add(RtmResourceType.MESSAGE_CHANNEL, RtmPermissionType.WRITE, ['lobby']);
   * RtmTokenBuilder2.buildTokenWithPermissions(appId, appCertificate, 'alice', permissions, 3600);
   * ```
   */
  buildTokenWithPermissions(
    appId: string, appCertificate: string, userId: string, permissions: Rtm2Permissions | null, expire: number,
    options?: BuildOptions,
  ): string {
    const token = new AccessToken2(appId, appCertificate, expire, options);
    if (permissions !== null && !(permissions instanceof Rtm2Permissions)) {
      throw new TokenError('ERR_INVALID_ARGUMENT', 'permissions must be an Rtm2Permissions or null');
    }
    return token.addService(new ServiceRtm2(userId, permissions).addPrivilege(Privileges.RTM2.LOGIN, expire)).build();
  },
};
