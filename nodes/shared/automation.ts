/**
 * The one Automation (workflows, chains, triggers, scheduler) of a Node-RED process, opened
 * lazily on the runtime's store and started in the background when the API plugin loads. It
 * logs to Node-RED's log and the monitoring's central logger (component "automation"), and
 * emits on the process-wide `automationEvents` hub that the monitoring counts from.
 *
 * Settings (settings.js `rpaVision.automation`, all optional):
 *   checkIntervalSeconds (1), maxConsecutiveFailures (3), missedRuns ("run_once" | "skip"),
 *   retry: {maxAttempts (3), baseDelaySeconds (5), maxDelaySeconds (300)},
 *   watchRoots: folders outside the data directory that file triggers may watch (also
 *   RPA_VISION_WATCH_ROOTS, separated by ":"), fileStableSeconds (2): how long a new file's size
 *   must stay the same before a file trigger fires (longer for writers that pause mid-file),
 *   executorModule: path of a module exporting `createExecutor({dataDir}) → WorkflowExecutor`
 *   (also RPA_VISION_EXECUTOR_MODULE), registered in `workflowExecutors`.
 */
import path from 'path';
import type { NodeAPI } from 'node-red';
import {
  Automation,
  automationEvents,
  storeLogger,
  teeLogger,
  workflowExecutors,
  type AutomationLogger,
  type MissedRunPolicy,
  type RegisteredExecutor,
  type StoredLogEntry,
} from '../../lib/automation';
import { runtimeMonitoring } from './monitoring';
import { dataDir, runtimeStore } from './runtime';

interface AutomationSettings {
  checkIntervalSeconds?: number;
  maxConsecutiveFailures?: number;
  missedRuns?: MissedRunPolicy;
  retry?: { maxAttempts?: number; baseDelaySeconds?: number; maxDelaySeconds?: number };
  executorModule?: string;
  watchRoots?: string[];
  fileStableSeconds?: number;
}

let instance: Promise<Automation> | undefined;

function settingsOf(RED: NodeAPI): AutomationSettings {
  return ((RED.settings as unknown as { rpaVision?: { automation?: AutomationSettings } }).rpaVision?.automation ??
    {}) as AutomationSettings;
}

function redLogger(RED: NodeAPI): AutomationLogger {
  return {
    info: (m) => RED.log.info(`[rpa-vision automation] ${m}`),
    warn: (m) => RED.log.warn(`[rpa-vision automation] ${m}`),
    error: (m) => RED.log.error(`[rpa-vision automation] ${m}`),
  };
}

/**
 * The monitoring's central logger (component "automation"): its entries are in the log export
 * and the dashboard. Subscribing the monitoring also counts fires and chain runs in /metrics.
 */
function centralLogger(RED: NodeAPI): AutomationLogger | undefined {
  try {
    return runtimeMonitoring(RED).getLogger('automation');
  } catch (err) {
    RED.log.warn(
      `[rpa-vision automation] central logger unavailable, logging into the store: ${(err as Error).message}`,
    );
    return undefined;
  }
}

async function loadExecutorModule(RED: NodeAPI, modulePath: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.resolve(modulePath)) as {
    createExecutor?: (ctx: { dataDir: string }) => RegisteredExecutor | Promise<RegisteredExecutor>;
  };
  if (typeof mod.createExecutor !== 'function')
    throw new Error(`executor module ${modulePath} does not export createExecutor({dataDir})`);
  workflowExecutors.register(await mod.createExecutor({ dataDir: dataDir(RED) }));
  RED.log.info(`[rpa-vision automation] workflow executor loaded from ${modulePath}`);
}

/** The setting in ms when it is a positive number of seconds; anything else is said and left to the default. */
function fileStable(RED: NodeAPI, seconds: unknown): { fileStableMs?: number } {
  if (seconds === undefined) return {};
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0) return { fileStableMs: seconds * 1000 };
  RED.log.warn(
    `[rpa-vision automation] rpaVision.automation.fileStableSeconds must be a positive number of seconds (got ${JSON.stringify(seconds)}): 2 s used`,
  );
  return {};
}

/** The process's Automation; the first call opens it and starts the scheduler (unless it was stopped deliberately). */
export function runtimeAutomation(RED: NodeAPI): Promise<Automation> {
  instance ??= (async () => {
    const settings = settingsOf(RED);
    const store = await runtimeStore(RED);
    const executorModule = settings.executorModule || process.env.RPA_VISION_EXECUTOR_MODULE;
    if (executorModule) await loadExecutorModule(RED, executorModule);
    const automation = new Automation({
      dataDir: dataDir(RED),
      store,
      executor: workflowExecutors,
      events: automationEvents,
      watchRoots: [
        ...(settings.watchRoots ?? []),
        ...(process.env.RPA_VISION_WATCH_ROOTS ?? '').split(path.delimiter).filter(Boolean),
      ],
      logger: teeLogger(redLogger(RED), centralLogger(RED) ?? storeLogger(store.sub<StoredLogEntry>('automation-log'))),
      scheduler: {
        ...(settings.checkIntervalSeconds ? { checkIntervalMs: settings.checkIntervalSeconds * 1000 } : {}),
        ...(settings.maxConsecutiveFailures ? { maxConsecutiveFailures: settings.maxConsecutiveFailures } : {}),
        ...(settings.missedRuns ? { missedRuns: settings.missedRuns } : {}),
        ...fileStable(RED, settings.fileStableSeconds),
        retry: {
          ...(settings.retry?.maxAttempts ? { maxAttempts: settings.retry.maxAttempts } : {}),
          ...(settings.retry?.baseDelaySeconds !== undefined
            ? { baseDelayMs: settings.retry.baseDelaySeconds * 1000 }
            : {}),
          ...(settings.retry?.maxDelaySeconds ? { maxDelayMs: settings.retry.maxDelaySeconds * 1000 } : {}),
        },
      },
    });
    await automation.scheduler.startIfWanted();
    return automation;
  })().catch((err) => {
    instance = undefined;
    throw err;
  });
  return instance;
}

/** The process's Automation if something already opened it (tests, nodes that must not start it). */
export function currentAutomation(): Promise<Automation> | undefined {
  return instance;
}
