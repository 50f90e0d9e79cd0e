/**
 * Learning states (seeds/vision-architecture.md, "États d'Apprentissage"): a workflow earns
 * autonomy step by step, OBSERVATION → COACHING → AUTO_CANDIDATE → AUTO_CONFIRMED, and loses it
 * when its screens stop being recognised or the application changed.
 *
 * - OBSERVATION → COACHING: automatic once `min_observed_runs_for_assist` runs were observed.
 * - COACHING → AUTO_CANDIDATE: automatic once `min_assist_runs_for_auto_candidate` assisted runs
 *   succeeded at `min_assist_success_rate_for_auto_candidate` or better.
 * - AUTO_CANDIDATE → AUTO_CONFIRMED: only by `promote()` — an explicit user approval — and only
 *   when the supervised runs reached their count and success rate.
 * - Demotion: `demote()`, or automatically in `recordExecution()` when a run in an autonomous
 *   state reports a UI change or a recognition confidence under the threshold, or when the
 *   success rate of the current phase falls under its threshold.
 * Every transition is appended to `learning.history` with its reason.
 *
 * The functions update the workflow they are given (and return it), like the learner does.
 */
import {
  DEFAULT_THRESHOLDS,
  LEARNING_STATES,
  type Learning,
  type LearningState,
  type LearningThresholds,
  type Workflow,
} from '../contracts/workflow';
import { LearningTransitionError } from './errors';

/** How a run was executed. The runner's modes (observe/coach/confirm/auto) and the seed's phase names both work. */
export type ExecutionMode =
  'observe' | 'coach' | 'confirm' | 'auto' | 'observation' | 'assist' | 'auto_candidate' | 'auto_confirmed';

type WorkflowStats = NonNullable<Workflow['stats']>;

/** Per-phase counters: runs and successes, so success rates can be recomputed after any run. */
const PHASE_COUNTERS: Record<LearningState, { runs: keyof WorkflowStats; successes: keyof WorkflowStats }> = {
  OBSERVATION: { runs: 'observed_runs', successes: 'observed_successes' },
  COACHING: { runs: 'assist_runs', successes: 'assist_successes' },
  AUTO_CANDIDATE: { runs: 'auto_candidate_runs', successes: 'auto_candidate_successes' },
  AUTO_CONFIRMED: { runs: 'auto_confirmed_runs', successes: 'auto_confirmed_successes' },
};

const MODE_PHASE: Record<ExecutionMode, LearningState> = {
  observe: 'OBSERVATION',
  observation: 'OBSERVATION',
  coach: 'COACHING',
  assist: 'COACHING',
  confirm: 'AUTO_CANDIDATE',
  auto_candidate: 'AUTO_CANDIDATE',
  auto: 'AUTO_CONFIRMED',
  auto_confirmed: 'AUTO_CONFIRMED',
};

/** Below this recognition similarity (when the run reports one) an autonomous workflow is demoted. */
export const DEMOTION_MIN_CONFIDENCE = 0.85;

export function emptyStats(): WorkflowStats {
  return {
    observed_runs: 0,
    assist_runs: 0,
    auto_candidate_runs: 0,
    auto_confirmed_runs: 0,
    success_rate_overall: 1,
    avg_duration_seconds: 0,
    total_executions: 0,
  };
}

/** The workflow's learning block, created with the seed thresholds (overridable per field) when missing. */
export function learningOf(workflow: Workflow, thresholds: Partial<LearningThresholds> = {}): Learning {
  workflow.learning ??= {
    state: workflow.learning_state ?? 'OBSERVATION',
    thresholds: { ...DEFAULT_THRESHOLDS },
    history: [],
  };
  workflow.learning.thresholds = { ...DEFAULT_THRESHOLDS, ...workflow.learning.thresholds, ...thresholds };
  workflow.learning.history ??= [];
  workflow.stats ??= emptyStats();
  return workflow.learning;
}

function count(stats: WorkflowStats, key: keyof WorkflowStats): number {
  const v = stats[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function rate(stats: WorkflowStats, phase: LearningState): number {
  const runs = count(stats, PHASE_COUNTERS[phase].runs);
  return runs ? count(stats, PHASE_COUNTERS[phase].successes) / runs : 0;
}

interface Requirement {
  what: string;
  progress: number;
  met: boolean;
}

/** What leaving `phase` for the next one requires, each with its progress 0..1. */
function requirements(phase: LearningState, t: LearningThresholds, stats: WorkflowStats): Requirement[] {
  const runsReq = (key: keyof WorkflowStats, min: number, label: string): Requirement => {
    const n = count(stats, key);
    return { what: `${label}: ${n}/${min}`, progress: min > 0 ? Math.min(1, n / min) : 1, met: n >= min };
  };
  const rateReq = (p: LearningState, min: number, label: string): Requirement => {
    const r = rate(stats, p);
    return {
      what: `${label}: ${(r * 100).toFixed(1)} % ≥ ${(min * 100).toFixed(1)} %`,
      progress: min > 0 ? Math.min(1, r / min) : 1,
      met: r >= min,
    };
  };
  switch (phase) {
    case 'OBSERVATION':
      return [runsReq('observed_runs', t.min_observed_runs_for_assist, 'observed runs')];
    case 'COACHING':
      return [
        runsReq('assist_runs', t.min_assist_runs_for_auto_candidate, 'assisted runs'),
        rateReq('COACHING', t.min_assist_success_rate_for_auto_candidate, 'assisted success rate'),
      ];
    case 'AUTO_CANDIDATE':
      return [
        runsReq('auto_candidate_runs', t.min_auto_candidate_runs_for_auto_confirmed, 'supervised automatic runs'),
        rateReq('AUTO_CANDIDATE', t.min_auto_candidate_success_rate_for_auto_confirmed, 'supervised success rate'),
      ];
    case 'AUTO_CONFIRMED':
      return [];
  }
}

function nextPhase(state: LearningState): LearningState | null {
  const i = LEARNING_STATES.indexOf(state);
  return i < LEARNING_STATES.length - 1 ? LEARNING_STATES[i + 1] : null;
}

function previousPhase(state: LearningState): LearningState | null {
  const i = LEARNING_STATES.indexOf(state);
  return i > 0 ? LEARNING_STATES[i - 1] : null;
}

function transition(workflow: Workflow, to: LearningState, reason: string, now: Date): void {
  const learning = learningOf(workflow);
  const from = learning.state;
  learning.state = to;
  workflow.learning_state = to;
  learning.history!.push({ at: now.toISOString(), from, to, reason });
  workflow.updated_at = now.toISOString();
}

function refreshProgression(workflow: Workflow): NonNullable<Learning['progression']> {
  const learning = learningOf(workflow);
  const reqs = requirements(learning.state, learning.thresholds, workflow.stats!);
  const next = nextPhase(learning.state);
  const progress = reqs.length ? reqs.reduce((a, r) => a + r.progress, 0) / reqs.length : 1;
  learning.progression = {
    current_phase: learning.state,
    progress_percent: Math.round(progress * 1000) / 10,
    next_phase: next,
    requirements_met: reqs.every((r) => r.met),
    user_approval_required: next === 'AUTO_CONFIRMED',
  };
  return learning.progression;
}

/**
 * Recomputes `learning.progression` and applies the automatic promotions the statistics allow
 * (never the one to AUTO_CONFIRMED). Returns the workflow.
 */
export function evaluateLearning(
  workflow: Workflow,
  options: { now?: Date; thresholds?: Partial<LearningThresholds> } = {},
): Workflow {
  const learning = learningOf(workflow, options.thresholds);
  workflow.learning_state = learning.state;
  for (;;) {
    const progression = refreshProgression(workflow);
    if (!progression.requirements_met || !progression.next_phase || progression.user_approval_required) break;
    const reqs = requirements(learning.state, learning.thresholds, workflow.stats!);
    transition(
      workflow,
      progression.next_phase,
      `requirements met: ${reqs.map((r) => r.what).join(', ')}`,
      options.now ?? new Date(),
    );
  }
  return workflow;
}

/** What is still missing before the next phase, in words (empty when the requirements are met). */
export function unmetRequirements(workflow: Workflow): string[] {
  const learning = learningOf(workflow);
  return requirements(learning.state, learning.thresholds, workflow.stats!)
    .filter((r) => !r.met)
    .map((r) => r.what);
}

/**
 * The user's explicit approval: AUTO_CANDIDATE → AUTO_CONFIRMED when the supervised runs reached
 * their thresholds. From an earlier state, approval moves one phase when that phase's
 * requirements are met. Refuses (LearningTransitionError listing what is missing) otherwise.
 */
export function promote(workflow: Workflow, approval: { approvedBy: string; now?: Date; reason?: string }): Workflow {
  if (!approval?.approvedBy)
    throw new LearningTransitionError(
      workflow.workflow_id,
      'promotion needs the name of the person approving it (approvedBy)',
    );
  const learning = learningOf(workflow);
  const next = nextPhase(learning.state);
  if (!next)
    throw new LearningTransitionError(workflow.workflow_id, `already ${learning.state}; there is no phase above it`);
  const unmet = unmetRequirements(workflow);
  if (unmet.length)
    throw new LearningTransitionError(workflow.workflow_id, `cannot promote from ${learning.state} to ${next}`, unmet);
  const met = requirements(learning.state, learning.thresholds, workflow.stats!).map((r) => r.what);
  transition(
    workflow,
    next,
    `approved by ${approval.approvedBy}${approval.reason ? ` (${approval.reason})` : ''}; ${met.join(', ')}`,
    approval.now ?? new Date(),
  );
  refreshProgression(workflow);
  return workflow;
}

/** One phase down (AUTO_CONFIRMED → AUTO_CANDIDATE → COACHING → OBSERVATION), logged with its reason. */
export function demote(workflow: Workflow, reason: string, options: { now?: Date } = {}): Workflow {
  const learning = learningOf(workflow);
  const previous = previousPhase(learning.state);
  if (!previous)
    throw new LearningTransitionError(workflow.workflow_id, `already ${learning.state}; there is no phase below it`);
  if (!reason) throw new LearningTransitionError(workflow.workflow_id, 'a demotion needs a reason');
  transition(workflow, previous, reason, options.now ?? new Date());
  // The phase is entered afresh: its runs are counted from zero again.
  const counters = PHASE_COUNTERS[previous];
  workflow.stats![counters.runs] = 0;
  workflow.stats![counters.successes] = 0;
  refreshProgression(workflow);
  return workflow;
}

export interface ExecutionRecord {
  mode: ExecutionMode;
  success: boolean;
  durationSeconds?: number;
  /** The lowest node-matching similarity seen during the run. */
  confidence?: number;
  /** The run saw a screen it did not recognise or a target that had changed. */
  uiChanged?: boolean;
  now?: Date;
}

/** Counts one run, demotes on a UI change or a confidence drop in an autonomous phase, then evaluates promotions. */
export function recordExecution(workflow: Workflow, run: ExecutionRecord): Workflow {
  const phase = MODE_PHASE[run.mode];
  if (!phase)
    throw new LearningTransitionError(
      workflow.workflow_id,
      `unknown execution mode "${run.mode}" (expected one of ${Object.keys(MODE_PHASE).join(', ')})`,
    );
  const learning = learningOf(workflow);
  const stats = workflow.stats!;
  const counters = PHASE_COUNTERS[phase];
  stats[counters.runs] = count(stats, counters.runs) + 1;
  if (run.success) stats[counters.successes] = count(stats, counters.successes) + 1;
  const total = count(stats, 'total_executions');
  const successes = count(stats, 'total_successes') + (run.success ? 1 : 0);
  stats.total_executions = total + 1;
  stats.total_successes = successes;
  stats.success_rate_overall = Math.round((successes / (total + 1)) * 1000) / 1000;
  if (run.durationSeconds !== undefined)
    stats.avg_duration_seconds =
      Math.round(((count(stats, 'avg_duration_seconds') * total + run.durationSeconds) / (total + 1)) * 100) / 100;
  const now = run.now ?? new Date();
  const autonomous = learning.state === 'AUTO_CANDIDATE' || learning.state === 'AUTO_CONFIRMED';
  if (autonomous && phase === learning.state) {
    const reason = demotionReason(workflow, run, phase);
    if (reason) return demote(workflow, reason, { now });
  }
  return evaluateLearning(workflow, { now });
}

function demotionReason(workflow: Workflow, run: ExecutionRecord, phase: LearningState): string | null {
  if (run.uiChanged) return `the user interface changed during a ${phase} run`;
  if (run.confidence !== undefined && run.confidence < DEMOTION_MIN_CONFIDENCE)
    return `recognition confidence dropped to ${run.confidence.toFixed(3)} (< ${DEMOTION_MIN_CONFIDENCE}) during a ${phase} run`;
  const t = workflow.learning!.thresholds;
  const minRate =
    phase === 'AUTO_CONFIRMED' || phase === 'AUTO_CANDIDATE' ? t.min_auto_candidate_success_rate_for_auto_confirmed : 0;
  const runs = count(workflow.stats!, PHASE_COUNTERS[phase].runs);
  // A single failure among few runs is noise; the rate is judged once there are enough runs to mean something.
  const enough = Math.max(5, Math.ceil(1 / Math.max(1e-9, 1 - minRate)));
  if (runs >= enough && rate(workflow.stats!, phase) < minRate)
    return `success rate fell to ${(rate(workflow.stats!, phase) * 100).toFixed(1)} % (< ${(minRate * 100).toFixed(1)} %) over ${runs} ${phase} runs`;
  return null;
}

/** The highest of the learning states a document claims (its `learning.state` and `learning_state`). */
function claimedState(workflow: Workflow): LearningState {
  const claims = [workflow.learning?.state, workflow.learning_state].filter(
    (s): s is LearningState => !!s && LEARNING_STATES.includes(s),
  );
  return claims.reduce<LearningState>(
    (high, s) => (LEARNING_STATES.indexOf(s) > LEARNING_STATES.indexOf(high) ? s : high),
    'OBSERVATION',
  );
}

export interface ImportAdmission {
  /** What the document claimed. */
  claimed: LearningState;
  /** What the workflow is stored at. */
  state: LearningState;
  approved_by?: string;
}

/**
 * The learning state of a workflow that arrives from outside (an import): a state above
 * OBSERVATION is the product's to grant, not the document's to claim. Without an approval the
 * workflow goes back to OBSERVATION, its thresholds no lower than the defaults and the run
 * counters of the phases it claimed emptied, so only the product's own runs and `promote()`
 * raise it again. With an approval (an admin's explicit `?approve=true`) the state is kept and
 * the approval written into the history. A workflow at OBSERVATION is left as it came.
 */
export function admitImported(workflow: Workflow, options: { approvedBy?: string; now?: Date } = {}): ImportAdmission {
  const claimed = claimedState(workflow);
  if (claimed === 'OBSERVATION') return { claimed, state: claimed };
  const now = options.now ?? new Date();
  const learning = learningOf(workflow);
  if (options.approvedBy) {
    learning.state = claimed;
    workflow.learning_state = claimed;
    learning.history!.push({
      at: now.toISOString(),
      from: claimed,
      to: claimed,
      reason: `imported at ${claimed}, approved by ${options.approvedBy}`,
    });
    refreshProgression(workflow);
    return { claimed, state: claimed, approved_by: options.approvedBy };
  }
  for (const key of Object.keys(DEFAULT_THRESHOLDS) as Array<keyof LearningThresholds>)
    learning.thresholds[key] = Math.max(Number(learning.thresholds[key]) || 0, DEFAULT_THRESHOLDS[key]);
  for (const phase of LEARNING_STATES.slice(1)) {
    workflow.stats![PHASE_COUNTERS[phase].runs] = 0;
    workflow.stats![PHASE_COUNTERS[phase].successes] = 0;
  }
  learning.state = claimed;
  transition(workflow, 'OBSERVATION', `imported; was ${claimed}, needs approval`, now);
  refreshProgression(workflow);
  return { claimed, state: 'OBSERVATION' };
}

/**
 * A person moves a workflow to `target`: one phase up through `promote()` (its requirements
 * must be met), or down through `demote()` as many phases as needed. Returns the state before.
 */
export function changeLearningState(
  workflow: Workflow,
  target: LearningState,
  change: { by: string; reason: string; now?: Date },
): LearningState {
  if (!LEARNING_STATES.includes(target))
    throw new LearningTransitionError(
      workflow.workflow_id,
      `unknown learning state "${String(target)}" (expected one of ${LEARNING_STATES.join(', ')})`,
    );
  if (!change.reason?.trim())
    throw new LearningTransitionError(workflow.workflow_id, 'a change of state needs a reason');
  const from = learningOf(workflow).state;
  const up = LEARNING_STATES.indexOf(target) - LEARNING_STATES.indexOf(from);
  if (up === 0) throw new LearningTransitionError(workflow.workflow_id, `already ${from}`);
  if (up > 1)
    throw new LearningTransitionError(
      workflow.workflow_id,
      `promotion goes one phase at a time: from ${from} the next is ${nextPhase(from)}`,
    );
  if (up === 1) promote(workflow, { approvedBy: change.by, reason: change.reason, now: change.now });
  else
    while (learningOf(workflow).state !== target)
      demote(workflow, `demoted by ${change.by}: ${change.reason}`, { now: change.now });
  return from;
}
