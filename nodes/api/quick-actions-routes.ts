/**
 * Quick actions (seed orchestration-interface.md), under the package's prefix:
 *   GET  /rpa-vision/quick-actions/health        health score 0–100, checks and recommendations
 *   POST /rpa-vision/quick-actions/maintenance   {"backup_dir": "/abs/folder"}: consistent backup of
 *                                                the store and the data folder, then compaction
 *   POST /rpa-vision/quick-actions/smoke-test    display, vision and store, each proved in one go
 * The dashboard's "Quick actions" page (flows/quick-actions.json) calls them.
 */
import type { NodeAPI } from 'node-red';
import { HttpError, type RouteModule } from './route';
import { runtimeMonitoring } from '../shared/monitoring';
import { auditAction } from '../shared/audit';
import { dataDir, runtimeStore } from '../shared/runtime';
import { maintainStore, smokeTest } from '../../lib/monitoring/quick-actions';

const PREFIX = '/rpa-vision/quick-actions';

export const quickActionsRoutes: RouteModule = (RED: NodeAPI, api) => {
  const app = RED.httpAdmin;
  /** One maintenance at a time: two backups of one store would only compete for the disk. */
  let maintaining = false;

  app.get(
    `${PREFIX}/health`,
    api.read,
    api.handle(() => runtimeMonitoring(RED).health()),
  );

  app.post(
    `${PREFIX}/maintenance`,
    api.write,
    api.handle(async (req) => {
      const backupDir = (req.body as { backup_dir?: unknown } | undefined)?.backup_dir;
      if (typeof backupDir !== 'string' || !backupDir.startsWith('/'))
        throw new HttpError(
          400,
          'InvalidParameter',
          'backup_dir must be the absolute path of a folder to back up into',
        );
      if (maintaining) throw new HttpError(409, 'MaintenanceRunning', 'a store maintenance is already running');
      maintaining = true;
      try {
        await runtimeMonitoring(RED).flush();
        const report = await maintainStore({
          dataDir: dataDir(RED),
          store: await runtimeStore(RED),
          backupRoot: backupDir,
        });
        auditAction(RED, req, {
          action: 'store.maintenance',
          object: 'store',
          detail: `backup in ${report.backup_dir}`,
        });
        return report;
      } catch (err) {
        if (err instanceof HttpError) throw err;
        throw new HttpError(400, 'MaintenanceFailed', `the store maintenance failed: ${(err as Error).message}`);
      } finally {
        maintaining = false;
      }
    }),
  );

  app.post(
    `${PREFIX}/smoke-test`,
    api.run,
    api.handle(() => smokeTest(() => runtimeStore(RED))),
  );
};
