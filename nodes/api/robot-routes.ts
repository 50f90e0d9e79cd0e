/**
 * The robots' API (a broker must be configured, else 503 saying how):
 *   POST /api/jobs {workflow_id | chain_id, params?, labels?, priority?, idempotency_key?, mode?} → {job_id}
 *   GET /api/jobs?state=&limit=, GET /api/jobs/:id, POST /api/jobs/:id/cancel,
 *   POST /api/jobs/:id/retry {from_node?}, POST /api/jobs/:id/close {outcome, note?} (a person's
 *   decision on an in_doubt job), GET /api/robots.
 * Reading needs `read`; submitting, cancelling and deciding need `rpa.run`.
 */
import type { Request } from 'express';
import { checkJobCloseRequest, checkJobRetryRequest, checkJobSubmitRequest } from '../../lib/automation';
import { JOB_STATES, type JobState } from '../../lib/robots/job-records';
import { jobView, type JobOrchestrator } from '../../lib/robots/orchestrator';
import { runtimeOrchestrator } from '../shared/robots';
import { HttpError, type RouteModule } from './route';

const JOB_ID = /^job-[a-z0-9]+-[a-f0-9]{8}$/;

function idOf(req: Request): string {
  const id = String(req.params.id);
  if (!JOB_ID.test(id)) throw new HttpError(404, 'JobNotFound', `no job ${id}`);
  return id;
}

function bodyOf(req: Request): unknown {
  return req.body === undefined || req.body === null ? {} : req.body;
}

export const robotRoutes: RouteModule = (RED, api) => {
  const orchestrator = async (): Promise<JobOrchestrator> => {
    const o = runtimeOrchestrator(RED);
    if (!o)
      throw new HttpError(
        503,
        'BrokerNotConfigured',
        'robots need a broker: set RPA_VISION_BROKER=redis://HOST:PORT (or settings rpaVision.broker.url) and restart',
      );
    return o;
  };

  RED.httpAdmin.post(
    '/api/jobs',
    api.run,
    api.handle(async (req, res) => {
      const body = checkJobSubmitRequest(bodyOf(req));
      const { job_id, created } = await (await orchestrator()).submit(body);
      res.status(created ? 201 : 200);
      return { job_id, created };
    }),
  );
  RED.httpAdmin.get(
    '/api/jobs',
    api.read,
    api.handle(async (req) => {
      const state = req.query.state === undefined ? undefined : String(req.query.state);
      if (state !== undefined && !JOB_STATES.includes(state as JobState))
        throw new HttpError(400, 'InvalidRequest', `state must be one of ${JOB_STATES.join(', ')}, got "${state}"`, {
          field: 'state',
        });
      const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new HttpError(400, 'InvalidRequest', 'limit must be an integer from 1 to 1000', { field: 'limit' });
      return (await (await orchestrator()).list(state as JobState | undefined, limit)).map(jobView);
    }),
  );
  RED.httpAdmin.get(
    '/api/jobs/:id',
    api.read,
    api.handle(async (req) => jobView(await (await orchestrator()).get(idOf(req)))),
  );
  RED.httpAdmin.post(
    '/api/jobs/:id/cancel',
    api.run,
    api.handle(async (req) => jobView(await (await orchestrator()).cancel(idOf(req)))),
  );
  RED.httpAdmin.post(
    '/api/jobs/:id/retry',
    api.run,
    api.handle(async (req) => {
      const body = checkJobRetryRequest(bodyOf(req));
      return jobView(await (await orchestrator()).retry(idOf(req), body.from_node));
    }),
  );
  RED.httpAdmin.post(
    '/api/jobs/:id/close',
    api.run,
    api.handle(async (req) => {
      const body = checkJobCloseRequest(bodyOf(req));
      return jobView(await (await orchestrator()).close(idOf(req), body.outcome, body.note));
    }),
  );
  RED.httpAdmin.get(
    '/api/robots',
    api.read,
    api.handle(async () => (await orchestrator()).robots()),
  );
};
