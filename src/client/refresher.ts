import { TokenError } from '../index';
import { checkToken, type TokenRule } from './check-token';
import type { FreshToken, KeepFreshOptions, RetryOptions, TokenRenewalAction, TokenRenewalReason } from './options';

/** How one SDK takes a new token: `expired` says the previous one has ended. */
export type ApplyToken = (token: string, expired: boolean) => Promise<TokenRenewalAction>;

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
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    timers.add(timer);
  };
  const sleep = (ms: number) => new Promise<void>((resolve) => later(ms, resolve));
  const clearTimers = () => {
    timers.forEach(clearTimeout);
    timers.clear();
  };

  const schedule = (): void => {
    if (renewBefore === undefined || current === undefined || stopped) return;
    const left = (current.expiresAt - nowSeconds()) * 1000;
    later(left - renewBefore * 1000, () => void request('will-expire'));
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
        continue;
      }
      return checkToken(token, rule(), nowSeconds());
    }
  }

  async function renew(): Promise<void> {
    try {
      const fresh = await fetchChecked();
      if (stopped) return;
      // A token that ended while the new one was on its way cannot be renewed any more.
      const expired = expiredNeeded || (current !== undefined && current.expiresAt <= nowSeconds());
      // The timers follow the newest good token, even should the SDK refuse it below: the SDK
      // still warns about its own token, and an SDK that is not connected uses none.
      current = fresh;
      clearTimers();
      schedule();
      options.onToken?.(fresh);
      const action = await apply(fresh.token, expired);
      if (stopped) return;
      options.onRenewed?.({ token: fresh.token, decoded: fresh.decoded, expiresAt: fresh.expiresAt, reason: expired ? 'expired' : 'will-expire', action });
    } catch (error) {
      if (!stopped) report(asTokenError(error));
    }
  }

  function request(reason: TokenRenewalReason): Promise<void> {
    if (stopped) return Promise.resolve();
    const escalates = reason === 'expired' && !expiredNeeded;
    if (reason === 'expired') expiredNeeded = true;
    if (pending === undefined || escalates) options.onRenewing?.(reason);
    pending ??= renew().finally(() => {
      pending = undefined;
      expiredNeeded = false;
    });
    return pending;
  }

  if (options.token !== undefined) {
    // The current token only starts the timers; an unusable one is reported, not thrown.
    try {
      current = checkToken(options.token, rule(), nowSeconds());
    } catch (error) {
      if (renewBefore !== undefined) report(asTokenError(error));
    }
    schedule();
  }

  return {
    request,
    stop() {
      stopped = true;
      clearTimers();
    },
  };
}
