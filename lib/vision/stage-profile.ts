/**
 * Where the time of an analysis goes, stage by stage (detection pre-processing, inference,
 * DB post-processing, recognition…), in wall time and in CPU time of the whole process. CPU time
 * is what tells the stages apart on a loaded machine: onnxruntime's threads are counted in the
 * stage whose inference they run (their spin-wait just after a run may leak into the next stage).
 *
 * The pipeline runs its stages one after the other on the main thread (onnxruntime-node runs a
 * session synchronously, its own threads inside), so stage times add up. Profiling is off unless
 * a benchmark turns it on: then each stage costs two process.cpuUsage() calls.
 *
 *   const profile = new StageProfile();
 *   profileStages(profile); await vision.analyze(png); profileStages(null);
 *   profile.table();
 */

export const STAGES = [
  'decode',
  'hash',
  'det_preprocess',
  'det_inference',
  'det_postprocess',
  'layout',
  'rec_preprocess',
  'rec_inference',
  'rec_decode',
  'elements',
  'embedding',
] as const;
export type Stage = (typeof STAGES)[number];

export interface StageTotal {
  wallMs: number;
  cpuMs: number;
  calls: number;
}

export class StageProfile {
  readonly totals = new Map<Stage, StageTotal>();

  add(stage: Stage, wallMs: number, cpuMs: number): void {
    const t = this.totals.get(stage) ?? { wallMs: 0, cpuMs: 0, calls: 0 };
    t.wallMs += wallMs;
    t.cpuMs += cpuMs;
    t.calls++;
    this.totals.set(stage, t);
  }

  /** Totals in pipeline order, divided by `per` (e.g. the number of screens analysed). */
  table(per = 1): { stage: Stage; wallMs: number; cpuMs: number; calls: number }[] {
    return STAGES.filter((s) => this.totals.has(s)).map((stage) => {
      const t = this.totals.get(stage)!;
      return { stage, wallMs: t.wallMs / per, cpuMs: t.cpuMs / per, calls: t.calls / per };
    });
  }
}

let active: StageProfile | null = null;

/** Turns stage profiling on (into `profile`) or off (null), for the whole process. */
export function profileStages(profile: StageProfile | null): void {
  active = profile;
}

/** The profile stages are timed into, or null when profiling is off. */
export function activeProfile(): StageProfile | null {
  return active;
}

function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/** Runs a synchronous stage, timing it when profiling is on. */
export function stage<T>(name: Stage, fn: () => T): T {
  const profile = active;
  if (!profile) return fn();
  const w = performance.now();
  const c = cpuMs();
  try {
    return fn();
  } finally {
    profile.add(name, performance.now() - w, cpuMs() - c);
  }
}

/** Runs an asynchronous stage (an inference), timing it when profiling is on. */
export async function stageAsync<T>(name: Stage, fn: () => Promise<T>): Promise<T> {
  const profile = active;
  if (!profile) return fn();
  const w = performance.now();
  const c = cpuMs();
  try {
    return await fn();
  } finally {
    profile.add(name, performance.now() - w, cpuMs() - c);
  }
}
