import { TokenError } from '../index';
import { HttpError } from './http-error';
import type { CorsOptions } from './options';

/** Options of {@link createHostCheck}. */
export interface HostCheckOptions {
  /**
   * Host names (a port is ignored) this server answers to: `tokens.example.com`, or
   * `*.example.com` for every subdomain; `*` turns the check off (behind a proxy that checks).
   */
  readonly allowedHosts?: readonly string[];
  /** The server's CORS setting: the hosts of listed origins are allowed too. */
  readonly cors?: CorsOptions | false;
}

/**
 * Decides whether a request's `Host` names this server; `true` lets it through. A page served
 * from another name (DNS rebinding: `attacker.example` resolved to this server's address) is
 * refused even when the browser's CORS would let it read the answer.
 */
export type HostCheck = (host: string | null) => boolean;

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

function invalid(message: string): TokenError {
  return new TokenError('ERR_INVALID_ARGUMENT', message);
}

/**
 * The host name of a `Host` header, lower case, without port, brackets or a final dot;
 * `undefined` when it is not a host (empty, junk, a bad port).
 */
export function hostName(host: string): string | undefined {
  const match = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9._-]+))(?::(\d{1,5}))?$/i.exec(host.trim());
  if (!match) return undefined;
  if (match[3] !== undefined && Number(match[3]) > 65535) return undefined;
  const name = (match[1] ?? match[2]).toLowerCase().replace(/\.$/, '');
  if (match[1] !== undefined && !isIpv6(name)) return undefined;
  return name === '' ? undefined : name;
}

/** Whether a bracketed host is an IPv6 address (`[::::]` is not). */
function isIpv6(name: string): boolean {
  try {
    return new URL(`http://[${name}]/`).hostname !== '';
  } catch {
    return false;
  }
}

/** An IPv4 or IPv6 literal: a page on such a host is same-origin with the server, never a rebinding. */
function isIpLiteral(name: string): boolean {
  return name.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(name);
}

/**
 * Whether a bind address is loopback only: `serve` can warn when a public address is bound and
 * no host name is allowed (then only IP literals and loopback names get answers).
 */
export function isLoopback(bindHost: string): boolean {
  const name = hostName(bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost);
  return name !== undefined && (name === 'localhost' || name === '::1' || /^127\./.test(name));
}

function corsHosts(cors: CorsOptions | false | undefined): string[] {
  if (cors === undefined || cors === false || typeof cors.origin === 'function' || cors.origin === '*') return [];
  const origins = typeof cors.origin === 'string' ? [cors.origin] : cors.origin;
  return origins.flatMap((origin) => {
    try {
      return [new URL(origin).hostname]; // IPv6 keeps its brackets, as hostName expects
    } catch {
      return [];
    }
  });
}

/**
 * The Host allowlist: loopback names (`localhost`, `*.localhost`, `127.0.0.1`, `::1`) always; IP
 * literals always (a rebinding needs a name); the hosts of the CORS origins and of
 * `allowedHosts`. So by default a server bound to loopback answers to loopback names only, and
 * one bound to a public address answers to its address and to the names it is told.
 */
export function createHostCheck(options: HostCheckOptions): HostCheck {
  const exact = new Set<string>(LOOPBACK_NAMES);
  const suffixes = ['.localhost'];
  for (const entry of [...(options.allowedHosts ?? []), ...corsHosts(options.cors)]) {
    if (entry === '*') return () => true;
    const wildcard = entry.startsWith('*.');
    const name = hostName(wildcard ? entry.slice(2) : entry);
    if (name === undefined) throw invalid(`allowedHosts: ${JSON.stringify(entry.slice(0, 100))} is not a host name`);
    if (wildcard) suffixes.push(`.${name}`);
    else exact.add(name);
  }
  return (host) => {
    const name = host === null ? undefined : hostName(host);
    if (name === undefined) return false;
    return exact.has(name) || isIpLiteral(name) || suffixes.some((suffix) => name.endsWith(suffix));
  };
}

/**
 * Throws `421 host_not_allowed` when a request's `Host` is a name `check` does not allow. A
 * request without `Host` passes: only a browser can be rebound, and a browser always sends one.
 */
export function enforceHost(check: HostCheck, host: string | undefined): void {
  if (host === undefined || check(host)) return;
  const shown = host.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
  throw new HttpError(
    421, 'host_not_allowed',
    `this server does not answer to the host ${JSON.stringify(shown)}; add the name to allowedHosts (serve: --allowed-host)`,
  );
}
