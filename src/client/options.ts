import type { DecodedToken007, TokenError } from '../index';

/** How failed `fetchToken` calls are retried: exponential backoff with jitter. */
export interface RetryOptions {
  /** Attempts in all, the first included; default 4. 1 means no retry. */
  readonly attempts?: number;
  /**
   * Delay before the first retry, in milliseconds; default 500. Each further retry waits twice
   * as long, up to `maxDelayMs`. Every delay is drawn at random between half and all of it
   * (jitter), so clients that failed together do not retry together.
   */
  readonly baseDelayMs?: number;
  /** Longest delay between two attempts, in milliseconds; default 8000. */
  readonly maxDelayMs?: number;
}

/** What the SDK was asked to do with a new token. */
export type TokenRenewalAction = 'renewToken' | 'open' | 'onExpired';

/** Why a renewal started: the SDK's warning, the token's end, or the `renewBefore` timer. */
export type TokenRenewalReason = 'will-expire' | 'expired';

/** A fetched token that passed its checks (see `onToken`). */
export interface FreshToken {
  /** The new token. */
  readonly token: string;
  /** The new token, decoded. */
  readonly decoded: DecodedToken007;
  /** Unix seconds when the new token stops working (the token's or its privilege's end, the earlier). */
  readonly expiresAt: number;
}

/** A new token that was checked and taken by the SDK (see `onRenewed`). */
export interface TokenRenewal extends FreshToken {
  /** `'expired'` when the previous token had ended: the session was re-opened, not renewed. */
  readonly reason: TokenRenewalReason;
  /** What the SDK was asked to do with it. */
  readonly action: TokenRenewalAction;
}

/** Stops keeping the token fresh: removes exactly the handlers it added and clears its timers. */
export type StopKeepingFresh = () => void;

/** The options every `keep…TokenFresh` helper takes. */
export interface KeepFreshOptions {
  /**
   * Gets a new token from your app server. Called once per renewal, however many SDK events
   * ask for it at the same time; retried on failure (see `retry`).
   */
  readonly fetchToken: () => Promise<string>;
  /**
   * Called when a renewal failed for good: `ERR_TOKEN_FETCH` (every attempt failed),
   * `ERR_TOKEN_RENEW` (the SDK refused the token), or the code of the check the fetched token
   * failed (`ERR_TOKEN_EXPIRED`, `ERR_SERVICE_MISSING`, `ERR_UID_MISMATCH`, a decode code …).
   * Default: `console.error`. What this or another callback of these options throws is
   * reported as an event listener's exception is (`reportError`, else `console.error`) and does
   * not stop the renewal.
   */
  readonly onError?: (error: TokenError) => void;
  /**
   * Called with every fetched token that passed its checks, before it is handed to the SDK: to
   * show it, or to keep it for a later login when the SDK is not connected.
   */
  readonly onToken?: (token: FreshToken) => void;
  /** Called after the SDK took a new token. */
  readonly onRenewed?: (renewal: TokenRenewal) => void;
  /**
   * Called when a renewal starts: `'will-expire'` before the end, `'expired'` once the token
   * has ended (the session has to be opened again).
   */
  readonly onRenewing?: (reason: TokenRenewalReason) => void;
  /** Retries of a failed `fetchToken`; `false` for none. A fetched token that fails its checks is not retried. */
  readonly retry?: RetryOptions | false;
  /**
   * Seconds before the token's decoded expiry to renew on a timer of its own — a fallback for
   * SDKs that warn late or not at all (e.g. while Agora's servers cannot be reached). With it,
   * the token's end is watched too: a token that ends without being renewed takes the expired
   * path. Needs the current token (`token`) or a first renewal to know the expiry. Right after a
   * renewal, the next one waits at least half the new token's life (and a second), so a token
   * that lasts no longer than `renewBefore` is not renewed again and again. Default: off, the
   * SDK's events alone.
   */
  readonly renewBefore?: number;
  /** The token the SDK is using now (e.g. the login token): starts the `renewBefore` timers. */
  readonly token?: string;
}
