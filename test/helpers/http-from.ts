/** One HTTP request with node:http from a chosen loopback address (no keep-alive), for per-client tests. */
import { request as httpRequest } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/**
 * Sends `method path` to `url` from `localAddress` (any 127.x.y.z is a distinct client on
 * loopback) with `headers`; `fetch` cannot choose its source address, nor send TRACE.
 */
export function httpFrom(
  url: string, path: string, options: { method?: string; headers?: Record<string, string>; localAddress?: string } = {},
): Promise<HttpAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: hostname, port, path, method: options.method ?? 'GET', localAddress: options.localAddress ?? '127.0.0.1', agent: false,
      headers: options.headers,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
