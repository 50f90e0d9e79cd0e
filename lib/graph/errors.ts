/** The failure kinds of learning and using a workflow graph; messages say what was tried and what was seen. */

/** A session directory that cannot be learned from (missing, unreadable, invalid, or with nothing done in it). */
export class SessionLearnError extends Error {
  override name = 'SessionLearnError';
  constructor(
    readonly sessionDir: string,
    message: string,
  ) {
    super(`cannot learn from session "${sessionDir}": ${message}`);
  }
}

/** A learning-state change that the workflow's state or statistics do not allow. */
export class LearningTransitionError extends Error {
  override name = 'LearningTransitionError';
  constructor(
    readonly workflowId: string,
    message: string,
    readonly unmet: string[] = [],
  ) {
    super(`workflow "${workflowId}": ${message}${unmet.length ? ` (not met: ${unmet.join('; ')})` : ''}`);
  }
}

/** A workflow that cannot be matched against or exported (e.g. no node carries a prototype). */
export class WorkflowGraphError extends Error {
  override name = 'WorkflowGraphError';
}
