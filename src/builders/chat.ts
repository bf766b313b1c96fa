import { tokenHeader } from '../token007/access-token2';
import type { BuildOptions } from '../options';
import { packSingleService } from '../token007/pack';
import { Privileges, ServiceType } from '../token007/services';
import { checkString } from '../validate';

// The Chat service's privilege ids, as packSingleService takes them.
const USER = [Privileges.CHAT.USER];
const APP = [Privileges.CHAT.APP];

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
    const header = tokenHeader(appId, appCertificate, expire, options);
    return packSingleService(header, ServiceType.CHAT, USER, expire, [checkString(userId, 'userId')]);
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
    const header = tokenHeader(appId, appCertificate, expire, options);
    return packSingleService(header, ServiceType.CHAT, APP, expire, ['']);
  },
};
