/**
 * rpa-trigger: a schedule, file or manual trigger defined in the flow. On deploy it becomes
 * the scheduler's trigger `node-<node id>` (so last_fired and the files already processed
 * survive restarts); each fire sends a message, and when a workflow or chain is set the
 * scheduler also runs it on the desktop. An input message fires it at once.
 *
 * A trigger is often deployed before what it needs exists (an imported example, a fresh
 * install): a watched folder inside the data directory is created, and a workflow or chain not
 * created yet is waited for — the status says what to create, and the trigger starts by itself
 * once it exists — rather than reported as an error.
 */
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import fs from 'fs';
import path from 'path';
import {
  ChainNotFound,
  WorkflowNotFound,
  type Automation,
  type CreateTriggerInput,
  type FileTriggerConfig,
  type Trigger,
  type TriggerType,
} from '../../lib/automation';
import { runtimeAutomation } from '../shared/automation';
import { dataDir, STATUS } from '../shared/runtime';
import { translate } from '../shared/i18n';
import {
  failurePolicy,
  handleClose,
  handleInput,
  registerNode,
  ONE_OUTPUT_THEN_FAILURE,
  type FailureConfig,
} from '../shared/handlers';

interface TriggerNodeConfig extends NodeDef, FailureConfig {
  triggerType: TriggerType;
  interval: string | number;
  startTime: string;
  endTime: string;
  timezone: string;
  watchDirectory: string;
  filePattern: string;
  usePolling: boolean;
  target: string;
  targetType: 'auto' | 'workflow' | 'chain';
  priority: string | number;
}

/** The trigger definition a node's config stands for. */
function triggerInputOf(config: TriggerNodeConfig): CreateTriggerInput {
  const target = (config.target || '').trim();
  const base: CreateTriggerInput = {
    trigger_type: config.triggerType,
    priority: Number(config.priority) || 0,
    node_id: config.id,
    enabled: true,
    ...(target
      ? {
          workflow_id: target,
          ...(config.targetType && config.targetType !== 'auto' ? { target_type: config.targetType } : {}),
        }
      : { target_type: 'flow' }),
  };
  if (config.triggerType === 'schedule') {
    base.config = {
      interval_seconds: Number(config.interval),
      ...(config.startTime ? { start_time: config.startTime } : {}),
      ...(config.endTime ? { end_time: config.endTime } : {}),
      ...(config.timezone ? { timezone: config.timezone } : {}),
    };
  } else if (config.triggerType === 'file') {
    base.config = {
      watch_directory: config.watchDirectory,
      ...(config.filePattern ? { file_pattern: config.filePattern } : {}),
      ...(config.usePolling ? { use_polling: true } : {}),
    };
  }
  return base;
}

function describe(RED: NodeAPI, automation: Automation, t: Trigger): string {
  if (!t.enabled)
    return t.disabled_reason
      ? translate(RED, 'rpa-trigger.status.disabledBecause', { reason: t.disabled_reason })
      : translate(RED, 'rpa-trigger.status.disabled');
  if (t.trigger_type === 'file') {
    const c = t.config as FileTriggerConfig;
    return translate(RED, `rpa-trigger.status.${c.use_polling ? 'watchingPolling' : 'watching'}`, {
      folder: c.watch_directory,
      pattern: c.file_pattern ?? '*',
    });
  }
  if (t.trigger_type === 'manual') return translate(RED, 'rpa-trigger.status.manual');
  const next = automation.scheduler.nextFireTime(t);
  return next === null
    ? translate(RED, 'rpa-trigger.status.stopped')
    : translate(RED, 'rpa-trigger.status.next', { time: new Date(next).toLocaleString() });
}

/** Creates a watched folder that lies inside the data directory (an inbox the user has not made yet). */
function createWatchFolder(RED: NodeAPI, folder: string): void {
  const root = dataDir(RED);
  const resolved = path.resolve(root, (folder || '').trim());
  const inside = path.relative(root, resolved);
  if (folder && inside && !inside.startsWith('..') && !path.isAbsolute(inside))
    fs.mkdirSync(resolved, { recursive: true });
}

export = function (RED: NodeAPI): void {
  function RpaTriggerNode(this: Node, config: TriggerNodeConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const triggerId = `node-${node.id}`;
    let closed = false;
    let unsubscribe: (() => void) | undefined;
    let refresh: NodeJS.Timeout | undefined;

    const showStatus = async (automation: Automation, firedAt?: string) => {
      const t = await automation.triggers.get(triggerId).catch(() => undefined);
      if (closed || !t) return;
      const text = describe(RED, automation, t);
      node.status(
        t.enabled
          ? firedAt
            ? STATUS.ok(
                translate(RED, 'rpa-trigger.status.fired', { time: new Date(firedAt).toLocaleTimeString(), text }),
              )
            : STATUS.idle(text)
          : STATUS.warn(text),
      );
    };

    /** Defines the trigger; false while its workflow or chain does not exist yet. */
    const define = async (automation: Automation): Promise<boolean> => {
      try {
        await automation.defineTrigger(triggerId, triggerInputOf(config));
        return true;
      } catch (err) {
        if (!(err instanceof WorkflowNotFound || err instanceof ChainNotFound)) throw err;
        if (!closed)
          node.status(STATUS.warn(translate(RED, 'rpa-trigger.status.waitingForTarget', { target: config.target })));
        return false;
      }
    };

    const ready: Promise<Automation> = runtimeAutomation(RED).then(async (automation) => {
      if (config.triggerType === 'file') createWatchFolder(RED, config.watchDirectory);
      let defined = await define(automation);
      if (closed) return automation;
      unsubscribe = automation.events.subscribe({
        onTriggerFired: (event) => {
          if (event.trigger_id !== triggerId || closed) return;
          node.send({ topic: triggerId, payload: event } as unknown as NodeMessageInFlow);
          void showStatus(automation, event.fired_at);
        },
        onAutoDisabled: (event) => {
          if (event.trigger_id === triggerId) void showStatus(automation);
        },
      });
      if (defined) await showStatus(automation);
      // The next fire time moves as time passes and the scheduler starts or stops; a missing
      // target is looked for again.
      refresh = setInterval(
        () =>
          void (defined ? Promise.resolve(true) : define(automation)).then((now) => {
            defined = now;
            if (now) return showStatus(automation);
          }, broken),
        15_000,
      );
      refresh.unref();
      return automation;
    });
    const broken = (err: Error) => {
      if (closed) return;
      if (refresh) clearInterval(refresh);
      node.status(STATUS.error(err.message));
      node.error(`rpa-trigger: ${err.message}`);
    };
    ready.catch(broken);

    const failures = failurePolicy(node, config, ONE_OUTPUT_THEN_FAILURE);
    handleInput(node, failures, async (msg: NodeMessageInFlow & { params?: unknown }) => {
      const automation = await ready!;
      const params =
        msg.params && typeof msg.params === 'object' && !Array.isArray(msg.params)
          ? (msg.params as Record<string, unknown>)
          : {};
      await automation.scheduler.fireNow(triggerId, params);
    });

    handleClose(node, (removed) => {
      closed = true;
      unsubscribe?.();
      if (refresh) clearInterval(refresh);
      // Removed from the flow: the trigger (and its memory of processed files) goes too.
      if (removed) return ready!.then((a) => a.deleteTrigger(triggerId));
    });
  }
  registerNode(RED, 'rpa-trigger', RpaTriggerNode);
};
