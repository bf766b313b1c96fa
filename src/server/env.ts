import { TokenError } from '../base/errors';
import type { TokenServerOptions } from './options';
import { randomHex } from './random-id';

/** The environment variables the token server reads (the names Agora's samples use). */
export interface ServerEnv {
  /** Agora app ID, 32 hex characters. */
  readonly AGORA_APP_ID?: string;
  /** Agora app certificate, 32 hex characters. */
  readonly AGORA_APP_CERTIFICATE?: string;
  /** Chat App Key `org#app`; needed with `AGORA_CHAT_REST_HOST`. */
  readonly AGORA_CHAT_APP_KEY?: string;
  /** Chat REST host, e.g. `a41.chat.agora.io`; unset: the embedded in-memory user directory. */
  readonly AGORA_CHAT_REST_HOST?: string;
}

function value(env: ServerEnv, name: keyof ServerEnv): string | undefined {
  const text = env[name];
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}

/**
 * Token server options from environment variables (`process.env`, a Worker's `env`):
 * credentials from `AGORA_APP_ID` / `AGORA_APP_CERTIFICATE`, the Chat REST API from
 * `AGORA_CHAT_APP_KEY` + `AGORA_CHAT_REST_HOST` (without a host: the embedded in-memory user
 * directory). With no credentials at all and `allowDemo`, a random demo app ID and certificate
 * are made up and `demo: true` is set — such tokens are well formed but Agora refuses them.
 *
 * Throws `TokenError` (`ERR_MISSING_ARGUMENT`) when only one credential is set, when the REST
 * host is set without the app key, or when there are no credentials and no `allowDemo`.
 *
 * @example
 * ```ts
 * // A Cloudflare Worker: credentials from the Worker's secrets.
 * export default {
 *   fetch(request: Request, env: ServerEnv) {
 *     return createTokenServer(tokenServerOptionsFromEnv(env)).fetch(request);
 *   },
 * };
 * ```
 */
export function tokenServerOptionsFromEnv(env: ServerEnv, options: { allowDemo?: boolean } = {}): TokenServerOptions {
  const appId = value(env, 'AGORA_APP_ID');
  const appCertificate = value(env, 'AGORA_APP_CERTIFICATE');
  const appKey = value(env, 'AGORA_CHAT_APP_KEY');
  const restHost = value(env, 'AGORA_CHAT_REST_HOST');
  if (restHost !== undefined && appKey === undefined) {
    throw new TokenError('ERR_MISSING_ARGUMENT', 'AGORA_CHAT_REST_HOST is set but AGORA_CHAT_APP_KEY (org#app) is not');
  }
  const chat = restHost !== undefined && appKey !== undefined ? { chat: { appKey, restHost } } : {};
  if (appId !== undefined && appCertificate !== undefined) return { appId, appCertificate, ...chat };
  if (appId !== undefined || appCertificate !== undefined) {
    throw new TokenError(
      'ERR_MISSING_ARGUMENT',
      `${appId === undefined ? 'AGORA_APP_ID' : 'AGORA_APP_CERTIFICATE'} is not set while ${appId === undefined ? 'AGORA_APP_CERTIFICATE' : 'AGORA_APP_ID'} is`,
    );
  }
  if (options.allowDemo !== true) {
    throw new TokenError('ERR_MISSING_ARGUMENT', 'AGORA_APP_ID and AGORA_APP_CERTIFICATE are not set');
  }
  return { appId: randomHex(16), appCertificate: randomHex(16), demo: true, ...chat };
}
