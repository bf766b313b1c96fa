import { TokenError } from '../index';
import { checkToken, type TokenRule } from './check-token';
import type { FreshToken, KeepFreshOptions, RetryOptions, TokenRenewalAction, TokenRenewalReason } from './options';

/**
 * How one SDK takes a new token: `expired` says the previous one has ended; `active()` turns
 * false once the app called stop(), to be asked before every further SDK call.
 */
export type ApplyToken = (token: string, expired: boolean, active: () => boolean) => Promise<TokenRenewalAction>;

/** The SDK-independent half of a `keep…TokenFresh` helper. */
export interface Refresher {
  /** An SDK event asks for a new token; events that arrive during a renewal join it. */
  request(reason: TokenRenewalReason): Promise<void>;
  /** Stops: clears every timer; a renewal under way is dropped before it reaches the SDK. */
  stop(): void;
}

/** RTC and RTM: a token that ended goes to the app's `onExpired` (it re-joins or logs in again), else to `renewToken`. */
export function renewOrHandOver(renew: (token: string) => Promise<unknown>, onExpired?: (token: string) => void | Promise<void>): ApplyToken {
  return async (token, expired) => {
    if (expired && onExpired) {
      await onExpired(token);
      return 'onExpired';
    }
    await renew(token);
    return 'renewToken';
  };
}

const DEFAULT_RETRY: Readonly<Required<RetryOptions>> = Object.freeze({ attempts: 4, baseDelayMs: 500, maxDelayMs: 8000 });

const nowSeconds = (): number => Date.now() / 1000;

/** The longest delay setTimeout takes (about 24.8 days); longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * Right after a renewal, the next `renewBefore` renewal waits at least half the new token's
 * life and this long: a token that lasts no longer than `renewBefore` (a short-lived or a
 * cached token) would otherwise be renewed at once, again and again.
 */
const MIN_RENEWAL_GAP_MS = 1000;

/**
 * Runs one of the app's callbacks. What it throws is the app's own bug: reported as an event
 * listener's exception is (`reportError`, else `console.error`), and the renewal goes on.
 */
function callApp<A extends unknown[]>(callback: ((...args: A) => void) | undefined, ...args: A): void {
  if (callback === undefined) return;
  try {
    callback(...args);
  } catch (error) {
    const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
    if (typeof report === 'function') report(error);
    else console.error(error);
  }
}

function retryPolicy(retry: RetryOptions | false | undefined): Required<RetryOptions> {
  if (retry === false) return { ...DEFAULT_RETRY, attempts: 1 };
  const policy = { ...DEFAULT_RETRY, ...retry };
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < (name === 'attempts' ? 1 : 0)) {
      throw new TokenError('ERR_INVALID_ARGUMENT', `options.retry.${name} must be a number ${name === 'attempts' ? '≥ 1' : '≥ 0'}, got ${String(value)}`);
    }
  }
  return policy;
}

/** Delay before retry `n` (1-based): base · 2^(n−1), capped, then a random half to all of it. */
function backoff(policy: Required<RetryOptions>, n: number): number {
  const full = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
  return full / 2 + Math.random() * (full / 2);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function asTokenError(error: unknown): TokenError {
  if (error instanceof TokenError) return error;
  return new TokenError('ERR_TOKEN_RENEW', `the SDK did not take the new token: ${message(error).slice(0, 300)}`, { cause: error });
}

/**
 * Starts the shared machinery: one renewal at a time (fetch with retries → check → apply),
 * and, with `renewBefore`, timers from the decoded expiry.
 */
export function startRefresher(options: KeepFreshOptions, rule: () => TokenRule, apply: ApplyToken): Refresher {
  if (typeof options?.fetchToken !== 'function') {
    throw new TokenError('ERR_MISSING_ARGUMENT', 'options.fetchToken must be a function that returns a Promise of a token');
  }
  const { renewBefore } = options;
  if (renewBefore !== undefined && !(Number.isFinite(renewBefore) && renewBefore >= 0)) {
    throw new TokenError('ERR_INVALID_ARGUMENT', `options.renewBefore must be a number of seconds ≥ 0, got ${String(renewBefore)}`);
  }
  const policy = retryPolicy(options.retry);
  const report = options.onError ?? ((error: TokenError) => console.error(error));
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let stopped = false;
  let current: { expiresAt: number } | undefined;
  let pending: Promise<void> | undefined;
  let expiredNeeded = false;

  const later = (ms: number, fn: () => void): void => {
    const wait = Math.max(0, Math.min(ms, MAX_TIMER_MS));
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (ms > MAX_TIMER_MS) later(ms - MAX_TIMER_MS, fn);
      else fn();
    }, wait);
    timers.add(timer);
  };
  /** Wakes the sleeps under way: stop() ends a retry's wait at once. */
  const wakers = new Set<() => void>();
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const wake = () => {
      wakers.delete(wake);
      resolve();
    };
    wakers.add(wake);
    later(ms, wake);
  });
  const clearTimers = () => {
    timers.forEach(clearTimeout);
    timers.clear();
  };

  const schedule = (justRenewed: boolean): void => {
    if (renewBefore === undefined || current === undefined || stopped) return;
    const left = (current.expiresAt - nowSeconds()) * 1000;
    let willExpire = left - renewBefore * 1000;
    if (justRenewed) willExpire = Math.max(willExpire, left / 2, MIN_RENEWAL_GAP_MS);
    if (willExpire < left) later(willExpire, () => void request('will-expire'));
    later(left, () => void request('expired'));
  };

  async function fetchChecked(): Promise<FreshToken> {
    for (let attempt = 1; ; attempt++) {
      let token: string;
      try {
        token = await options.fetchToken();
      } catch (error) {
        if (attempt >= policy.attempts || stopped) {
          throw new TokenError('ERR_TOKEN_FETCH', `fetchToken failed ${attempt} time${attempt > 1 ? 's' : ''}; the last: ${message(error).slice(0, 300)}`, { cause: error });
        }
        await sleep(backoff(policy, attempt));
        if (stopped) throw new TokenError('ERR_TOKEN_FETCH', 'stopped while waiting to retry fetchToken');
        continue;
      }
      return checkToken(token, rule(), nowSeconds());
    }
  }

  const active = (): boolean => !stopped;
  /** How the renewal under way handed its token over, once it has decided. */
  let handedAs: TokenRenewalReason | undefined;
  /**
   * The token ended while the renewal under way handed the new one over as a renewal: the SDK
   * has dropped the session since, so an expired-way renewal follows (see start).
   */
  const endedMeanwhile = (): boolean => expiredNeeded && handedAs === 'will-expire';

  async function renew(): Promise<void> {
    handedAs = undefined;
    try {
      const fresh = await fetchChecked();
      if (stopped) return;
      // A token that ended while the new one was on its way cannot be renewed any more.
      const expired = expiredNeeded || (current !== undefined && current.expiresAt <= nowSeconds());
      handedAs = expired ? 'expired' : 'will-expire';
      // The timers follow the newest good token, even should the SDK refuse it below: the SDK
      // still warns about its own token, and an SDK that is not connected uses none.
      current = fresh;
      clearTimers();
      schedule(true);
      callApp(options.onToken, fresh);
      if (stopped) return;
      const action = await apply(fresh.token, expired, active);
      if (stopped) return;
      callApp(options.onRenewed, { token: fresh.token, decoded: fresh.decoded, expiresAt: fresh.expiresAt, reason: handedAs, action });
    } catch (error) {
      // When the expired-way renewal follows, it tells its own outcome.
      if (!stopped && !endedMeanwhile()) callApp(report, asTokenError(error));
    }
  }

  /** The renewal under way, or a new one. */
  function start(): Promise<void> {
    pending ??= renew().finally(() => {
      pending = undefined;
      const followUp = endedMeanwhile();
      expiredNeeded = followUp;
      if (followUp && !stopped) void start();
    });
    return pending;
  }

  function request(reason: TokenRenewalReason): Promise<void> {
    if (stopped) return Promise.resolve();
    const escalates = reason === 'expired' && !expiredNeeded;
    if (reason === 'expired') expiredNeeded = true;
    if (pending === undefined || escalates) callApp(options.onRenewing, reason);
    if (stopped) return Promise.resolve(); // onRenewing may have stopped it
    return start();
  }

  if (options.token !== undefined) {
    // The current token only starts the timers; an unusable one is reported, not thrown.
    try {
      current = checkToken(options.token, rule(), nowSeconds());
    } catch (error) {
      if (renewBefore !== undefined) callApp(report, asTokenError(error));
    }
    schedule(false);
  }

  return {
    request,
    stop() {
      stopped = true;
      clearTimers();
      wakers.forEach((wake) => wake());
    },
  };
}
