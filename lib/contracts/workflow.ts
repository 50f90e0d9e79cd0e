/**
 * The learned workflow graph (seeds/vision-architecture.md, layer 4) with `parameters` and
 * `learning` as DESIGN.md adds them. schemas/workflow.schema.json is the contract.
 */
import type { ElementType } from './screen-state';

export const LEARNING_STATES = ['OBSERVATION', 'COACHING', 'AUTO_CANDIDATE', 'AUTO_CONFIRMED'] as const;
export type LearningState = (typeof LEARNING_STATES)[number];

/** What to act on, described by meaning (a Playwright-style locator value). */
export interface Target {
  text?: string;
  label?: string;
  role?: string;
  type?: ElementType | string;
  /** Text of a neighbour that disambiguates, e.g. the row's patient name. */
  near?: string;
  /** Path (relative to the workflow file) or data: URL of a small crop around the target. */
  anchor_image?: string;
  /** Position of the target inside its window, 0..1 on each axis: a last-resort hint. */
  relative_position?: [number, number];
  /** Position of the target's centre inside its container (dialog, form, table), 0..1 on each axis. */
  container_position?: [number, number];
  /** The type of that container. */
  container_type?: string;
  nth?: number;
  selection_policy?: string;
  /** @deprecated From the seed format: accepted when loading, not read. */
  fallback_strategy?: string;
  optional?: boolean;
}

export type ActionType =
  'mouse_click' | 'double_click' | 'right_click' | 'type_text' | 'key_press' | 'scroll' | 'drag' | 'wait' | 'compound';

export interface WorkflowAction {
  type: ActionType;
  strategy?: string;
  target?: Target;
  secondary_target?: Target;
  /** type_text: literal text, or "{{param}}" references to workflow parameters. */
  text?: string;
  /** key_press: readable key names, e.g. ["CTRL", "S"]. */
  keys?: string[];
  /** compound: the steps, each an action; `repeat: "all"` acts on every match. */
  steps?: Array<WorkflowAction & { repeat?: 'all' | number }>;
  repeat?: 'all' | number;
  parameters?: {
    click_offset?: [number, number];
    /** @deprecated From the seed format: accepted when loading, not read (the action type double_click is). */
    double_click?: boolean;
    wait_after_ms?: number;
    clear_field?: boolean;
    scroll_delta?: number;
    drag_to?: Target;
    wait_ms?: number;
    /** A tag the safety rules' require_confirmation_for can name, e.g. "delete". */
    category?: string;
  };
}

export interface ScreenTemplate {
  window?: {
    app_name_any_of?: string[];
    title_contains_any_of?: string[];
    /** A regular expression the whole title must match, e.g. "^\\*" for a modified document. */
    title_pattern?: string;
  };
  required_text_any?: string[];
  /** Texts that must not be on the screen: one of them rules the node out. */
  absent_text?: string[];
  required_ui_elements?: Array<{
    role?: string;
    type_any_of?: string[];
    label_contains_any_of?: string[];
    min_count?: number;
  }>;
  embedding_prototype?: {
    provider: string;
    /** @deprecated From the seed format: accepted when loading, not read. */
    vector_id?: string;
    /** The mean state embedding, stored inline. */
    vector?: number[];
    min_cosine_similarity: number;
    sample_count: number;
  };
  /** @deprecated From the seed format: accepted when loading, not read. */
  optional_elements?: Array<{ role?: string; type?: string }>;
  /** "Like that node, plus these constraints": its evidence is added to this template's. */
  similar_to_node?: string;
  additional_constraints?: {
    /** A table row showing this status must be on the screen. */
    must_have_row_with_status?: string;
  };
}

export interface WorkflowNode {
  node_id: string;
  label: string;
  description?: string;
  screen_template: ScreenTemplate;
  metadata?: {
    created_at?: string;
    updated_at?: string;
    observation_count?: number;
    tags?: string[];
    /** The learner's cosine similarities of the node's screenshots to its prototype. */
    similarity_to_prototype?: { min: number; mean: number };
  };
}

export interface EdgeStats {
  manual_executions: number;
  assist_executions: number;
  auto_executions: number;
  success_count: number;
  failure_count: number;
  avg_execution_time_ms: number;
  last_executed_at: string | null;
}

/** Which healing strategy found an edge's target (lib/execute/edge-stats.ts). */
export interface HealingMemory {
  preferred_strategy: string | null;
  /** Successes per strategy over the edge's life. */
  strategy_successes: Record<string, number>;
  last_strategy: string | null;
}

export interface WorkflowEdge {
  edge_id: string;
  from_node: string;
  to_node?: string;
  to_node_candidates?: string[];
  action: WorkflowAction;
  branching?: { type: string; detection_method?: string; learned_probability?: Record<string, number> };
  condition?: { type: 'while' | 'until'; expression?: string; max_iterations: number };
  constraints?: {
    max_delay_seconds?: number;
    /** @deprecated From the seed format: accepted when loading, not read. */
    pre_conditions?: string[];
    /** @deprecated From the seed format: accepted when loading, not read. */
    post_conditions?: string[];
  };
  post_conditions?: {
    expected_node?: string;
    min_similarity?: number;
    timeout_seconds?: number;
    /**
     * The next screen is about the item acted on: the text of cell `cell` (0 = leftmost) of the
     * row of the item that step `step` of the action acted on must show on it (its title or text).
     */
    same_item?: { step: number; cell: number };
    /**
     * A step back to its own screen (a form emptied after each record): the steps of the action
     * whose value (typed text, clicked item's text) must show nowhere on the next screen (`gone`:
     * the record was taken), or somewhere it did not before the step (`shown`: a new row).
     */
    own_screen?: { gone: number[]; shown: number[] };
  };
  stats?: EdgeStats;
  metadata?: {
    created_at?: string;
    updated_at?: string;
    /** How many demonstrations went to each destination node, for learned_probability. */
    destination_counts?: Record<string, number>;
    healing?: Partial<HealingMemory>;
    /** Tags the safety rules' require_confirmation_for can name. */
    tags?: string[];
    /** How the learner chose each step's selection policy (lib/graph/choice-rules.ts). */
    choice_rules?: ChoiceRule[];
  };
}

/** A learned (or person-set) rule for which of several similar items a step acts on. */
export interface ChoiceRule {
  /** The step of the edge's action (0 for a single action). */
  step: number;
  /** The policy set on that step's target (`needs_rule` when none explains the demonstrations). */
  policy: string;
  /** Other policies that also explained every demonstration, less specific. */
  also_consistent: string[];
  /** How many demonstrations the rule was checked against. */
  demonstrations: number;
  set_by: 'learner' | 'person';
}

export interface WorkflowParameter {
  name: string;
  default: string;
  description?: string;
  /** Masked in records, logs and exports (as is any parameter named like a password, PIN or IBAN). */
  secret?: boolean;
}

export interface SafetyRules {
  forbidden_text_clicks: string[];
  forbidden_roles: string[];
  max_amount_without_manual_check?: number;
  require_confirmation_for: string[];
  /** Forbidden texts the user explicitly allowed for this workflow. */
  allowed_text_clicks?: string[];
}

export interface LearningThresholds {
  min_observed_runs_for_assist: number;
  min_assist_runs_for_auto_candidate: number;
  min_assist_success_rate_for_auto_candidate: number;
  min_auto_candidate_runs_for_auto_confirmed: number;
  min_auto_candidate_success_rate_for_auto_confirmed: number;
}

export interface Learning {
  state: LearningState;
  thresholds: LearningThresholds;
  progression?: {
    current_phase: LearningState;
    progress_percent: number;
    next_phase: LearningState | null;
    requirements_met: boolean;
    user_approval_required: boolean;
  };
  history?: Array<{ at: string; from: LearningState; to: LearningState; reason: string }>;
}

export interface Workflow {
  workflow_id: string;
  name: string;
  description?: string;
  version?: number;
  learning_state?: LearningState;
  created_at?: string;
  updated_at?: string;
  entry_nodes?: string[];
  end_nodes?: string[];
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
  parameters?: WorkflowParameter[];
  safety_rules?: SafetyRules;
  /**
   * Robots (issue 18): a job whose robot was lost after its first desktop action may be run
   * again from the start without asking anyone. Only for workflows that are safe to repeat.
   */
  retry_on_robot_loss?: boolean;
  stats?: {
    observed_runs: number;
    assist_runs: number;
    auto_candidate_runs: number;
    auto_confirmed_runs: number;
    success_rate_overall: number;
    avg_duration_seconds: number;
    total_executions: number;
    /** Successful runs per phase and in all, so rates can be recomputed after any run. */
    observed_successes?: number;
    assist_successes?: number;
    auto_candidate_successes?: number;
    auto_confirmed_successes?: number;
    total_successes?: number;
  };
  learning?: Learning;
  sub_workflows?: Array<{
    sub_workflow_id: string;
    /** The edge that runs the sub-workflow instead of its own action. */
    entry_edge?: string;
    /** @deprecated From the seed format: accepted when loading, not read. */
    exit_edge?: string;
  }>;
  metadata?: {
    created_by?: string;
    customer?: string;
    application?: string;
    tags?: string[];
    /** What the learner embedded ("active_window"): set only on learned workflows. */
    embedding_frame?: string;
    /** The recorded sessions the workflow was learned from. */
    sessions?: string[];
  };
}

/** The seed's thresholds, the defaults of every new workflow. */
export const DEFAULT_THRESHOLDS: LearningThresholds = {
  min_observed_runs_for_assist: 5,
  min_assist_runs_for_auto_candidate: 10,
  min_assist_success_rate_for_auto_candidate: 0.9,
  min_auto_candidate_runs_for_auto_confirmed: 20,
  min_auto_candidate_success_rate_for_auto_confirmed: 0.95,
};

/** Destructive actions are never clicked unless the user explicitly allows them. */
export const DEFAULT_SAFETY_RULES: SafetyRules = {
  forbidden_text_clicks: ['Supprimer', 'Effacer', 'Annuler la facture', 'Delete', 'Remove', 'Erase', 'Cancel invoice'],
  forbidden_roles: ['delete_action', 'dangerous_action'],
  require_confirmation_for: ['delete', 'irreversible_action'],
};
