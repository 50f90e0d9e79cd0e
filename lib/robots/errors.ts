/** Errors of the robots layer; `status` is what the API answers with. */
export class JobNotFound extends Error {
  override name = 'JobNotFound';
  readonly status = 404;
  constructor(readonly jobId: string) {
    super(`no job ${jobId}`);
  }
}

export class JobConflict extends Error {
  override name = 'JobConflict';
  readonly status = 409;
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The job is no longer this robot's (declared lost) or the broker cannot say: stop before acting. */
export class RobotLostJob extends Error {
  override name = 'RobotLostJob';
}

export class InvalidJobRequest extends Error {
  override name = 'InvalidJobRequest';
  readonly status = 400;
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
