/**
 * A HumanGate answered from outside the process's terminal: a Node-RED node's control messages
 * (`msg.confirm`), the HTTP endpoint `POST /rpa-vision/executions/:id/confirm`, or the dashboard
 * (which calls that endpoint). Each question waits until it is answered, the run is cancelled,
 * or its timeout passes (then: no). Pending questions are listed process-wide by execution id,
 * and so is the step each COACHING run is showing, for a page that follows it on the live screen.
 */
import type { HumanGate, StepPrompt, UnexpectedScreen } from './human-gate';

export type PendingQuestion =
  | { kind: 'confirm'; prompt: StepPrompt; asked_at: string }
  | { kind: 'unexpected'; info: UnexpectedScreen; asked_at: string };

type Answer = boolean | 'retry' | 'abort';

interface Waiting {
  question: PendingQuestion;
  answer(value: boolean | 'retry' | 'abort'): void;
}

const REGISTRY = Symbol.for('rpa-vision.execute.pending-questions');

function registry(): Map<string, Waiting> {
  const g = globalThis as unknown as Record<symbol, Map<string, Waiting> | undefined>;
  return (g[REGISTRY] ??= new Map());
}

const COACHING = Symbol.for('rpa-vision.execute.coaching-steps');

/** The step a COACHING run shows now, with when it was first shown. */
export interface CoachingStep extends StepPrompt {
  since: string;
}

function coaching(): Map<string, CoachingStep> {
  const g = globalThis as unknown as Record<symbol, Map<string, CoachingStep> | undefined>;
  return (g[COACHING] ??= new Map());
}

/** The step each run being coached shows now (one per execution). */
export function coachingSteps(): CoachingStep[] {
  return [...coaching().values()];
}

/** Forgets the coaching step of a run that ended (the runner says nothing once it is done). */
export function endCoaching(executionId: string): void {
  coaching().delete(executionId);
}

/** Every question waiting for a person, by execution id. */
export function pendingQuestions(): Array<{ execution_id: string } & PendingQuestion> {
  return [...registry().entries()].map(([execution_id, w]) => ({ execution_id, ...w.question }));
}

/** Answers the question of `executionId` (true/"retry" = go ahead); false when there is none. */
export function answerQuestion(executionId: string, value: boolean | 'retry' | 'abort'): boolean {
  const w = registry().get(executionId);
  if (!w) return false;
  w.answer(value);
  return true;
}

export interface RemoteGateOptions {
  /** Called when a question is asked (the node sends it on its prompt output, sets its status). */
  onQuestion?: (q: PendingQuestion) => void;
  /** Called for each coaching step. */
  onCoach?: (prompt: StepPrompt) => void;
  /** How long a question waits before counting as "no". Default 10 minutes. */
  timeoutMs?: number;
}

export class RemoteHumanGate implements HumanGate {
  constructor(private readonly options: RemoteGateOptions = {}) {}

  private ask(executionId: string, question: PendingQuestion, fallback: Answer, signal?: AbortSignal): Promise<Answer> {
    return new Promise<Answer>((resolve) => {
      const finish = (value: Answer) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (registry().get(executionId)?.question === question) registry().delete(executionId);
        resolve(value);
      };
      const onAbort = () => finish(fallback);
      const timer = setTimeout(() => finish(fallback), this.options.timeoutMs ?? 600_000);
      signal?.addEventListener('abort', onAbort, { once: true });
      registry().set(executionId, { question, answer: finish });
      // While a question waits, the run is not showing a step to do.
      endCoaching(executionId);
      this.options.onQuestion?.(question);
    });
  }

  confirm(prompt: StepPrompt, signal?: AbortSignal): Promise<boolean> {
    return this.ask(
      prompt.execution_id,
      { kind: 'confirm', prompt, asked_at: new Date().toISOString() },
      false,
      signal,
    ).then((v) => v === true || v === 'retry');
  }

  coach(prompt: StepPrompt): void {
    const shown = coaching().get(prompt.execution_id);
    const same = shown?.step === prompt.step && shown.edge_id === prompt.edge_id;
    coaching().set(prompt.execution_id, { ...prompt, since: same ? shown.since : new Date().toISOString() });
    this.options.onCoach?.(prompt);
  }

  unexpected(info: UnexpectedScreen, signal?: AbortSignal): Promise<'retry' | 'abort'> {
    return this.ask(
      info.execution_id,
      { kind: 'unexpected', info, asked_at: new Date().toISOString() },
      'abort',
      signal,
    ).then((v) => (v === true || v === 'retry' ? 'retry' : 'abort'));
  }
}
