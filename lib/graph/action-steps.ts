/**
 * The actions done on one screen, as workflow actions: clicks with their target by meaning,
 * typed text (bound to the field clicked just before), key shortcuts as keys, scrolls merged.
 * Each action has a signature — what it does, without the typed data — so the same action in
 * two demonstrations is recognised as one edge.
 */
import type { Target, WorkflowAction } from '../contracts/workflow';
import type { BBox, UIElement } from '../contracts/screen-state';
import type { ScreenAnalysis } from '../vision/types';
import { editDistance, normalizeText, symbolicLabel } from '../vision/text-match';
import type { ObservedAction } from './session-observer';
import type { Observation } from './observation';
import { describeClickTarget } from './target-describer';
import { asLabel, labelOfFieldShowing } from './names';

export interface LearnedStep {
  action: WorkflowAction;
  /**
   * type_text steps: the text as typed in this demonstration, whether it was masked, the label of
   * the field it went into when the screen shows one (the parameter's name), and the screen right
   * after the typing (the next action's), which shows the text in its field.
   */
  typed?: { text: string; masked: boolean; field?: string; shownOn?: Observation };
  /** Click steps: the element clicked (null: none there) on the screen it was clicked on (`frame`: where that is). */
  clicked?: { element: UIElement | null; analysis: ScreenAnalysis; frame: BBox };
}

const FIELD_TYPES = new Set(['text_input', 'dropdown']);

/** Pointer actions on an item; a drag's item is the one it picks up (where it drops is its drag_to). */
const POINTER_ACTIONS = new Set(['mouse_click', 'double_click', 'right_click', 'drag']);

/**
 * Whether a step clicks (or drags) an item named by its own text that may be data of the run: a
 * key of a keypad, a radio, a list entry (a `table_row` of role `list_item` when the list is
 * drawn in a box) — not a field (named by its label) nor a table's row (the choice rules say
 * which row).
 */
export function clicksNamedItem(action: WorkflowAction): boolean {
  const t = action.target;
  return (
    POINTER_ACTIONS.has(action.type) &&
    !!t?.text &&
    !t.label &&
    (t.type !== 'table_row' || t.role === 'list_item') &&
    !FIELD_TYPES.has(String(t.type ?? ''))
  );
}

/** A target's name for signatures: its text, or its signs when it has no letter or digit ("*"). */
function nameOf(text: unknown): string {
  const raw = String(text ?? '');
  return normalizeText(raw) || raw.replace(/\s+/g, '');
}

/**
 * What an action does, typed data left out. With `anyClickedText`, what an action looks like:
 * the text of a clicked item (`clicksNamedItem`) left out too, so demonstrations that clicked
 * other keys at the same places of the task (7 × 6 =, 3 × 4 =) are told to be one action.
 */
export function actionSignature(action: WorkflowAction, options: { anyClickedText?: boolean } = {}): string {
  const t = action.target;
  const dropped = action.parameters?.drag_to as Target | undefined;
  // Detection may call a key a button in one demonstration and a text in the next: any will do.
  // Any item dragged, but onto the same place: dropped elsewhere is another action.
  if (options.anyClickedText && clicksNamedItem(action))
    return action.type === 'drag'
      ? `drag(*>${actionSignature({ type: 'mouse_click', target: dropped })})`
      : `${action.type}(*)`;
  const what = t
    ? nameOf(t.label ?? t.text) ||
      normalizeText(String(t.near ?? '')) ||
      (t.relative_position ?? []).map((x) => Math.round(x * 20)).join(',')
    : '';
  switch (action.type) {
    case 'compound':
      return (action.steps ?? []).map((a) => actionSignature(a, options)).join(' ; ');
    case 'type_text':
      return `type_text(${what})`;
    case 'key_press':
      return `key_press(${(action.keys ?? []).join('+')})`;
    case 'scroll':
      return `scroll(${Math.sign(Number(action.parameters?.scroll_delta ?? 0))})`;
    case 'drag':
      return `drag(${what}|${t?.type ?? ''}>${actionSignature({ type: 'mouse_click', target: dropped })})`;
    default:
      return `${action.type}(${what}|${t?.type ?? ''})`;
  }
}

/** Two readings of one label differ in at most this share of their letters ("Eie", "Eile"). */
const READ_AGAIN_DIFFERENCE = 0.4;
/** Labels shorter than this are told apart by any letter ("C" and "CE" are two keys). */
const READ_AGAIN_MIN_LETTERS = 3;
/** How far apart (share of the window) the same place may be. */
const SAME_PLACE = 0.03;

/**
 * Whether two demonstrations clicked one item whose label OCR read twice, not two items: the
 * same kind of element at the same place in the window, labels of ≥ 3 letters that differ in
 * a few letters only, with the same digits. Anything else — another digit or sign
 * (the keys of a keypad), another word, a place further off — is two items: the clicked text
 * is data (learn.ts makes it a parameter). One rule for both, so an OCR variant of a menu's
 * title ("Eie" for Wine's underlined "File") is never taken for data to be chosen at run time.
 */
export function sameItemReadTwice(a: Target | undefined, b: Target | undefined): boolean {
  const ta = String(a?.label ?? a?.text ?? '');
  const tb = String(b?.label ?? b?.text ?? '');
  if (ta === tb && !!ta) return true;
  if (!a || !b || !sameKind(a.type, b.type)) return false;
  const [p, q] = [a.relative_position, b.relative_position];
  if (!p || !q || Math.abs(p[0] - q[0]) > SAME_PLACE || Math.abs(p[1] - q[1]) > SAME_PLACE) return false;
  // A click on no text (in an editor's page) is known by its place and the words near it, which
  // OCR may read differently each time ("Warning: you are…", "Waning: you are…").
  if (!ta && !tb) return readAlike(String(a.near ?? ''), String(b.near ?? ''), 0);
  // Labels of signs are their signs ("=" read "二" is "=", "×" is not "÷").
  const [sa, sb] = [symbolicLabel(ta), symbolicLabel(tb)];
  if (sa !== null || sb !== null) return sa === sb;
  return readAlike(ta, tb, READ_AGAIN_MIN_LETTERS);
}

/** Two OCR readings of one text: the same digits, letters that differ in a few places only. */
function readAlike(ta: string, tb: string, minLetters: number): boolean {
  const [na, nb] = [normalizeText(ta), normalizeText(tb)];
  if (na === nb) return !!na || minLetters === 0;
  const notLetters = (t: string) => t.replace(/[\p{L}\s]/gu, '');
  if (notLetters(na) !== notLetters(nb)) return false;
  const letters = (t: string) => t.replace(/[^\p{L}]/gu, '');
  const [la, lb] = [letters(na), letters(nb)];
  if (Math.min(la.length, lb.length) < Math.max(1, minLetters)) return false;
  return editDistance(la, lb) <= Math.max(la.length, lb.length) * READ_AGAIN_DIFFERENCE;
}

/** Kinds detection gives one item in one demonstration and another in the next (a key: a button, a text). */
const TEXT_ITEM_KINDS: ReadonlySet<string> = new Set(['button', 'text', 'link', 'icon']);

function sameKind(a: Target['type'], b: Target['type']): boolean {
  return a === b || (TEXT_ITEM_KINDS.has(String(a)) && TEXT_ITEM_KINDS.has(String(b)));
}

/**
 * The text a step clicks by when its demonstrations read one item several ways: the reading most
 * of them agree on, else the one in the script of the others (not an ideograph read for a sign),
 * else the longest (OCR drops letters more often than it adds some: "Eile" for "Eie").
 */
export function bestReading(texts: string[]): string {
  const count = (t: string) => texts.filter((x) => x === t).length;
  const latin = (t: string) => (/[^\p{Script=Latin}\p{N}\p{P}\p{S}\s]/u.test(t) ? 0 : 1);
  return [...new Set(texts)].sort((x, y) => count(y) - count(x) || latin(y) - latin(x) || y.length - x.length)[0];
}

/**
 * Whether two demonstrations' actions are the same one although their signatures differ: the
 * same steps, each click on one item read twice (sameItemReadTwice).
 */
export function sameActionReadTwice(a: WorkflowAction, b: WorkflowAction): boolean {
  const as = a.type === 'compound' ? (a.steps ?? []) : [a];
  const bs = b.type === 'compound' ? (b.steps ?? []) : [b];
  if (as.length !== bs.length) return false;
  return as.every((x, i) => {
    const y = bs[i];
    if (actionSignature(x) === actionSignature(y)) return true;
    return (
      x.type !== 'drag' && POINTER_ACTIONS.has(x.type) && x.type === y.type && sameItemReadTwice(x.target, y.target)
    );
  });
}

/**
 * The texts a click step's demonstrations clicked when they are data (several items, the run
 * names one), the step's own text first; null when every demonstration clicked the step's item,
 * however OCR read it.
 */
export function clickedData(step: Target, recorded: Array<Target | undefined>): string[] | null {
  const values = [
    ...new Set([String(step.text), ...recorded.map((t) => t?.text).filter((t) => !!t)].map((t) => String(t).trim())),
  ];
  if (values.length <= 1) return null;
  return recorded.every((t) => !t?.text || sameItemReadTwice(step, t)) ? null : values;
}

/**
 * The label of the field a text was typed into: the clicked field's label, else the label beside
 * the field that shows the text on the next screenshot of the same window.
 */
function typedFieldLabel(
  text: string,
  clicked: WorkflowAction['target'] | undefined,
  next: ObservedAction | undefined,
  window: string | undefined,
): string | undefined {
  const fromClick =
    clicked && FIELD_TYPES.has(String(clicked.type)) ? asLabel(String(clicked.label ?? ''), [text]) : null;
  if (fromClick) return fromClick;
  if (!next || next.event.window?.title !== window) return undefined;
  return labelOfFieldShowing(next.observation.analysis, text) ?? undefined;
}

/**
 * A field the detector did not see (a flat Swing field is a thin frame around white): clicked
 * there, it has only a position and a neighbouring text that may be another control's. The label
 * the typed text showed beside names it, as a detected field would be; the position stays the
 * last resort. Its picture (blank, or the demonstration's text) tells nothing.
 */
function fieldByLabel(clicked: Target, label: string): Target {
  return {
    type: 'text_input',
    label,
    ...(clicked.relative_position ? { relative_position: clicked.relative_position } : {}),
  };
}

export async function stepsOf(actions: ObservedAction[]): Promise<LearnedStep[]> {
  const steps: LearnedStep[] = [];
  for (const [index, { event, observation }] of actions.entries()) {
    const previous = steps[steps.length - 1];
    switch (event.type) {
      case 'mouse_click': {
        if (!event.pos) break;
        const { target, element } = await describeClickTarget(observation, event.pos);
        if (event.drag_to) {
          // A press here and a release there: one action from A to B, both found by meaning.
          const to = (await describeClickTarget(observation, event.drag_to)).target;
          steps.push({ action: { type: 'drag', target, parameters: { drag_to: to } } });
          break;
        }
        const type =
          event.button === 'right' ? 'right_click' : (event.click_count ?? 1) >= 2 ? 'double_click' : 'mouse_click';
        steps.push({
          action: { type, target },
          clicked: { element, analysis: observation.analysis, frame: observation.frame },
        });
        break;
      }
      case 'text_input': {
        const masked = event.masked === true;
        // The recorder cuts typing at pauses: text typed on after text is the same entry.
        const continued = previous?.action.type === 'type_text' && previous.typed && previous.typed.masked === masked;
        const text = (continued ? previous.typed!.text : '') + (event.text ?? '');
        // Typed right after a click on a field: one step for the runner (focus that field, type).
        const clicked =
          previous?.action.type === 'mouse_click' &&
          previous.action.target &&
          (FIELD_TYPES.has(String(previous.action.target.type)) || !previous.action.target.type)
            ? previous.action.target
            : continued
              ? previous.action.target
              : undefined;
        const field = typedFieldLabel(text, clicked, actions[index + 1], event.window?.title);
        const target = clicked && !clicked.type && field ? fieldByLabel(clicked, field) : clicked;
        const step: LearnedStep = {
          action: target
            ? { type: 'type_text', text, target, parameters: { clear_field: true } }
            : { type: 'type_text', text },
          typed: {
            text,
            masked,
            ...(field ? { field } : {}),
            ...(actions[index + 1] ? { shownOn: actions[index + 1].observation } : {}),
          },
        };
        if (clicked || continued) steps[steps.length - 1] = step;
        else steps.push(step);
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
