/**
 * What the dashboard's Workflows and Runs pages (flows/workflows.json) read and do:
 *   POST /api/workflows/:id/execute                   {"params"}: run it through the desktop queue;
 *                                                     202 at once, or the result with ?wait=true
 *   GET  /rpa-vision/dashboard/workflows              each workflow: learning state, history with who,
 *                                                     when and why, success rate, last run, parameters
 *   GET  /rpa-vision/dashboard/workflows/:id/export   the WF.json as a download (secret defaults left out)
 *   GET  /rpa-vision/dashboard/runs                   running executions (step k/n) and the recent ones,
 *                                                     with their failure point and step screenshots
 *   GET  /rpa-vision/dashboard/runs/:id/screenshots/:file   one screenshot of a run
 * Approving and demoting go through POST /api/workflows/:id/learning-state (automation-routes.ts).
 */
import fs from 'fs';
import path from 'path';
import type { NodeAPI } from 'node-red';
import type { Request, Response } from 'express';
import { checkParams } from '../../lib/automation';
import type { JobResult } from '../../lib/automation/scheduler';
import type { Workflow } from '../../lib/contracts/workflow';
import { maskSecrets, secretParameterNames } from '../../lib/contracts/secrets';
import { unmetRequirements, learningOf } from '../../lib/graph/learning-state';
import { SCREENSHOTS_FOLDER } from '../../lib/execute/executor';
import { readDataFile } from '../../lib/contracts/sealed-files';
import { runtimeAutomation } from '../shared/automation';
import { runtimeMonitoring } from '../shared/monitoring';
import { auditAction } from '../shared/audit';
import { dataDir } from '../shared/runtime';
import { HttpError, type RouteModule } from './route';

const PREFIX = '/rpa-vision/dashboard';
const RECENT_RUNS = 30;

/**
 * Runs a workflow as a person asked from the dashboard or the API: audited, then through the
 * automation's desktop queue (one run at a time on this desktop, the desktop lease with other
 * processes), the same path as triggers and chains.
 */
export async function runRequested(
  RED: NodeAPI,
  req: Request,
  workflowId: string,
  params: Record<string, unknown>,
  options: { signal?: AbortSignal; detail?: string } = {},
): Promise<JobResult> {
  const a = await runtimeAutomation(RED);
  const workflow = a.workflows.get(workflowId); // an unknown workflow is a 404 before the audit
  auditAction(RED, req, {
    action: 'workflow.execute',
    object: `workflow:${workflowId}`,
    detail: options.detail ?? `parameters ${JSON.stringify(maskSecrets(params, secretParameterNames(workflow)))}`,
  });
  return a.runWorkflow(workflowId, { params, signal: options.signal });
}

/** Who made a learning change, read from its reason (the learning rules write "approved by X", "demoted by X"). */
function actorOfChange(reason: string): string | null {
  return /\b(?:approved|demoted) by (\S+?)(?:[:;,]|\s|$)/.exec(reason)?.[1] ?? null;
}

function parametersView(workflow: Workflow) {
  const secret = secretParameterNames(workflow);
  return (workflow.parameters ?? []).map((p) => ({
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    secret: secret.has(p.name),
    default: secret.has(p.name) ? '' : p.default,
  }));
}

/** A run's step screenshots, when the run kept them in the data directory's screenshots folder. */
function screenshotsOf(root: string, metadata: Record<string, unknown> | undefined): string[] {
  const dir = typeof metadata?.screenshots_dir === 'string' ? metadata.screenshots_dir : '';
  if (!dir || path.dirname(path.resolve(dir)) !== root) return [];
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort();
  } catch {
    return []; // pruned since
  }
}

export const workflowPageRoutes: RouteModule = (RED: NodeAPI, api) => {
  const app = RED.httpAdmin;
  const auto = () => runtimeAutomation(RED);
  const mon = () => runtimeMonitoring(RED);
  const screenshotsRoot = () => path.join(dataDir(RED), SCREENSHOTS_FOLDER);

  app.post(
    '/api/workflows/:id/execute',
    api.run,
    api.handle(async (req: Request, res: Response) => {
      const body = (req.body ?? {}) as { params?: unknown };
      const params = body.params === undefined ? {} : checkParams(body.params);
      const id = String(req.params.id);
      if (req.query.wait === 'true') {
        const controller = new AbortController();
        res.on('close', () => {
          if (!res.writableEnded) controller.abort();
        });
        return runRequested(RED, req, id, params, { signal: controller.signal });
      }
      (await auto()).workflows.get(id); // 404 now, not in the background
      runRequested(RED, req, id, params).catch((err: Error) =>
        RED.log.warn(`[rpa-vision api] the run of ${id} asked from the dashboard failed to start: ${err.message}`),
      );
      res.status(202).json({ workflow_id: id, queued: true });
    }),
  );

  app.get(
    `${PREFIX}/workflows`,
    api.read,
    api.handle(async () => {
      const a = await auto();
      const { workflows, invalid } = a.workflows.scan();
      const recent = await mon().analytics.executions({ limit: 1000, newestFirst: true });
      const live = mon().analytics.live_executions();
      return {
        invalid,
        workflows: workflows.map((summary) => {
          const workflow = a.workflows.get(summary.workflow_id);
          const learning = learningOf(workflow);
          const stats = workflow.stats!;
          const last = recent.find((r) => r.workflow_id === workflow.workflow_id);
          return {
            workflow_id: workflow.workflow_id,
            name: workflow.name,
            state: learning.state,
            next_state: learning.progression?.next_phase ?? null,
            unmet: unmetRequirements(workflow),
            history: (learning.history ?? []).map((h) => ({ ...h, by: actorOfChange(h.reason) })),
            runs: Number(stats.total_executions ?? 0),
            success_rate: Number(stats.total_executions ?? 0) > 0 ? Number(stats.success_rate_overall ?? 0) : null,
            last_run: last
              ? {
                  execution_id: last.execution_id,
                  status: last.status,
                  completed_at: last.completed_at,
                  ...(last.error_message ? { error: last.error_message } : {}),
                }
              : null,
            running: live.some((l) => l.workflow_id === workflow.workflow_id),
            parameters: parametersView(workflow),
          };
        }),
      };
    }),
  );

  app.get(
    `${PREFIX}/workflows/:id/export`,
    api.read,
    api.handle(async (req: Request, res: Response) => {
      const workflow = (await auto()).workflows.get(String(req.params.id));
      const secret = secretParameterNames(workflow);
      // Left out, not masked: a mask imported elsewhere would become the value typed.
      const exported = {
        ...workflow,
        parameters: workflow.parameters?.map((p) => (secret.has(p.name) ? { ...p, default: '' } : p)),
      };
      res
        .status(200)
        .set('Content-Disposition', `attachment; filename="${workflow.workflow_id}.json"`)
        .type('application/json')
        .send(JSON.stringify(exported, null, 2));
    }),
  );

  app.get(
    `${PREFIX}/runs`,
    api.read,
    api.handle(async () => {
      const root = screenshotsRoot();
      const recent = await mon().analytics.executions({ limit: RECENT_RUNS, newestFirst: true });
      return {
        live: mon().analytics.live_executions(),
        recent: maskSecrets(
          recent.map((r) => ({
            execution_id: r.execution_id,
            workflow_id: r.workflow_id,
            status: r.status,
            started_at: r.started_at,
            completed_at: r.completed_at,
            duration: r.duration,
            total_steps: r.total_steps ?? null,
            steps_completed: r.steps_completed,
            failed_at: r.failed_at ?? null,
            error: r.error_message ?? null,
            parameters: (r.metadata?.parameters as Record<string, unknown> | undefined) ?? {},
            screenshots: screenshotsOf(root, r.metadata),
          })),
        ),
      };
    }),
  );

  app.get(
    `${PREFIX}/runs/:id/screenshots/:file`,
    api.read,
    api.handle(async (req: Request, res: Response) => {
      const file = String(req.params.file);
      // The page shows the newest runs; older ones' screenshots are pruned anyway (executor.ts).
      const [record] = (await mon().analytics.executions({ newestFirst: true, limit: 200 })).filter(
        (r) => r.execution_id === String(req.params.id),
      );
      if (!record) throw new HttpError(404, 'NotFound', `no finished run has the id "${String(req.params.id)}"`);
      if (!screenshotsOf(screenshotsRoot(), record.metadata).includes(file))
        throw new HttpError(404, 'NotFound', `the run ${record.execution_id} has no screenshot "${file}"`);
      // Written sealed with the data key, like every data file: opened here for the browser.
      res.type('image/png').send(readDataFile(path.join(String(record.metadata!.screenshots_dir), file)));
    }),
  );
};
