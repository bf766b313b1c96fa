import { TokenError } from '../index';
import type { KeepFreshOptions, StopKeepingFresh } from './options';
import { renewOrHandOver, startRefresher } from './refresher';

/** The `linkState` event of RTM 2.x, as far as {@link keepRtmTokenFresh} reads it. */
export interface RtmLinkStateLike {
  /** The new state (`'FAILED'`, `'CONNECTED'` …). */
  readonly currentState: string;
  /** Why it changed (`'TOKEN_EXPIRED'` …). */
  readonly reasonCode?: string;
}

/**
 * What {@link keepRtmTokenFresh} needs of an `agora-rtm-sdk` 2.x client (the SDK is not
 * imported: pass your client in). An `RTMClient` fits as it is.
 */
export interface RtmClientLike {
  /** Adds a listener (`client.addEventListener`). */
  addEventListener(event: 'tokenPrivilegeWillExpire', listener: (channelName: string) => void): void;
  /** Adds a listener for the connection state (`client.addEventListener('linkState', …)`). */
  addEventListener(event: 'linkState', listener: (event: RtmLinkStateLike) => void): void;
  /** Removes a listener (`client.removeEventListener`). */
  removeEventListener(event: 'tokenPrivilegeWillExpire', listener: (channelName: string) => void): void;
  /** Removes the connection-state listener. */
  removeEventListener(event: 'linkState', listener: (event: RtmLinkStateLike) => void): void;
  /** Hands the SDK a new login token. */
  renewToken(token: string): Promise<unknown>;
}

/** Options of {@link keepRtmTokenFresh}. */
export interface RtmKeepFreshOptions extends KeepFreshOptions {
  /** The RTM user ID the client logged in as: every fetched token must be for it. */
  readonly userId: string;
  /**
   * Called when the client was logged out because its token ended (`linkState` FAILED, reason
   * `TOKEN_EXPIRED`), with a new, checked token: log in again with it
   * (`client.login({ token })`). Without it, `client.renewToken(token)` is tried.
   */
  readonly onExpired?: (token: string) => void | Promise<void>;
}

/**
 * Keeps an Agora RTM 2.x client's login token fresh: on `tokenPrivilegeWillExpire` (RTM warns
 * 30 s before the end) fetches one new token (retried with backoff), checks it (an RTM token
 * for `userId`, in date) and calls `client.renewToken(token)`; when the client fails with
 * `TOKEN_EXPIRED`, hands the new token to `onExpired` (the app logs in again). Warnings that
 * name a stream channel are about that channel's own RTC token and are left to the app.
 *
 * @returns `stop()`: `client.removeEventListener` for exactly the listeners it added, timers cleared.
 * @throws TokenError `ERR_MISSING_ARGUMENT` / `ERR_INVALID_ARGUMENT` for wrong options, at once.
 */
export function keepRtmTokenFresh(client: RtmClientLike, options: RtmKeepFreshOptions): StopKeepingFresh {
  if (typeof options?.userId !== 'string' || options.userId === '') {
    throw new TokenError('ERR_MISSING_ARGUMENT', 'options.userId must be the RTM user ID the client logged in as');
  }
  const { onExpired } = options;
  const refresher = startRefresher(
    options,
    () => ({ service: 'rtm', privilege: [1, 'login'], fields: { userId: options.userId } }),
    renewOrHandOver((token) => client.renewToken(token), onExpired),
  );
  const willExpire = (channelName: string) => {
    if (!channelName) void refresher.request('will-expire');
  };
  const linkState = (event: RtmLinkStateLike) => {
    if (event.currentState === 'FAILED' && event.reasonCode === 'TOKEN_EXPIRED') void refresher.request('expired');
  };
  client.addEventListener('tokenPrivilegeWillExpire', willExpire);
  client.addEventListener('linkState', linkState);
  return () => {
    refresher.stop();
    client.removeEventListener('tokenPrivilegeWillExpire', willExpire);
    client.removeEventListener('linkState', linkState);
  };
}
