import type { ChatUser } from './chat-rest-client';

export type { ChatUser };

/** What the caller of {@link UserDirectory.userFor} can add to one lookup. */
export interface UserLookup {
  /**
   * Called just before a name is registered (it was not found), never for a known user; it may
   * throw (e.g. a `429 rate_limited` from the registration limit) to refuse the registration.
   */
  readonly beforeRegister?: () => void;
}

/** Finds a Chat user by name, registering the name first when it is new. */
export interface UserDirectory {
  userFor(username: string, lookup?: UserLookup): Promise<ChatUser>;
  /** `memory` (embedded, per process) or `rest` (the Agora Chat REST API). */
  readonly kind: 'memory' | 'rest';
  /**
   * Readiness (`/readyz`): resolves `true` when the directory's upstream answered recently,
   * asking it once if it has not. Absent: always ready (nothing upstream).
   */
  ready?(): Promise<boolean>;
}
