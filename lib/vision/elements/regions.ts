/**
 * Classic segmentation of the raw pixels into colour regions: runs of similar colour on each
 * row, joined with touching runs of similar colour on the row above (union-find on runs, not
 * pixels, which keeps a 1920×1080 screen in a few tens of milliseconds). Rectangles (bordered
 * or filled: inputs, buttons, cells, dialogs) are regions whose pixels cover their own bounding
 * box's outline.
 */
import type { RgbaImage } from '../../platform/types';
import { pixelWords } from '../../image/pixels';
import type { BBox } from '../../contracts/screen-state';

export interface Region {
  id: number;
  bbox: BBox;
  pixels: number;
  /** Mean colour. */
  color: [number, number, number];
}

export interface Segmentation {
  /** The regions at least `minSide` wide or tall, and the largest (see segment); a region's id is its label. */
  regions: Region[];
  /** Region id per pixel. */
  labels: Int32Array;
  width: number;
  height: number;
  /** Runs of one colour at least `longRun` pixels long, row by row: the material of horizontal lines. */
  longRuns: LongRun[];
}

export interface LongRun {
  x1: number;
  /** Exclusive. */
  x2: number;
  y: number;
  /** 0xRRGGBB of the run's middle pixel. */
  color: number;
}

/** A thin horizontal stroke: a table's row separator, a tab bar's base line, an underline. */
export interface HorizontalLine {
  bbox: BBox;
  color: [number, number, number];
}

export interface RectCandidate {
  bbox: BBox;
  color: [number, number, number];
  /** Fraction of the outline covered by the region's own pixels; below 1 with rounded corners. */
  outlineCoverage: number;
  /** True when the region only draws the outline (a border), false when it fills the box. */
  ring: boolean;
  rounded: boolean;
  /**
   * Where a label set into the top border cuts it (Material's outlined field, a group box's
   * title): the x range of the cut (see strokeRings).
   */
  notch?: [number, number];
  /** A capsule's ends are half circles (see capsuleCovered): its border shows along its top and bottom only. */
  capsule?: true;
}

const COLOR_TOLERANCE = 18;
const SEED_TOLERANCE = 28;

function colorDistance(ca: number, cb: number): number {
  return (
    Math.abs((ca >> 16) - (cb >> 16)) +
    Math.abs(((ca >> 8) & 255) - ((cb >> 8) & 255)) +
    Math.abs((ca & 255) - (cb & 255))
  );
}

/** Growable typed column of run data (a screen has tens of thousands of runs: plain arrays cost far more). */
class IntColumn {
  data = new Int32Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
}

/**
 * `minSide`: only regions at least that wide or tall are listed (a screen has thousands of glyph
 * pieces; their labels are kept all the same).
 */
export function segment(image: RgbaImage, longRun = Infinity, minSide = 0): Segmentation {
  const { data, width, height } = image;
  const longRuns: LongRun[] = [];
  // Runs: start x, end x (exclusive), row, first-pixel colour.
  const x1s = new IntColumn();
  const x2s = new IntColumn();
  const colors = new IntColumn();
  const rowStart = new Int32Array(height + 1);
  // Whole pixels as words where the buffer allows: a pixel equal to its run's first, or to the one
  // before it (already in the run), needs no distance.
  const words = pixelWords(data);
  for (let y = 0; y < height; y++) {
    rowStart[y] = x1s.length;
    let x0 = 0;
    let p = y * width * 4;
    let r0 = data[p],
      g0 = data[p + 1],
      b0 = data[p + 2];
    // The run's range of brightness (r + g + b) so far: a run is flat. Measured from its first
    // pixel only, a run starting on a blend (250 between a light field's 245 and white) took in
    // both colours around it.
    let sLo = r0 + g0 + b0,
      sHi = sLo;
    let w0 = words ? words[p >> 2] : 0;
    for (let x = 1; x <= width; x++) {
      p += 4;
      let split = x === width;
      if (!split && !(words && (words[p >> 2] === w0 || words[p >> 2] === words[(p >> 2) - 1]))) {
        const d = Math.abs(data[p] - r0) + Math.abs(data[p + 1] - g0) + Math.abs(data[p + 2] - b0);
        const sum = data[p] + data[p + 1] + data[p + 2];
        const lo = sum < sLo ? sum : sLo;
        const hi = sum > sHi ? sum : sHi;
        split = d > COLOR_TOLERANCE || hi - lo > COLOR_TOLERANCE;
        sLo = lo;
        sHi = hi;
      }
      if (split) {
        x1s.push(x0);
        x2s.push(x);
        // The run's colour is its middle pixel: its first one is often an antialiased edge.
        const pm = (y * width + ((x0 + x - 1) >> 1)) * 4;
        const color = (data[pm] << 16) | (data[pm + 1] << 8) | data[pm + 2];
        colors.push(color);
        if (x - x0 >= longRun) longRuns.push({ x1: x0, x2: x, y, color });
        x0 = x;
        if (x < width) {
          r0 = data[p];
          g0 = data[p + 1];
          b0 = data[p + 2];
          sLo = sHi = r0 + g0 + b0;
          if (words) w0 = words[p >> 2];
        }
      }
    }
  }
  rowStart[height] = x1s.length;
  const n = x1s.length;
  const runX1 = x1s.data;
  const runX2 = x2s.data;
  const runColor = colors.data;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (let y = 1; y < height; y++) {
    let a = rowStart[y - 1];
    const aEnd = rowStart[y];
    for (let b = rowStart[y]; b < rowStart[y + 1]; b++) {
      while (a < aEnd && runX2[a] <= runX1[b]) a++;
      for (let k = a; k < aEnd && runX1[k] < runX2[b]; k++) {
        const d = colorDistance(runColor[k], runColor[b]);
        if (d <= COLOR_TOLERANCE) {
          const ra = find(k);
          const rb = find(b);
          // Compare the regions' seed colours too: otherwise an antialiased edge (250 between
          // 245 and 255) chains a light field into the white card around it.
          if (ra !== rb && colorDistance(runColor[ra], runColor[rb]) <= SEED_TOLERANCE) parent[rb] = ra;
        }
      }
    }
  }
  // Per region (numbered in order of first appearance): box, pixel count, colour sums.
  const regionOf = new Int32Array(n).fill(-1);
  let count = 0;
  const bx1 = new Int32Array(n);
  const by1 = new Int32Array(n);
  const bx2 = new Int32Array(n);
  const by2 = new Int32Array(n);
  const pixels = new Float64Array(n);
  const sums = new Float64Array(3 * n);
  const labels = new Int32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let i = rowStart[y]; i < rowStart[y + 1]; i++) {
      const root = find(i);
      let id = regionOf[root];
      const x1 = runX1[i];
      const x2 = runX2[i];
      if (id < 0) {
        id = count++;
        regionOf[root] = id;
        bx1[id] = x1;
        bx2[id] = x2;
        by1[id] = y;
      }
      const len = x2 - x1;
      pixels[id] += len;
      if (x1 < bx1[id]) bx1[id] = x1;
      if (x2 > bx2[id]) bx2[id] = x2;
      by2[id] = y + 1;
      const c = runColor[i];
      sums[3 * id] += (c >> 16) * len;
      sums[3 * id + 1] += ((c >> 8) & 255) * len;
      sums[3 * id + 2] += (c & 255) * len;
      labels.fill(id, y * width + x1, y * width + x2);
    }
  }
  let largest = 0;
  for (let id = 1; id < count; id++) if (pixels[id] > pixels[largest]) largest = id;
  const regions: Region[] = [];
  for (let id = 0; id < count; id++) {
    if (bx2[id] - bx1[id] < minSide && by2[id] - by1[id] < minSide && id !== largest) continue;
    const px = pixels[id];
    regions.push({
      id,
      bbox: [bx1[id], by1[id], bx2[id], by2[id]],
      pixels: px,
      color: [sums[3 * id] / px, sums[3 * id + 1] / px, sums[3 * id + 2] / px],
    });
  }
  return { regions, labels, width, height, longRuns };
}

/** How many rows or columns an edge of a region may lose to `trimThinEdges`. */
const MAX_EDGE_TRIM = 3;

/**
 * The region's box without edge rows or columns it covers less than half of: a 3D inset field's
 * light edge joins its white fill along one side only, and would otherwise push the box one
 * line past the fill, where the outline test then finds the dark border instead.
 */
function trimThinEdges(seg: Segmentation, r: Region): BBox {
  const { labels, width } = seg;
  let [x1, y1, x2, y2] = r.bbox;
  const rowShare = (y: number) => {
    let n = 0;
    for (let x = x1; x < x2; x++) if (labels[y * width + x] === r.id) n++;
    return n / (x2 - x1);
  };
  const columnShare = (x: number) => {
    let n = 0;
    for (let y = y1; y < y2; y++) if (labels[y * width + x] === r.id) n++;
    return n / (y2 - y1);
  };
  for (let i = 0; i < MAX_EDGE_TRIM && y2 - y1 > 2 && rowShare(y2 - 1) < 0.5; i++) y2--;
  for (let i = 0; i < MAX_EDGE_TRIM && y2 - y1 > 2 && rowShare(y1) < 0.5; i++) y1++;
  for (let i = 0; i < MAX_EDGE_TRIM && x2 - x1 > 2 && columnShare(x2 - 1) < 0.5; i++) x2--;
  for (let i = 0; i < MAX_EDGE_TRIM && x2 - x1 > 2 && columnShare(x1) < 0.5; i++) x1++;
  return [x1, y1, x2, y2];
}

/** Regions that look like rectangles (outline covered by their own pixels), of plausible control or container size. */
export function rectangles(seg: Segmentation, minSize: number): RectCandidate[] {
  const out: RectCandidate[] = [];
  const { labels, width, height } = seg;
  for (const r of seg.regions) {
    if (r.bbox[2] - r.bbox[0] < minSize || r.bbox[3] - r.bbox[1] < minSize) continue;
    const [x1, y1, x2, y2] = trimThinEdges(seg, r);
    const w = x2 - x1;
    const h = y2 - y1;
    if (w < minSize || h < minSize) continue;
    if (w >= width - 2 && h >= height - 2) continue;
    const outline = 2 * (w + h) - 4;
    if (r.pixels < outline * 0.7) continue;
    let covered = 0;
    let cornerMiss = 0;
    const test = (x: number, y: number): void => {
      if (labels[y * width + x] === r.id) covered++;
    };
    for (let x = x1; x < x2; x++) {
      test(x, y1);
      test(x, y2 - 1);
    }
    for (let y = y1 + 1; y < y2 - 1; y++) {
      test(x1, y);
      test(x2 - 1, y);
    }
    for (const [cx, cy] of [
      [x1, y1],
      [x2 - 1, y1],
      [x1, y2 - 1],
      [x2 - 1, y2 - 1],
    ])
      if (labels[cy * width + cx] !== r.id) cornerMiss++;
    const coverage = covered / outline;
    if (coverage < 0.8 && !(cornerMiss >= 3 && sidesCovered(labels, width, r.id, [x1, y1, x2, y2]))) {
      // A capsule's ends are no thin edges: it is judged on its whole box.
      if (capsuleCovered(seg, r))
        out.push({
          bbox: r.bbox,
          color: r.color,
          outlineCoverage: coverage,
          ring: false,
          rounded: true,
          capsule: true,
        });
      continue;
    }
    const area = w * h;
    out.push({
      bbox: [x1, y1, x2, y2],
      color: r.color,
      outlineCoverage: coverage,
      ring: r.pixels < area * 0.3,
      rounded: cornerMiss >= 3,
    });
  }
  return out;
}

/**
 * Whether the region owns its box's sides all along away from the corners (a fifth of the short
 * side left out at each end): a rounded box whose corner radius is large for its size (a key of
 * Bulma at ×1.5: 0.78 of its outline) leaves more of its outline to the corners than 0.2.
 */
function sidesCovered(labels: Int32Array, width: number, id: number, [x1, y1, x2, y2]: BBox): boolean {
  const m = Math.round(Math.min(x2 - x1, y2 - y1) * 0.2);
  let own = 0;
  let tested = 0;
  const test = (x: number, y: number): void => {
    tested++;
    if (labels[y * width + x] === id) own++;
  };
  for (let x = x1 + m; x < x2 - m; x++) {
    test(x, y1);
    test(x, y2 - 1);
  }
  for (let y = y1 + m; y < y2 - m; y++) {
    test(x1, y);
    test(x2 - 1, y);
  }
  return tested > 0 && own >= tested * 0.97;
}

/**
 * Whether the region is a capsule (a "pill": ends rounded to half its height, as PatternFly's
 * and Material 3's buttons are): it owns its top and bottom rows between the two half circles,
 * and on the rows between, it starts and ends within a pixel of those circles, not before them.
 * Such a box leaves most of its sides to its "corners", which `sidesCovered` allows a fifth of.
 */
function capsuleCovered({ labels, width }: Segmentation, { id, bbox: [x1, y1, x2, y2], pixels }: Region): boolean {
  const h = y2 - y1;
  const r = h / 2;
  if (x2 - x1 < h * 1.2 || pixels < ((x2 - x1) * h - (4 - Math.PI) * r * r) * 0.6) return false;
  const own = (x: number, y: number) => labels[y * width + x] === id;
  let hits = 0;
  let tested = 0;
  for (let x = Math.ceil(x1 + r); x < Math.floor(x2 - r); x++) {
    tested += 2;
    if (own(x, y1)) hits++;
    if (own(x, y2 - 1)) hits++;
  }
  const middle = (y1 + y2 - 1) / 2;
  const margin = Math.round(h * 0.15);
  for (let y = y1 + margin; y < y2 - margin; y++) {
    const d = Math.min(r, Math.abs(y - middle));
    const inset = Math.round(r - Math.sqrt(r * r - d * d));
    // Starts on the circle (or a pixel inside it), and not before it.
    const starts = (edge: number, dir: number) =>
      (own(edge + dir * inset, y) || own(edge + dir * (inset + 1), y)) &&
      (inset < 2 || !own(edge + dir * (inset - 2), y));
    tested += 2;
    if (starts(x1, 1)) hits++;
    if (starts(x2 - 1, -1)) hits++;
  }
  return tested > 0 && hits >= tested * 0.95;
}

/**
 * Rounded borders whose antialiased corners cut them into four strokes: a 1-pixel border drawn
 * round a gradient face (xp.css, Luna-like and Aqua-like themes) has no flat fill to find, and
 * its corner pixels are blends that join none of its sides, so each side is a region of its own,
 * a solid line. Two horizontal strokes over the same columns and two vertical strokes over the
 * rows between them are one box when every corner leaves the same gap, a corner's radius,
 * between the strokes it joins, across and down alike: the bottom of the key above and the side
 * of the key beside are nearer than a radius on one axis only. (The strokes' colours may differ:
 * at a fractional scale one side is drawn blended over two rows.)
 */
export function strokeRings(
  seg: Segmentation,
  minSize: number,
  maxThickness: number,
  maxCorner: number,
): RectCandidate[] {
  // A thick stroke may take in a pixel of the corner it runs into (a 2-pixel side whose rounded
  // corner makes its box 3 wide at ×2): solid over one pixel less than its box's thickness.
  const solid = (r: Region) => {
    const thick = Math.min(r.bbox[2] - r.bbox[0], r.bbox[3] - r.bbox[1]);
    const long = Math.max(r.bbox[2] - r.bbox[0], r.bbox[3] - r.bbox[1]);
    return r.pixels >= long * (thick >= 3 ? thick - 1 : thick) * 0.9;
  };
  const across: Region[] = [];
  const down: Region[] = [];
  for (const r of seg.regions) {
    const w = r.bbox[2] - r.bbox[0];
    const h = r.bbox[3] - r.bbox[1];
    if (h <= maxThickness && w >= minSize && solid(r)) across.push(r);
    else if (w <= maxThickness && h >= minSize && solid(r)) down.push(r);
  }
  if (!across.length || !down.length) return [];
  // A border drawn by several elements (a field's outline in three parts) may come out as
  // strokes that meet end to end on one row, each antialiased its own way: also one stroke.
  const byRow = [...across].sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[3] - b.bbox[3] || a.bbox[0] - b.bbox[0]);
  for (let i = 0; i < byRow.length;) {
    let j = i;
    let pixels = byRow[i].pixels;
    while (
      j + 1 < byRow.length &&
      byRow[j + 1].bbox[1] === byRow[i].bbox[1] &&
      byRow[j + 1].bbox[3] === byRow[i].bbox[3] &&
      byRow[j + 1].bbox[0] - byRow[j].bbox[2] <= 1
    )
      pixels += byRow[++j].pixels;
    if (j > i)
      across.push({
        ...byRow[j],
        id: -1,
        bbox: [byRow[i].bbox[0], byRow[i].bbox[1], byRow[j].bbox[2], byRow[i].bbox[3]],
        pixels,
      });
    i = j + 1;
  }
  // A label set into the top border cuts the top stroke in two: a short piece from the corner,
  // then the rest after the label. The two stand for one top stroke, the cut noted.
  const notches = new Map<Region, [number, number]>();
  for (const a of across)
    for (const b of across) {
      const sameRow = a.bbox[1] === b.bbox[1] && a.bbox[3] === b.bbox[3];
      if (!sameRow || a.bbox[2] - a.bbox[0] > maxCorner * 2.5 || b.bbox[0] - a.bbox[2] < minSize) continue;
      if (b.bbox[2] - b.bbox[0] < (b.bbox[0] - a.bbox[2]) * 2) continue;
      const top: Region = {
        ...b,
        id: -1,
        bbox: [a.bbox[0], b.bbox[1], b.bbox[2], b.bbox[3]],
        pixels: a.pixels + b.pixels,
      };
      notches.set(top, [a.bbox[2], b.bbox[0]]);
    }
  across.push(...notches.keys());
  across.sort((a, b) => a.bbox[1] - b.bbox[1]);
  const aligned = (a: Region, b: Region) =>
    Math.abs(a.bbox[0] - b.bbox[0]) <= 2 && Math.abs(a.bbox[2] - b.bbox[2]) <= 2;
  // Pixels left empty at a corner: across (from the side to the end of the top or bottom
  // stroke) and down (from that stroke to the end of the side).
  const gaps = (top: Region, bottom: Region, v: Region, left: boolean): number[] => [
    left ? top.bbox[0] - v.bbox[2] : v.bbox[0] - top.bbox[2],
    left ? bottom.bbox[0] - v.bbox[2] : v.bbox[0] - bottom.bbox[2],
    v.bbox[1] - top.bbox[3],
    bottom.bbox[1] - v.bbox[3],
  ];
  const round = (g: number[]) =>
    Math.min(...g) >= 0 && Math.max(...g) <= maxCorner && Math.max(...g) - Math.min(...g) <= 2;
  const side = (top: Region, bottom: Region, left: boolean): Region | undefined =>
    down.find((v) => round(gaps(top, bottom, v, left)));
  const sides = (top: Region, bottom: Region): [Region, Region] | null => {
    const left = side(top, bottom, true);
    const right = left && side(top, bottom, false);
    return left && right ? [left, right] : null;
  };
  const out: RectCandidate[] = [];
  for (let i = 0; i < across.length; i++) {
    const top = across[i];
    for (let j = i + 1; j < across.length; j++) {
      let bottom = across[j];
      if (bottom.bbox[1] - top.bbox[3] < minSize || !aligned(top, bottom)) continue;
      let found = sides(top, bottom);
      if (!found) continue;
      // The last row of a gradient face may pass for the bottom stroke: the border is the line
      // right under it.
      for (let k = j + 1; k < across.length && across[k].bbox[1] <= bottom.bbox[3]; k++) {
        const under = across[k];
        if (under.bbox[1] !== bottom.bbox[3] || !aligned(top, under)) continue;
        const below = sides(top, under);
        if (!below) break;
        [bottom, found] = [under, below];
      }
      const [left, right] = found;
      const notch = notches.get(top);
      // Only the nearest bottom: a stack of boxes with aligned sides is several boxes.
      out.push({
        bbox: [left.bbox[0], top.bbox[1], right.bbox[2], bottom.bbox[3]],
        color: top.color,
        outlineCoverage: 1,
        ring: true,
        rounded: true,
        ...(notch ? { notch } : {}),
      });
      break;
    }
  }
  // Between four boxes of a grid (keys), the neighbours' sides facing the gap pass for a box
  // round the box across it: a box holding another a corner's width inside each side is that.
  const hugs = (outer: RectCandidate, inner: RectCandidate) =>
    outer !== inner &&
    [
      inner.bbox[0] - outer.bbox[0],
      inner.bbox[1] - outer.bbox[1],
      outer.bbox[2] - inner.bbox[2],
      outer.bbox[3] - inner.bbox[3],
    ].every((d) => d >= 0 && d <= maxCorner * 2);
  return out.filter((o) => !out.some((i) => hugs(o, i)));
}

/**
 * Thin horizontal lines: bands of at most `maxThickness` rows of long runs of one colour, with
 * other colours right above and right below over most of their length (a band of background
 * between two lines of text is not a line: the text rows around it are mostly background too).
 */
export function horizontalLines(
  seg: Segmentation,
  image: RgbaImage,
  maxThickness: number,
  minLength: number,
): HorizontalLine[] {
  const byRow = new Map<number, LongRun[]>();
  for (const r of seg.longRuns) {
    const list = byRow.get(r.y);
    if (list) list.push(r);
    else byRow.set(r.y, [r]);
  }
  const consumed = new Set<LongRun>();
  const out: HorizontalLine[] = [];
  const { data, width } = image;
  const differs = (y: number, x1: number, x2: number, color: number): boolean => {
    if (y < 0 || y >= image.height) return true;
    let n = 0;
    const samples = 16;
    for (let i = 0; i < samples; i++) {
      const x = Math.round(x1 + ((x2 - 1 - x1) * (i + 0.5)) / samples);
      const p = (y * width + x) * 4;
      if (colorDistance((data[p] << 16) | (data[p + 1] << 8) | data[p + 2], color) > 36) n++;
    }
    return n >= samples * 0.75;
  };
  for (const run of seg.longRuns) {
    if (consumed.has(run)) continue;
    consumed.add(run);
    let y2 = run.y + 1;
    for (;;) {
      const next = byRow
        .get(y2)
        ?.find(
          (o) =>
            !consumed.has(o) &&
            Math.min(o.x2, run.x2) - Math.max(o.x1, run.x1) >= (run.x2 - run.x1) * 0.9 &&
            colorDistance(o.color, run.color) <= 30,
        );
      if (!next) break;
      consumed.add(next);
      y2++;
    }
    if (y2 - run.y > maxThickness) continue;
    if (!differs(run.y - 1, run.x1, run.x2, run.color) || !differs(y2, run.x1, run.x2, run.color)) continue;
    out.push({ bbox: [run.x1, run.y, run.x2, y2], color: [run.color >> 16, (run.color >> 8) & 255, run.color & 255] });
  }
  // A line drawn cell by cell may change shade by a step at each cell's edge (and a narrow
  // cell's piece is shorter than a long run): one line.
  out.sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
  const merged: HorizontalLine[] = [];
  for (const l of out) {
    const last = merged[merged.length - 1];
    if (last && last.bbox[1] === l.bbox[1] && last.bbox[3] === l.bbox[3] && l.bbox[0] - last.bbox[2] <= 2)
      last.bbox[2] = Math.max(last.bbox[2], l.bbox[2]);
    else merged.push(l);
  }
  return merged.filter((l) => l.bbox[2] - l.bbox[0] >= minLength);
}

/** A box of the same height touching its left or right side: one cell of a row of cells. */
export function hasSideNeighbour(r: RectCandidate, rects: RectCandidate[]): boolean {
  return rects.some(
    (o) =>
      o !== r &&
      Math.abs(o.bbox[1] - r.bbox[1]) <= 3 &&
      Math.abs(o.bbox[3] - r.bbox[3]) <= 3 &&
      (Math.abs(o.bbox[0] - r.bbox[2]) <= 3 || Math.abs(o.bbox[2] - r.bbox[0]) <= 3),
  );
}
