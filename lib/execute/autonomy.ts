/**
 * Learning-state gating: how much the runner may do on its own. The learned state sets the
 * ceiling; `--mode` and a node's config can only lower it. The one exception is the operator
 * override (`run --mode auto` on the command line), which is explicit and logged: a person who
 * has just recorded a task must be able to try it at once.
 *
 *   observe  (OBSERVATION)    never acts; follows the person doing the task
 *   coach    (COACHING)       shows the next step, highlighted, and waits for the person
 *   confirm  (AUTO_CANDIDATE) acts after the person confirms each step; pauses on surprises
 *   auto     (AUTO_CONFIRMED) acts alone
 */
import type { LearningState, Workflow } from '../contracts/workflow';

export const MODES = ['observe', 'coach', 'confirm', 'auto'] as const;
export type RunMode = (typeof MODES)[number];

const STATE_MODE: Record<LearningState, RunMode> = {
  OBSERVATION: 'observe',
  COACHING: 'coach',
  AUTO_CANDIDATE: 'confirm',
  AUTO_CONFIRMED: 'auto',
};

export function isRunMode(x: unknown): x is RunMode {
  return typeof x === 'string' && (MODES as readonly string[]).includes(x);
}

export function learnedState(workflow: Workflow): LearningState {
  return workflow.learning?.state ?? workflow.learning_state ?? 'OBSERVATION';
}

export interface AutonomyDecision {
  mode: RunMode;
  learned_state: LearningState;
  requested: RunMode | null;
  /** True when the operator override raised autonomy above the learned state. */
  override: boolean;
  /** One sentence for the log and the report. */
  reason: string;
}

/**
 * The mode of a run. `operatorOverride` is only set by the CLI's `--mode auto`; anywhere else a
 * request above the learned state is lowered to it.
 */
export function decideMode(workflow: Workflow, requested?: RunMode | null, operatorOverride = false): AutonomyDecision {
  const learned = learnedState(workflow);
  const ceiling = STATE_MODE[learned];
  const rank = (m: RunMode) => MODES.indexOf(m);
  if (!requested)
    return {
      mode: ceiling,
      learned_state: learned,
      requested: null,
      override: false,
      reason: `learned state ${learned} → ${ceiling}`,
    };
  if (rank(requested) <= rank(ceiling))
    return {
      mode: requested,
      learned_state: learned,
      requested,
      override: false,
      reason: `requested ${requested} (learned state ${learned} allows up to ${ceiling})`,
    };
  if (operatorOverride && requested === 'auto') {
    return {
      mode: 'auto',
      learned_state: learned,
      requested,
      override: true,
      reason: `operator override: --mode auto although the learned state is ${learned} (at most ${ceiling})`,
    };
  }
  return {
    mode: ceiling,
    learned_state: learned,
    requested,
    override: false,
    reason: `requested ${requested} lowered to ${ceiling}: the learned state ${learned} does not allow more`,
  };
}

/** Whether the runner moves the mouse and keyboard itself in this mode. */
export function actsItself(mode: RunMode): boolean {
  return mode === 'confirm' || mode === 'auto';
}
