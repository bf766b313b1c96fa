import { TokenError } from '../base/errors';
import { checkAppCertificate, checkAppId, checkU32 } from '../args/validate';
import { packToken, type TokenHeader } from './pack';
import { Service } from './service';
import { resolveBuildOptions, type BuildOptions } from '../args/options';

/**
 * The header of a token under construction, arguments checked (app ID, certificate, expire,
 * then the options), in the order every 007 builder checks them.
 */
export function tokenHeader(
  appId: string, appCertificate: string, expire: number, options: BuildOptions | undefined,
): TokenHeader & { readonly appCertificate: string } {
  checkAppId(appId);
  checkAppCertificate(appCertificate);
  checkU32(expire, 'expire');
  const { issueTs, salt } = resolveBuildOptions(options);
  return { appId, appCertificate, expire, issueTs, salt };
}

export type { BuildOptions };

/**
 * An AccessToken2 ("007") under construction: any combination of services.
 *
 * @example
 * ```ts
 * const token = new AccessToken2(appId, appCertificate, 3600)
 *   .addService(new ServiceChat('alice').addPrivilege(Privileges.CHAT.USER, 3600))
 *   .addService(new ServiceRtm('alice').addPrivilege(Privileges.RTM.LOGIN, 3600))
 *   .build();
 * ```
 */
export class AccessToken2 {
  /** The app ID (32 hex characters) the token is for. */
  readonly appId: string;
  /** The app certificate that signs the token (32 hex characters); never part of the token. */
  readonly appCertificate: string;
  /** Token lifetime in seconds, counted from `issueTs`. */
  readonly expire: number;
  /** Unix time in seconds the token is issued at. */
  readonly issueTs: number;
  /** The token's random u32 salt. */
  readonly salt: number;
  /** Services in the order they were added (they are packed sorted by type). */
  readonly services: Service[] = [];

  constructor(appId: string, appCertificate: string, expire: number, options?: BuildOptions) {
    const header = tokenHeader(appId, appCertificate, expire, options);
    this.appId = header.appId;
    this.appCertificate = header.appCertificate;
    this.expire = header.expire;
    this.issueTs = header.issueTs;
    this.salt = header.salt;
  }

  /** Adds a service; services of the same type may repeat and keep their order. */
  addService(service: Service): this {
    if (!(service instanceof Service)) {
      throw new TokenError('ERR_INVALID_ARGUMENT', 'service must be a Service (e.g. new ServiceChat(userId))');
    }
    this.services.push(service);
    return this;
  }

  /** Signs and encodes the token. Throws `ERR_NO_SERVICE` when no service was added. */
  build(): string {
    if (this.services.length === 0) {
      throw new TokenError('ERR_NO_SERVICE', 'an AccessToken2 needs at least one service; call addService first');
    }
    return packToken(this, this.services);
  }
}
