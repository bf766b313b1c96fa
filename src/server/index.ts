/**
 * `agora-access-token2/server`: the app server of Agora Chat's token guide as one Web-standard
 * `fetch` handler (`Request` → `Response`), for Node, Bun, Deno and Cloudflare Workers.
 *
 * @packageDocumentation
 * @module agora-access-token2/server
 */

export { createTokenServer, type TokenServer, type TokenResponseBody } from './handler';
export type {
  TokenServerOptions, ChatRestOptions, CorsOptions, AuthorizeHook, AuthorizeContext, TokenRoute,
  TokenServerLogEntry,
} from './options';
export type { ServerErrorCode } from './http-error';
export { tokenServerOptionsFromEnv, type ServerEnv } from './env';
