import { decodeToken, TokenError } from '../index';
import type { KeepFreshOptions, StopKeepingFresh } from './options';
import { startRefresher } from './refresher';

/**
 * What {@link keepChatTokenFresh} needs of an `agora-chat` `Connection` (the SDK is not
 * imported: pass your connection in). A `Connection` of agora-chat 1.x fits as it is.
 */
export interface ChatConnectionLike {
  /** Registers event handlers under an id (`connection.addEventHandler`). */
  addEventHandler(id: string, handler: ChatTokenHandlers): void;
  /** Removes the handlers registered under an id. */
  removeEventHandler(id: string): void;
  /** Hands the SDK a new token for the open session. */
  renewToken(token: string): Promise<unknown>;
  /** Logs in. */
  open(parameters: { user: string; accessToken: string }): Promise<unknown>;
  /** Whether the connection is open. */
  isOpened(): boolean;
}

/** The handlers {@link keepChatTokenFresh} registers. */
export interface ChatTokenHandlers {
  /** The SDK's warning: the token ends soon (when 20 % of its lifetime is left). */
  onTokenWillExpire?: () => void;
  /** The SDK's notice: the token has ended and the connection is closed. */
  onTokenExpired?: () => void;
}

/** Options of {@link keepChatTokenFresh}. */
export interface ChatKeepFreshOptions extends KeepFreshOptions {
  /** The Chat user ID (username) the connection logs in as; `open` is called with it. */
  readonly user: string;
  /**
   * The user id every fetched token must carry. Default: the user id in `token` (the token
   * the connection logged in with) when given, else `user`. Set it to the user's UUID when
   * your server builds tokens for UUIDs (the guide's UUID flow, this package's server by
   * default) and you pass no `token`.
   */
  readonly tokenUserId?: string;
}

/** A handler id no other registration uses: random, so that no counter lives at module level. */
function handlerId(): string {
  const [high, low] = crypto.getRandomValues(new Uint32Array(2));
  return `agora-access-token2:${high.toString(16).padStart(8, '0')}${low.toString(16).padStart(8, '0')}`;
}

function refused(result: unknown): boolean {
  return typeof result === 'object' && result !== null && (result as { status?: unknown }).status === false;
}

function loginTokenUserId(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const decoded = decodeToken(token);
    return decoded.version === '007' ? decoded.services.find((s) => s.name === 'chat')?.userId : undefined;
  } catch {
    return undefined; // reported by the refresher's own check of `token`
  }
}

/**
 * Keeps an Agora Chat connection's token fresh, as Chat's token guide describes: registers
 * `onTokenWillExpire` / `onTokenExpired` through `connection.addEventHandler`; on either, fetches
 * one new token (retried with backoff), checks it (a Chat user token for this user, in date),
 * and calls `connection.renewToken(token)`. Once the token has ended — or when the connection is
 * no longer open, or the SDK refuses the renewal — it logs in again with
 * `connection.open({ user, accessToken: token })`.
 *
 * @returns `stop()`: `connection.removeEventHandler(id)` for the handlers it added, timers cleared.
 * @throws TokenError `ERR_MISSING_ARGUMENT` / `ERR_INVALID_ARGUMENT` for wrong options, at once.
 *
 * @example
 * ```ts
 * const stop = keepChatTokenFresh(connection, {
 *   user: 'alice',
 *   token: loginToken,
 *   fetchToken: () => fetch('/chat/user/alice/token').then((r) => r.text()),
 *   onError: (error) => console.warn(error.code, error.message),
 * });
 * ```
 */
export function keepChatTokenFresh(connection: ChatConnectionLike, options: ChatKeepFreshOptions): StopKeepingFresh {
  if (typeof options?.user !== 'string' || options.user === '') {
    throw new TokenError('ERR_MISSING_ARGUMENT', 'options.user must be the Chat user ID the connection logs in as');
  }
  const { user } = options;
  const userId = options.tokenUserId ?? loginTokenUserId(options.token) ?? user;
  const reopen = async (token: string) => {
    await connection.open({ user, accessToken: token });
    return 'open' as const;
  };
  const refresher = startRefresher(
    options,
    () => ({ service: 'chat', privilege: [1, 'user'], fields: { userId } }),
    async (token, expired, active) => {
      if (!connection.isOpened()) return reopen(token);
      let result: unknown;
      try {
        result = await connection.renewToken(token);
      } catch (error) {
        // After stop() (the app may be logging out), the connection is not opened again.
        if (expired && active()) return reopen(token);
        throw error;
      }
      if (!refused(result)) return 'renewToken';
      if (expired && active()) return reopen(token);
      throw new TokenError('ERR_TOKEN_RENEW', 'connection.renewToken refused the new token (status false)', { cause: result });
    },
  );
  const id = handlerId();
  connection.addEventHandler(id, {
    onTokenWillExpire: () => void refresher.request('will-expire'),
    onTokenExpired: () => void refresher.request('expired'),
  });
  return () => {
    refresher.stop();
    connection.removeEventHandler(id);
  };
}
