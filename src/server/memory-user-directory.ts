import { randomUuid } from './random-id';
import type { ChatUser, UserDirectory, UserLookup } from './user-directory';

/** Enough for any demo; a bound so a script cannot grow the process without limit. */
const MAX_USERS = 100_000;

/**
 * The embedded default when no Chat REST host is configured: a username gets a random UUID the
 * first time it is asked for, kept in this process only. For development and demos: it is not
 * shared between instances and is gone on restart. When full it forgets the least recently
 * used user (who gets a new UUID if they come back), so a script that fills it cannot lock
 * everyone else out.
 */
export class MemoryUserDirectory implements UserDirectory {
  readonly kind = 'memory';
  /** In order of last use, oldest first (a Map keeps insertion order; a hit re-inserts). */
  private readonly users = new Map<string, ChatUser>();

  constructor(private readonly maxUsers: number = MAX_USERS) {}

  /** Users held now. */
  get size(): number {
    return this.users.size;
  }

  async userFor(username: string, lookup?: UserLookup): Promise<ChatUser> {
    const known = this.users.get(username);
    if (known !== undefined) {
      this.users.delete(username);
      this.users.set(username, known);
      return known;
    }
    lookup?.beforeRegister?.();
    if (this.users.size >= this.maxUsers) {
      const oldest = this.users.keys().next().value;
      if (oldest !== undefined) this.users.delete(oldest);
    }
    const user = { username, uuid: randomUuid() };
    this.users.set(username, user);
    return user;
  }
}
