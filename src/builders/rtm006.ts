import { TokenError } from '../base/errors';
import type { BuildOptions } from '../args/options';
import { notIn006, optionsOf006 } from './legacy-trap';
import { Privileges006, buildToken006 } from '../token006/access-token';
import { checkAppCertificate, checkAppId, checkRole, checkString, checkU32 } from '../args/validate';
import { RTM006_ROLES, type RtmRoleValue } from './roles';

const RTM_LOGIN: readonly number[] = Object.freeze([Privileges006.RTM_LOGIN]);

/**
 * Legacy 006 RTM tokens, as Java's `RtmTokenBuilder`. Not `agora-token`'s `RtmTokenBuilder`
 * (007): that one is {@link RtmTokenBuilder2} here, or `RtmTokenBuilder` from
 * `agora-access-token2/compat`; its calls fail here with a type error and a `TokenError`
 * naming the right builder.
 */
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
    if (privilegeTs === undefined && typeof role === 'number' && role !== 1) {
      throw new TokenError(
        'ERR_INVALID_ARGUMENT',
        'RtmTokenBuilder from "agora-access-token2" is the legacy 006 builder (role, absolute privilegeTs); agora-token\'s buildToken(appId, appCertificate, userId, expire) is RtmTokenBuilder2.buildToken here, or RtmTokenBuilder from "agora-access-token2/compat"',
      );
    }
    optionsOf006(options, 'RtmTokenBuilder.buildToken', 'RtmTokenBuilder2.buildToken');
    checkAppId(appId);
    checkAppCertificate(appCertificate);
    checkString(userId, 'userId');
    checkRole(role, 'role', RTM006_ROLES);
    checkU32(privilegeTs, 'privilegeTs');
    return buildToken006(appId, appCertificate, userId, '', RTM_LOGIN, privilegeTs, options);
  },

  /** Not a 006 method: agora-token's 007 builder has it. Throws `TokenError` naming `RtmTokenBuilder2`. */
  buildTokenWithPermissions: notIn006('RtmTokenBuilder', 'buildTokenWithPermissions', 'RtmTokenBuilder2.buildTokenWithPermissions'),
};
