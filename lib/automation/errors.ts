/**
 * One error class per failure kind of the automation layer. Each carries the HTTP status the
 * admin API answers with (`status`) and the details it adds to the JSON body, so the API needs
 * no mapping table and the messages say what was asked and what was found.
 */
export class AutomationError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Workflows that were referenced but are not in the workflows directory. */
export class WorkflowNotFound extends AutomationError {
  override name = 'WorkflowNotFound';
  constructor(
    readonly missing: string[],
    /** 404 when the URL names the workflow, 400 when a request body references it. */
    status = 404,
  ) {
    super(
      `workflow${missing.length > 1 ? 's' : ''} not found: ${missing.join(', ')} (import ${missing.length > 1 ? 'them' : 'it'} with POST /api/workflows or rpa-vision learn --out)`,
      status,
      { missing },
    );
  }
}

export class ChainNotFound extends AutomationError {
  override name = 'ChainNotFound';
  constructor(readonly chainId: string) {
    super(`chain not found: ${chainId}`, 404, { chain_id: chainId });
  }
}

export class TriggerNotFound extends AutomationError {
  override name = 'TriggerNotFound';
  constructor(readonly triggerId: string) {
    super(`trigger not found: ${triggerId}`, 404, { trigger_id: triggerId });
  }
}

/** A trigger definition that cannot work; `field` names the offending field, e.g. "config.interval_seconds". */
export class InvalidTriggerConfig extends AutomationError {
  override name = 'InvalidTriggerConfig';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`invalid trigger: ${field} ${problem}`, 400, { field });
  }
}

/** A request that is malformed in a way not covered by a more specific class (bad id, bad body). */
export class InvalidRequest extends AutomationError {
  override name = 'InvalidRequest';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field} ${problem}`, 400, { field });
  }
}

/** A workflow document that does not follow the workflow schema. */
export class InvalidWorkflow extends AutomationError {
  override name = 'InvalidWorkflow';
  constructor(message: string, problems: string[]) {
    super(message, 400, { problems });
  }
}

/** The request clashes with the current state: an id already taken, a chain already running, a workflow still used. */
export class Conflict extends AutomationError {
  override name = 'Conflict';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 409, details);
  }
}

/** No executor can run the workflow (the runner is not installed, or none registered for it). */
export class ExecutorUnavailable extends AutomationError {
  override name = 'ExecutorUnavailable';
  constructor(workflowId: string, why: string) {
    super(`cannot run workflow ${workflowId}: ${why}`, 503, { workflow_id: workflowId });
  }
}
