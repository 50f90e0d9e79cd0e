/**
 * Finding an anchor image (a crop of the target as it once looked) on a screen at any scale
 * from 0.5× to 2×: normalised cross-correlation of grey images, coarse-to-fine. Unlike
 * pixel-exact templates, it survives display scale changes and mild theme/antialiasing shifts.
 */
import type { RgbaImage } from '../platform/types';
import type { BBox } from '../contracts/screen-state';
import { rgbaPipeline } from '../image/codec';
import { crop } from '../image/pixels';

export interface AnchorMatch {
  bbox: BBox;
  score: number;
  scale: number;
  /** Other boxes the anchor matches as well as this one (identical icons on several rows). */
  rivals?: { bbox: BBox; score: number }[];
}

/** Scores this close to the best are a tie: picking one of them would be a guess. */
const TIE = 0.02;
/** Coarse scores this close to the best are refined too: at 6 pixels, equal icons score unequally. */
const COARSE_TIE = 0.1;
/** Peaks looked at beyond the best one. */
const MAX_RIVALS = 4;

interface Grey {
  w: number;
  h: number;
  px: Float32Array;
}

async function greyResized(image: RgbaImage, w: number, h: number): Promise<Grey> {
  const data = await rgbaPipeline(image)
    .resize(Math.max(1, w), Math.max(1, h), { fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer();
  const channels = data.length / (w * h);
  const px = new Float32Array(w * h);
  for (let i = 0; i < px.length; i++) px[i] = data[i * channels];
  return { w, h, px };
}

/**
 * NCC of template t at every position of s; returns best position and score. Positions within a
 * template's size of a `skip` one are left out (to find the next peak, not the same one again).
 */
function bestNcc(
  s: Grey,
  t: Grey,
  region?: { x1: number; y1: number; x2: number; y2: number },
  skip: { x: number; y: number }[] = [],
): { x: number; y: number; score: number } {
  const n = t.w * t.h;
  let tMean = 0;
  for (let i = 0; i < n; i++) tMean += t.px[i];
  tMean /= n;
  const tz = new Float32Array(n);
  let tNorm = 0;
  for (let i = 0; i < n; i++) {
    tz[i] = t.px[i] - tMean;
    tNorm += tz[i] * tz[i];
  }
  tNorm = Math.sqrt(tNorm) || 1;
  const x1 = Math.max(0, region?.x1 ?? 0);
  const y1 = Math.max(0, region?.y1 ?? 0);
  const x2 = Math.min(s.w - t.w, region?.x2 ?? s.w - t.w);
  const y2 = Math.min(s.h - t.h, region?.y2 ?? s.h - t.h);
  let best = { x: 0, y: 0, score: -1 };
  for (let y = y1; y <= y2; y++) {
    for (let x = x1; x <= x2; x++) {
      if (skip.some((p) => Math.abs(p.x - x) < t.w && Math.abs(p.y - y) < t.h)) continue;
      let sum = 0;
      let sumSq = 0;
      let cross = 0;
      for (let j = 0; j < t.h; j++) {
        const row = (y + j) * s.w + x;
        const trow = j * t.w;
        for (let i = 0; i < t.w; i++) {
          const v = s.px[row + i];
          sum += v;
          sumSq += v * v;
          cross += v * tz[trow + i];
        }
      }
      const variance = sumSq - (sum * sum) / n;
      if (variance <= 1e-3) continue;
      const score = cross / (Math.sqrt(variance) * tNorm);
      if (score > best.score) best = { x, y, score };
    }
  }
  return best;
}

/**
 * Best match of `anchor` in `screen` over scales 0.5–2. The search runs on images shrunk so
 * the anchor is about 6 pixels on its short side, then refines around the best coarse hit at full detail.
 */
export async function matchAnchorImage(screen: RgbaImage, anchor: RgbaImage): Promise<AnchorMatch | null> {
  const scales = [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.15, 1.3, 1.5, 1.75, 2];
  const coarseFactor = Math.min(1, 6 / Math.min(anchor.height, anchor.width));
  const sw = Math.max(8, Math.round(screen.width * coarseFactor));
  const sh = Math.max(8, Math.round(screen.height * coarseFactor));
  const coarseScreen = await greyResized(screen, sw, sh);
  let best: { scale: number; x: number; y: number; score: number } | null = null;
  for (const scale of scales) {
    const tw = Math.round(anchor.width * scale * coarseFactor);
    const th = Math.round(anchor.height * scale * coarseFactor);
    if (tw < 4 || th < 4 || tw >= sw || th >= sh) continue;
    const t = await greyResized(anchor, tw, th);
    const hit = bestNcc(coarseScreen, t);
    if (!best || hit.score > best.score) best = { scale, ...hit };
  }
  if (!best || best.score < 0.5) return null;
  // Identical icons on several rows match alike: the next peaks at the best scale are looked at
  // too, and any that matches as well once refined is a rival, never a second choice.
  const peaks = [best];
  const tw = Math.round(anchor.width * best.scale * coarseFactor);
  const th = Math.round(anchor.height * best.scale * coarseFactor);
  const t = await greyResized(anchor, tw, th);
  for (let k = 0; k < MAX_RIVALS; k++) {
    const next = bestNcc(coarseScreen, t, undefined, peaks);
    if (next.score < best.score - COARSE_TIE || next.score < 0.5) break;
    peaks.push({ scale: best.scale, ...next });
  }
  // Refine at a finer resolution (anchor ~48 px tall) in a window around each coarse hit.
  const fineFactor = Math.min(1, 48 / Math.min(anchor.height, anchor.width));
  const fw = Math.round(screen.width * fineFactor);
  const fh = Math.round(screen.height * fineFactor);
  const fineScreen = await greyResized(screen, fw, fh);
  const k = 1 / fineFactor;
  const refine = async (coarse: { scale: number; x: number; y: number }): Promise<AnchorMatch | null> => {
    let refined = { scale: coarse.scale, x: 0, y: 0, score: -1 };
    for (const scale of [coarse.scale * 0.93, coarse.scale, coarse.scale * 1.07]) {
      const tw = Math.round(anchor.width * scale * fineFactor);
      const th = Math.round(anchor.height * scale * fineFactor);
      if (tw < 4 || th < 4 || tw >= fw || th >= fh) continue;
      const t = await greyResized(anchor, tw, th);
      const r = fineFactor / coarseFactor;
      const cx = Math.round(coarse.x * r);
      const cy = Math.round(coarse.y * r);
      const pad = Math.ceil(r * 2) + 2;
      const hit = bestNcc(fineScreen, t, { x1: cx - pad, y1: cy - pad, x2: cx + pad, y2: cy + pad });
      if (hit.score > refined.score) refined = { scale, ...hit };
    }
    if (refined.score < 0.6) return null;
    const w = anchor.width * refined.scale;
    const h = anchor.height * refined.scale;
    const x = refined.x * k;
    const y = refined.y * k;
    return {
      bbox: [Math.round(x), Math.round(y), Math.round(x + w), Math.round(y + h)],
      score: refined.score,
      scale: refined.scale,
    };
  };
  const found: AnchorMatch[] = [];
  for (const p of peaks) {
    const m = await refine(p);
    if (m && !found.some((f) => overlaps(f.bbox, m.bbox))) found.push(m);
  }
  found.sort((a, b) => b.score - a.score);
  const [top] = found;
  if (!top) return null;
  const rivals = found
    .slice(1)
    .filter((m) => m.score >= top.score - TIE)
    .map((m) => ({ bbox: m.bbox, score: m.score }));
  return rivals.length ? { ...top, rivals } : top;
}

/**
 * Fast path: compare the anchor with the boxes already detected on the screen (elements, text
 * lines). Each box fixes the scale (its size over the anchor's), so the comparison is one NCC
 * at a normalised size per box instead of a sliding search.
 */
export async function matchAnchorAgainstBoxes(
  screen: RgbaImage,
  anchor: RgbaImage,
  boxes: BBox[],
): Promise<AnchorMatch | null> {
  const aspect = anchor.width / anchor.height;
  const th = 24;
  const tw = Math.max(4, Math.round(th * aspect));
  const template = await greyResized(anchor, tw, th);
  const scored: AnchorMatch[] = [];
  for (const box of boxes) {
    const w = box[2] - box[0];
    const h = box[3] - box[1];
    const scale = h / anchor.height;
    if (scale < 0.45 || scale > 2.2 || Math.abs(w / h / aspect - 1) > 0.25 || w < 4 || h < 4) continue;
    const patch = await greyResized(crop(screen, box[0], box[1], box[2], box[3]), tw, th);
    scored.push({ bbox: box, score: bestNcc(patch, template).score, scale });
  }
  const best = scored.sort((a, b) => b.score - a.score)[0];
  if (!best || best.score < 0.7) return null;
  const rivals = scored
    .slice(1)
    .filter((m) => m.score >= best.score - TIE && !overlaps(m.bbox, best.bbox))
    .map((m) => ({ bbox: m.bbox, score: m.score }));
  return rivals.length ? { ...best, rivals } : best;
}

function overlaps(a: BBox, b: BBox): boolean {
  return Math.min(a[2], b[2]) > Math.max(a[0], b[0]) && Math.min(a[3], b[3]) > Math.max(a[1], b[1]);
}
