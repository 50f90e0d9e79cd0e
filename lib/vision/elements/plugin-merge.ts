/**
 * Merging the boxes of an optional learned detector with the classic detection: a learned box
 * that overlaps a classic element of another type re-types it; one that overlaps nothing is
 * added with the OCR text inside it as its label.
 */
import { createHash } from 'crypto';
import type { RgbaImage } from '../../platform/types';
import type { BBox, UIElement } from '../../contracts/screen-state';
import type { DetectedBox } from '../plugins';

function iou(a: BBox, b: BBox): number {
  const i =
    Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const u = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - i;
  return u > 0 ? i / u : 0;
}

export function mergeDetectorBoxes(elements: UIElement[], boxes: DetectedBox[], image: RgbaImage): UIElement[] {
  const out = elements.map((e) => ({ ...e }));
  for (const box of boxes) {
    const match = out.find((e) => iou(e.bbox, box.bbox) >= 0.5);
    if (match) {
      if (match.type !== box.type && box.score > match.confidence) {
        match.type = box.type;
        match.confidence = box.score;
        match.metadata = { detection_method: 'onnx_detector+classic' };
      }
      continue;
    }
    const label = out
      .filter((e) => e.type === 'text' && iou(e.bbox, box.bbox) > 0)
      .map((e) => e.label)
      .join(' ');
    const c: [number, number] = [
      Math.round((box.bbox[0] + box.bbox[2]) / 2),
      Math.round((box.bbox[1] + box.bbox[3]) / 2),
    ];
    out.push({
      element_id: `el_${box.type}_${createHash('sha1')
        .update(
          `${box.type}|${label}|${Math.round((c[0] / image.width) * 40)}:${Math.round((c[1] / image.height) * 40)}`,
        )
        .digest('hex')
        .slice(0, 8)}`,
      type: box.type,
      role: null,
      label,
      bbox: box.bbox,
      center: c,
      confidence: box.score,
      visual_features: {
        dominant_color: '#000000',
        has_icon: box.type === 'icon',
        shape: 'rectangle',
        size_category: 'medium',
      },
      state: { enabled: true, visible: true, focused: false },
      relationships: [],
      tags: [],
      metadata: { detection_method: 'onnx_detector' },
    });
  }
  return out;
}
