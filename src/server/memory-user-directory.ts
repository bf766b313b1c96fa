import { HttpError } from './http-error';
import { randomUuid } from './random-id';
import type { ChatUser, UserDirectory } from './user-directory';

/** Enough for any demo; a bound so a script cannot grow the process without limit. */
const MAX_USERS = 100_000;

/**
 * The embedded default when no Chat REST host is configured: a username gets a random UUID the
 * first time it is asked for, kept in this process only. For development and demos: it is not
 * shared between instances and is gone on restart.
 */
export class MemoryUserDirectory implements UserDirectory {
  readonly kind = 'memory';
  private readonly users = new Map<string, ChatUser>();

  async userFor(username: string): Promise<ChatUser> {
    let user = this.users.get(username);
    if (user === undefined) {
      if (this.users.size >= MAX_USERS) {
        throw new HttpError(503, 'user_directory_full', `the embedded user directory holds its maximum of ${MAX_USERS} users; configure the Chat REST API`);
      }
      user = { username, uuid: randomUuid() };
      this.users.set(username, user);
    }
    return user;
  }
}
