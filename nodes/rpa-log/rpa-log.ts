/**
 * rpa-log: writes into the product's central logger and execution analytics from a flow.
 *   event "log"            one structured log entry (level, component, message, workflow_id, node_id, metadata)
 *   event "workflow_start" starts tracking an execution; sets msg.execution_id
 *   event "step"           one finished step of that execution (msg.step)
 *   event "workflow_end"   finishes it: workflow_executions_total and workflow_duration_seconds count it
 * So a workflow wired from single nodes, or a Catch node, reports to the same logs, metrics
 * and dashboard as the runner does.
 */
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import crypto from 'crypto';
import { normaliseLevel, type LogLevel } from '../../lib/monitoring';
import { runtimeMonitoring } from '../shared/monitoring';
import {
  failurePolicy,
  handleClose,
  handleInput,
  registerNode,
  ONE_OUTPUT_THEN_FAILURE,
  type FailureConfig,
} from '../shared/handlers';
import { STATUS } from '../shared/runtime';
import { statusText, translate } from '../shared/i18n';

const LOG_EVENTS = ['log', 'workflow_start', 'step', 'workflow_end'] as const;
type LogEvent = (typeof LOG_EVENTS)[number];

interface LogConfig extends NodeDef, FailureConfig {
  event: LogEvent;
  level: LogLevel | 'auto';
  component: string;
  workflowId: string;
  message: string;
}

interface LogMsg extends NodeMessageInFlow {
  level?: string;
  workflow_id?: string;
  node_id?: string;
  execution_id?: string;
  total_steps?: number;
  status?: string;
  duration?: number;
  failed_at?: string;
  metadata?: Record<string, unknown>;
  step?: {
    node_id?: string;
    step_number?: number;
    action_type?: string;
    duration?: number;
    success?: boolean;
    error_message?: string;
  };
  error?: { message?: string; source?: { id?: string; type?: string; name?: string } };
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return `<buffer ${value.length} bytes>`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export = function (RED: NodeAPI): void {
  function RpaLogNode(this: Node, config: LogConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const event: LogEvent = config.event || 'log';
    if (!(LOG_EVENTS as readonly string[]).includes(event)) {
      node.error(translate(RED, 'rpa-log.errors.unknownEvent', { event, expected: LOG_EVENTS.join(', ') }));
      node.status(STATUS.error(statusText(RED, 'rpa-log.status.badConfig')));
      return;
    }
    const component = (config.component || 'flow').trim();
    let count = 0;
    node.status(STATUS.idle(event === 'log' ? `${component}` : statusText(RED, `rpa-log.event.${event}`)));

    const failures = failurePolicy(node, config, ONE_OUTPUT_THEN_FAILURE);
    handleInput(node, failures, (m: NodeMessageInFlow) => {
      const msg = m as LogMsg;
      const mon = runtimeMonitoring(RED);
      const workflow_id = msg.workflow_id || config.workflowId || undefined;
      switch (event) {
        case 'log': {
          const level: LogLevel =
            config.level && config.level !== 'auto'
              ? config.level
              : msg.level
                ? normaliseLevel(msg.level)
                : msg.error
                  ? 'ERROR'
                  : 'INFO';
          const message =
            config.message || (msg.error?.message ? `${msg.error.message}` : text(msg.payload)) || '(empty)';
          const metadata = msg.metadata && typeof msg.metadata === 'object' ? msg.metadata : {};
          const source = msg.error?.source
            ? { source_node: msg.error.source.id, source_type: msg.error.source.type }
            : {};
          (msg as unknown as { log: unknown }).log = mon.logger.write({
            level,
            component,
            message,
            meta: { ...metadata, ...source, workflow_id, node_id: msg.node_id, msgid: msg._msgid },
          });
          node.status(STATUS.ok(translate(RED, 'rpa-log.status.entries', { count: ++count, level })));
          break;
        }
        case 'workflow_start': {
          if (!workflow_id) throw new Error(translate(RED, 'rpa-log.errors.startNeedsWorkflow'));
          msg.workflow_id = workflow_id;
          msg.execution_id = mon.analytics.on_execution_start({
            workflow_id,
            total_steps: msg.total_steps,
            execution_id: msg.execution_id,
          });
          node.status(STATUS.busy(translate(RED, 'rpa-log.status.started', { workflow: workflow_id })));
          break;
        }
        case 'step': {
          const step = msg.step ?? {};
          if (!msg.execution_id || !workflow_id || !step.node_id)
            throw new Error(translate(RED, 'rpa-log.errors.stepNeeds'));
          const before = mon.analytics.get_live_metrics(msg.execution_id);
          const stepNumber = step.step_number ?? (before ? before.steps_completed + before.steps_failed + 1 : 1);
          mon.analytics.on_step_start({
            execution_id: msg.execution_id,
            node_id: step.node_id,
            step_number: stepNumber,
          });
          mon.analytics.on_step_complete({
            execution_id: msg.execution_id,
            workflow_id,
            node_id: step.node_id,
            action_type: step.action_type,
            duration: Number(step.duration ?? 0),
            success: step.success !== false,
            error_message: step.error_message,
          });
          const live = mon.analytics.get_live_metrics(msg.execution_id);
          node.status(
            STATUS.busy(
              live?.progress_percent != null
                ? translate(RED, 'rpa-log.status.progress', {
                    workflow: workflow_id,
                    percent: Math.round(live.progress_percent),
                  })
                : translate(RED, 'rpa-log.status.step', { workflow: workflow_id, node: step.node_id }),
            ),
          );
          break;
        }
        case 'workflow_end': {
          if (!workflow_id) throw new Error(translate(RED, 'rpa-log.errors.endNeedsWorkflow'));
          const status = msg.status || (msg.error ? 'failed' : 'success');
          // without a workflow_start, the message reports a whole run at once (duration in msg.duration)
          const execution_id = msg.execution_id || `exec_${crypto.randomUUID()}`;
          mon.analytics.on_execution_complete({
            execution_id,
            workflow_id,
            status,
            duration: msg.duration,
            error_message: msg.error?.message,
            failed_at: msg.failed_at,
          });
          msg.execution_id = execution_id;
          node.status(
            (status === 'success' ? STATUS.ok : STATUS.warn)(
              translate(RED, 'rpa-log.status.ended', { workflow: workflow_id, status }),
            ),
          );
          break;
        }
      }
      return msg;
    });

    // entries already written are flushed by the process-wide logger; make it happen now
    handleClose(node, () => runtimeMonitoring(RED).flush());
  }
  registerNode(RED, 'rpa-log', RpaLogNode);
};
