import { AccessToken2 } from '../token007/access-token2';
import type { BuildOptions } from '../args/options';
import { ServiceFpa } from '../token007/service';
import { Privileges } from '../token007/services';

/** The FPA token lifetime the reference uses: 24 hours. */
export const FPA_TOKEN_EXPIRE = 24 * 3600;

/** Agora FPA (Fusion Path Acceleration) tokens, as Java's `FpaTokenBuilder`. */
export const FpaTokenBuilder = {
  /**
   * FPA login token: valid 24 h, login privilege with no limit of its own (expire 0).
   *
   * @example
   * ```ts
   * FpaTokenBuilder.buildToken(appId, appCertificate);
   * ```
   */
  buildToken(appId: string, appCertificate: string, options?: BuildOptions): string {
    const token = new AccessToken2(appId, appCertificate, FPA_TOKEN_EXPIRE, options);
    return token.addService(new ServiceFpa().addPrivilege(Privileges.FPA.LOGIN, 0)).build();
  },
};
