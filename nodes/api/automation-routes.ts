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
import { LEARNING_STATES, type LearningState, type Workflow } from '../../lib/contracts/workflow';
import { SECRET_MASK, secretParameterNames } from '../../lib/contracts/secrets';
import { LearningTransitionError, WorkflowGraphError } from '../../lib/graph/errors';
import { setChoiceRule } from '../../lib/graph/choice-rules';
import { compareFreshness } from '../../lib/automation/workflow-repository';
import { admitImported, changeLearningState } from '../../lib/graph/learning-state';
import { safetyRulesOf } from '../../lib/graph/safety';
import { runtimeAutomation } from '../shared/automation';
import { actorOf, auditAction, runtimeAudit } from '../shared/audit';
import { HttpError, type RouteModule } from './route';

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

/**
 * Whether the request's user may approve learning states: an admin ("*") or a user with the
 * `rpa.approve` permission. Without adminAuth Node-RED lets everyone do everything, and so does this.
 */
function mayApprove(req: Request): boolean {
  const info = (req as Request & { authInfo?: { scope?: string | string[] } }).authInfo;
  if (!info) return !(req as Request & { user?: unknown }).user;
  const scopes = ([] as string[]).concat(info.scope ?? []);
  return scopes.includes('*') || scopes.includes('rpa.approve');
}

/**
 * A workflow (or its summary) as the API shows it: the default value of a secret parameter is
 * "••••". The file keeps it for the runs; a caller that needs it gives it at run time.
 */
function withoutSecretDefaults<T extends { parameters?: Array<{ name: string; default?: unknown; secret?: boolean }> }>(
  workflow: T,
): T {
  const secret = secretParameterNames(workflow);
  if (!workflow.parameters?.some((p) => p.default && secret.has(p.name))) return workflow;
  return {
    ...workflow,
    parameters: workflow.parameters.map((p) => (p.default && secret.has(p.name) ? { ...p, default: SECRET_MASK } : p)),
  };
}

/** The safety rules an imported workflow will run under, for the person who reviews it. */
function safetyReview(workflow: Workflow) {
  const rules = safetyRulesOf(workflow);
  return {
    forbidden_text_clicks: rules.forbidden_text_clicks,
    allowed_text_clicks: rules.allowed_text_clicks ?? [],
    forbidden_roles: rules.forbidden_roles,
    require_confirmation_for: rules.require_confirmation_for,
    ...(rules.max_amount_without_manual_check !== undefined
      ? { max_amount_without_manual_check: rules.max_amount_without_manual_check }
      : {}),
  };
}

export const automationRoutes: RouteModule = (RED: NodeAPI, api) => {
  const app = RED.httpAdmin;
  const auto = () => runtimeAutomation(RED);
  const { handle, read, run, approve, write } = api;
  const audit = (
    req: Request,
    action: string,
    object: string,
    extra: { before?: unknown; after?: unknown; detail?: string } = {},
  ) => auditAction(RED, req, { action, object, ...extra });
  /** The workflow document, or undefined when there is none (for a before-digest). */
  const currentWorkflow = async (id: string): Promise<Workflow | undefined> => {
    try {
      return (await auto()).workflows.get(id);
    } catch {
      return undefined;
    }
  };

  // The audit trail listens to the runtime (runs, fires, scheduler, logins) from the start.
  runtimeAudit(RED);
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
      return { workflows: workflows.map(withoutSecretDefaults), count: workflows.length, invalid };
    }),
  );
  app.get(
    '/api/workflows/:id',
    read,
    handle(async (req) => withoutSecretDefaults((await auto()).workflows.get(idOf(req)))),
  );
  app.post(
    '/api/workflows',
    write,
    handle(async (req, res) => {
      const a = await auto();
      const wantsApproval = req.query.approve === 'true';
      if (wantsApproval && !mayApprove(req))
        throw new HttpError(
          403,
          'Forbidden',
          'approving a learning state needs the rpa.approve permission or an admin',
        );
      // Validated first, so that the learning state is admitted on a well-formed workflow.
      const document = a.workflows.validate(req.body);
      const id = document.workflow_id;
      const before = req.query.replace === 'true' ? await currentWorkflow(id) : undefined;
      const admission = admitImported(document, wantsApproval ? { approvedBy: actorOf(req) } : {});
      const summary = await a.importWorkflow(document, { replace: req.query.replace === 'true' });
      audit(req, before ? 'workflow.replace' : 'workflow.import', `workflow:${id}`, {
        before,
        after: document,
        detail:
          admission.claimed === admission.state
            ? `learning state ${admission.state}${admission.approved_by ? ', approved' : ''}`
            : `learning state ${admission.claimed} lowered to ${admission.state}; needs approval`,
      });
      res.status(201).json({
        ...withoutSecretDefaults(summary),
        learning: {
          state: admission.state,
          claimed: admission.claimed,
          approval_required: admission.claimed !== admission.state,
          ...(admission.approved_by ? { approved_by: admission.approved_by } : {}),
        },
        safety_rules: safetyReview(document),
      });
    }),
  );
  // A person sets which of several similar items a step acts on (the CLI's `learn --rule`), from
  // the workflow config's edit dialog. The rule goes on the further-along copy: the live one when
  // it exists (so no run counts are lost), else the graph the editor holds (not deployed yet).
  app.post(
    '/api/workflows/:id/choice-rule',
    write,
    handle(async (req) => {
      const a = await auto();
      const body = bodyOf(req) as { edge?: unknown; policy?: unknown; graph?: unknown };
      if (typeof body.edge !== 'string' || !body.edge.trim()) throw new InvalidRequest('edge', 'name the step');
      if (typeof body.policy !== 'string' || !body.policy.trim())
        throw new InvalidRequest('policy', 'give the rule, e.g. status:À valider, row_with:{{name}}, first');
      const given = body.graph === undefined ? undefined : a.workflows.validate(body.graph);
      if (given && given.workflow_id !== idOf(req))
        throw new InvalidRequest('graph', `is the workflow ${given.workflow_id}, not ${idOf(req)}`);
      const live = given ? await currentWorkflow(idOf(req)) : a.workflows.get(idOf(req));
      const workflow = structuredClone(live && (!given || compareFreshness(live, given) >= 0) ? live : given!);
      const before = structuredClone(workflow);
      try {
        setChoiceRule(workflow, body.edge.trim(), body.policy);
      } catch (err) {
        if (err instanceof WorkflowGraphError) throw new InvalidRequest('policy', err.message);
        throw err;
      }
      if (live) a.workflows.import(workflow, { replace: true });
      audit(req, 'workflow.rule', `workflow:${workflow.workflow_id}`, {
        before,
        after: workflow,
        detail: `${body.edge.trim()}: ${body.policy.trim()}`,
      });
      return { workflow_id: workflow.workflow_id, saved: !!live, workflow: withoutSecretDefaults(workflow) };
    }),
  );
  app.post(
    '/api/workflows/:id/learning-state',
    approve,
    handle(async (req) => {
      const a = await auto();
      const body = bodyOf(req) as { state?: unknown; reason?: unknown };
      if (typeof body.state !== 'string' || !LEARNING_STATES.includes(body.state as LearningState))
        throw new InvalidRequest('state', `must be one of ${LEARNING_STATES.join(', ')}`);
      if (typeof body.reason !== 'string' || !body.reason.trim())
        throw new InvalidRequest('reason', 'say why the state changes (it goes into the history and the audit log)');
      const workflow = a.workflows.get(idOf(req));
      const before = structuredClone(workflow);
      let from: LearningState;
      try {
        from = changeLearningState(workflow, body.state as LearningState, {
          by: actorOf(req),
          reason: body.reason.trim(),
        });
      } catch (err) {
        if (err instanceof LearningTransitionError)
          throw new HttpError(409, err.name, err.message, { unmet: err.unmet });
        throw err;
      }
      a.workflows.import(workflow, { replace: true });
      const to = workflow.learning!.state;
      const promoted = LEARNING_STATES.indexOf(to) > LEARNING_STATES.indexOf(from);
      audit(req, promoted ? 'workflow.promote' : 'workflow.demote', `workflow:${workflow.workflow_id}`, {
        before,
        after: workflow,
        detail: `${from} → ${to}: ${body.reason.trim()}`,
      });
      return { workflow_id: workflow.workflow_id, from, to, learning: workflow.learning };
    }),
  );
  app.delete(
    '/api/workflows/:id',
    write,
    handle(async (req) => {
      const before = await currentWorkflow(idOf(req));
      await (await auto()).deleteWorkflow(idOf(req));
      audit(req, 'workflow.delete', `workflow:${idOf(req)}`, { before });
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
      const chain = await (await auto()).createChain(bodyOf(req) as CreateChainInput);
      audit(req, 'chain.create', `chain:${chain.chain_id}`, { after: chain });
      res.status(201).json(chain);
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
      const a = await auto();
      const before = await a.chains.get(idOf(req)).catch(() => undefined);
      await a.deleteChain(idOf(req));
      audit(req, 'chain.delete', `chain:${idOf(req)}`, { before });
      return { deleted: idOf(req) };
    }),
  );
  app.post(
    '/api/chains/:id/execute',
    run,
    handle(async (req, res) => {
      const { params, priority } = checkChainExecuteRequest(bodyOf(req));
      const a = await auto();
      await a.chains.get(idOf(req)); // an unknown chain is a 404, not an audited request
      audit(req, 'chain.execute', `chain:${idOf(req)}`);
      return a.executeChain(idOf(req), {
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
      const trigger = await (await auto()).createTrigger(body);
      audit(req, 'trigger.create', `trigger:${trigger.trigger_id}`, { after: trigger });
      res.status(201).json(trigger);
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
      const a = await auto();
      const before = await a.triggers.get(idOf(req)).catch(() => undefined);
      await a.deleteTrigger(idOf(req));
      audit(req, 'trigger.delete', `trigger:${idOf(req)}`, { before });
      return { deleted: idOf(req) };
    }),
  );
  app.post(
    '/api/triggers/:id/toggle',
    write,
    handle(async (req) => {
      const a = await auto();
      const before = await a.triggers.get(idOf(req)).catch(() => undefined);
      const after = await a.toggleTrigger(idOf(req), checkTriggerToggleRequest(bodyOf(req)).enabled);
      audit(req, after.enabled ? 'trigger.enable' : 'trigger.disable', `trigger:${idOf(req)}`, { before, after });
      return after;
    }),
  );
  app.post(
    '/api/triggers/:id/fire',
    run,
    handle(async (req, res) => {
      const fired = await (
        await auto()
      ).scheduler.fireNow(idOf(req), checkTriggerFireRequest(bodyOf(req)).params ?? {});
      audit(req, 'trigger.fire', `trigger:${idOf(req)}`, fired.job_id ? { detail: `job ${fired.job_id}` } : {});
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
    handle(async (req) => {
      const status = await (await auto()).scheduler.start();
      audit(req, 'scheduler.start', 'scheduler');
      return status;
    }),
  );
  app.post(
    '/api/automation/stop',
    run,
    handle(async (req) => {
      const status = await (await auto()).scheduler.stop();
      audit(req, 'scheduler.stop', 'scheduler');
      return status;
    }),
  );
};
