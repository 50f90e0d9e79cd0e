import type { NodeAPI } from 'node-red';
import type { Request, Response, NextFunction, RequestHandler } from 'express';
import { storageFault } from '../../lib/contracts';

/** An HTTP error with a status code and a JSON body `{error, message, ...details}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Registers the routes of one area of the admin API (chains, triggers, logs, …). */
export type RouteModule = (RED: NodeAPI, api: ApiHelpers) => void;

export interface ApiHelpers {
  /** Wraps an async handler: JSON errors with the right status, never a stack trace. */
  handle(fn: (req: Request, res: Response) => Promise<unknown> | unknown): RequestHandler;
  /**
   * Node-RED's admin permission checks (pass-throughs when adminAuth is not configured), one
   * per role a user may be given: `read` (Node-RED's own read role includes rpa.read), `rpa.run`
   * runs chains, fires triggers and starts/stops the scheduler, `rpa.approve` answers a run's
   * questions, `rpa.write` creates, changes and deletes; `*` is all of them.
   */
  read: RequestHandler;
  run: RequestHandler;
  approve: RequestHandler;
  write: RequestHandler;
}

/** The permission each kind of route needs (see ApiHelpers). */
export const PERMISSIONS = {
  read: 'rpa.read',
  run: 'rpa.run',
  approve: 'rpa.approve',
  write: 'rpa.write',
} as const;

/** Node-RED's needsPermission(permission) middleware factory. */
export function needsPermission(RED: NodeAPI, permission: string): RequestHandler {
  return (RED as unknown as { auth: { needsPermission(p: string): RequestHandler } }).auth.needsPermission(permission);
}

export function apiHelpers(RED: NodeAPI): ApiHelpers {
  return {
    read: needsPermission(RED, PERMISSIONS.read),
    run: needsPermission(RED, PERMISSIONS.run),
    approve: needsPermission(RED, PERMISSIONS.approve),
    write: needsPermission(RED, PERMISSIONS.write),
    handle: (fn) => async (req: Request, res: Response, _next: NextFunction) => {
      try {
        const result = await fn(req, res);
        if (!res.headersSent && result !== undefined) res.json(result);
      } catch (caught) {
        // A full disk anywhere below (store, workflow file) is a 507 without the store's paths.
        const err = storageFault(caught, 'the change');
        const e = err as Error & {
          status?: number;
          code?: string;
          details?: Record<string, unknown>;
          /** The message without internal paths, when the error has one (e.g. the store is locked). */
          publicMessage?: string;
        };
        const status = err instanceof HttpError ? err.status : typeof e.status === 'number' ? e.status : 500;
        const code = err instanceof HttpError ? err.code : e.name || 'Error';
        if (status >= 500) RED.log.error(`[rpa-vision api] ${req.method} ${req.path}: ${e.message}`);
        if (!res.headersSent)
          res.status(status).json({
            error: code,
            message: e.publicMessage ?? e.message,
            ...(err instanceof HttpError ? err.details : (e.details ?? {})),
          });
      }
    },
  };
}
