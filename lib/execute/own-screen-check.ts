/**
 * The runner's side of the `own_screen` post-condition (lib/graph/own-screen.ts): after a step
 * that came back to its own screen, the values it typed or clicked are looked for on the screen,
 * with the learner's own functions, and the step fails when they did not go (or come) where every
 * demonstration showed them go.
 */
import type { WorkflowEdge } from '../contracts/workflow';
import { stepsOfAction } from '../graph/action-steps';
import { checkOwnScreen, distinctive, placesOf, type OwnScreenVerdict, type RunValue } from '../graph/own-screen';
import type { ActionOutcome } from './actions';
import { substituteParameters } from './parameters';
import type { Frame } from './screen-observer';
import { sleep } from './errors';

const seen = (f: Frame) => ({ analysis: f.analysis, origin: f.offset });

/**
 * The run's value of each step the post-condition names, and where it was before the step's
 * result: its places on the screen before the action, the field a typed one went into. Values a
 * screen cannot tell apart, and secrets, are left out.
 */
export function runValues(
  edge: WorkflowEdge,
  outcome: ActionOutcome,
  before: Frame,
  values: Record<string, string>,
  secrets: string[],
): RunValue[] {
  const condition = edge.post_conditions?.own_screen;
  if (!condition) return [];
  const steps = stepsOfAction(edge.action);
  const out: RunValue[] = [];
  for (const step of new Set([...condition.gone, ...condition.shown])) {
    const action = steps[step];
    const resolved = outcome.resolved.filter((r) => r.step === step).pop();
    const value =
      action?.type === 'type_text'
        ? substituteParameters(action.text ?? '', values, edge.edge_id)
        : (resolved?.label ?? '').trim();
    if (!distinctive(value) || secrets.some((s) => s && value.includes(s))) continue;
    // Typed into whatever had the focus: the field is unknown, so its own text would look new.
    if (action?.type === 'type_text' && !resolved && !condition.gone.includes(step)) continue;
    const known = placesOf(seen(before), value);
    if (action?.type === 'type_text' && resolved) known.push(resolved.bbox);
    out.push({ step, value, known });
  }
  return out;
}

/**
 * The verdicts on the screen after the step; the screen is read again for up to `waitMs` while one
 * fails (a form cleared a moment after the screen settled). Returns the last frame read.
 */
export async function waitForOwnScreen(
  edge: WorkflowEdge,
  values: RunValue[],
  after: Frame,
  capture: () => Promise<Frame>,
  signal?: AbortSignal,
  waitMs = 2000,
): Promise<{ frame: Frame; verdicts: OwnScreenVerdict[] }> {
  const condition = edge.post_conditions!.own_screen!;
  const deadline = performance.now() + waitMs;
  let frame = after;
  let verdicts = checkOwnScreen(condition, values, seen(frame));
  while (verdicts.some((v) => !v.held) && performance.now() < deadline) {
    await sleep(250, signal);
    frame = await capture();
    verdicts = checkOwnScreen(condition, values, seen(frame));
  }
  return { frame, verdicts };
}

/** What failed, as a person would say it. */
export function describeFailed(verdicts: OwnScreenVerdict[]): string {
  return verdicts
    .filter((v) => !v.held)
    .map((v) =>
      v.expected === 'gone'
        ? `"${v.value}" still shows (in every demonstration it was gone from the screen after this step: the record was taken)`
        : `"${v.value}" shows nowhere new (in every demonstration it appeared where it was not before, e.g. a new row)`,
    )
    .join('; ');
}
