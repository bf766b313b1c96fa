/**
 * Keep an Agora SDK connection's token fresh, in the client: the renewal half of Agora's token
 * guide (`onTokenWillExpire` → fetch a new token from your server → `renewToken`), with the
 * checks and retries that glue code usually lacks. No SDK is imported: pass yours in.
 *
 * @packageDocumentation
 * @module agora-access-token2/client
 */

export { keepChatTokenFresh, type ChatConnectionLike, type ChatTokenHandlers, type ChatKeepFreshOptions } from './chat';
export { keepRtcTokenFresh, type RtcClientLike, type RtcTokenEvent, type RtcKeepFreshOptions } from './rtc';
export { keepRtmTokenFresh, type RtmClientLike, type RtmLinkStateLike, type RtmKeepFreshOptions } from './rtm';
export type {
  KeepFreshOptions, RetryOptions, FreshToken, TokenRenewal, TokenRenewalAction, TokenRenewalReason, StopKeepingFresh,
} from './options';
export { TokenError, type TokenErrorCode } from '../index';
