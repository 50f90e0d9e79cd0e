/**
 * Admin API of the automation layer, as admin-monitoring-design.md lists it:
 *   GET/POST /api/chains, POST /api/chains/:id/execute,
 *   GET/POST /api/triggers, POST /api/triggers/:id/toggle,
 *   GET /api/automation/status, POST /api/automation/start|stop,
 * plus GET/DELETE /api/chains/:id, GET/DELETE /api/triggers/:id, POST /api/triggers/:id/fire,
 * and the workflows known to the product: GET/POST /api/workflows, GET/DELETE /api/workflows/:id.
 * Ids are checked against the workflow-id pattern before any file or store access.
 */
import type { NodeAPI } from 'node-red';
import type { Request, Response } from 'express';
import {
  checkChainExecuteRequest,
  checkTriggerFireRequest,
  checkTriggerRequest,
  checkParams,
  checkTriggerToggleRequest,
  InvalidRequest,
  type CreateChainInput,
} from '../../lib/automation';
import { runtimeAutomation } from '../shared/automation';
import type { RouteModule } from './route';

/** The request's JSON body, {} when it has none; the schema of each route says what it may hold. */
function bodyOf(req: Request): unknown {
  const none =
    req.body === undefined ||
    req.body === null ||
    (typeof req.body === 'object' && Object.keys(req.body).length === 0 && !req.is('application/json'));
  return none ? {} : req.body;
}

/** The :id of the URL (Express 5 types allow arrays for wildcard params; ours are single segments). */
function idOf(req: Request): string {
  return String(req.params.id);
}

/** An AbortSignal that fires when the client goes away before the answer is sent. */
function clientGone(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableEnded) controller.abort();
  });
  return controller.signal;
}

export const automationRoutes: RouteModule = (RED: NodeAPI, api) => {
  const app = RED.httpAdmin;
  const auto = () => runtimeAutomation(RED);
  const { handle, read, run, write } = api;

  // The scheduler runs in the background with Node-RED, not on the first request.
  auto().catch((err) => RED.log.error(`[rpa-vision automation] cannot start: ${(err as Error).message}`));
  // Triggers of rpa-trigger nodes removed while Node-RED was down would otherwise fire forever.
  RED.events.on('flows:started', () => {
    auto()
      .then((a) => a.deleteOrphanNodeTriggers((id) => !!RED.nodes.getNode(id)))
      .catch((err) => RED.log.warn(`[rpa-vision automation] cleaning up node triggers: ${(err as Error).message}`));
  });

  // ——— workflows ———
  app.get(
    '/api/workflows',
    read,
    handle(async () => {
      const { workflows, invalid } = (await auto()).workflows.scan();
      return { workflows, count: workflows.length, invalid };
    }),
  );
  app.get(
    '/api/workflows/:id',
    read,
    handle(async (req) => (await auto()).workflows.get(idOf(req))),
  );
  app.post(
    '/api/workflows',
    write,
    handle(async (req, res) => {
      const summary = await (await auto()).importWorkflow(req.body, { replace: req.query.replace === 'true' });
      res.status(201).json(summary);
    }),
  );
  app.delete(
    '/api/workflows/:id',
    write,
    handle(async (req) => {
      await (await auto()).deleteWorkflow(idOf(req));
      return { deleted: idOf(req) };
    }),
  );

  // ——— chains ———
  app.get(
    '/api/chains',
    read,
    handle(async () => {
      const chains = await (await auto()).chains.list();
      return { chains, count: chains.length };
    }),
  );
  app.post(
    '/api/chains',
    write,
    handle(async (req, res) => {
      res.status(201).json(await (await auto()).createChain(bodyOf(req) as CreateChainInput));
    }),
  );
  app.get(
    '/api/chains/:id',
    read,
    handle(async (req) => (await auto()).chains.get(idOf(req))),
  );
  app.delete(
    '/api/chains/:id',
    write,
    handle(async (req) => {
      await (await auto()).deleteChain(idOf(req));
      return { deleted: idOf(req) };
    }),
  );
  app.post(
    '/api/chains/:id/execute',
    run,
    handle(async (req, res) => {
      const { params, priority } = checkChainExecuteRequest(bodyOf(req));
      return (await auto()).executeChain(idOf(req), {
        params: params === undefined ? undefined : checkParams(params),
        priority,
        signal: clientGone(res),
      });
    }),
  );

  // ——— triggers ———
  app.get(
    '/api/triggers',
    read,
    handle(async () => {
      const triggers = await (await auto()).listTriggers();
      return { triggers, count: triggers.length };
    }),
  );
  app.post(
    '/api/triggers',
    write,
    handle(async (req, res) => {
      const body = checkTriggerRequest(bodyOf(req));
      if (body.target_type === 'flow' || body.node_id !== undefined)
        throw new InvalidRequest(
          'target_type',
          'flow-only triggers are defined by rpa-trigger nodes, not through the API',
        );
      res.status(201).json(await (await auto()).createTrigger(body));
    }),
  );
  app.get(
    '/api/triggers/:id',
    read,
    handle(async (req) => {
      const a = await auto();
      return a.viewTrigger(await a.triggers.get(idOf(req)));
    }),
  );
  app.delete(
    '/api/triggers/:id',
    write,
    handle(async (req) => {
      await (await auto()).deleteTrigger(idOf(req));
      return { deleted: idOf(req) };
    }),
  );
  app.post(
    '/api/triggers/:id/toggle',
    write,
    handle(async (req) => (await auto()).toggleTrigger(idOf(req), checkTriggerToggleRequest(bodyOf(req)).enabled)),
  );
  app.post(
    '/api/triggers/:id/fire',
    run,
    handle(async (req, res) => {
      const fired = await (
        await auto()
      ).scheduler.fireNow(idOf(req), checkTriggerFireRequest(bodyOf(req)).params ?? {});
      res.status(202).json({ trigger_id: idOf(req), ...fired });
    }),
  );

  // ——— scheduler ———
  app.get(
    '/api/automation/status',
    read,
    handle(async () => (await auto()).scheduler.status()),
  );
  app.post(
    '/api/automation/start',
    run,
    handle(async () => (await auto()).scheduler.start()),
  );
  app.post(
    '/api/automation/stop',
    run,
    handle(async () => (await auto()).scheduler.stop()),
  );
};
