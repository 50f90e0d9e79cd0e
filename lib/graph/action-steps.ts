/**
 * The actions done on one screen, as workflow actions: clicks with their target by meaning,
 * typed text (bound to the field clicked just before), key shortcuts as keys, scrolls merged.
 * Each action has a signature — what it does, without the typed data — so the same action in
 * two demonstrations is recognised as one edge.
 */
import type { WorkflowAction } from '../contracts/workflow';
import { normalizeText } from '../vision/text-match';
import type { ObservedAction } from './session-observer';
import { describeClickTarget } from './target-describer';

export interface LearnedStep {
  action: WorkflowAction;
  /** type_text steps: the text as typed in this demonstration and whether it was masked. */
  typed?: { text: string; masked: boolean };
}

const FIELD_TYPES = new Set(['text_input', 'dropdown']);

/** What an action does, typed data left out. */
export function actionSignature(action: WorkflowAction): string {
  const t = action.target;
  const what = t
    ? normalizeText(String(t.label ?? t.text ?? t.near ?? '')) ||
      (t.relative_position ?? []).map((x) => Math.round(x * 20)).join(',')
    : '';
  switch (action.type) {
    case 'compound':
      return (action.steps ?? []).map(actionSignature).join(' ; ');
    case 'type_text':
      return `type_text(${what})`;
    case 'key_press':
      return `key_press(${(action.keys ?? []).join('+')})`;
    case 'scroll':
      return `scroll(${Math.sign(Number(action.parameters?.scroll_delta ?? 0))})`;
    default:
      return `${action.type}(${what}|${t?.type ?? ''})`;
  }
}

export async function stepsOf(actions: ObservedAction[]): Promise<LearnedStep[]> {
  const steps: LearnedStep[] = [];
  for (const { event, observation } of actions) {
    const previous = steps[steps.length - 1];
    switch (event.type) {
      case 'mouse_click': {
        if (!event.pos) break;
        const { target } = await describeClickTarget(observation, event.pos);
        const type =
          event.button === 'right' ? 'right_click' : (event.click_count ?? 1) >= 2 ? 'double_click' : 'mouse_click';
        steps.push({ action: { type, target } });
        break;
      }
      case 'text_input': {
        const text = event.text ?? '';
        const masked = event.masked === true;
        // Clicking a field then typing is one step for the runner: focus that field, type.
        if (
          previous?.action.type === 'mouse_click' &&
          previous.action.target &&
          (FIELD_TYPES.has(String(previous.action.target.type)) || !previous.action.target.type)
        ) {
          steps[steps.length - 1] = {
            action: { type: 'type_text', text, target: previous.action.target, parameters: { clear_field: true } },
            typed: { text, masked },
          };
        } else {
          steps.push({ action: { type: 'type_text', text }, typed: { text, masked } });
        }
        break;
      }
      case 'key_press':
        if (event.keys?.length) steps.push({ action: { type: 'key_press', keys: event.keys } });
        break;
      case 'mouse_scroll': {
        const delta = event.delta ?? 0;
        if (previous?.action.type === 'scroll') {
          previous.action.parameters = {
            ...previous.action.parameters,
            scroll_delta: Number(previous.action.parameters?.scroll_delta ?? 0) + delta,
          };
        } else {
          const rel = event.pos
            ? (await describeClickTarget(observation, event.pos)).target.relative_position
            : undefined;
          steps.push({
            action: {
              type: 'scroll',
              ...(rel ? { target: { relative_position: rel } } : {}),
              parameters: { scroll_delta: delta },
            },
          });
        }
        break;
      }
      default:
        break;
    }
  }
  return steps;
}

/** One workflow action for a screen's steps: the step itself, or a compound of them. */
export function combineSteps(steps: WorkflowAction[]): WorkflowAction {
  if (steps.length === 1) return steps[0];
  if (!steps.length) return { type: 'wait', parameters: { wait_ms: 500 } };
  return { type: 'compound', steps };
}

/** The steps of an action (a compound's list, or the action alone). */
export function stepsOfAction(action: WorkflowAction): WorkflowAction[] {
  return action.type === 'compound' ? (action.steps ?? []) : action.type === 'wait' ? [] : [action];
}
