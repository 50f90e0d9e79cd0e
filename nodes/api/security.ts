/**
 * What stands between the network and the product's HTTP API, before any route:
 * - a Host header check (a page that rebinds its own DNS name to 127.0.0.1 sends its own name);
 * - state-changing requests and preflights from another site (Origin, Sec-Fetch-Site) refused;
 * - no `Access-Control-Allow-Origin: *`: Node-RED's editor API always sends it, from a CORS
 *   handler that runs before any settings hook, so the only place to stop it is the server's
 *   request event;
 * - an access token in the query string refused (URLs end up in proxy logs, browser history and
 *   Referer headers; Node-RED would accept `?access_token=`): tokens go in the Authorization header;
 * - WebSocket handshakes (the editor's comms, the dashboard's socket) checked the same way;
 * - errors as JSON without stack or path, and a JSON 404 under the package's prefixes.
 */
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { Duplex } from 'stream';
import os from 'os';
import type { NextFunction, Request, Response } from 'express';

/** The paths the package serves on Node-RED's admin server (below httpAdminRoot). */
export const PACKAGE_PREFIXES = ['/api', '/metrics', '/rpa-vision'];

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

export interface Refusal {
  status: number;
  error: string;
  message: string;
}

/** A host name as it appears in a Host header: lower case, no port, no IPv6 brackets. */
function bareHost(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const colon = h.indexOf(':');
  return colon >= 0 && colon === h.lastIndexOf(':') ? h.slice(0, colon) : h;
}

export function isWildcardHost(host: string | undefined): boolean {
  return !host || host === '0.0.0.0' || host === '::' || host === '[::]';
}

export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const h = bareHost(host);
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * The names a browser may put in the Host header to reach this server: the loopback names,
 * the listening address, and when listening on every interface, this machine's name and
 * addresses; plus names given in settings (a DNS name, a reverse proxy).
 */
export function allowedHosts(listenHost: string | undefined, extra: readonly string[] = []): Set<string> {
  const hosts = new Set([...LOOPBACK_NAMES, ...extra.map(bareHost).filter(Boolean)]);
  if (!isWildcardHost(listenHost)) hosts.add(bareHost(listenHost!));
  else {
    hosts.add(os.hostname().toLowerCase());
    for (const list of Object.values(os.networkInterfaces()))
      for (const a of list ?? []) hosts.add(a.address.toLowerCase());
  }
  return hosts;
}

/**
 * Why a request must be refused before it reaches a route, or undefined. `crossSiteMatters`
 * is true for a WebSocket handshake, which a page of any site may open.
 */
export function refusalOf(
  req: IncomingMessage,
  hosts: ReadonlySet<string>,
  crossSiteMatters = STATE_CHANGING.has(req.method ?? 'GET') || req.method === 'OPTIONS',
): Refusal | undefined {
  const host = req.headers.host;
  if (host && !hosts.has(bareHost(host)))
    return {
      status: 403,
      error: 'ForbiddenHost',
      message: `requests addressed to "${bareHost(host)}" are refused (a DNS rebinding guard); add the name to RPA_VISION_ALLOWED_HOSTS to serve it`,
    };
  if (tokenInQuery(req.url))
    return {
      status: 400,
      error: 'TokenInQuery',
      message:
        'an access token in the URL is refused (URLs are kept in logs and browser history); send it in the Authorization header: "Authorization: Bearer <token>"',
    };
  if (!crossSiteMatters) return undefined;
  const origin = req.headers.origin;
  let crossSite = req.headers['sec-fetch-site'] === 'cross-site';
  if (origin !== undefined) {
    try {
      crossSite ||= origin === 'null' || new URL(origin).host.toLowerCase() !== (host ?? '').toLowerCase();
    } catch {
      crossSite = true;
    }
  }
  return crossSite
    ? {
        status: 403,
        error: 'CrossSiteRequest',
        message: `${req.method} from another site (${origin ?? 'unknown origin'}) is refused; use the editor, the dashboard or a client that sends no Origin header`,
      }
    : undefined;
}

function tokenInQuery(url: string | undefined): boolean {
  const q = url?.indexOf('?') ?? -1;
  return q >= 0 && new URLSearchParams(url!.slice(q + 1)).has('access_token');
}

export function sendRefusal(res: ServerResponse, refusal: Refusal): void {
  res.writeHead(refusal.status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ error: refusal.error, message: refusal.message }));
}

/** Keeps a wildcard Access-Control-Allow-Origin out of a response; a named origin set in settings stays. */
function withoutWildcardCors(res: ServerResponse): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = ((name: string, value: number | string | readonly string[]) =>
    name.toLowerCase() === 'access-control-allow-origin' && value === '*'
      ? res
      : setHeader(name, value)) as ServerResponse['setHeader'];
}

export interface FrontDoorOptions {
  hosts: ReadonlySet<string>;
  /** Guard only URLs under these prefixes; undefined guards every URL. */
  prefixes?: readonly string[];
}

function underPrefix(url: string, prefixes: readonly string[]): boolean {
  const path = url.split('?')[0];
  return prefixes.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
}

/**
 * Puts the guard in front of the server's request and upgrade events, so that it runs before
 * every listener: Express, and those attached later (the editor's and the dashboard's sockets).
 */
export function guardServer(server: Server, options: FrontDoorOptions): void {
  const inScope = (req: IncomingMessage) => !options.prefixes || underPrefix(req.url ?? '/', options.prefixes);
  const emit = server.emit;
  server.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') {
      const [req, res] = args as [IncomingMessage, ServerResponse];
      if (inScope(req)) {
        const refusal = refusalOf(req, options.hosts);
        if (refusal) {
          sendRefusal(res, refusal);
          return true;
        }
        withoutWildcardCors(res);
      }
    } else if (event === 'upgrade') {
      const [req, socket] = args as [IncomingMessage, Duplex];
      const refusal = inScope(req) ? refusalOf(req, options.hosts, true) : undefined;
      if (refusal) {
        const body = JSON.stringify({ error: refusal.error, message: refusal.message });
        socket.end(
          `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
        return true;
      }
    }
    return (emit as (event: string | symbol, ...args: unknown[]) => boolean).apply(this, [event, ...args]);
  } as Server['emit'];
}

/**
 * An Express error handler answering JSON: the status of a client error with its message
 * (body-parser's say what is wrong with the body, never where the server is installed), and
 * for anything else a 500 that names no internals.
 */
export function jsonErrors(log: (message: string) => void) {
  return (
    err: Error & { status?: number; statusCode?: number; type?: string },
    req: Request,
    res: Response,
    next: NextFunction,
  ): void => {
    if (res.headersSent) return next(err);
    const code = err.status ?? err.statusCode;
    const status = typeof code === 'number' && code >= 400 && code < 600 ? code : 500;
    if (status >= 500) {
      log(`${req.method} ${req.path}: ${err.message}`);
      res.status(status).json({ error: 'InternalError', message: 'the server could not handle the request' });
      return;
    }
    res.status(status).json({
      error: status === 400 ? 'InvalidRequest' : status === 413 ? 'PayloadTooLarge' : 'Error',
      message: err.type === 'entity.parse.failed' ? `the request body is not valid JSON: ${err.message}` : err.message,
      field: 'body',
    });
  };
}

/** A JSON 404 for a path under the package's prefixes that no route serves. */
export function jsonNotFound(req: Request, res: Response): void {
  res
    .status(404)
    .json({ error: 'NotFound', message: `no route serves ${req.method} ${req.originalUrl.split('?')[0]}` });
}
