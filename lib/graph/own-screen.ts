/**
 * What a step that comes back to its own screen must show it did (issue 15, point 3): a
 * data-entry form emptied after each record, a list shown again after an item was processed.
 * That screen is recognised again whether or not the record was taken, so the recognition proves
 * nothing. What every demonstration showed about the values the step typed (or the named items it
 * clicked) becomes the edge's `own_screen` post-condition:
 * - `gone`: the value shows nowhere on the next screen (the fields came back empty: the record
 *   was taken; the processed item left the list);
 * - `shown`: the value shows somewhere on the next screen where it did not before the step
 *   (a new row, a status line), not only in the field it was typed into.
 * The learner derives it and the runner checks it with these same functions. Places are boxes
 * in screen pixels, so the screens before and after a step compare.
 */
import type { BBox } from '../contracts/screen-state';
import type { ScreenAnalysis } from '../vision/types';
import { normalizeText } from '../vision/text-match';
import { rowsWithStatus } from '../vision/selection-policy';

/** An analysed screen and where its analysed part starts on the screen. */
export interface SeenScreen {
  analysis: ScreenAnalysis;
  origin: { x: number; y: number };
}

/** The learned post-condition: steps of the edge's action, by what their value does. */
export interface OwnScreenCondition {
  gone: number[];
  shown: number[];
}

/**
 * Whether a screen can tell `value` apart from other texts: three letters or digits at least. A
 * key of a keypad ("7") or a short code shows by chance in other texts, and would make the check
 * pass or fail for nothing.
 */
export function distinctive(value: string): boolean {
  return normalizeText(value).replace(/\s+/g, '').length >= 3;
}

/** Where `value` shows on the screen (the words that read it, one place per line), in screen pixels. */
export function placesOf(screen: SeenScreen, value: string): BBox[] {
  if (!normalizeText(value)) return [];
  const { x, y } = screen.origin;
  return rowsWithStatus(screen.analysis, [value]).map((r) => [
    r.bbox[0] + x,
    r.bbox[1] + y,
    r.bbox[2] + x,
    r.bbox[3] + y,
  ]);
}

/** Whether most of `a` lies inside `b`. */
function mostlyInside(a: BBox, b: BBox): boolean {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const area = Math.max(1, (a[2] - a[0]) * (a[3] - a[1]));
  return (w * h) / area >= 0.3;
}

/** The places of `value` on `after` that are none of `known` (where it was before the step). */
export function newPlaces(after: SeenScreen, value: string, known: BBox[]): BBox[] {
  return placesOf(after, value).filter((p) => !known.some((k) => mostlyInside(p, k) || mostlyInside(k, p)));
}

/** One value of one demonstration of a step. */
export interface DemonstratedValue {
  /** The step of the edge's action that typed or clicked it. */
  step: number;
  value: string;
  /** The screens that showed it before the step's result: before the action, right after it was typed. */
  before: SeenScreen[];
}

/** One demonstration of an edge from a screen back to itself. */
export interface OwnScreenDemonstration {
  values: DemonstratedValue[];
  /** The screen that came after the action. */
  next: SeenScreen | null;
}

/**
 * The post-condition every demonstration supports, or null when none does. A value counts as gone
 * only where a screen before showed it (the text could be read), and only steps whose value every
 * demonstration has and can tell apart are kept.
 */
export function ownScreenCondition(demos: OwnScreenDemonstration[]): OwnScreenCondition | null {
  if (!demos.length || demos.some((d) => !d.next)) return null;
  const steps = [...new Set(demos[0].values.map((v) => v.step))].filter((step) =>
    demos.every((d) => d.values.some((v) => v.step === step && distinctive(v.value))),
  );
  const valueOf = (d: OwnScreenDemonstration, step: number) => d.values.find((v) => v.step === step)!;
  const gone = steps.filter((step) =>
    demos.every((d) => {
      const v = valueOf(d, step);
      return v.before.some((s) => placesOf(s, v.value).length > 0) && placesOf(d.next!, v.value).length === 0;
    }),
  );
  const shown = steps.filter((step) =>
    demos.every((d) => {
      const v = valueOf(d, step);
      return (
        newPlaces(
          d.next!,
          v.value,
          v.before.flatMap((s) => placesOf(s, v.value)),
        ).length > 0
      );
    }),
  );
  return gone.length || shown.length ? { gone, shown } : null;
}

/** One value of a run, checked on the screen after its step. */
export interface RunValue {
  step: number;
  value: string;
  /** Where it was before the step's result: its places on the screen before, the field it was typed into. */
  known: BBox[];
}

export interface OwnScreenVerdict {
  step: number;
  value: string;
  expected: 'gone' | 'shown';
  held: boolean;
}

/** The post-condition checked on the screen after the step, one verdict per value it names. */
export function checkOwnScreen(
  condition: OwnScreenCondition,
  values: RunValue[],
  after: SeenScreen,
): OwnScreenVerdict[] {
  const out: OwnScreenVerdict[] = [];
  for (const v of values) {
    if (condition.gone.includes(v.step))
      out.push({ step: v.step, value: v.value, expected: 'gone', held: placesOf(after, v.value).length === 0 });
    if (condition.shown.includes(v.step))
      out.push({
        step: v.step,
        value: v.value,
        expected: 'shown',
        held: newPlaces(after, v.value, v.known).length > 0,
      });
  }
  return out;
}
