/**
 * Grounding: from a target described by meaning (text/label, type, role, near text, anchor
 * image) to the point to click. Fields are found by their label but clicked on the control;
 * several equally good candidates without nth is reported as ambiguous (strict mode): never a
 * choice by position or order.
 */
import type { RgbaImage } from '../platform/types';
import {
  INTERACTIVE_TYPES,
  type BBox,
  type ElementType,
  type TextLine,
  type UIElement,
} from '../contracts/screen-state';
import { matchAnchorAgainstBoxes, matchAnchorImage } from './anchor-image';
import { decodeImage } from '../image/codec';
import { findMarkLeftOf } from './elements/element-detector';
import { area, contains, intersection } from './elements/geometry';
import { underlinedFieldBelow } from './elements/underlined-field';
import { framedFieldRightOf } from './elements/framed-field';
import {
  isSignQuery,
  misreadDistance,
  normalizeText,
  readsWithLettersMisread,
  textSimilarity,
  wordsOf,
} from './text-match';
import { findModalPanel, textUnit, type ModalPanel } from './modal-panel';
import { candidateOnTop } from './panel-on-top';
import type { LocateCandidate, LocateResult, LocateTarget, ScreenAnalysis } from './types';

/** Types whose click point is the control rather than the label text next to it. */
const LABELLED_CONTROLS = new Set<ElementType>(['text_input', 'dropdown', 'checkbox', 'radio']);
/** Elements whose words are their own (a value, a label drawn inside, a cell or heading): no other control's label. */
const WORDS_NAME_NOTHING_ELSE = new Set<ElementType>(['text_input', 'dropdown', 'table_row']);
const TYPE_ALIASES: Record<string, ElementType> = {
  input: 'text_input',
  textbox: 'text_input',
  field: 'text_input',
  select: 'dropdown',
  combobox: 'dropdown',
  combo: 'dropdown',
  row: 'table_row',
  menu: 'menu_item',
  menuitem: 'menu_item',
};

export class LocateError extends Error {
  override name = 'LocateError';
}

export function normalizeElementType(type: string | undefined): ElementType | undefined {
  if (!type) return undefined;
  const t = type.toLowerCase().replace(/-/g, '_');
  return (TYPE_ALIASES[t] ?? t) as ElementType;
}

interface Scored {
  element: UIElement | null;
  label: string;
  bbox: BBox;
  center: [number, number];
  score: number;
  strategy: string;
  /** What the candidate's type added to its score (a related-type penalty, the clickable bonus). */
  typeBias?: number;
  /** Words that are only part of a longer text (see inLongerText). */
  partOfLongerText?: boolean;
}

/**
 * Detection sometimes confuses these types (a styled select drawn like a button, a round
 * checkbox): a candidate of a related type is accepted with a small penalty rather than lost.
 */
const RELATED_TYPES: Partial<Record<ElementType, ElementType[]>> = {
  text_input: ['dropdown'],
  dropdown: ['text_input', 'button'],
  checkbox: ['radio'],
  radio: ['checkbox'],
  button: ['icon', 'dropdown', 'tab', 'link', 'menu_item', 'text'],
  icon: ['button', 'text', 'link', 'tab'],
  tab: ['button', 'link', 'text'],
  link: ['text', 'button', 'tab', 'menu_item'],
  menu_item: ['text', 'button', 'link'],
  table_row: ['text'],
};
const RELATED_PENALTY = 0.06;
/** Types clicked on their own text: OCR words alone are a fair answer when detection missed the element. */
const CLICKED_ON_TEXT = new Set<ElementType>(['button', 'tab', 'link', 'menu_item', 'icon', 'table_row', 'text']);

function typePenalty(wanted: ElementType | undefined, got: ElementType | null): number | null {
  if (!wanted || got === wanted) return 0;
  if (got && RELATED_TYPES[wanted]?.includes(got)) return RELATED_PENALTY;
  if (!got && CLICKED_ON_TEXT.has(wanted)) return RELATED_PENALTY;
  return null;
}

/** How much lower a text_fallback answer scores than the same match of the asked type. */
const TEXT_FALLBACK_PENALTY = 0.1;
/**
 * Without the type to confirm it, only words read as asked will do: a fuzzy match ("7" in
 * "Calculatrice" misread) is not "the text is on screen".
 */
const TEXT_FALLBACK_MIN_SIMILARITY = 0.9;

/**
 * A query's type is a strong hint, not a wall: when nothing of that type matches but the words are
 * on screen once, where such a control could be, that place is the answer, scored lower and named
 * `text_fallback`. Ambiguity stays an error: with the words in several places, nothing is guessed
 * and the answer stays "not found".
 */
export async function locateIn(
  analysis: ScreenAnalysis,
  target: LocateTarget,
): Promise<Omit<LocateResult, 'timing_ms'>> {
  const typed = await locateTyped(analysis, target);
  const query = target.text ?? target.label;
  if (typed.found || typed.ambiguous || typed.strategy !== 'none' || !query || !target.type) return typed;
  if (target.role || target.anchorImage || target.nth !== undefined) return typed;
  const untyped = await locateTyped(analysis, { ...target, type: undefined });
  // Words in several places are no answer; the typed "not found" stands, so a caller's own
  // healing (a relative position, a selection policy) still gets its turn.
  const type = normalizeElementType(target.type)!;
  if (!untyped.found || untyped.score < TEXT_FALLBACK_MIN_SIMILARITY) return typed;
  if (!couldBeAControl(analysis, untyped, query, type)) return typed;
  return {
    ...untyped,
    score: round(Math.max(0, untyped.score - TEXT_FALLBACK_PENALTY)),
    strategy: 'text_fallback',
  };
}

/**
 * What a field asked for by type may have been detected as: a field drawn like a button, a mark
 * and its label read as one clickable line. Never a tab, a link or a row.
 */
const FIELD_LOOKALIKES: Partial<Record<ElementType, ReadonlySet<ElementType>>> = {
  text_input: new Set(['text_input', 'dropdown', 'button']),
  dropdown: new Set(['dropdown', 'text_input', 'button']),
  checkbox: new Set(['checkbox', 'radio', 'button', 'menu_item', 'icon']),
  radio: new Set(['radio', 'checkbox', 'button', 'menu_item', 'icon']),
};

/**
 * Where a control could be: a short piece of text on its own (a whole OCR line, or a line no more
 * than two words longer than the query), or an element; not a few words inside a sentence, nor a
 * container (a table, a form, a dialog) that merely holds them. A field is clicked on its control,
 * not on its label's words: for fields only a look-alike control will do.
 */
function couldBeAControl(
  analysis: ScreenAnalysis,
  result: Omit<LocateResult, 'timing_ms'>,
  query: string,
  type: ElementType,
): boolean {
  const element = result.element;
  if (result.bbox && windowTitles(analysis).some((t) => contains(t.bbox, mid(result.bbox!)))) return false;
  if (!element && result.bbox && !VALUE_HOLDERS.has(type) && inFieldValue(analysis, result.bbox, query)) return false;
  const lookalikes = FIELD_LOOKALIKES[type];
  if (lookalikes && element && element.type !== 'text') return lookalikes.has(element.type);
  if (lookalikes)
    return (
      (type === 'text_input' || type === 'dropdown') && result.bbox !== null && aloneInAField(analysis, result.bbox)
    );
  if (element) return INTERACTIVE_TYPES.has(element.type) || element.type === 'text';
  const box = result.bbox;
  if (!box) return false;
  const c = mid(box);
  const line = analysis.text.find(
    (l) => l.bbox[0] <= c[0] && c[0] <= l.bbox[2] && l.bbox[1] <= c[1] && c[1] <= l.bbox[3],
  );
  const queryWords = wordsOf(query).length;
  return !line || line.words.length <= queryWords + 2;
}

/**
 * A band along the top of a larger box, as wide (a card's or a panel's header): its words are the
 * container's title, not a field's placeholder.
 */
function headerBand(analysis: ScreenAnalysis, band: BBox): boolean {
  const h = band[3] - band[1];
  return (analysis.boxes ?? []).some(
    (c) =>
      Math.abs(c[0] - band[0]) <= 2 &&
      Math.abs(c[1] - band[1]) <= 2 &&
      Math.abs(c[2] - band[2]) <= 2 &&
      c[3] - band[3] >= h,
  );
}

/**
 * Words drawn in the upper part of a box shaped like a field (a line or two high, wide) that
 * holds nothing else: a field's own label, raised over the room for its value, so a click on them
 * is a click in the field. A box holding other text or controls is a container, and words beside
 * a box name it only by a guess.
 */
function aloneInAField(analysis: ScreenAnalysis, words: BBox): boolean {
  const unit = words[3] - words[1];
  const box = (analysis.boxes ?? [])
    .filter(
      (b) =>
        b[0] <= words[0] &&
        b[1] <= words[1] &&
        b[2] >= words[2] &&
        b[3] >= words[3] &&
        b[3] - b[1] <= unit * 3.6 &&
        b[2] - b[0] >= (b[3] - b[1]) * 3.5 &&
        !headerBand(analysis, b),
    )
    .sort((a, b) => area(a) - area(b))[0];
  if (!box) return false;
  const wordsMid = mid(words);
  // Over the room for the value: a title centred in a band (a card's header) is no field's label.
  if (wordsMid[1] > (box[1] + box[3]) / 2 - unit * 0.25) return false;
  const apart = (t: BBox) => !contains(t, wordsMid);
  return (
    !analysis.text.some((l) => apart(l.bbox) && contains(box, mid(l.bbox))) &&
    !analysis.elements.some((e) => e.type !== 'text' && apart(e.bbox) && contains(box, mid(e.bbox)))
  );
}

/**
 * Controls whose words may be typed in a field, or drawn over one: a field's value is what the
 * field holds, an open menu may lie over it.
 */
const VALUE_HOLDERS = new Set<ElementType>(['text_input', 'dropdown', 'table_row', 'menu_item']);

/**
 * Whether the words are part of a longer value of a field: no button, tab or box is there. A key
 * "5" asked for, its own label unread, is not the "5" of "5 239,25" typed in the amount field
 * beside the keypad (a click on that field was the answer). A "value" that is just the words
 * asked for may be a button taken for a field: that one still answers.
 */
function inFieldValue(analysis: ScreenAnalysis, box: BBox, words: string): boolean {
  const c = mid(box);
  const asked = normalizeText(words);
  return analysis.elements.some((e) => {
    if ((e.type !== 'text_input' && e.type !== 'dropdown') || !contains(e.bbox, c) || !e.state.value) return false;
    const value = normalizeText(e.state.value);
    return value !== asked && ` ${value} `.includes(` ${asked} `);
  });
}

/** The titles of the windows on screen (see the element detector's title bars). */
function windowTitles(analysis: ScreenAnalysis): UIElement[] {
  return analysis.elements.filter((e) => e.role === 'window_title');
}

async function locateTyped(analysis: ScreenAnalysis, target: LocateTarget): Promise<Omit<LocateResult, 'timing_ms'>> {
  const query = target.text ?? target.label;
  const type = normalizeElementType(target.type);
  const minScore = target.minScore ?? 0.75;
  if (!query && !type && !target.role && !target.anchorImage)
    throw new LocateError('a target needs at least one of text, label, type, role or anchorImage');
  let scored: Scored[] = [];
  // Words read as asked but inside a control of a type the query excludes (see refusedRivals).
  const refusedWords: Scored[] = [];
  const byId = new Map(analysis.elements.map((e) => [e.element_id, e]));
  const add = (s: Scored): void => {
    // A box found next to (or around) the label on purpose is taken to be the requested control.
    const penalty =
      !s.element && /->(box|mark|frame)$/.test(s.strategy) ? 0.08 : typePenalty(type, s.element?.type ?? null);
    if (penalty === null) return;
    scored.push({ ...s, score: s.score - penalty, typeBias: -penalty });
  };

  // A window's title names the window: no control of the asked type is there, whatever its words.
  const titles = type && INTERACTIVE_TYPES.has(type) ? windowTitles(analysis) : [];
  if (query) {
    for (const e of analysis.elements) {
      if (titles.includes(e)) continue;
      let score = textSimilarity(query, e.label);
      if (score < minScore && e.state.placeholder)
        score = Math.max(score, textSimilarity(query, e.state.placeholder) * 0.98);
      if (score < minScore && e.state.value) score = Math.max(score, textSimilarity(query, e.state.value) * 0.95);
      if (score < minScore) continue;
      // A label points at its control: the click goes on the field, not on the words.
      const forId = e.relationships.find((r) => r.type === 'label_for')?.target_element_id;
      const control = forId ? byId.get(forId) : undefined;
      if (control && typePenalty(type, control.type) !== null) {
        add(fromElement(control, score + 0.02, 'label->control'));
        continue;
      }
      // A field asked for by its label, but detection did not pair them: look for the control now.
      // A row holding other words than the query is no label: its words are cells, and under the
      // whole row lies any cell's field.
      const row = e.type === 'table_row' && wordsOf(e.label).length > wordsOf(query).length;
      if (type && LABELLED_CONTROLS.has(type) && !LABELLED_CONTROLS.has(e.type) && !row) {
        const field = controlNearLabel(analysis, e.bbox, type, e.type === 'text');
        if (field) {
          add({ ...field, score: score + 0.01 });
          continue;
        }
      }
      add(fromElement(e, score, LABELLED_CONTROLS.has(e.type) ? 'label->control' : 'text'));
    }
    // OCR words too: the text may be part of a longer element (a cell of a row, one of two merged links).
    {
      for (const w of wordWindows(analysis, query, minScore)) {
        const c = mid(w.bbox);
        if (titles.some((t) => contains(t.bbox, c))) continue;
        if (type && INTERACTIVE_TYPES.has(type) && !VALUE_HOLDERS.has(type) && inFieldValue(analysis, w.bbox, w.label))
          continue;
        // Words inside a field (its value, or its own label drawn inside it) or a table's row (a
        // column's heading over the cells) name no other control.
        const ownWords = analysis.elements.some(
          (e) =>
            WORDS_NAME_NOTHING_ELSE.has(e.type) &&
            e.bbox[0] <= c[0] &&
            c[0] <= e.bbox[2] &&
            e.bbox[1] <= c[1] &&
            c[1] <= e.bbox[3],
        );
        const field =
          type && LABELLED_CONTROLS.has(type) && !ownWords ? controlNearLabel(analysis, w.bbox, type) : null;
        if (!field && w.element && typePenalty(type, w.element.type) === null) refusedWords.push(w);
        add(field ? { ...field, score: w.score } : w);
      }
    }
  } else if (type || target.role) {
    for (const e of analysis.elements) add(fromElement(e, 0.8, 'element'));
  }
  if (target.role) {
    const role = target.role.toLowerCase();
    scored = scored.filter(
      (s) => (s.element?.role ?? '').toLowerCase().includes(role) || textSimilarity(role, s.element?.role ?? '') > 0.8,
    );
  }
  // Prefer something clickable over plain text with the same words.
  for (const s of scored)
    if (s.element && INTERACTIVE_TYPES.has(s.element.type)) {
      s.score += 0.01;
      s.typeBias = (s.typeBias ?? 0) + 0.01;
    }

  if (target.anchorImage) {
    const screen = analysis.image;
    if (!screen)
      throw new LocateError('anchor image matching needs the pixels of the screen, but the analysis has none');
    const anchor = await decodeImage(target.anchorImage as RgbaImage | string | Buffer);
    const boxes = [...analysis.elements.map((e) => e.bbox), ...analysis.text.map((l) => l.bbox)];
    const hit = (await matchAnchorAgainstBoxes(screen, anchor, boxes)) ?? (await matchAnchorImage(screen, anchor));
    if (hit) {
      if (query || type || target.role) {
        // An anchor matching several places alike (the same button on every row) tells none apart.
        if (!hit.rivals?.length)
          for (const s of scored) if (overlapRatio(s.bbox, hit.bbox) > 0.3) s.score += 0.1 * hit.score;
      } else {
        // Every spot the anchor matches equally well is a candidate: strict mode judges the tie.
        for (const spot of [hit, ...(hit.rivals ?? [])]) {
          const inside = analysis.elements.filter(
            (e) => overlapRatio(e.bbox, spot.bbox) > 0.5 && INTERACTIVE_TYPES.has(e.type),
          );
          scored.push(
            inside.length
              ? { ...fromElement(inside[0], spot.score, 'anchor_image'), bbox: spot.bbox }
              : {
                  element: null,
                  label: '',
                  bbox: spot.bbox,
                  center: mid(spot.bbox),
                  score: spot.score,
                  strategy: 'anchor_image',
                },
          );
        }
      }
    }
  }

  if (target.near) {
    // The near text may be one cell of a row or part of a line: OCR words find it too. Only the
    // best-matching anchors count: "FAC-2024-3697" must not stand in for "FAC-2024-2397".
    const found: { bbox: BBox; score: number }[] = [
      ...analysis.elements.map((e) => ({ bbox: e.bbox, score: textSimilarity(target.near!, e.label) })),
      ...wordWindows(analysis, target.near, 0.8),
    ].filter((a) => a.score >= 0.8);
    const bestAnchor = Math.max(0, ...found.map((a) => a.score));
    const anchors = found.filter((a) => a.score >= bestAnchor - 0.02);
    if (anchors.length) {
      // Same row as the anchor first (a row's button for its key cell), then the closest.
      for (const s of scored) {
        let bonus = 0;
        for (const a of anchors) {
          // A candidate is not its own neighbour: "Cut Display Value" read near "Copy Display
          // Value" must not win the query for Copy on the strength of being the anchor itself.
          if (overlapRatio(a.bbox, s.bbox) > 0.5) continue;
          const ac = mid(a.bbox);
          const sameRow = Math.abs(ac[1] - s.center[1]) < Math.min(a.bbox[3] - a.bbox[1], s.bbox[3] - s.bbox[1]) * 0.6;
          bonus = Math.max(
            bonus,
            (sameRow ? 0.2 : 0) +
              0.08 * Math.exp(-distance(ac, s.center) / (0.25 * Math.max(analysis.width, analysis.height))),
          );
        }
        s.score += bonus;
      }
    }
  }

  // One candidate per element (the best way of reaching it).
  const unique = new Map<string, Scored>();
  for (const s of scored) {
    const key = s.element?.element_id ?? s.bbox.join(',');
    const prev = unique.get(key);
    if (!prev || s.score > prev.score) unique.set(key, s);
  }
  const ranked: Scored[] = [];
  // Candidates on the same spot (a word window and the element holding it) are one candidate.
  for (const s of [...unique.values()]
    .filter((c) => c.score >= minScore || (!query && c.score > 0))
    .sort((a, b) => b.score - a.score)) {
    if (
      !ranked.some((r) => overlapRatio(r.bbox, s.bbox) > 0.5 && (r.element === s.element || !r.element || !s.element))
    )
      ranked.push(s);
  }
  const candidates: LocateCandidate[] = ranked.slice(0, 10).map((s) => ({
    element_id: s.element?.element_id ?? null,
    type: s.element?.type ?? null,
    label: s.label,
    bbox: s.bbox,
    center: s.center,
    score: round(s.score),
  }));
  if (!ranked.length)
    return {
      found: false,
      center: null,
      bbox: null,
      score: 0,
      strategy: 'none',
      candidates,
      ambiguous: false,
      element: null,
    };

  let chosen: Scored;
  if (target.nth !== undefined) {
    const best = ranked[0].score;
    const peers = ranked
      .filter((s) => s.score >= best - 0.05)
      .sort((a, b) =>
        Math.abs(a.center[1] - b.center[1]) < 5 ? a.center[0] - b.center[0] : a.center[1] - b.center[1],
      );
    if (target.nth >= peers.length)
      return {
        found: false,
        center: null,
        bbox: null,
        score: 0,
        strategy: 'nth_out_of_range',
        candidates,
        ambiguous: false,
        element: null,
      };
    chosen = peers[target.nth];
  } else {
    // A "near" text decides only when it singles one candidate out: several rows showing the
    // same anchor ("Ouvrir" near "À valider" on three rows) is still a tie (issue 15).
    const tied = [
      ...tiedCandidates(ranked, query !== undefined && isSignQuery(query)),
      ...typedRivals(ranked, type, query, analysis.elements),
      ...equallyCloseRivals(ranked[0], query, analysis.elements),
      ...misreadRivals(ranked, query, type),
      ...wholeLabelRivals(ranked, type, query),
      ...refusedRivals(ranked[0], refusedWords),
    ];
    tied.push(...rivalsOnTop(ranked, tied, query, analysis));
    // A modal dialog's button over the same button of the window behind: only the dialog takes input.
    const onTop =
      tied.length > 1
        ? indexOnTop(
            analysis,
            tied.map((s) => s.bbox),
          )
        : null;
    // The one on top settles a tie only when it is what was asked for: a word of an open menu over
    // the asked button is no reason to click either.
    const pick = onTop === null ? ranked[0] : tied[onTop];
    const onTopAsked =
      onTop !== null && (!type || tied[onTop].element?.type === type || !tied.some((t) => t.element?.type === type));
    const doubts = query ? unsureRivals(analysis, query, minScore, pick) : [];
    if ((tied.length > 1 && (onTop === null || !onTopAsked)) || doubts.length) {
      return {
        found: false,
        center: null,
        bbox: null,
        score: round(ranked[0].score),
        strategy: 'ambiguous',
        candidates: [...candidates, ...doubts],
        ambiguous: true,
        element: null,
      };
    }
    chosen = pick;
  }
  return {
    found: true,
    center: chosen.center,
    bbox: chosen.bbox,
    score: round(Math.min(1, chosen.score)),
    strategy: chosen.strategy,
    candidates,
    ambiguous: false,
    element: chosen.element,
  };
}

/**
 * The candidates as good as the best. For a query of signs, the type is no tie-breaker: OCR reads
 * a "←" key as "-" as readily as the minus key, and the one detected as a button is no more
 * likely the minus than the one read as text (issue 14); what the user asked (text, near, anchor)
 * must single one out, or it is an ambiguity.
 */
function tiedCandidates(ranked: Scored[], signQuery: boolean): Scored[] {
  const worth = (s: Scored) => (signQuery ? s.score - (s.typeBias ?? 0) : s.score);
  const best = Math.max(...ranked.map(worth));
  return ranked.filter((s) => worth(s) >= best - 0.02);
}

/**
 * A control of the asked type that reads nearly as the query, just below a best match that is
 * not of that type: a "Confirm" button read "Confim" under the word "Confirm" of the dialog's
 * title "Confirm sending". The text alone does not tell which one is meant; the type says the
 * control. Neither is clicked: it is an ambiguity.
 */
function typedRivals(
  ranked: Scored[],
  type: ElementType | undefined,
  query: string | undefined,
  elements: readonly UIElement[],
): Scored[] {
  const best = ranked[0];
  if (!type || !query || !best || best.element?.type === type) return [];
  // Words that are only part of a control of another type, or of a longer line of text (the
  // "Apercu" of a menu item "Apercu avant impression", detected or not, when a button is asked)
  // say less: the rival may read a little worse.
  const partOfOther =
    !best.element &&
    best.strategy === 'ocr_words' &&
    (best.partOfLongerText ||
      elements.some((e) => INTERACTIVE_TYPES.has(e.type) && e.type !== type && contains(e.bbox, best.center)));
  const margin = partOfOther ? TYPED_RIVAL_MARGIN * 2 : TYPED_RIVAL_MARGIN;
  // Only a control whose whole label is the query misread: one that merely holds the words among
  // others ("Edit View", a menu bar read as one item) is no such rival.
  const words = wordsOf(query).length;
  return ranked.filter(
    (s) =>
      s !== best && s.element?.type === type && wordsOf(s.label).length === words && s.score >= best.score - margin,
  );
}
const TYPED_RIVAL_MARGIN = 0.05;

/**
 * Controls of the best one's type whose labels are as few letters away from the query as its own,
 * when the best is itself a misreading: asked for the radio "Mr" among "Mrs" and "M" ("Mr" whose
 * "r" was lost), either one letter off. The best scores higher only for sharing the query's start,
 * which is no reason to click it: an ambiguity.
 */
function equallyCloseRivals(best: Scored, query: string | undefined, elements: readonly UIElement[]): Scored[] {
  // Signs are matched by what they stand for (see symbolicLabel), not letter by letter.
  if (!query || !best.element || isSignQuery(query)) return [];
  const off = misreadDistance(query, best.label);
  if (off === 0 || off > MISREAD_LETTERS) return [];
  return elements
    .filter(
      (e) =>
        e !== best.element &&
        e.type === best.element!.type &&
        normalizeText(e.label) !== '' &&
        // The same words labelling two controls are a choice the scores already make.
        normalizeText(e.label) !== normalizeText(best.label) &&
        misreadDistance(query, e.label) <= off,
    )
    .map((e) => fromElement(e, best.score, 'text'));
}
/** A best match this many letters off the query or fewer is a misreading, not a window on a longer label. */
const MISREAD_LETTERS = 2;

/**
 * Controls whose label reads as the query with a letter or two misread, beside a best match that
 * reads it exactly: 98.css's button "Enregistrer" read "Eregister" beside the toolbar's
 * "Enregistrer", its toolbar's "Imprimer" read "Irm primer" beside the button. Small bitmap fonts
 * are misread often, so the exact reading is no evidence that the other is a different control:
 * an ambiguity. A rival is of the best one's type, or, when the best is not of the asked type, of
 * any type that may stand for it (xp.css's toolbar caption read "Enregister" as a link, asked as
 * an icon beside the button); words of no control rival words of no control.
 */
function misreadRivals(ranked: Scored[], query: string | undefined, type: ElementType | undefined): Scored[] {
  const best = ranked[0];
  if (!query || !best || isSignQuery(query) || misreadDistance(query, best.label) !== 0) return [];
  const bestType = best.element?.type;
  // xp.css's tab strip, drawn as one line of links, read "Detais" beside the words "View details".
  const standsFor = (s: Scored) =>
    !s.element
      ? !bestType
      : !!bestType &&
        (s.element.type === bestType || (!!type && bestType !== type && typePenalty(type, s.element.type) !== null));
  return ranked.filter((s) => s !== best && standsFor(s) && readsWithLettersMisread(query, s.label));
}

/**
 * Which one of the boxes lies in a panel drawn over the rest while the others lie behind it: one
 * framed by lines the content behind runs into (lib/vision/panel-on-top.ts), or the dialog found
 * over the screen's content (lib/vision/modal-panel.ts); null when none or more than one does.
 */
function indexOnTop(analysis: ScreenAnalysis, boxes: BBox[]): number | null {
  if (!analysis.image) return null;
  const framed = candidateOnTop(analysis.image, boxes, textUnit(analysis.text, analysis.scaleFactor));
  if (framed !== null) return framed;
  const modal = modalOver(analysis);
  if (!modal) return null;
  const inside = boxes.map((b, i) => (contains(modal.bbox, mid(b)) ? i : -1)).filter((i) => i >= 0);
  return inside.length === 1 ? inside[0] : null;
}

/** The dialog over an analysed screen's content, found once per analysis (several queries and rivals ask). */
const modals = new WeakMap<ScreenAnalysis, ModalPanel | null>();
function modalOver(analysis: ScreenAnalysis): ModalPanel | null {
  if (!modals.has(analysis)) {
    const panel = analysis.image ? findModalPanel(analysis.image, analysis.text, analysis.elements) : null;
    modals.set(analysis, panel?.overContent ? panel : null);
  }
  return modals.get(analysis)!;
}

/**
 * The same label a little lower in the ranking, in a panel drawn over the rest (a modal dialog)
 * while the best lies behind it: the window behind takes no input while the dialog is up, so the
 * best is no sure pick. libadwaita's message dialog draws its "Cancel" flat in a row of cells,
 * which reads as a tab, over the form's framed "Cancel" button. With the rival among the tied
 * candidates, the one on top is picked when it is of the asked type, or the query fails as
 * ambiguous (see locate).
 */
function rivalsOnTop(ranked: Scored[], tied: Scored[], query: string | undefined, analysis: ScreenAnalysis): Scored[] {
  const best = ranked[0];
  if (!query || !best) return [];
  const want = normalizeText(query);
  return ranked.filter(
    (s) =>
      !tied.includes(s) &&
      s.element !== null &&
      s.score >= best.score - ON_TOP_RIVAL_MARGIN &&
      normalizeText(s.label) === want &&
      overlapRatio(s.bbox, best.bbox) < 0.5 &&
      indexOnTop(analysis, [best.bbox, s.bbox]) === 1,
  );
}
const ON_TOP_RIVAL_MARGIN = 0.15;

/**
 * Words of no control, kept for a typed query only as words that may stand for it, do not win over
 * the same words read inside a control that the type refuses: the list row "Regular" taken for a
 * field, beside the value "Regular" of the field above, is no reason to click that value.
 */
function refusedRivals(best: Scored, refused: Scored[]): Scored[] {
  if (best.element) return [];
  const raw = best.score - (best.typeBias ?? 0);
  const rivals = refused.filter((r) => r.score >= raw - 0.02 && overlapRatio(r.bbox, best.bbox) < 0.5);
  return rivals.length ? [best, ...rivals] : [];
}

/**
 * Whole labels reading nearly the query, beside a best match that is only part of a longer line,
 * when a control is asked: regedit's row "FontSmoothing" is read "Font Smcthing", while the words
 * "Font Smoothing" of the row "FontSmoothingOrientation" read exactly. A control is named by its
 * whole label: a part read right is no better evidence than the whole read a little wrong.
 */
function wholeLabelRivals(ranked: Scored[], type: ElementType | undefined, query: string | undefined): Scored[] {
  const best = ranked[0];
  if (!type || !INTERACTIVE_TYPES.has(type) || !best) return [];
  // A control whose label holds the query among more words ("Font Style:" asked as "Font") is a
  // part read right too, beside a field labelled "Eont:" (its "Font:" read with a letter wrong).
  const words = query ? wordsOf(query).length : 0;
  // (Not a label that reads the query split in two: "Col ler" is "Coller".)
  const longerLabel =
    !!best.element &&
    words > 0 &&
    wordsOf(best.label).length > words &&
    misreadDistance(query!, best.label) > MISREAD_LETTERS;
  if (!best.partOfLongerText && !longerLabel) return [];
  if (best.partOfLongerText)
    return ranked.filter(
      (s) =>
        s !== best &&
        !s.partOfLongerText &&
        s.score >= best.score - WHOLE_LABEL_MARGIN &&
        !contains(s.bbox, best.center),
    );
  // The whole query read with one letter wrong scores lower than a part read right (0.78 against
  // 0.97 for "Eont:" and "Font Style:"): it is still as good a reading of what was asked.
  return ranked.filter(
    (s) =>
      s !== best &&
      !!s.element &&
      wordsOf(s.label).length === words &&
      misreadDistance(query!, s.label) <= 1 &&
      s.score >= best.score - WHOLE_LABEL_MARGIN * 2 &&
      !contains(s.bbox, best.center),
  );
}
const WHOLE_LABEL_MARGIN = 0.15;

/**
 * Keys whose unsure reading may be the query, when the choice is not something clickable: "0"
 * asked for on a calculator whose display shows 0 and whose 0 key was read "o" at 0.45 is not
 * the display for sure; clicking the display there is the wrong item, an ambiguity is not.
 */
function unsureRivals(analysis: ScreenAnalysis, query: string, minScore: number, chosen: Scored): LocateCandidate[] {
  if (chosen.element && INTERACTIVE_TYPES.has(chosen.element.type)) return [];
  return (analysis.unsure ?? [])
    .map((l) => ({ line: l, score: textSimilarity(query, l.text) }))
    .filter((d) => d.score >= minScore && overlapRatio(d.line.bbox, chosen.bbox) < 0.5)
    .map((d) => ({
      element_id: null,
      type: null,
      label: d.line.text,
      bbox: d.line.bbox,
      center: mid(d.line.bbox),
      score: round(d.score * d.line.confidence),
    }));
}

function fromElement(e: UIElement, score: number, strategy: string): Scored {
  return { element: e, label: e.label, bbox: e.bbox, center: e.center, score, strategy };
}

/** Best run of consecutive OCR words matching the query, per line. */
function wordWindows(analysis: ScreenAnalysis, query: string, minScore: number): Scored[] {
  const n = wordsOf(query).length;
  const out: Scored[] = [];
  for (const line of analysis.text) {
    for (let len = Math.max(1, n - 1); len <= n + 1; len++) {
      for (let i = 0; i + len <= line.words.length; i++) {
        const words = line.words.slice(i, i + len);
        const text = words.map((w) => w.text).join(' ');
        // A window that is only part of its line ("valider" in "À valider") ranks below a whole line.
        const score = textSimilarity(query, text) - (len === line.words.length ? 0.01 : 0.04);
        if (score < minScore) continue;
        const bbox: BBox = [words[0].bbox[0], line.bbox[1], words[words.length - 1].bbox[2], line.bbox[3]];
        // Snap to the element these words belong to only when that element is about them (a button), not a whole row.
        const inside = analysis.elements.find(
          (e) =>
            INTERACTIVE_TYPES.has(e.type) &&
            overlapRatio(e.bbox, bbox) > 0.6 &&
            textSimilarity(text, e.label) >= 0.9 &&
            !namedFromOutside(analysis, e),
        );
        out.push(
          inside
            ? // A row is clicked on the words asked for: its middle may be another cell, or another
              // pane when a tree and a list beside it were read as one row.
              {
                ...fromElement(inside, score, 'ocr_words'),
                ...(inside.type === 'table_row' ? { center: mid(bbox) } : {}),
              }
            : {
                element: null,
                label: text,
                bbox,
                center: mid(bbox),
                score,
                strategy: 'ocr_words',
                partOfLongerText: inLongerText(line, i, len),
              },
        );
      }
    }
  }
  return out;
}

/**
 * Whether the words [i, i + len) of a line go on into a word a space away before or after them:
 * part of a longer text ("Apercu" of "Apercu avant impression"), not one of several labels OCR
 * read as one line (a menu bar's "File  Edit", its titles far apart).
 */
function inLongerText(line: TextLine, i: number, len: number): boolean {
  const space = (line.bbox[3] - line.bbox[1]) * 0.5;
  const before = line.words[i - 1];
  const after = line.words[i + len];
  return (
    (!!before && line.words[i].bbox[0] - before.bbox[2] < space) ||
    (!!after && after.bbox[0] - line.words[i + len - 1].bbox[2] < space)
  );
}

/**
 * A control named by a text outside it (a field's label beside or above it): words inside it that
 * read like that name are other words, not the name. galculator's menu bar, taken for a field
 * named by the window title "galculator" above it, holds the menu "Calculator".
 */
function namedFromOutside(analysis: ScreenAnalysis, control: UIElement): boolean {
  return analysis.elements.some(
    (t) =>
      overlapRatio(t.bbox, control.bbox) < 0.5 &&
      t.relationships.some((r) => r.type === 'label_for' && r.target_element_id === control.element_id),
  );
}

function mid(b: BBox): [number, number] {
  return [Math.round((b[0] + b[2]) / 2), Math.round((b[1] + b[3]) / 2)];
}
function distance(a: [number, number], b: [number, number]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}
function overlapRatio(a: BBox, b: BBox): number {
  const i =
    Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  return i / Math.max(1, Math.min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])));
}
function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * A line of text standing between a label and a box under it, over the box: the box's own label,
 * nearer to it (a dialog's title over the label of the field under it names nothing there).
 */
function textBetween(analysis: ScreenAnalysis, label: BBox, box: BBox, slack: number): boolean {
  return analysis.text.some(
    ({ bbox: t }) =>
      t[1] >= label[3] - slack &&
      t[3] <= box[1] + slack &&
      t[0] < box[2] &&
      t[2] > box[0] &&
      intersection(t, label) === 0,
  );
}

/**
 * The control a label names, when detection did not pair them: the nearest control-sized box
 * right of the label on its row, or just below it (fields stacked under their labels), or else a
 * frame the detector did not close right of the label, or a field drawn as a line right under it; for checkboxes and radios, the mark left of the label.
 */
function controlNearLabel(analysis: ScreenAnalysis, label: BBox, type: ElementType, placeholder = true): Scored | null {
  const unit = label[3] - label[1];
  if (type === 'checkbox' || type === 'radio') {
    const mark = analysis.image ? findMarkLeftOf(analysis.image, label, unit) : null;
    return mark
      ? { element: null, label: '', bbox: mark.bbox, center: mid(mark.bbox), score: 0, strategy: 'label->mark' }
      : null;
  }
  const boxes: { bbox: BBox; element: UIElement | null }[] = [
    ...analysis.elements
      .filter((e) => e.type === 'text_input' || e.type === 'dropdown' || e.type === 'button')
      .map((e) => ({ bbox: e.bbox, element: e as UIElement | null })),
    ...(analysis.boxes ?? []).map((bbox) => ({ bbox, element: null })),
  ];
  // A placeholder is drawn inside its field: the box around the text is the field.
  const lc = mid(label);
  const around = boxes
    .filter((b) => b.bbox[0] <= lc[0] && lc[0] < b.bbox[2] && b.bbox[1] <= lc[1] && lc[1] < b.bbox[3])
    .filter(
      (b) =>
        b.bbox[3] - b.bbox[1] <= unit * 2.2 &&
        b.bbox[2] - b.bbox[0] >= (label[2] - label[0]) * 1.05 &&
        b.bbox[2] - b.bbox[0] >= (b.bbox[3] - b.bbox[1]) * 2.5 &&
        !headerBand(analysis, b.bbox),
    )
    .sort(
      (a, b) => (a.bbox[2] - a.bbox[0]) * (a.bbox[3] - a.bbox[1]) - (b.bbox[2] - b.bbox[0]) * (b.bbox[3] - b.bbox[1]),
    )[0];
  if (around && placeholder)
    return around.element
      ? fromElement(around.element, 0, 'placeholder->control')
      : {
          element: null,
          label: '',
          bbox: around.bbox,
          center: mid(around.bbox),
          score: 0,
          strategy: 'placeholder->box',
        };
  let best: { bbox: BBox; element: UIElement | null } | null = null;
  let bestDistance = Infinity;
  for (const b of boxes) {
    const [x1, y1, x2, y2] = b.bbox;
    const h = y2 - y1;
    // The label's box is padded (98.css's 17-pixel field beside a 28-pixel label box); a dropdown
    // is one line high, so a box taller than that below the label is a group, not the dropdown.
    if (h < unit * 0.55 || h > unit * (type === 'dropdown' ? 2.2 : 3.5) || x2 - x1 < h * 1.5) continue;
    const slack = unit * 0.3; // OCR boxes are padded: a label may overlap its field by a few pixels
    if (x1 < label[2] - slack && y1 < label[3] - slack) continue; // overlaps or is left of/above the label
    const rowOverlap = Math.min(y2, label[3]) - Math.max(y1, label[1]);
    let d = Infinity;
    if (rowOverlap > unit * 0.5 && x1 >= label[2] - slack && x1 - label[2] < unit * 15) d = Math.max(0, x1 - label[2]);
    else if (
      y1 >= label[3] - slack &&
      y1 - label[3] < unit * 1.5 &&
      x1 < label[2] &&
      x2 > label[0] &&
      !textBetween(analysis, label, b.bbox, slack)
    )
      d = Math.max(0, y1 - label[3]) * 1.5 + Math.abs(x1 - label[0]) * 0.3;
    if (d < bestDistance) {
      bestDistance = d;
      best = b;
    }
  }
  if (!best) {
    const image = analysis.image;
    const field = image
      ? (framedFieldRightOf(image, label, unit) ?? underlinedFieldBelow(image, label, unit, analysis.text))
      : null;
    return field
      ? { element: null, label: '', bbox: field, center: mid(field), score: 0, strategy: 'label->frame' }
      : null;
  }
  return best.element
    ? fromElement(best.element, 0, 'label->control')
    : { element: null, label: '', bbox: best.bbox, center: mid(best.bbox), score: 0, strategy: 'label->box' };
}
