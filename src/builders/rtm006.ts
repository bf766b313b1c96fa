import type { BuildOptions } from '../args/options';
import { Privileges006, buildToken006 } from '../token006/access-token';
import { checkAppCertificate, checkAppId, checkRole, checkString, checkU32 } from '../args/validate';
import { RTM006_ROLES, type RtmRoleValue } from './roles';

/** Legacy 006 RTM tokens, as Java's `RtmTokenBuilder`. */
export const RtmTokenBuilder = {
  /**
   * 006 RTM login token; `privilegeTs` is an absolute Unix timestamp (0 = no expiry).
   *
   * @example
   * ```ts
   * RtmTokenBuilder.buildToken(appId, appCertificate, 'alice', RtmRole.RTM_USER, expireAt);
   * ```
   */
  buildToken(
    appId: string, appCertificate: string, userId: string, role: RtmRoleValue, privilegeTs: number,
    options?: BuildOptions,
  ): string {
    checkAppId(appId);
    checkAppCertificate(appCertificate);
    checkString(userId, 'userId');
    checkRole(role, 'role', RTM006_ROLES);
    checkU32(privilegeTs, 'privilegeTs');
    const privileges = new Map<number, number>([[Privileges006.RTM_LOGIN, privilegeTs]]);
    return buildToken006(appId, appCertificate, userId, '', privileges, options);
  },
};
