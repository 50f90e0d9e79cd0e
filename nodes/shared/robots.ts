/**
 * The orchestrator of a Node-RED process when a broker is configured (RPA_VISION_BROKER, or
 * settings `rpaVision.broker.url`): opened with the automation, it becomes the executor every
 * workflow run goes through (scheduler, triggers, chains, run nodes), so jobs go to robots.
 * Without a broker nothing here runs and Redis is never needed.
 */
import type { NodeAPI } from 'node-red';
import { workflowExecutors } from '../../lib/automation';
import { brokerConnection, brokerUrlFromEnv, redactBrokerUrl } from '../../lib/robots/broker-connection';
import { JobOrchestrator, jobView } from '../../lib/robots/orchestrator';
import { registerRobotMetrics } from '../../lib/robots/robot-metrics';
import { runtimeAutomation } from './automation';
import { runtimeMonitoring } from './monitoring';

interface BrokerSettings {
  url?: string;
  /** A robot offline this long is an alert (seconds). Default 120. */
  offlineAlertSeconds?: number;
}

let instance: Promise<JobOrchestrator> | undefined;
let pinned = false;

export function brokerUrl(RED: NodeAPI): string | undefined {
  const settings = (RED.settings as unknown as { rpaVision?: { broker?: BrokerSettings } }).rpaVision?.broker;
  return settings?.url || brokerUrlFromEnv();
}

/** The orchestrator, or undefined when no broker is configured. */
export function runtimeOrchestrator(RED: NodeAPI): Promise<JobOrchestrator> | undefined {
  const url = brokerUrl(RED);
  if (!url) return undefined;
  if (instance) return instance;
  // Pinned now, before anything runs: every workflow run of this process goes to the robots.
  if (!pinned)
    workflowExecutors.register(
      { execute: async (id, params, options) => (await runtimeOrchestrator(RED)!).execute(id, params, options) },
      { pinned: true },
    );
  pinned = true;
  instance = (async () => {
    const automation = await runtimeAutomation(RED);
    const settings = (RED.settings as unknown as { rpaVision?: { broker?: BrokerSettings } }).rpaVision?.broker;
    const logger = runtimeMonitoring(RED).getLogger('robots');
    const say = {
      info: (m: string, meta?: Record<string, unknown>) => logger.info(m, meta),
      warn: (m: string, meta?: Record<string, unknown>) => logger.warning(m, meta),
      error: (m: string, meta?: Record<string, unknown>) => logger.error(m, meta),
    };
    // Scraped only once the orchestrator below exists.
    const metrics = registerRobotMetrics(runtimeMonitoring(RED).metrics.registry, () => orchestrator.snapshot());
    const orchestrator = new JobOrchestrator({
      connection: brokerConnection(url),
      logger: say,
      ...(settings?.offlineAlertSeconds ? { offlineAlertMs: settings.offlineAlertSeconds * 1000 } : {}),
      resolveTarget: async (kind, id) => ({
        workflows:
          kind === 'workflow'
            ? [automation.workflows.get(id)]
            : (await automation.chains.get(id)).workflows.map((w) => automation.workflows.get(w)),
        baseDir: automation.workflows.directory,
      }),
      onJobClaimed: (s) => metrics.jobWait.observe(s),
    }).start();
    RED.log.info(`[rpa-vision robots] jobs go to robots through ${redactBrokerUrl(url)}`);
    closeWhenRuntimeStops(RED, orchestrator);
    return orchestrator;
  })().catch((err) => {
    instance = undefined;
    throw err;
  });
  return instance;
}

interface RuntimeStateEvent {
  id?: string;
  payload?: { state?: string; deploy?: boolean; error?: string };
}

/**
 * The orchestrator's connections end with the runtime: when Node-RED stops (not a redeploy,
 * which keeps it, so runs waiting on a job go on), it is shut down; the next use, or the next
 * start of the flows (nodes/api), opens a new one.
 */
function closeWhenRuntimeStops(RED: NodeAPI, orchestrator: JobOrchestrator): void {
  const events = RED.events as unknown as NodeJS.EventEmitter;
  const onState = (event: RuntimeStateEvent) => {
    const p = event?.id === 'runtime-state' ? event.payload : undefined;
    if (p?.state !== 'stop' || p.deploy || p.error) return;
    events.off('runtime-event', onState);
    instance = undefined;
    orchestrator.shutdown().catch((err: Error) => RED.log.warn(`[rpa-vision robots] closing: ${err.message}`));
  };
  events.on('runtime-event', onState);
}

/** What the dashboard's Robots page shows (rpa-monitor view "robots"). */
export async function robotsSnapshot(RED: NodeAPI, limit: number) {
  const orchestrator = runtimeOrchestrator(RED);
  if (!orchestrator) return { configured: false, robots: [], jobs: [], counts: { waiting: 0, active: 0, in_doubt: 0 } };
  const o = await orchestrator;
  const [robots, jobs, counts] = await Promise.all([o.robots(), o.list(undefined, limit), o.records.counts()]);
  return { configured: true, robots, jobs: jobs.map(jobView), counts };
}
