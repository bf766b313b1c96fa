/**
 * A fake Agora Chat REST API on loopback, for the token server's tests: it checks the Bearer
 * app token with verifyToken and the app certificate, keeps users with the real API's GET/POST
 * semantics (404 for an unknown user, 400 duplicate_unique_property_exists for a taken name)
 * and injects faults on request: a delay past the client's timeout, 500, 429, 401, garbage.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { TokenError, verifyToken } from '../../src/index';

export interface FakeUser {
  readonly username: string;
  readonly uuid: string;
}

/** One injected fault, applied to the next `times` matching requests before anything else. */
export interface Fault {
  readonly times: number;
  /** Only requests with this method (default: any). */
  readonly method?: 'GET' | 'POST';
  /** Wait this long first (a delay past the client's timeout is a timeout). */
  readonly delayMs?: number;
  /** Answer with this status (omitted with delayMs: answer normally after the delay). */
  readonly status?: number;
  readonly retryAfter?: string;
  /** Raw body to send instead of a JSON error. */
  readonly body?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The Bearer token sent. */
  readonly token: string | undefined;
  readonly body: unknown;
  status?: number;
}

export interface FakeChatRest {
  /** `http://127.0.0.1:port` */
  readonly url: string;
  readonly org: string;
  readonly app: string;
  readonly users: Map<string, FakeUser>;
  readonly requests: RecordedRequest[];
  /** Queue a fault. */
  inject(fault: Fault): void;
  /** Drop every queued fault. */
  clearFaults(): void;
  /** The next registration of `username` loses a race: another server registers it first. */
  raceNextRegistration(username: string): void;
  close(): Promise<void>;
}

export interface FakeChatRestOptions {
  readonly appId: string;
  readonly appCertificate: string;
  readonly org?: string;
  readonly app?: string;
  /** The clock (Unix seconds) the Bearer token is checked against; default the real one. */
  readonly now?: () => number;
  /** Delay every answer (to let concurrent requests overlap). */
  readonly latencyMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function entity(user: FakeUser) {
  return { uuid: user.uuid, type: 'user', created: 1700000000000, modified: 1700000000000, username: user.username, activated: true };
}

export async function startFakeChatRest(options: FakeChatRestOptions): Promise<FakeChatRest> {
  const org = options.org ?? '611000000';
  const app = options.app ?? 'tokendemo';
  const users = new Map<string, FakeUser>();
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const races = new Set<string>();

  function takeFault(method: string): Fault | undefined {
    const index = faults.findIndex((f) => f.times > 0 && (f.method === undefined || f.method === method));
    if (index < 0) return undefined;
    const fault = faults[index];
    faults[index] = { ...fault, times: fault.times - 1 };
    return fault;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    const record: RecordedRequest = { method: req.method ?? '?', path: url.pathname, token, body };
    requests.push(record);
    const answer = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      send(res, status, value, headers);
    };

    const fault = takeFault(record.method);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.status !== undefined) {
      const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      return answer(fault.status, fault.body ?? { error: fault.status === 401 ? 'unauthorized' : 'server_error', error_description: 'injected fault' }, headers);
    }
    if (options.latencyMs) await sleep(options.latencyMs);

    try {
      if (token === undefined) throw new TokenError('ERR_MISSING_ARGUMENT', 'no bearer token');
      verifyToken(token, options.appCertificate, {
        appId: options.appId, service: 'chat', privilege: 'app', now: options.now?.(),
      });
    } catch (error) {
      return answer(401, { error: 'unauthorized', error_description: `Unable to authenticate (${(error as TokenError).code})` });
    }

    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    if (parts[0] !== org || parts[1] !== app || parts[2] !== 'users') {
      return answer(404, { error: 'organization_application_not_found', error_description: `Could not find application for ${parts[0]}/${parts[1]}` });
    }
    if (req.method === 'GET' && parts.length === 4) {
      const user = users.get(parts[3].toLowerCase());
      if (!user) return answer(404, { error: 'service_resource_not_found', error_description: 'Service resource not found' });
      return answer(200, { action: 'get', application: app, entities: [entity(user)], count: 1 });
    }
    if (req.method === 'POST' && parts.length === 3) {
      // As Agora documents it: an object registers one user (a taken name: 400
      // duplicate_unique_property_exists); an array is the batch form (a taken name: 200, no
      // entity, the reason in data[]).
      const batch = Array.isArray(body);
      const item = (batch ? body[0] : body) as { username?: unknown; password?: unknown } | undefined;
      if (typeof item?.username !== 'string' || typeof item.password !== 'string' || item.password.length === 0) {
        return answer(400, { error: 'illegal_argument', error_description: 'username and password are required' });
      }
      const username = item.username.toLowerCase();
      if (races.delete(username)) users.set(username, { username, uuid: randomUUID() });
      if (users.has(username)) {
        if (batch) {
          return answer(200, { action: 'post', application: app, entities: [], data: [{ username, registerUserFailReason: `the ${username} already exists` }] });
        }
        return answer(400, {
          error: 'duplicate_unique_property_exists',
          error_description: `Application null Entity user requires that property named username be unique, value of ${username} exists`,
        });
      }
      const user = { username, uuid: randomUUID() };
      users.set(username, user);
      return answer(200, { action: 'post', application: app, entities: [entity(user)] });
    }
    return answer(405, { error: 'method_not_allowed', error_description: 'no such operation' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => send(res, 500, { error: 'fake_crashed', error_description: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    org,
    app,
    users,
    requests,
    inject: (fault) => faults.push(fault),
    clearFaults: () => {
      faults.length = 0;
    },
    raceNextRegistration: (username) => races.add(username),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
