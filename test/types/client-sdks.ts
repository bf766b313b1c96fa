/**
 * Type test, compiled by `npm run typecheck` (tsconfig.node.json): the real SDKs' client
 * types are accepted by the client helpers as they are — no casts. A change in an SDK's
 * declarations that breaks this fails the typecheck.
 */
import type { AgoraChat } from 'agora-chat';
import type { IAgoraRTCClient } from 'agora-rtc-sdk-ng';
import type { RTMClient } from 'agora-rtm-sdk';
import {
  keepChatTokenFresh, keepRtcTokenFresh, keepRtmTokenFresh,
  type ChatConnectionLike, type RtcClientLike, type RtmClientLike, type StopKeepingFresh,
} from '../../src/client/index';

declare const connection: AgoraChat.Connection;
declare const rtc: IAgoraRTCClient;
declare const rtm: RTMClient;
declare const fetchToken: () => Promise<string>;

export const chat: StopKeepingFresh = keepChatTokenFresh(connection, { user: 'alice', fetchToken });
export const rtcStop: StopKeepingFresh = keepRtcTokenFresh(rtc, { fetchToken, onExpired: (token) => rtc.join('appid', 'room', token, 42).then(() => undefined) });
export const rtmStop: StopKeepingFresh = keepRtmTokenFresh(rtm, { userId: 'bob', fetchToken, onExpired: (token) => rtm.login({ token }).then(() => undefined) });

// And the other way round, the structural interfaces are what the SDK types provide.
export const asChat: ChatConnectionLike = connection;
export const asRtc: RtcClientLike = rtc;
export const asRtm: RtmClientLike = rtm;

// A negative control: something that is not a Chat connection is refused.
// @ts-expect-error — an RTC client has no addEventHandler/open
keepChatTokenFresh(rtc, { user: 'alice', fetchToken });
// @ts-expect-error — a Chat connection has no client.on for RTC events
keepRtcTokenFresh(connection as Omit<AgoraChat.Connection, 'on'>, { fetchToken });
