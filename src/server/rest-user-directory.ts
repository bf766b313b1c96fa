import type { ChatRestClient } from './chat-rest-client';
import { HttpError } from './http-error';
import type { ChatUser, UserDirectory, UserLookup } from './user-directory';

/** Bound on remembered answers; the oldest is dropped first. */
const MAX_CACHED_USERS = 10_000;
/** Readiness: an upstream answer this recent (seconds) counts; older, /readyz asks again. */
const READY_FRESH_SECONDS = 30;
/** The user /readyz looks up when the REST API has not answered recently (a 404 is an answer). */
const READY_PROBE_USER = 'agora-access-token2-readyz';

/**
 * Users from the Agora Chat REST API: look the name up, register it on 404, and when the
 * registration loses a race (`duplicate_unique_property_exists`) read the user again.
 * Concurrent requests for one name share one lookup (so one registration), and answers are
 * remembered for `cacheSeconds` — a UUID does not change unless the user is deleted. The
 * first caller's {@link UserLookup} governs a shared lookup.
 */
export class RestUserDirectory implements UserDirectory {
  readonly kind = 'rest';
  private readonly inFlight = new Map<string, Promise<ChatUser>>();
  private readonly cache = new Map<string, { readonly user: ChatUser; readonly until: number }>();
  /** When the REST API last answered a lookup (Unix seconds); the readiness hook of /readyz. */
  private lastOkAt = -Infinity;
  private probe: Promise<boolean> | undefined;

  constructor(
    private readonly client: ChatRestClient,
    private readonly cacheSeconds: number,
    private readonly nowSeconds: () => number,
  ) {}

  userFor(username: string, lookup?: UserLookup): Promise<ChatUser> {
    const cached = this.cache.get(username);
    if (cached !== undefined && cached.until > this.nowSeconds()) return Promise.resolve(cached.user);
    const pending = this.inFlight.get(username);
    if (pending !== undefined) return pending;
    const shared = this.findOrRegister(username, lookup)
      .then((user) => {
        this.remember(user);
        return user;
      })
      .finally(() => this.inFlight.delete(username));
    this.inFlight.set(username, shared);
    return shared;
  }

  private async findOrRegister(username: string, lookup: UserLookup | undefined): Promise<ChatUser> {
    const found = await this.client.getUser(username);
    this.lastOkAt = this.nowSeconds();
    if (found !== undefined) return found;
    lookup?.beforeRegister?.();
    const registered = await this.client.registerUser(username);
    if (registered !== 'exists') return registered;
    // Another server registered the name between our lookup and our registration.
    const reread = await this.client.getUser(username);
    if (reread !== undefined) return reread;
    throw new HttpError(502, 'upstream_bad_response', `the Chat REST API says user "${username}" exists but does not return it`);
  }

  /** Ready when the REST API answered within READY_FRESH_SECONDS; otherwise one shared probe lookup. */
  ready(): Promise<boolean> {
    if (this.nowSeconds() - this.lastOkAt <= READY_FRESH_SECONDS) return Promise.resolve(true);
    this.probe ??= this.client.getUser(READY_PROBE_USER)
      .then(() => {
        this.lastOkAt = this.nowSeconds();
        return true;
      }, () => false)
      .finally(() => {
        this.probe = undefined;
      });
    return this.probe;
  }

  private remember(user: ChatUser): void {
    if (this.cacheSeconds <= 0) return;
    this.cache.delete(user.username);
    if (this.cache.size >= MAX_CACHED_USERS) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(user.username, { user, until: this.nowSeconds() + this.cacheSeconds });
  }
}
