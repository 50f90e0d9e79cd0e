/**
 * Small pixel statistics the element classifier asks about a box: its background colour, the
 * colour and amount of "ink" (pixels far from the background), and where the ink is.
 */
import type { RgbaImage } from '../../platform/types';
import type { BBox } from '../../contracts/screen-state';

export type Rgb = [number, number, number];

/** "#rrggbb" for an RGB triple. */
export function hexColor(r: number, g: number, b: number): string {
  return '#' + [r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
}

export function colorDistance(a: Rgb, b: Rgb): number {
  return Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
}

export function pixel(image: RgbaImage, x: number, y: number): Rgb {
  const xi = Math.min(image.width - 1, Math.max(0, Math.round(x)));
  const yi = Math.min(image.height - 1, Math.max(0, Math.round(y)));
  const p = (yi * image.width + xi) * 4;
  return [image.data[p], image.data[p + 1], image.data[p + 2]];
}

/** colorDistance(pixel(image, x, y), c) without making the pixel's triple (asked for every pixel of many boxes). */
export function distanceAt(image: RgbaImage, x: number, y: number, c: Rgb): number {
  const xi = Math.min(image.width - 1, Math.max(0, Math.round(x)));
  const yi = Math.min(image.height - 1, Math.max(0, Math.round(y)));
  const p = (yi * image.width + xi) * 4;
  const d = image.data;
  return Math.abs(d[p] - c[0]) + Math.abs(d[p + 1] - c[1]) + Math.abs(d[p + 2] - c[2]);
}

/** Most frequent colour (quantised to 16 levels a channel) of the box's outline. */
export function outlineColor(image: RgbaImage, box: BBox): Rgb {
  const [x1, y1, x2, y2] = box.map(Math.round);
  const counts = new Map<number, { n: number; r: number; g: number; b: number }>();
  const add = (x: number, y: number): void => {
    const [r, g, b] = pixel(image, x, y);
    const key = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
    const e = counts.get(key) ?? { n: 0, r: 0, g: 0, b: 0 };
    e.n++;
    e.r += r;
    e.g += g;
    e.b += b;
    counts.set(key, e);
  };
  const stepX = Math.max(1, Math.floor((x2 - x1) / 40));
  const stepY = Math.max(1, Math.floor((y2 - y1) / 20));
  for (let x = x1; x < x2; x += stepX) {
    add(x, y1);
    add(x, y2 - 1);
  }
  for (let y = y1; y < y2; y += stepY) {
    add(x1, y);
    add(x2 - 1, y);
  }
  let best = { n: 0, r: 0, g: 0, b: 0 };
  for (const e of counts.values()) if (e.n > best.n) best = e;
  return best.n ? [best.r / best.n, best.g / best.n, best.b / best.n] : [255, 255, 255];
}

export interface InkStats {
  background: Rgb;
  ink: Rgb;
  /** Fraction of the box's pixels that are ink. */
  inkFraction: number;
  /** Bounding box of the ink, or null when there is none. */
  inkBox: BBox | null;
}

/** Ink = pixels whose colour is farther than `threshold` from `background` (the box outline's colour by default). */
export function inkStats(image: RgbaImage, box: BBox, background?: Rgb, threshold = 90): InkStats {
  const bg = background ?? outlineColor(image, box);
  const [x1, y1, x2, y2] = [
    Math.max(0, Math.round(box[0])),
    Math.max(0, Math.round(box[1])),
    Math.min(image.width, Math.round(box[2])),
    Math.min(image.height, Math.round(box[3])),
  ];
  let n = 0;
  let r = 0,
    g = 0,
    b = 0;
  let ix1 = Infinity,
    iy1 = Infinity,
    ix2 = -Infinity,
    iy2 = -Infinity;
  const { data, width } = image;
  for (let y = y1; y < y2; y++) {
    for (let x = x1; x < x2; x++) {
      const p = (y * width + x) * 4;
      const d = Math.abs(data[p] - bg[0]) + Math.abs(data[p + 1] - bg[1]) + Math.abs(data[p + 2] - bg[2]);
      if (d <= threshold) continue;
      n++;
      r += data[p];
      g += data[p + 1];
      b += data[p + 2];
      if (x < ix1) ix1 = x;
      if (x > ix2) ix2 = x;
      if (y < iy1) iy1 = y;
      if (y > iy2) iy2 = y;
    }
  }
  const area = Math.max(1, (x2 - x1) * (y2 - y1));
  return {
    background: bg,
    ink: n ? [r / n, g / n, b / n] : bg,
    inkFraction: n / area,
    inkBox: n ? [ix1, iy1, ix2 + 1, iy2 + 1] : null,
  };
}

/** Saturation-like spread of a colour, 0–255. */
export function chroma(c: Rgb): number {
  return Math.max(...c) - Math.min(...c);
}

export function luma(c: Rgb): number {
  return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}

/**
 * The rightmost cluster of ink columns in a region (clusters are separated by at least two
 * ink-free columns): the mark just left of a label, or the arrow at the end of a dropdown,
 * without the text next to it.
 */
export function rightmostInkCluster(
  image: RgbaImage,
  region: BBox,
  background: Rgb,
  threshold = 60,
  minWidth = 1,
  options: { apartFromEdges?: boolean } = {},
): BBox | null {
  const [x1, y1, x2, y2] = [
    Math.max(0, Math.round(region[0])),
    Math.max(0, Math.round(region[1])),
    Math.min(image.width, Math.round(region[2])),
    Math.min(image.height, Math.round(region[3])),
  ];
  const { data, width } = image;
  const isInk = (x: number, y: number): boolean => {
    const p = (y * width + x) * 4;
    return (
      Math.abs(data[p] - background[0]) +
        Math.abs(data[p + 1] - background[1]) +
        Math.abs(data[p + 2] - background[2]) >
      threshold
    );
  };
  let right = -1;
  let left = -1;
  let empty = 0;
  for (let x = x2 - 1; x >= x1; x--) {
    let ink = false;
    for (let y = y1; y < y2 && !ink; y++) ink = isInk(x, y);
    if (ink) {
      if (right < 0) right = x;
      left = x;
      empty = 0;
    } else if (right >= 0 && ++empty >= 2) {
      // Slivers (a border, the edge of a neighbouring glyph) are not the cluster looked for.
      if (right - left + 1 >= minWidth) break;
      right = -1;
      left = -1;
    }
  }
  if (right < 0 || right - left + 1 < minWidth) return null;
  const inkRows: number[] = [];
  for (let y = y1; y < y2; y++) {
    let ink = false;
    for (let x = left; x <= right && !ink; x++) ink = isInk(x, y);
    if (ink) inkRows.push(y);
  }
  // With `apartFromEdges`, ink cut by the region's top or bottom edge, apart from the rest by a
  // few blank rows, is the next mark above or below (options one under the other), not this one.
  const bands: [number, number][] = [];
  for (const y of inkRows) {
    const last = bands[bands.length - 1];
    if (last && y - last[1] <= 3) last[1] = y;
    else bands.push([y, y]);
  }
  if (options.apartFromEdges && bands.length > 1) {
    if (bands[0][0] === y1) bands.shift();
    if (bands.length > 1 && bands[bands.length - 1][1] === y2 - 1) bands.pop();
  }
  return [left, bands[0][0], right + 1, bands[bands.length - 1][1] + 1];
}

/** The first and last inked columns on one row of a box; null without ink. */
export function inkExtentOnRow(
  image: RgbaImage,
  box: BBox,
  y: number,
  background: Rgb,
  threshold = 60,
): [number, number] | null {
  let first = -1;
  let last = -1;
  for (let x = box[0]; x < box[2]; x++) {
    if (distanceAt(image, x, y, background) > threshold) {
      if (first < 0) first = x;
      last = x;
    }
  }
  return first < 0 ? null : [first, last];
}

/** Horizontal extent (last ink x − first ink x + 1) of the ink on one row of a box; 0 without ink. */
export function inkSpanOnRow(image: RgbaImage, box: BBox, y: number, background: Rgb, threshold = 60): number {
  const extent = inkExtentOnRow(image, box, y, background, threshold);
  return extent ? extent[1] - extent[0] + 1 : 0;
}

/**
 * The rows [top, bottom) of a text box's own letters. Detection pads its boxes, and where lines
 * are set close (a table's rows) a box reaches into the letters of the lines above and below:
 * of the bands of inked rows, the one with the most ink is the box's own line. Gaps of a pixel
 * or two (an accent over a capital) stay inside a band; rules across the box (a border, an
 * underline) are no letters. Null without ink.
 */
export function letterBand(image: RgbaImage, box: BBox, background?: Rgb, threshold = 90): [number, number] | null {
  const bg = background ?? outlineColor(image, box);
  const x1 = Math.max(0, Math.round(box[0]));
  const x2 = Math.min(image.width, Math.round(box[2]));
  const y1 = Math.max(0, Math.round(box[1]));
  const y2 = Math.min(image.height, Math.round(box[3]));
  const bridge = Math.max(1, Math.round((y2 - y1) / 20));
  const { data, width } = image;
  const w = x2 - x1;
  const inked = new Uint8Array(Math.max(0, w * (y2 - y1)));
  // Per column, the longest run of inked rows.
  const run = new Uint32Array(Math.max(0, w));
  const longest = new Uint32Array(Math.max(0, w));
  for (let y = y1; y < y2; y++)
    for (let x = x1; x < x2; x++) {
      const p = (y * width + x) * 4;
      const k = x - x1;
      if (Math.abs(data[p] - bg[0]) + Math.abs(data[p + 1] - bg[1]) + Math.abs(data[p + 2] - bg[2]) > threshold) {
        inked[(y - y1) * w + k] = 1;
        longest[k] = Math.max(longest[k], ++run[k]);
      } else run[k] = 0;
    }
  // A column inked down most of the box is a rule too (a frame's side: letters are less than half
  // as tall as their padded box), and a row inked nearly across it (a border, an underline).
  const rule = longest.map((n) => (n >= (y2 - y1) * 0.6 ? 1 : 0));
  const bands: { rows: [number, number]; ink: number }[] = [];
  let open: { rows: [number, number]; ink: number } | undefined;
  for (let y = y1; y < y2; y++) {
    let n = 0;
    for (let x = 0; x < w; x++) if (inked[(y - y1) * w + x] && !rule[x]) n++;
    if (n >= w * 0.9) n = 0;
    if (open && (n || y - open.rows[1] < bridge)) {
      if (n) open.rows[1] = y + 1;
      open.ink += n;
    } else if (n) bands.push((open = { rows: [y, y + 1], ink: n }));
    else open = undefined;
  }
  return bands.length ? bands.reduce((a, b) => (b.ink > a.ink ? b : a)).rows : null;
}
