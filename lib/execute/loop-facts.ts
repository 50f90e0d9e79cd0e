/**
 * The facts a loop condition reads (lib/contracts/condition.ts), from the settled frame the
 * runner is deciding on: texts on the screen (OCR, tolerant as the node templates are), the
 * loop's pass count, the run's parameter values and, only when asked, the edge's target.
 */
import type { ConditionFacts } from '../contracts/condition';
import { textOnScreen } from './node-recognizer';
import type { Frame } from './screen-observer';

/** As sure as the node templates need to be that a text is there. */
const PRESENT = 0.82;

export function screenFacts(
  frame: Frame,
  parameters: Record<string, string>,
  iteration: number,
  targetVisible: () => Promise<boolean>,
): ConditionFacts {
  const analysis = frame.analysis;
  return {
    iteration,
    parameters,
    visible: (text) => text.trim() !== '' && textOnScreen(analysis, text) >= PRESENT,
    count: (text) =>
      text.trim() === ''
        ? 0
        : analysis.text.filter((line) => textOnScreen({ ...analysis, text: [line] }, text) >= PRESENT).length,
    targetVisible,
  };
}
