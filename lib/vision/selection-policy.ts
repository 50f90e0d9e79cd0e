/**
 * Selection policies: which one of several matching candidates a step means, when the workflow
 * says so explicitly (Playwright's `first`/`nth` opt-outs of strict mode, plus the seed's
 * business policies such as `first_pending`: the first row whose status is "À valider"). The
 * learner infers them from demonstrations (lib/graph/choice-rules.ts) with the same functions
 * the runner applies them with, so a learned rule means at run time what it meant when learned.
 *
 *   first | last | nth:K            order top-to-bottom, left-to-right
 *   first_pending                   the row of the first "À valider" (or "En attente", "pending")
 *   status:TEXT | first_with:TEXT   the row of the first TEXT on the screen
 *   row_with:{{param}}              the row that shows the run's value of a parameter (the runner
 *                                   substitutes it before applying the policy)
 *   enabled                         the only enabled candidate
 *   needs_rule                      the demonstrations follow no rule the learner found: a person
 *                                   must set one; until then the step is ambiguous, whatever is seen
 */
import type { BBox, Point2, ScreenAnalysis } from './types';
import { normalizeText, textSimilarity } from './text-match';

export const PENDING_STATUSES = ['À valider', 'En attente', 'Pending', 'To validate'];

export interface RowBand {
  /** The words that define the row (e.g. the status), and the row's vertical extent. */
  text: string;
  bbox: BBox;
  top: number;
  bottom: number;
}

export interface Positioned {
  point: Point2;
  bbox: BBox;
  /** The detected element, when there is one (its state tells an enabled candidate). */
  element?: { state: { enabled: boolean } } | null;
}

/** The policy a learner writes when no rule explains the demonstrations' choices. */
export const NEEDS_RULE = 'needs_rule';

/** The statuses a policy looks for, or null when it only orders candidates. */
export function policyStatuses(policy: string | undefined): string[] | null {
  if (!policy) return null;
  if (policy === 'first_pending' || policy === 'pending') return PENDING_STATUSES;
  const m = /^(?:status|first_with|first_with_status|row_with):(.+)$/.exec(policy);
  return m ? [m[1].trim()] : null;
}

export function isKnownPolicy(policy: string): boolean {
  return (
    ['first', 'last', 'first_match', 'enabled', NEEDS_RULE].includes(policy) ||
    /^nth:\d+$/.test(policy) ||
    policyStatuses(policy) !== null
  );
}

/** A policy in words, for the learn summary and the messages. */
export function describePolicy(policy: string): string {
  if (policy === 'first' || policy === 'first_match') return 'the first item';
  if (policy === 'last') return 'the last item';
  if (policy === 'enabled') return 'the only enabled item';
  if (policy === NEEDS_RULE) return 'no rule yet: a person must set one';
  const nth = /^nth:(\d+)$/.exec(policy);
  if (nth) return `item number ${Number(nth[1]) + 1} (counted from the top)`;
  const param = /^(?:status|first_with|first_with_status|row_with):\s*\{\{\s*(\w+)\s*\}\}$/.exec(policy);
  if (param) return `the item whose row shows the run's value of the parameter ${param[1]}`;
  const statuses = policyStatuses(policy);
  if (statuses) return `the first item whose row shows ${statuses.map((s) => `"${s}"`).join(' or ')}`;
  return `the policy "${policy}"`;
}

/** Reading order: rows top to bottom (5 px tolerance), then left to right. */
export function readingOrder<T extends Positioned>(items: T[]): T[] {
  return [...items].sort((a, b) =>
    Math.abs(a.point[1] - b.point[1]) < 5 ? a.point[0] - b.point[0] : a.point[1] - b.point[1],
  );
}

/** Rows whose text contains one of `statuses`, top to bottom. Each row is the band of its line. */
export function rowsWithStatus(analysis: ScreenAnalysis, statuses: string[]): RowBand[] {
  const rows: RowBand[] = [];
  for (const line of analysis.text) {
    for (const status of statuses) {
      const n = status.trim().split(/\s+/).length;
      let hit: BBox | null = null;
      for (let len = Math.max(1, n - 1); len <= n + 1 && !hit; len++) {
        for (let i = 0; i + len <= line.words.length && !hit; i++) {
          const words = line.words.slice(i, i + len);
          // Strict: "À valider" must not match "Validée".
          if (textSimilarity(status, words.map((w) => w.text).join(' ')) >= 0.88)
            hit = [words[0].bbox[0], line.bbox[1], words[words.length - 1].bbox[2], line.bbox[3]];
        }
      }
      if (hit) {
        const h = hit[3] - hit[1];
        rows.push({ text: status, bbox: hit, top: hit[1] - h * 0.6, bottom: hit[3] + h * 0.6 });
        break;
      }
    }
  }
  return rows.sort((a, b) => a.top - b.top);
}

/** The candidates on `row` (their centre inside the band), in reading order. */
export function onRow<T extends Positioned>(candidates: T[], row: RowBand): T[] {
  return readingOrder(candidates.filter((c) => c.point[1] >= row.top && c.point[1] <= row.bottom));
}

/** Whether `text` is on the screen (one of its lines, the same strict reading) or in the window title. */
export function shownOn(analysis: ScreenAnalysis, title: string, text: string): boolean {
  const want = normalizeText(text);
  if (!want) return false;
  return normalizeText(title).includes(want) || rowsWithStatus(analysis, [text]).length > 0;
}

/**
 * The cells of the row `bbox` stands on, left to right: each text line whose middle lies within
 * the box's height (a table's cells, a list entry's texts, the item's own text among them).
 */
export function rowCells(analysis: ScreenAnalysis, bbox: BBox): string[] {
  return analysis.text
    .filter((l) => {
      const mid = (l.bbox[1] + l.bbox[3]) / 2;
      return mid >= bbox[1] - 4 && mid <= bbox[3] + 4 && l.text.trim();
    })
    .sort((a, b) => a.bbox[0] - b.bbox[0])
    .map((l) => l.text.trim());
}

/**
 * Applies `policy` to candidates: the one it selects, or the several it cannot tell apart (two
 * equal candidates on the chosen row), or null when it selects nothing (e.g. no pending row).
 */
export function applyPolicy<T extends Positioned>(
  policy: string,
  candidates: T[],
  analysis: ScreenAnalysis,
): { chosen: T } | { tied: T[] } | null {
  const ordered = readingOrder(candidates);
  const one = (c: T | undefined) => (c ? { chosen: c } : null);
  if (policy === 'first' || policy === 'first_match') return one(ordered[0]);
  if (policy === 'last') return one(ordered[ordered.length - 1]);
  const nth = /^nth:(\d+)$/.exec(policy);
  if (nth) return one(ordered[Number(nth[1])]);
  if (policy === NEEDS_RULE) return ordered.length ? { tied: ordered } : null;
  if (policy === 'enabled') {
    const enabled = ordered.filter((c) => c.element?.state.enabled !== false);
    return enabled.length > 1 ? { tied: enabled } : one(enabled[0]);
  }
  const statuses = policyStatuses(policy);
  if (statuses) {
    for (const row of rowsWithStatus(analysis, statuses)) {
      const on = onRow(ordered, row);
      // The rule names the row; between two equal candidates on it, it says nothing (issue 15).
      if (on.length > 1) return { tied: on };
      if (on.length) return { chosen: on[0] };
    }
  }
  return null;
}
