/**
 * The product's HTTP API, served by Node-RED's admin server (so adminAuth protects it):
 * /api/workflows, /api/chains, /api/triggers, /api/automation, /api/logs, /metrics, /api/health.
 * Loaded once per runtime as a Node-RED plugin; each area adds its RouteModule to the list.
 */
import type { NodeAPI } from 'node-red';
import type { RouteModule } from './route';
import { apiHelpers } from './route';
import { monitoringRoutes } from './monitoring-routes';
import { automationRoutes } from './automation-routes';

/** Every area of the API. Add new modules here. */
const modules: Array<[string, RouteModule]> = [
  ['monitoring', monitoringRoutes],
  ['automation', automationRoutes],
];

export = function rpaVisionApi(RED: NodeAPI): void {
  for (const [area, register] of modules) register(RED, apiHelpers(RED, `rpa-vision-${area}`));
  (RED as unknown as { plugins: { registerPlugin(id: string, def: object): void } }).plugins.registerPlugin(
    'rpa-vision-api',
    {
      type: 'rpa-vision-api',
    },
  );
};
