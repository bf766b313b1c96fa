import type { ChatUser } from './chat-rest-client';

export type { ChatUser };

/** Finds a Chat user by name, registering the name first when it is new. */
export interface UserDirectory {
  userFor(username: string): Promise<ChatUser>;
  /** `memory` (embedded, per process) or `rest` (the Agora Chat REST API). */
  readonly kind: 'memory' | 'rest';
  /**
   * Readiness (`/readyz`): resolves `true` when the directory's upstream answered recently,
   * asking it once if it has not. Absent: always ready (nothing upstream).
   */
  ready?(): Promise<boolean>;
}
