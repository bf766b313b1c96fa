import type { KeepFreshOptions, StopKeepingFresh } from './options';
import { renewOrHandOver, startRefresher } from './refresher';

/** The RTC client events {@link keepRtcTokenFresh} listens to. */
export type RtcTokenEvent = 'token-privilege-will-expire' | 'token-privilege-did-expire';

/**
 * What {@link keepRtcTokenFresh} needs of an `agora-rtc-sdk-ng` client (the SDK is not
 * imported: pass your client in). An `IAgoraRTCClient` fits as it is.
 */
export interface RtcClientLike {
  /** Adds a listener (`client.on`). */
  on(event: RtcTokenEvent, listener: () => void): void;
  /** Removes a listener (`client.off`). */
  off(event: RtcTokenEvent, listener: () => void): void;
  /** Hands the SDK a new token for the joined channel. */
  renewToken(token: string): Promise<void>;
  /** The channel joined, if any: fetched tokens must be for it. */
  readonly channelName?: string;
  /** The uid joined with, if any: fetched tokens must be for it (or for uid 0, any uid). */
  readonly uid?: number | string;
}

/** Options of {@link keepRtcTokenFresh}. */
export interface RtcKeepFreshOptions extends KeepFreshOptions {
  /**
   * Called on `token-privilege-did-expire` with a new, checked token: the client has left the
   * channel, so re-join with it (`client.join(appId, channel, token, uid)`). Without it,
   * `client.renewToken(token)` is tried, as for the warning.
   */
  readonly onExpired?: (token: string) => void | Promise<void>;
  /**
   * The channel every fetched token must be for. Default: the channel the client was last seen
   * in (`client.channelName` when the helper starts, on each warning and at each check), which
   * is also what a token for re-joining is checked against after the SDK has left the channel.
   * Give it when the helper may start before the client joins and no warning may come first.
   */
  readonly channelName?: string;
  /** The uid every fetched token must be for; default `client.uid`, last seen as `channelName` is. */
  readonly uid?: number | string;
}

const uidText = (uid: number | string | undefined) => (uid === undefined ? undefined : String(uid));

/**
 * Keeps an Agora RTC client's token fresh: on `token-privilege-will-expire` fetches one new
 * token (retried with backoff), checks it (an RTC token for this channel and uid, in date) and
 * calls `client.renewToken(token)`; on `token-privilege-did-expire` hands the new token to
 * `onExpired` (the app re-joins), or renews when no `onExpired` is given.
 *
 * @returns `stop()`: `client.off` for exactly the two listeners it added, timers cleared.
 * @throws TokenError `ERR_MISSING_ARGUMENT` / `ERR_INVALID_ARGUMENT` for wrong options, at once.
 *
 * @example
 * ```ts
 * const stop = keepRtcTokenFresh(client, {
 *   fetchToken: () => fetch(`/rtc/${channel}/publisher/uid/${uid}`).then((r) => r.text()),
 *   onExpired: (token) => client.join(appId, channel, token, uid).then(() => undefined),
 * });
 * ```
 */
export function keepRtcTokenFresh(client: RtcClientLike, options: RtcKeepFreshOptions): StopKeepingFresh {
  const { onExpired } = options ?? {};
  // The channel and uid last seen joined: on token-privilege-did-expire the SDK has already left
  // the channel and forgotten both, and the token for re-joining must still be checked.
  let joined: { channelName?: string; uid?: number | string } = {};
  const remember = () => {
    if (client.channelName !== undefined) joined = { channelName: client.channelName, uid: client.uid };
  };
  remember();
  const refresher = startRefresher(
    options,
    () => {
      remember();
      return {
        service: 'rtc',
        privilege: [1, 'joinChannel'],
        fields: { channelName: options.channelName ?? joined.channelName, uid: uidText(options.uid ?? joined.uid) },
      };
    },
    renewOrHandOver((token) => client.renewToken(token), onExpired),
  );
  const willExpire = () => {
    remember();
    void refresher.request('will-expire');
  };
  const didExpire = () => void refresher.request('expired');
  client.on('token-privilege-will-expire', willExpire);
  client.on('token-privilege-did-expire', didExpire);
  return () => {
    refresher.stop();
    client.off('token-privilege-will-expire', willExpire);
    client.off('token-privilege-did-expire', didExpire);
  };
}
