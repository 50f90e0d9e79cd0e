/**
 * The product's login, wired into Node-RED through its settings:
 * - `loginGuard` (httpAdminMiddleware) checks POST /auth/token itself, with throttling per
 *   client, before Node-RED's limiter (which would lock the user name out for everyone) sees a
 *   failure; a body it cannot parse gets a JSON 400, not Node-RED's HTML stack trace;
 * - `DashboardGate` makes the dashboard ask for the same users' names and passwords (HTTP basic
 *   authentication, the browser's own login prompt) on its pages and on its socket.io
 *   connection, which no Express middleware sees; a user without `rpa.run` sees the dashboard
 *   but its clicks are dropped.
 */
import crypto from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import { createRequire } from 'module';
import { PERMISSIONS } from '../nodes/api/route';
import { LoginThrottle } from './login-throttle';
import { authenticate, hasPermission, type User } from './users';

type Next = (err?: unknown) => void;
type Req = IncomingMessage & { path?: string; body?: unknown; _body?: boolean };

const MAX_LOGIN_BODY = 64 * 1024;

/**
 * Node-RED's audit log, through the package that depends on it: a failure this guard answers
 * itself never reaches Node-RED's login, so the guard reports it with Node-RED's own event names
 * (the audit trail records those events).
 */
const nodeRedLog = (
  createRequire(require.resolve('node-red/package.json'))('@node-red/util') as {
    log: { audit(event: Record<string, unknown>): void };
  }
).log;

function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function clientAddress(req: IncomingMessage): string {
  return req.socket?.remoteAddress ?? 'unknown';
}

function tooMany(res: ServerResponse, waitMs: number): void {
  const s = Math.ceil(waitMs / 1000);
  sendJson(
    res,
    429,
    { error: 'too_many_attempts', error_description: `too many failed logins from this address; try again in ${s} s` },
    { 'Retry-After': String(s) },
  );
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_LOGIN_BODY) throw Object.assign(new Error('request entity too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseLoginBody(text: string, contentType: string): Record<string, unknown> {
  if (/json/i.test(contentType)) {
    const body = JSON.parse(text || '{}') as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new SyntaxError('expected a JSON object');
    return body as Record<string, unknown>;
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** httpAdminMiddleware for POST /auth/token; every other request passes. */
export function loginGuard(users: readonly User[], throttle: LoginThrottle) {
  return (req: Req, res: ServerResponse, next: Next): void => {
    if (!users.length || req.method !== 'POST' || req.path !== '/auth/token') return next();
    void (async () => {
      let body: Record<string, unknown>;
      try {
        body = parseLoginBody(await readBody(req), String(req.headers['content-type'] ?? ''));
      } catch (err) {
        // Formatted as JSON by the error handler of nodes/api, like any body Node-RED rejects.
        const status = (err as { status?: number }).status ?? 400;
        return next(Object.assign(err as Error, { status, type: status === 400 ? 'entity.parse.failed' : undefined }));
      }
      // Node-RED's body parsers skip a request whose body is already read.
      req.body = body;
      req._body = true;
      if (body.grant_type !== 'password') return next();
      const username = String(body.username ?? '');
      const address = clientAddress(req);
      const client = String(body.client_id ?? '');
      const wait = throttle.waitMs(address, username);
      if (wait > 0) {
        nodeRedLog.audit({ event: 'auth.login.fail.too-many-attempts', username, client });
        return tooMany(res, wait);
      }
      if (!(await authenticate(users, username, String(body.password ?? '')))) {
        throttle.failure(address, username);
        nodeRedLog.audit({ event: 'auth.login.fail.credentials', username, client });
        return sendJson(res, 403, { error: 'invalid_grant', error_description: 'wrong user name or password' });
      }
      throttle.success(address, username);
      next();
    })().catch(next);
  };
}

/** The user name and password of an `Authorization: Basic …` header. */
function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The socket.io socket as the dashboard's ioMiddleware receives it (the parts used here). */
interface DashboardSocket {
  request: IncomingMessage;
  handshake: { xdomain: boolean };
  client: { conn: { close(): void } };
  disconnect(close: boolean): void;
  use(fn: (packet: unknown[], next: (err?: Error) => void) => void): void;
}

const REMEMBER_MS = 10 * 60_000;

export class DashboardGate {
  /** bcrypt costs tens of milliseconds and a dashboard page loads dozens of files. */
  private readonly verified = new Map<string, { user: User; until: number }>();

  constructor(
    private readonly users: readonly User[],
    private readonly throttle: LoginThrottle,
  ) {}

  /** The authenticated user of a request, `wait` when throttled, nothing without valid credentials. */
  private async userOf(req: IncomingMessage): Promise<{ user?: User; waitMs?: number }> {
    const credentials = basicCredentials(req.headers.authorization);
    if (!credentials) return {};
    const key = crypto.createHash('sha256').update(req.headers.authorization!).digest('hex');
    const known = this.verified.get(key);
    if (known && known.until > Date.now()) return { user: known.user };
    const address = clientAddress(req);
    const waitMs = this.throttle.waitMs(address, credentials.username);
    if (waitMs > 0) return { waitMs };
    const user = await authenticate(this.users, credentials.username, credentials.password);
    if (!user) {
      this.throttle.failure(address, credentials.username);
      return {};
    }
    this.throttle.success(address, credentials.username);
    if (this.verified.size > 1000) this.verified.clear();
    this.verified.set(key, { user, until: Date.now() + REMEMBER_MS });
    return { user };
  }

  /** Express middleware for the dashboard's pages (settings.dashboard.middleware). */
  readonly http = (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    if (!this.users.length) return next();
    this.userOf(req)
      .then(({ user, waitMs }) => {
        if (waitMs) return tooMany(res, waitMs);
        if (!user)
          return sendJson(
            res,
            401,
            { error: 'Unauthorized', message: 'log in with your RPA Vision user name and password' },
            { 'WWW-Authenticate': 'Basic realm="RPA Vision", charset="UTF-8"' },
          );
        if (!hasPermission(user.permissions, PERMISSIONS.read))
          return sendJson(res, 403, { error: 'Forbidden', message: `${user.username} may not read the dashboard` });
        next();
      })
      .catch(next);
  };

  /** socket.io middleware of the dashboard's connection (settings.dashboard.ioMiddleware). */
  readonly socket = (socket: DashboardSocket, next: (err?: Error) => void): void => {
    const req = socket.request;
    // What the dashboard's own middleware, which this one replaces, refuses.
    if ((req.url ?? '').includes('transport=websocket')) return socket.client.conn.close();
    if (socket.handshake.xdomain) return socket.disconnect(true);
    if (!this.users.length) return next();
    this.userOf(req)
      .then(({ user, waitMs }) => {
        if (waitMs) return next(new Error('too many failed logins from this address'));
        if (!user) return next(new Error('log in to the dashboard first'));
        if (!hasPermission(user.permissions, PERMISSIONS.read)) return next(new Error('not allowed'));
        // Reading widgets' state is all a user without rpa.run may do; other events are dropped.
        if (!hasPermission(user.permissions, PERMISSIONS.run))
          socket.use((packet, nextPacket) => {
            if (packet[0] === 'widget-load') nextPacket();
          });
        next();
      })
      .catch((err: Error) => next(err));
  };
}
