/**
 * The ground truth of the benchmark screens: what a person sees on each screenshot, taken from
 * the DOM that Chromium rendered (or written by hand for the real Debian applications).
 * All coordinates are physical screenshot pixels, origin top-left, boxes as [x1, y1, x2, y2].
 */

import { INTERACTIVE_ELEMENT_TYPES } from '../../lib/contracts/screen-state';

/** The element types the benchmark scores: those a person acts on. */
export const ELEMENT_TYPES = INTERACTIVE_ELEMENT_TYPES;
export type ElementType = (typeof ELEMENT_TYPES)[number];

export type Box = [number, number, number, number];

/** What the benchmark asks a locator for: the words a user would write in a workflow. */
export interface TargetQuery {
  /** Visible text of the element (buttons, links, tabs, menu items, a row's key cell). */
  text?: string;
  /** Label of a field (its label left of or above it, or its placeholder). */
  label?: string;
  type?: ElementType;
  /** Text next to the element that tells it apart from others with the same text (a row's key). */
  near?: string;
}

export interface TruthElement {
  id: string;
  type: ElementType;
  /** The label a user knows the element by: its text, or for a field its label/placeholder. */
  label: string;
  /** The text drawn inside the element as displayed (e.g. upper-cased by a theme), if any. */
  text?: string;
  /** The element itself; for fields the control, not the label. */
  bbox: Box;
  /** Where a click does what the user means (the control for fields, the row for rows). */
  click_box: Box;
  /** The field's label text, when it is a separate piece of text. */
  label_bbox?: Box;
  /**
   * What is drawn inside the element (text, icon). For a borderless element (a link, a menu
   * title, a flat tab or icon button) it is all a detector can see of it.
   */
  content_bbox?: Box;
  /**
   * Covered (by a dialog or an open menu) or cut by the screen edge: neither a detection target
   * nor a false positive, and never a grounding target.
   */
  ignore?: boolean;
  /** The grounding query for this element, when it is a grounding target. */
  target?: TargetQuery;
}

export interface ScreenTruth {
  id: string;
  /** PNG file name, relative to the manifest's directory. */
  file: string;
  /** Page template; two screens of one template are the same state for a user. */
  template: string;
  state: string;
  theme: string;
  /**
   * The corpus family, for held-out figures: a real program's toolkit (gtk3, qt5, swing, tk, vcl)
   * or a web framework (e.g. "web-bootstrap"); absent on rendered screens.
   */
  family?: string;
  /** deviceScaleFactor: 1, 1.25, 1.5 or 2. */
  scale: number;
  width: number;
  height: number;
  /** Window title a capture would report with the screenshot. */
  title: string;
  seed: number;
  /** UI language of a real program's screen. */
  lang?: string;
  elements: TruthElement[];
}

export interface SetManifest {
  set: string;
  generator_version: number;
  generated_at: string;
  screens: ScreenTruth[];
}

/** Interactive elements are everything the benchmark knows; text-only regions are not listed. */
export function isTarget(e: TruthElement): e is TruthElement & { target: TargetQuery } {
  return !e.ignore && e.target !== undefined;
}

/** The string a query asks for, whichever field carries it. */
export function queryText(q: TargetQuery): string {
  return q.text ?? q.label ?? '';
}
