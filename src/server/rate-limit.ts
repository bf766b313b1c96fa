import { TokenError } from '../index';
import { HttpError } from './http-error';
import type { UserLookup } from './user-directory';

/** A rate: `requests` per `perSeconds`, with bursts of up to `requests`. */
export interface Rate {
  readonly requests: number;
  readonly perSeconds: number;
}

/** Options of a {@link RateLimiter}. */
export interface RateLimiterOptions extends Rate {
  /**
   * Clients remembered at once (default 10,000). The least recently seen is forgotten first, so a
   * flood of distinct clients costs bounded memory (about 100 bytes each).
   */
  readonly maxClients?: number;
  /** Clock in milliseconds (default `Date.now`). */
  readonly now?: () => number;
}

/** The answer of {@link RateLimiter.take}. */
export type RateVerdict =
  | { readonly ok: true }
  /** Over the limit: try again in `retryAfter` seconds (at least 1). */
  | { readonly ok: false; readonly retryAfter: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Defaults the CLI and the wiring use: token requests and, stricter, registrations of new users. */
export const DEFAULT_TOKEN_RATE: Rate = { requests: 120, perSeconds: 60 };
export const DEFAULT_REGISTER_RATE: Rate = { requests: 20, perSeconds: 3600 };

/**
 * A token bucket per client: each holds up to `requests` tokens and refills at
 * `requests / perSeconds` a second; a request takes one. A client whose bucket is empty is
 * refused until it refills, while every other client keeps its own bucket.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    checkRate(options, 'rate');
    this.maxClients = options.maxClients ?? 10_000;
    if (!Number.isInteger(this.maxClients) || this.maxClients < 1) throw invalid('maxClients must be a positive integer');
    this.perMs = options.requests / (options.perSeconds * 1000);
    this.now = options.now ?? Date.now;
  }

  /** Clients remembered now (at most `maxClients`). */
  get size(): number {
    return this.buckets.size;
  }

  /** Takes one request from `key`'s bucket. */
  take(key: string): RateVerdict {
    const now = this.now();
    const { requests } = this.options;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: requests, at: now };
      if (this.buckets.size >= this.maxClients) this.evictOldest();
    } else {
      this.buckets.delete(key); // re-inserted below: the Map's order is the order of last use
      bucket.tokens = Math.min(requests, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
      bucket.at = now;
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    // Milliseconds until one token is back; the epsilon keeps float noise from adding a second.
    const waitMs = ((1 - bucket.tokens) * this.options.perSeconds * 1000) / requests;
    return { ok: false, retryAfter: Math.max(1, Math.ceil(waitMs / 1000 - 1e-9)) };
  }

  /**
   * {@link take}, throwing `429 rate_limited` with `Retry-After` when over the limit; `what`
   * names the limit in the message (e.g. `token requests`).
   */
  enforce(key: string, what: string): void {
    const verdict = this.take(key);
    if (!verdict.ok) {
      throw new HttpError(
        429, 'rate_limited',
        `too many ${what} from this client (${this.options.requests} per ${this.options.perSeconds} s); try again in ${verdict.retryAfter} s`,
        { 'retry-after': String(verdict.retryAfter) },
      );
    }
  }

  private evictOldest(): void {
    const oldest = this.buckets.keys().next().value;
    if (oldest !== undefined) this.buckets.delete(oldest);
  }
}

function invalid(message: string): TokenError {
  return new TokenError('ERR_INVALID_ARGUMENT', message);
}

function checkRate(rate: Rate, name: string): void {
  const ok = Number.isInteger(rate.requests) && rate.requests >= 1 && rate.requests <= 1_000_000
    && Number.isFinite(rate.perSeconds) && rate.perSeconds > 0 && rate.perSeconds <= 86400 * 7;
  if (!ok) throw invalid(`${name} must be 1..1000000 requests per 0 < seconds <= 604800`);
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, min: 60, h: 3600, d: 86400 };

/**
 * Parses a rate as written on a command line: `120/m`, `10/s`, `20/h`, `1/d`, or `30/90s`
 * (30 per 90 seconds). Throws `TokenError` naming `name` otherwise.
 */
export function parseRate(text: string, name = 'rate'): Rate {
  const match = /^\s*(\d{1,7})\s*\/\s*(?:(\d{1,6})\s*(s)|(s|m|min|h|d))\s*$/.exec(text);
  if (!match) throw invalid(`${name} must look like 120/m, 10/s, 20/h, 1/d or 30/90s, not ${JSON.stringify(text.slice(0, 40))}`);
  const perSeconds = match[2] !== undefined ? Number(match[2]) : UNIT_SECONDS[match[4]];
  const rate = { requests: Number(match[1]), perSeconds };
  checkRate(rate, name);
  return rate;
}

/**
 * The rate-limit key of a client address: the address itself for IPv4, its /64 network for
 * IPv6 (one host usually holds a whole /64, so per-address keys would be free to rotate).
 */
export function clientKey(address: string): string {
  const ip = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The server's per-client limits; `false` turns one off. */
export interface ClientLimitOptions {
  /** Token requests per client (default {@link DEFAULT_TOKEN_RATE}, 120 a minute). */
  readonly tokens?: Rate | false;
  /** Registrations of new Chat users per client, stricter (default {@link DEFAULT_REGISTER_RATE}, 20 an hour). */
  readonly registrations?: Rate | false;
  /** Clients remembered per limit (default 10,000). */
  readonly maxClients?: number;
  /** Clock in milliseconds (default `Date.now`). */
  readonly now?: () => number;
}

/** What the handler calls, keyed by the client (its address, or the JWT subject). */
export interface ClientLimits {
  /** Counts one token request; throws `429 rate_limited` with `Retry-After` when over. */
  tokenRequest(key: string): void;
  /** The {@link UserLookup} that counts a registration of a new user against `key`. */
  registration(key: string): UserLookup;
}

/** Builds the two limiters of {@link ClientLimitOptions}. */
export function createClientLimits(options: ClientLimitOptions = {}): ClientLimits {
  const limiter = (rate: Rate | false | undefined, fallback: Rate) => rate === false
    ? undefined
    : new RateLimiter({ ...(rate ?? fallback), maxClients: options.maxClients, now: options.now });
  const tokens = limiter(options.tokens, DEFAULT_TOKEN_RATE);
  const registrations = limiter(options.registrations, DEFAULT_REGISTER_RATE);
  return {
    tokenRequest: (key) => tokens?.enforce(key, 'token requests'),
    registration: (key) => (registrations === undefined ? {} : { beforeRegister: () => registrations.enforce(key, 'new users') }),
  };
}
