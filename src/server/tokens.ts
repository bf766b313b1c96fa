import { Privileges, RtcRole, ServiceRtc, ServiceRtm } from '../index';
import type { ServerConfig } from './config';
import type { RtcUser, TokenRoute } from './options';
import type { UserLookup } from './user-directory';

/** The tokens of one answer, under the community servers' keys. */
export type Tokens =
  | { readonly rtcToken: string }
  | { readonly rtmToken: string }
  | { readonly chatToken: string }
  | { readonly rtcToken: string; readonly rtmToken: string };

/** The one token of a single-token answer (all but `/rte/…`). */
export function singleToken(tokens: Tokens): string {
  return 'chatToken' in tokens ? tokens.chatToken : 'rtcToken' in tokens ? tokens.rtcToken : tokens.rtmToken;
}

function rtcToken(config: ServerConfig, user: RtcUser, expire: number, issueTs: number): string {
  const role = user.role === 'publisher' ? RtcRole.PUBLISHER : RtcRole.SUBSCRIBER;
  return config.maker.buildRtcToken(user.channel, user.account ?? user.uid ?? 0, role, expire, expire, { issueTs });
}

/**
 * An RTM login token; with a channel also what agora-token-service grants for an RTM stream
 * channel: RTC(channel, userId) join + publish data.
 */
function rtmToken(config: ServerConfig, userId: string, channel: string | undefined, expire: number, issueTs: number): string {
  if (channel === undefined) return config.maker.buildRtmToken(userId, expire, { issueTs });
  const stream = new ServiceRtc(channel, userId)
    .addPrivilege(Privileges.RTC.JOIN_CHANNEL, expire)
    .addPrivilege(Privileges.RTC.PUBLISH_DATA_STREAM, expire);
  const login = new ServiceRtm(userId).addPrivilege(Privileges.RTM.LOGIN, expire);
  return config.maker.buildToken(expire, [stream, login], { issueTs });
}

/**
 * Builds what `route` asks for, valid `expire` seconds from `issueTs`; Chat users come from the
 * directory (`lookup` may refuse the registration of a new one).
 */
export async function buildTokens(
  config: ServerConfig, route: TokenRoute, expire: number, issueTs: number, lookup?: UserLookup,
): Promise<Tokens> {
  switch (route.kind) {
    case 'rtc':
      return { rtcToken: rtcToken(config, route, expire, issueTs) };
    case 'rtm':
      return { rtmToken: rtmToken(config, route.userId, route.channel, expire, issueTs) };
    case 'rte':
      return {
        rtcToken: rtcToken(config, route, expire, issueTs),
        rtmToken: rtmToken(config, route.rtmUserId, route.channel, expire, issueTs),
      };
    case 'chat-app':
      return { chatToken: config.maker.buildChatAppToken(expire, { issueTs }) };
    case 'chat-user': {
      const user = await config.directory.userFor(route.username, lookup);
      const subject = config.chatUserTokenSubject === 'uuid' ? user.uuid : user.username;
      return { chatToken: config.maker.buildChatUserToken(subject, expire, { issueTs }) };
    }
  }
}
