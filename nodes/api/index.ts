/**
 * The product's HTTP API, served by Node-RED's admin server (so adminAuth protects it):
 * /api/workflows, /api/chains, /api/triggers, /api/automation, /api/logs, /metrics, /api/health.
 * Loaded once per runtime as a Node-RED plugin; each area adds its RouteModule to the list.
 * Before any route, the guards of ./security: Host and cross-site checks, no wildcard CORS,
 * JSON errors and a JSON 404 under the package's prefixes.
 */
import type { Server } from 'http';
import type { NodeAPI } from 'node-red';
import type { Application } from 'express';
import type { RouteModule } from './route';
import { apiHelpers } from './route';
import { dataDir, runtimeStore } from '../shared/runtime';
import { monitoringRoutes } from './monitoring-routes';
import { automationRoutes } from './automation-routes';
import { robotRoutes } from './robot-routes';
import { runtimeOrchestrator } from '../shared/robots';
import { quickActionsRoutes } from './quick-actions-routes';
import { questionRoutes } from './question-routes';
import { workflowPageRoutes } from './workflow-page-routes';
import { batchRoutes } from './batch-routes';
import { allowedHosts, guardServer, jsonErrors, jsonNotFound, PACKAGE_PREFIXES } from './security';

/** Every area of the API. Add new modules here. */
const modules: RouteModule[] = [
  monitoringRoutes,
  automationRoutes,
  robotRoutes,
  quickActionsRoutes,
  questionRoutes,
  workflowPageRoutes,
  batchRoutes,
];

interface SecuritySettings {
  uiHost?: string;
  httpAdminRoot?: string | false;
  rpaVision?: {
    security?: {
      /** Guard and answer JSON on every route of the server, not only the package's (the product's settings). */
      allRoutes?: boolean;
      /** More names the Host header may carry: a DNS name of this machine, a reverse proxy (default: RPA_VISION_ALLOWED_HOSTS, comma-separated). */
      allowedHosts?: string[];
    };
  };
}

/** Guards the server now; returns what must come after the package's routes. */
function secure(RED: NodeAPI): () => void {
  const settings = RED.settings as unknown as SecuritySettings;
  const options = settings.rpaVision?.security ?? {};
  const root = typeof settings.httpAdminRoot === 'string' ? settings.httpAdminRoot.replace(/\/$/, '') : '';
  const prefixes = PACKAGE_PREFIXES.map((p) => root + p);
  const server = (RED as unknown as { server?: Server }).server;
  if (server)
    guardServer(server, {
      hosts: allowedHosts(
        settings.uiHost,
        options.allowedHosts ?? (process.env.RPA_VISION_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim()),
      ),
      prefixes: options.allRoutes ? undefined : prefixes,
    });
  // Node-RED parses bodies in the editor API's app, which mounts RED.httpAdmin: a body it
  // rejects never reaches our routes, and Express would answer with an HTML page holding the
  // stack trace. Handlers on that parent app come after every route of RED.httpAdmin, even
  // routes added later by nodes.
  // Registered after the package's own routes, for a runtime without that parent app (tests).
  const parent = (RED.httpAdmin as unknown as { parent?: Application }).parent ?? RED.httpAdmin;
  return () => {
    parent.use(['/api', '/rpa-vision'], jsonNotFound);
    const onError = jsonErrors((m) => RED.log.error(`[rpa-vision api] ${m}`));
    if (options.allRoutes) parent.use(onError);
    else parent.use(PACKAGE_PREFIXES, onError);
  };
}

export = function rpaVisionApi(RED: NodeAPI): void {
  // The data key (created on first start) is in use before any route or node writes a file.
  dataDir(RED);
  // Opened now, so a store held by another process is said in the start-up log, not at the first request.
  runtimeStore(RED).catch(() => undefined);
  const afterRoutes = secure(RED);
  for (const register of modules) register(RED, apiHelpers(RED));
  afterRoutes();
  // With a broker configured, the orchestrator starts with the runtime (watching robots, metrics).
  const openOrchestrator = (): void =>
    void runtimeOrchestrator(RED)?.catch((err: Error) => RED.log.error(`[rpa-vision robots] ${err.message}`));
  openOrchestrator();
  // Closed when the runtime stops (nodes/shared/robots): flows started again watch the robots again.
  RED.events.on('flows:started', openOrchestrator);
  (RED as unknown as { plugins: { registerPlugin(id: string, def: object): void } }).plugins.registerPlugin(
    'rpa-vision-api',
    {
      type: 'rpa-vision-api',
    },
  );
};
