/**
 * The batch quick action (seed orchestration-interface.md), under the quick actions' prefix:
 *   POST /rpa-vision/quick-actions/batch             {"workflow_id", "folder" | "csv", "parameter"?}
 *   GET  /rpa-vision/quick-actions/batch             the batches of this Node-RED, newest first
 *   GET  /rpa-vision/quick-actions/batch/:id         progress: done/total/failed and each run
 *   POST /rpa-vision/quick-actions/batch/:id/cancel  cancels the run in progress and those not started
 * One run at a time, through the desktop queue (workflow-page-routes.ts runRequested). Batches
 * are kept in memory: a restart of Node-RED forgets them (and stops the runs not yet started).
 */
import type { NodeAPI } from 'node-red';
import type { Request } from 'express';
import { Batch, csvItems, fileParameter, folderItems, type BatchWorkflow } from '../../lib/automation/batch';
import { InvalidRequest, WorkflowNotFound } from '../../lib/automation/errors';
import { secretParameterNames } from '../../lib/contracts/secrets';
import { runtimeAutomation } from '../shared/automation';
import { runRequested } from './workflow-page-routes';
import { HttpError, type RouteModule } from './route';

const PREFIX = '/rpa-vision/quick-actions/batch';
/** Finished batches kept for the page; the oldest go first. */
const KEPT = 20;

export const batchRoutes: RouteModule = (RED: NodeAPI, api) => {
  const app = RED.httpAdmin;
  const batches = new Map<string, Batch>();

  const batchOf = (req: Request): Batch => {
    const batch = batches.get(String(req.params.id));
    if (!batch) throw new HttpError(404, 'NotFound', `no batch has the id "${String(req.params.id)}"`);
    return batch;
  };

  app.post(
    PREFIX,
    api.run,
    api.handle(async (req, res) => {
      const body = (req.body ?? {}) as { workflow_id?: unknown; folder?: unknown; csv?: unknown; parameter?: unknown };
      if (typeof body.workflow_id !== 'string' || !body.workflow_id)
        throw new InvalidRequest('workflow_id', 'must name the workflow to run');
      const a = await runtimeAutomation(RED);
      let workflow;
      try {
        workflow = a.workflows.get(body.workflow_id);
      } catch (err) {
        // In a batch form the workflow is one of the fields: a bad one is a bad request.
        if (err instanceof WorkflowNotFound)
          throw new InvalidRequest('workflow_id', `"${body.workflow_id}" is not a workflow of the data directory`);
        throw err;
      }
      if ((body.folder === undefined) === (body.csv === undefined))
        throw new InvalidRequest('folder', 'give either a folder (one run per file) or a csv (one run per row)');
      const target: BatchWorkflow = {
        workflow_id: workflow.workflow_id,
        parameters: (workflow.parameters ?? []).map((p) => p.name),
        secret: secretParameterNames(workflow),
      };
      const items =
        body.folder !== undefined
          ? folderItems(body.folder, fileParameter(target, body.parameter), a.watchPolicy)
          : csvItems(body.csv, target, a.watchPolicy);
      const source = body.folder !== undefined ? `folder ${String(body.folder)}` : `csv ${String(body.csv)}`;
      const batch = new Batch(target, items, async (params, signal) => {
        const r = await runRequested(RED, req, target.workflow_id, params, { signal, detail: `batch over ${source}` });
        return { status: r.status, error: r.error, failed_at: r.failed_at };
      });
      batches.set(batch.batch_id, batch);
      for (const [id, b] of batches) if (batches.size > KEPT && b.view().state !== 'running') batches.delete(id);
      void batch.finished.then(() => {
        const v = batch.view();
        RED.log.info(
          `[rpa-vision batch] ${v.batch_id} of ${v.workflow_id} ${v.state}: ${v.succeeded}/${v.total} succeeded`,
        );
      });
      res.status(202).json(batch.view());
    }),
  );

  app.get(
    PREFIX,
    api.read,
    api.handle(() => ({
      batches: [...batches.values()].reverse().map((b) => {
        const { items: _items, ...summary } = b.view();
        return summary;
      }),
    })),
  );

  app.get(
    `${PREFIX}/:id`,
    api.read,
    api.handle((req) => batchOf(req).view()),
  );

  app.post(
    `${PREFIX}/:id/cancel`,
    api.run,
    api.handle((req) => {
      const batch = batchOf(req);
      batch.cancel();
      return batch.view();
    }),
  );
};
