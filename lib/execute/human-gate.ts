/**
 * Where a person takes part in a run: AUTO_CANDIDATE asks them to confirm each step (and what
 * to do on an unexpected screen), COACHING shows them the next step with its target
 * highlighted, and `require_confirmation_for` rules ask them in any mode. The CLI answers on
 * the terminal, the nodes through their second input, an HTTP endpoint or the dashboard.
 */
import type { Point2, BBox } from '../vision/types';
import type { PromptTexts } from './step-wording';

export interface StepPrompt {
  execution_id: string;
  workflow_id: string;
  step: number;
  edge_id: string;
  /** A sentence: 'click the button "Valider"'. */
  description: string;
  /** Where the target is on the screen, when it was found. */
  bbox: BBox | null;
  point: Point2 | null;
  /** A screenshot with the target outlined, when one was written. */
  highlight: string | null;
  /** Why a confirmation is asked: the learning state, or a safety rule. */
  reason: string;
  /** The description and the reason in English and in French, for a page in the reader's language. */
  texts?: PromptTexts;
}

export interface UnexpectedScreen {
  execution_id: string;
  workflow_id: string;
  step: number;
  edge_id: string;
  expected: string[];
  seen: string;
  screenshot: string | null;
}

export interface HumanGate {
  /** Resolves true to go ahead, false to stop the run. */
  confirm(prompt: StepPrompt, signal?: AbortSignal): Promise<boolean>;
  /** Shows the step the person should now do (COACHING); the runner then waits for the screen. */
  coach(prompt: StepPrompt): void | Promise<void>;
  /** AUTO_CANDIDATE paused on a screen it did not expect: look again ("retry") or stop. */
  unexpected(info: UnexpectedScreen, signal?: AbortSignal): Promise<'retry' | 'abort'>;
}

/** Nobody to ask: confirmations are refused, coaching goes to the log only. */
export const NO_HUMAN: HumanGate = {
  confirm: async () => false,
  coach: () => undefined,
  unexpected: async () => 'abort',
};
