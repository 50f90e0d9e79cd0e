/**
 * Pieces of a screen analysis written by hand for specs that need no real screen: a text line
 * with its words laid out left to right, an element with plain defaults.
 */
import type { BBox, TextLine, UIElement } from '../../lib/contracts/screen-state';

/** A line of text at (x, y), 9 px a character and 7 px between words. */
export function line(text: string, x: number, y: number): TextLine {
  let at = x;
  const words = text.split(' ').map((w) => {
    const bbox: BBox = [at, y, at + w.length * 9, y + 20];
    at += w.length * 9 + 7;
    return { text: w, bbox, confidence: 1 };
  });
  return { text, bbox: [x, y, at - 7, y + 20], confidence: 1, words };
}

/** An enabled, visible element of `type` labelled `label` in `bbox`. */
export function element(type: UIElement['type'], label: string, bbox: BBox): UIElement {
  return {
    element_id: `${type}_${bbox.join('_')}`,
    type,
    role: null,
    label,
    bbox,
    center: [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2],
    confidence: 1,
    visual_features: { dominant_color: '#ffffff', has_icon: false, shape: 'rectangle', size_category: 'small' },
    state: { enabled: true, visible: true, focused: false },
    relationships: [],
    tags: [],
  };
}
