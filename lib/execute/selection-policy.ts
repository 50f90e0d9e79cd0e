/**
 * Selection policies: which one of several matching candidates a step means, when the workflow
 * says so explicitly (Playwright's `first`/`nth` opt-outs of strict mode, plus the seed's
 * business policies such as `first_pending`: the first row whose status is "À valider").
 *
 *   first | last | nth:K            order top-to-bottom, left-to-right
 *   first_pending                   the row of the first "À valider" (or "En attente", "pending")
 *   status:TEXT | first_with:TEXT   the row of the first TEXT on the screen
 */
import type { BBox, Point2, ScreenAnalysis } from '../vision/types';
import { textSimilarity } from '../vision/text-match';

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
}

/** The statuses a policy looks for, or null when it only orders candidates. */
export function policyStatuses(policy: string | undefined): string[] | null {
  if (!policy) return null;
  if (policy === 'first_pending' || policy === 'pending') return PENDING_STATUSES;
  const m = /^(?:status|first_with|first_with_status|row_with):(.+)$/.exec(policy);
  return m ? [m[1].trim()] : null;
}

export function isKnownPolicy(policy: string): boolean {
  return (
    ['first', 'last', 'first_match'].includes(policy) || /^nth:\d+$/.test(policy) || policyStatuses(policy) !== null
  );
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
