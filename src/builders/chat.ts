import { AccessToken2 } from '../token007/access-token2';
import type { BuildOptions } from '../options';
import { ServiceChat } from '../token007/service';
import { Privileges } from '../token007/services';

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
    const token = new AccessToken2(appId, appCertificate, expire, options);
    return token.addService(new ServiceChat(userId).addPrivilege(Privileges.CHAT.USER, expire)).build();
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
    const token = new AccessToken2(appId, appCertificate, expire, options);
    return token.addService(new ServiceChat().addPrivilege(Privileges.CHAT.APP, expire)).build();
  },
};
