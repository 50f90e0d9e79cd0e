/**
 * The audit trail of a Node-RED process (lib/audit): one AuditLog on `<dataDir>/audit/`, fed by
 * - the HTTP API's handlers, with the user who asked (`auditAction`);
 * - the automation's event hub, for what the runtime does by itself: runs starting and ending,
 *   triggers firing, the scheduler starting and stopping (actor "scheduler"), and learning
 *   states a run moved automatically (actor "runtime");
 * - Node-RED's own audit events (`log.audit`): logins, failed logins, logouts, /flows deploys.
 */
import { EventEmitter } from 'events';
import type { NodeAPI } from 'node-red';
import type { Request } from 'express';
import { AuditLog, type AuditEntry, type AuditRecord } from '../../lib/audit/audit-log';
import { automationEvents } from '../../lib/automation/events';
import { LEARNING_STATES, type LearningState } from '../../lib/contracts/workflow';
import { dataDir } from './runtime';

const AUDIT_LEVEL = 98; // @node-red/util log.AUDIT

let instance: { log: AuditLog; dir: string; unsubscribe: () => void } | undefined;

/** The process's audit log (one writer per file); a runtime on another data directory (tests) gets its own. */
export function runtimeAudit(RED: NodeAPI): AuditLog {
  const dir = dataDir(RED);
  if (instance?.dir !== dir) {
    instance?.unsubscribe();
    const log = AuditLog.forDataDir(dir);
    instance = { log, dir, unsubscribe: subscribe(RED, log) };
  }
  return instance.log;
}

/** The Node-RED user behind a request: its name, or "anonymous" without adminAuth or a login. */
export function actorOf(req: Request): string {
  const user = (req as Request & { user?: { username?: string } }).user;
  return typeof user?.username === 'string' && user.username ? user.username : 'anonymous';
}

/** Records what a user did through the API; throws when the entry cannot be written, so the request fails. */
export function auditAction(RED: NodeAPI, req: Request, record: Omit<AuditRecord, 'actor'>): AuditEntry {
  return runtimeAudit(RED).append({ actor: actorOf(req), ...record });
}

/** Records what the runtime did by itself; a failed write is logged, never thrown into a run. */
function recordQuietly(RED: NodeAPI, log: AuditLog, record: AuditRecord): void {
  try {
    log.append(record);
  } catch (err) {
    RED.log.error(`[rpa-vision audit] cannot write the audit log: ${(err as Error).message}`);
  }
}

/** Feeds the log from the event hub and Node-RED's audit events; returns the function that stops it. */
function subscribe(RED: NodeAPI, log: AuditLog): () => void {
  const rec = (record: AuditRecord) => recordQuietly(RED, log, record);
  const by = (triggerId?: string) => (triggerId ? `; trigger ${triggerId}` : '');
  const unsubscribe = automationEvents.subscribe({
    onRunStarted: (e) =>
      rec({
        actor: 'scheduler',
        action: `${e.target_type}.run.start`,
        object: `${e.target_type}:${e.target_id}`,
        detail: `job ${e.job_id}, attempt ${e.attempt}${by(e.trigger_id)}`,
      }),
    onWorkflowExecuted: (e) =>
      rec({
        actor: 'scheduler',
        action: 'workflow.run.end',
        object: `workflow:${e.workflow_id}`,
        detail: `${e.status} in ${e.duration_s} s${e.chain_id ? `; chain ${e.chain_id}` : ''}${by(e.trigger_id)}`,
      }),
    onChainExecuted: (e) =>
      rec({
        actor: 'scheduler',
        action: 'chain.run.end',
        object: `chain:${e.chain_id}`,
        detail: `${e.success ? 'success' : `failed at ${e.failed_at ?? '?'}`} in ${e.duration_s} s${by(e.trigger_id)}`,
      }),
    onTriggerFired: (e) =>
      rec({
        actor: 'scheduler',
        action: 'trigger.fired',
        object: `trigger:${e.trigger_id}`,
        detail: `${e.trigger_type} → ${e.target_type} ${e.workflow_id}`,
      }),
    onAutoDisabled: (e) =>
      rec({ actor: 'scheduler', action: 'trigger.auto_disable', object: `trigger:${e.trigger_id}`, detail: e.reason }),
    onLearningChanged: (e) =>
      rec({
        actor: 'runtime',
        action:
          LEARNING_STATES.indexOf(e.to as LearningState) > LEARNING_STATES.indexOf(e.from as LearningState)
            ? 'workflow.auto_promote'
            : 'workflow.auto_demote',
        object: `workflow:${e.workflow_id}`,
        detail: `${e.from} → ${e.to}: ${e.reason}`,
      }),
    onSchedulerChanged: (e) =>
      rec({ actor: 'scheduler', action: e.running ? 'scheduler.started' : 'scheduler.stopped', object: 'scheduler' }),
  });
  // Node-RED hands every log message to each handler; only its audit events (logins, deploys) are kept.
  const handler = new EventEmitter();
  handler.on('log', (msg: NodeRedAuditEvent) => {
    if (msg.level !== AUDIT_LEVEL || !msg.event || !NODE_RED_EVENTS.test(msg.event)) return;
    const username = msg.user?.username ?? msg.username;
    rec({
      actor: username ?? 'anonymous',
      action: msg.event,
      object: msg.event.startsWith('auth.') ? `user:${username ?? '?'}` : msg.id ? `flow:${msg.id}` : 'flows',
      ...(msg.error ? { detail: `error: ${String(msg.error)}` } : msg.type ? { detail: String(msg.type) } : {}),
    });
  });
  const redLog = RED.log as unknown as { addHandler?(h: EventEmitter): void; removeHandler?(h: EventEmitter): void };
  redLog.addHandler?.(handler);
  return () => {
    unsubscribe();
    redLog.removeHandler?.(handler);
  };
}

interface NodeRedAuditEvent {
  level?: number;
  event?: string;
  username?: string;
  user?: { username?: string };
  id?: string;
  type?: string;
  error?: unknown;
}

/** The Node-RED audit events worth a line: logins, failed logins, logouts, refusals, deploys and flow or palette changes; not reads. */
const NODE_RED_EVENTS =
  /^(auth\.login(\..+)?|comms\.auth\.fail|permission\.fail|flows\.set|flow\.(add|update|remove)|nodes\.(install|remove|module\.set))$/;
