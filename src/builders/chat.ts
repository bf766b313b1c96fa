import { tokenHeader } from '../token007/access-token2';
import type { BuildOptions } from '../args/options';
import { packSingleService, type Packer, type TokenHeader } from '../token007/pack';
import { Privileges, SERVICES, ServiceType } from '../token007/services';
import { checkString } from '../args/validate';

// The Chat service's row and privilege ids, as packSingleService takes them.
const CHAT = SERVICES[ServiceType.CHAT];
const USER: readonly number[] = Object.freeze([Privileges.CHAT.USER]);
const APP: readonly number[] = Object.freeze([Privileges.CHAT.APP]);

/** A Chat user token for a checked header: the one-call builder's and a maker's path. */
export function chatUserToken(header: TokenHeader, userId: string, packer?: Packer): string {
  return packSingleService(header, CHAT, USER, header.expire, { userId: checkString(userId, 'userId') }, packer);
}

/** A Chat app token for a checked header. */
export function chatAppToken(header: TokenHeader, packer?: Packer): string {
  return packSingleService(header, CHAT, APP, header.expire, { userId: '' }, packer);
}

/**
 * Agora Chat tokens, as Java's `ChatTokenBuilder2`. `expire` is a lifetime in seconds counted
 * from the issue time (Agora Chat accepts at most 24 h).
 */
export const ChatTokenBuilder2 = {
  /**
   * A Chat **user** token: the Chat service with the user privilege for `userId`.
   *
   * @example
   * ```ts
   * const token = ChatTokenBuilder2.buildUserToken(appId, appCertificate, 'alice', 3600);
   * ```
   */
  buildUserToken(appId: string, appCertificate: string, userId: string, expire: number, options?: BuildOptions): string {
    return chatUserToken(tokenHeader(appId, appCertificate, expire, options), userId);
  },

  /**
   * A Chat **app** token, for your server's calls to the Chat REST API.
   *
   * @example
   * ```ts
   * const token = ChatTokenBuilder2.buildAppToken(appId, appCertificate, 3600);
   * fetch(`https://${host}/${org}/${app}/users`, { headers: { Authorization: `Bearer ${token}` } });
   * ```
   */
  buildAppToken(appId: string, appCertificate: string, expire: number, options?: BuildOptions): string {
    return chatAppToken(tokenHeader(appId, appCertificate, expire, options));
  },
};
