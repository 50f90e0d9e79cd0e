/**
 * Labels route jobs to robots: a job runs only on a robot whose labels cover the job's. BullMQ
 * has no such routing, so each set of labels has its own queue and a robot listens to the
 * queue of every subset of its labels (a robot labelled facturation,calc takes jobs asking for
 * nothing, for facturation, for calc, or for both).
 */
export const LABEL_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** 2^8 queues per robot at most: enough for the few programs a PC holds. */
export const MAX_ROBOT_LABELS = 8;

export class LabelError extends Error {
  override name = 'LabelError';
}

/** Lower-cased, sorted, without duplicates; throws on a label that is not a short word. */
export function normaliseLabels(labels: readonly string[] | undefined): string[] {
  const out = [...new Set((labels ?? []).map((l) => l.trim().toLowerCase()).filter(Boolean))].sort();
  const bad = out.find((l) => !LABEL_PATTERN.test(l));
  if (bad) throw new LabelError(`label "${bad}" must be 1-32 letters, digits, "_" or "-"`);
  return out;
}

/** `--labels a,b` as a list. */
export function parseLabelList(text: string | undefined): string[] {
  return normaliseLabels((text ?? '').split(','));
}

/** The BullMQ queue of jobs asking for exactly these labels. */
export function queueFor(labels: readonly string[]): string {
  const key = normaliseLabels(labels);
  return `rpa-jobs.${key.length ? key.join('+') : 'any'}`;
}

/** Every queue a robot with these labels takes jobs from. */
export function queuesOfRobot(labels: readonly string[]): string[] {
  const own = normaliseLabels(labels);
  if (own.length > MAX_ROBOT_LABELS)
    throw new LabelError(`a robot has at most ${MAX_ROBOT_LABELS} labels, got ${own.length}`);
  const queues: string[] = [];
  for (let mask = 0; mask < 1 << own.length; mask++) queues.push(queueFor(own.filter((_, i) => mask & (1 << i))));
  return queues;
}
