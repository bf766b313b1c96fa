/**
 * `agora-access-token2/server`: the app server of Agora Chat's token guide and of the community
 * token servers, as one Web-standard `fetch` handler (`Request` → `Response`) for Node, Bun,
 * Deno and Cloudflare Workers, and as a Node request listener for `node:http`, Express and
 * Fastify.
 *
 * @packageDocumentation
 * @module agora-access-token2/server
 */

export {
  createTokenServer, type TokenServer, type TokenResponseBody, type CommunityTokenBody,
} from './handler';
export { toNodeListener, type NodeListener, type NodeRequestLike, type NodeResponseLike } from './node-listener';
export type { Tokens } from './tokens';
export type {
  TokenServerOptions, ChatRestOptions, CorsOptions, AuthorizeHook, AuthorizeContext, TokenRoute, RtcUser,
  TokenServerLogEntry,
} from './options';
export type { ServerErrorCode } from './http-error';
export { tokenServerOptionsFromEnv, type ServerEnv } from './env';
