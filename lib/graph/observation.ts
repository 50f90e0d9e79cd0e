/**
 * What the session observer hands the learner for each screen; its own file because the
 * observer and the screen clusters both read it, and the observer calls the clusters' sameScreen.
 */
import type { BBox } from '../contracts/screen-state';
import type { ScreenAnalysis } from '../vision';

/** One analysed screen: what the user saw when acting. */
export interface Observation {
  /** Unique per session, screenshot and window crop. */
  key: string;
  sessionIndex: number;
  screenshotId: string;
  /** The analysis of the window crop; element and text boxes are relative to `frame`. */
  analysis: ScreenAnalysis;
  /** Unit state embedding of the window crop. */
  vector: Float32Array;
  /** Who computed the embedding (prototypes only compare vectors of one provider). */
  provider: string;
  title: string;
  /** False when no event confirmed the window title after the screen changed (the title is then left out). */
  titleKnown: boolean;
  appName: string;
  /** The crop in screen pixels: the window's bounds, or the whole screen when unknown. */
  frame: BBox;
}
