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
  createTokenServer, type TokenServer, type ClientInfo, type TokenResponseBody, type CommunityTokenBody,
} from './handler';
export { toNodeListener, type NodeListener, type NodeRequestLike, type NodeResponseLike } from './node-listener';
export type { Tokens } from './tokens';
export type {
  TokenServerOptions, ChatRestOptions, CorsOptions, AuthorizeHook, AuthorizeContext, TokenRoute, RtcUser,
  TokenServerLogEntry,
} from './options';
export type { ServerErrorCode } from './http-error';
export { tokenServerOptionsFromEnv, type ServerEnv } from './env';
export {
  createJwtAuth, type JwtAuth, type JwtAuthOptions, type AuthRule, type AuthRuleContext, type AuthVerdict, type TokenKind,
} from './auth/jwt';
export { parseRate, type Rate } from './rate-limit';
export {
  applyConnectionLimits, resolveConnectionLimits, DEFAULT_CONNECTION_LIMITS,
  type ConnectionLimits, type LimitedServer, type LimitedSocket,
} from './connection-limits';
// A value, not only a type: a refused AuthVerdict carries one, and `instanceof` needs the class.
export { HttpError } from './http-error';
