/**
 * The detector's working records: text segments (OCR words grouped by the box they sit in) and
 * drafts (elements before ids and relationships are assigned).
 */
import type { BBox, ElementType, TextRegion, UIElement } from '../../contracts/screen-state';
import type { Rgb } from './pixels';
import type { RectCandidate } from './regions';

export interface Segment {
  text: string;
  bbox: BBox;
  confidence: number;
  words: TextRegion[];
  container: RectCandidate | null;
  used: boolean;
}

export interface Draft {
  type: ElementType;
  bbox: BBox;
  label: string;
  confidence: number;
  role: string | null;
  /** The box clicks go to (the control, not its label). */
  clickBox?: BBox;
  state: UIElement['state'];
  shape: UIElement['visual_features']['shape'];
  color: Rgb;
  labelSegment?: Segment;
  group?: string;
  method: string;
}

/** What a detection step found, and the boxes it explained (not controls of their own). */
export interface Found {
  drafts: Draft[];
  claimed: Set<RectCandidate>;
}
