/**
 * Renders the benchmark screens with headless Chromium and writes, next to each PNG, the ground
 * truth read from the DOM: every interactive element's type, label and box in physical pixels.
 * Nothing is committed: `generateSet('quick')` renders 12 screens, `generateSet('full')` a few
 * hundred, into bench/out/screens/<set>/ (git-ignored), and reuses a complete earlier render.
 *
 *   node dist/bench/screens/generate.js [quick|full] [--out DIR] [--force]
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { THEMES, themeByName } from './themes';
import { APP_NAME, seededRandom, TEMPLATES, templateByName } from './templates';
import { Box, ElementType, ScreenTruth, SetManifest, TargetQuery, TruthElement } from './types';
import { normalizeText } from './text';

/** Bump when templates, themes or extraction change, so cached renders are redone. */
export const GENERATOR_VERSION = 6;

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const DEFAULT_OUT_DIR = process.env.RPA_BENCH_SCREENS ?? path.join(REPO_ROOT, 'bench', 'out', 'screens');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A physical screen: resolution in physical pixels and its display scale. */
export interface Display {
  width: number;
  height: number;
  scale: number;
}

/** Resolution × scale pairs whose CSS viewport is whole pixels (Chromium needs integer viewports). */
export const DISPLAYS: Display[] = [
  { width: 1920, height: 1080, scale: 1 },
  { width: 1920, height: 1080, scale: 1.25 },
  { width: 1920, height: 1080, scale: 1.5 },
  { width: 1920, height: 1080, scale: 2 },
  { width: 1600, height: 900, scale: 1 },
  { width: 1600, height: 900, scale: 1.25 },
  { width: 1600, height: 900, scale: 2 },
  { width: 1366, height: 768, scale: 1 },
  { width: 1280, height: 720, scale: 1 },
  { width: 1280, height: 720, scale: 1.25 },
];

export interface ScreenSpec {
  template: string;
  theme: string;
  display: Display;
  seed: number;
}

export function screenId(spec: ScreenSpec): string {
  const d = spec.display;
  return `${spec.template}-${spec.theme}-${d.width}x${d.height}-${Math.round(d.scale * 100)}-s${spec.seed}`;
}

/** Every template in every theme on six displays each: 8 × 5 × 6 = 240 screens. */
export function fullSpecs(): ScreenSpec[] {
  const specs: ScreenSpec[] = [];
  TEMPLATES.forEach((template, ti) =>
    THEMES.forEach((theme, hi) => {
      for (let k = 0; k < 6; k++) {
        const display = DISPLAYS[(ti + 2 * hi + k) % DISPLAYS.length];
        specs.push({ template: template.name, theme: theme.name, display, seed: 1000 * ti + 100 * hi + k + 1 });
      }
    }),
  );
  return specs;
}

/** Twelve screens covering every template, theme, scale and resolution: the set tests use. */
export function quickSpecs(): ScreenSpec[] {
  const d = (width: number, height: number, scale: number): Display => ({ width, height, scale });
  const picks: Array<[string, string, Display]> = [
    ['login', 'flat-blue', d(1920, 1080, 1)],
    ['invoice_list', 'classic-grey', d(1920, 1080, 1.25)],
    ['invoice_confirm', 'dark', d(1600, 900, 1.25)],
    ['patient_form', 'material', d(1920, 1080, 1.5)],
    ['invoice_form', 'high-contrast', d(1366, 768, 1)],
    ['settings', 'dark', d(1920, 1080, 2)],
    ['editor_menu', 'classic-grey', d(1280, 720, 1)],
    ['dashboard', 'material', d(1600, 900, 2)],
    ['invoice_list', 'high-contrast', d(1280, 720, 1.25)],
    ['patient_form', 'classic-grey', d(1600, 900, 1)],
    ['invoice_confirm', 'flat-blue', d(1920, 1080, 1.5)],
    ['settings', 'material', d(1366, 768, 1)],
  ];
  return picks.map(([template, theme, display], i) => ({ template, theme, display, seed: 90001 + i }));
}

export type SetName = 'quick' | 'full';
export function specsFor(set: SetName): ScreenSpec[] {
  return set === 'quick' ? quickSpecs() : fullSpecs();
}

export function pageHtml(spec: ScreenSpec): { html: string; title: string } {
  const template = templateByName(spec.template);
  const title = `${APP_NAME} - ${template.page}`;
  const body = template.render({ rng: seededRandom(spec.seed) });
  const html = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title><style>${themeByName(spec.theme).css}</style></head><body>${body}</body></html>`;
  return { html, title };
}

/** What the page reports for one annotated element, in CSS pixels. */
export interface DomElement {
  type: ElementType;
  label: string;
  text: string;
  rect: [number, number, number, number];
  labelRect: [number, number, number, number] | null;
  /** What is drawn inside the element (its text and icons), when that is all one sees of it. */
  contentRect: [number, number, number, number] | null;
  near: string | null;
  noTarget: boolean;
  covered: boolean;
}

/**
 * Runs in the page: reads every `[data-gt]` element. Labels come from `label[for]`, the
 * placeholder or the element's text; a field's label box is the tight box of its text (a Range),
 * not the label element's block; "covered" means the element's centre shows something else
 * (a dialog's backdrop, an open menu).
 */
function readDom(): DomElement[] {
  const rectOf = (r: DOMRect): [number, number, number, number] => [r.left, r.top, r.right, r.bottom];
  const textRect = (el: Element): DOMRect => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return range.getBoundingClientRect();
  };
  const out: DomElement[] = [];
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-gt]'))) {
    const type = el.dataset.gt as ElementType;
    const rect = el.getBoundingClientRect();
    const labelEl = el.id ? document.querySelector<HTMLLabelElement>(`label[for="${el.id}"]`) : null;
    let text: string;
    if (el instanceof HTMLInputElement) text = el.type === 'password' ? '' : el.value || el.placeholder;
    else if (el instanceof HTMLSelectElement) text = el.selectedOptions[0]?.text ?? '';
    else text = (el.innerText || '').replace(/\s+/g, ' ').trim();
    const placeholder = el instanceof HTMLInputElement ? el.placeholder : '';
    const label = el.dataset.gtLabel ?? labelEl?.innerText.trim() ?? (placeholder || text);
    const cx = (rect.left + rect.right) / 2;
    const cy = (rect.top + rect.bottom) / 2;
    const hit = document.elementFromPoint(cx, cy);
    const covered = !hit || !(hit === el || el.contains(hit) || hit.contains(el));
    const isField = el instanceof HTMLInputElement || el instanceof HTMLSelectElement;
    const content = isField || type === 'table_row' || type === 'text_input' ? null : textRect(el);
    out.push({
      type,
      label,
      text,
      rect: rectOf(rect),
      labelRect: labelEl ? rectOf(textRect(labelEl)) : null,
      contentRect: content && content.width > 0 && content.height > 0 ? rectOf(content) : null,
      near: el.dataset.gtNear ?? null,
      noTarget: el.dataset.gtNotarget !== undefined,
      covered,
    });
  }
  return out;
}

const FIELD_TYPES: ReadonlySet<ElementType> = new Set(['text_input', 'dropdown', 'checkbox', 'radio']);

/** CSS box → physical pixel box, growing outwards to whole pixels and clamped to the screen. */
function toPhysical(r: [number, number, number, number], scale: number, width: number, height: number): Box {
  return [
    Math.max(0, Math.floor(r[0] * scale)),
    Math.max(0, Math.floor(r[1] * scale)),
    Math.min(width - 1, Math.ceil(r[2] * scale) - 1),
    Math.min(height - 1, Math.ceil(r[3] * scale) - 1),
  ];
}

/** Turns what the DOM reported into ground truth: physical boxes, visibility, grounding queries. */
export function toTruth(dom: DomElement[], display: Display): TruthElement[] {
  const cssW = display.width / display.scale;
  const cssH = display.height / display.scale;
  const elements: TruthElement[] = [];
  dom.forEach((d, i) => {
    const [l, t, r, b] = d.rect;
    if (r - l < 1 || b - t < 1) return;
    if (r <= 0 || b <= 0 || l >= cssW || t >= cssH) return; // off screen: not on the screenshot at all
    const cut = l < 0 || t < 0 || r > cssW + 0.5 || b > cssH + 0.5;
    const bbox = toPhysical(d.rect, display.scale, display.width, display.height);
    const e: TruthElement = { id: `gt${i + 1}`, type: d.type, label: d.label, bbox, click_box: bbox };
    if (d.text) e.text = d.text;
    if (d.labelRect && FIELD_TYPES.has(d.type))
      e.label_bbox = toPhysical(d.labelRect, display.scale, display.width, display.height);
    if (d.contentRect) e.content_bbox = toPhysical(d.contentRect, display.scale, display.width, display.height);
    if (cut || d.covered) e.ignore = true;
    else if (!d.noTarget && d.label.trim() !== '') {
      const q: TargetQuery = FIELD_TYPES.has(d.type)
        ? { label: d.label, type: d.type }
        : { text: d.label, type: d.type };
      if (d.near) q.near = d.near;
      e.target = q;
    }
    elements.push(e);
  });
  dropAmbiguousTargets(elements);
  return elements;
}

/** Two targets asked for with the same words cannot both be right: neither is a fair question. */
function dropAmbiguousTargets(elements: TruthElement[]): void {
  const groups = new Map<string, TruthElement[]>();
  for (const e of elements) {
    if (!e.target) continue;
    const q = e.target;
    const key = `${normalizeText(q.text ?? q.label ?? '')}|${q.type}|${normalizeText(q.near ?? '')}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  for (const group of groups.values()) if (group.length > 1) for (const e of group) delete e.target;
}

export interface RenderedScreen {
  truth: ScreenTruth;
  png: Buffer;
}

/** Renders one screen in an already running browser. */
export async function renderScreen(browser: Browser, spec: ScreenSpec): Promise<RenderedScreen> {
  const { display } = spec;
  const context = await browser.newContext({
    viewport: { width: Math.round(display.width / display.scale), height: Math.round(display.height / display.scale) },
    deviceScaleFactor: display.scale,
    locale: 'fr-FR',
  });
  try {
    const page = await context.newPage();
    const { html, title } = pageHtml(spec);
    await page.setContent(html, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const png = await page.screenshot({ type: 'png', animations: 'disabled', caret: 'hide' });
    const dom = await page.evaluate(readDom);
    const id = screenId(spec);
    const truth: ScreenTruth = {
      id,
      file: `${id}.png`,
      template: spec.template,
      state: spec.template,
      theme: spec.theme,
      scale: display.scale,
      width: display.width,
      height: display.height,
      title,
      seed: spec.seed,
      elements: toTruth(dom, display),
    };
    return { truth, png };
  } finally {
    await context.close();
  }
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: process.env.RPA_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export function manifestPath(set: string, outDir = DEFAULT_OUT_DIR): string {
  return path.join(outDir, set, 'manifest.json');
}

/** Reads a set's manifest, or null when it is missing, from another generator version, or incomplete. */
export function readManifest(set: string, outDir = DEFAULT_OUT_DIR, version = GENERATOR_VERSION): SetManifest | null {
  const file = manifestPath(set, outDir);
  if (!fs.existsSync(file)) return null;
  try {
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as SetManifest;
    if (manifest.generator_version !== version) return null;
    const dir = path.dirname(file);
    if (!manifest.screens.every((s) => fs.existsSync(path.join(dir, s.file)))) return null;
    return manifest;
  } catch {
    return null;
  }
}

export interface GenerateOptions {
  outDir?: string;
  /** Render again even when a complete render of this generator version exists. */
  force?: boolean;
  log?: (line: string) => void;
}

/** Renders a set (or reuses the cached one) and returns its manifest; files are under `<outDir>/<set>/`. */
export async function generateSet(set: SetName, options: GenerateOptions = {}): Promise<SetManifest> {
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  if (!options.force) {
    const cached = readManifest(set, outDir);
    if (cached) return cached;
  }
  return renderSet({
    set,
    version: GENERATOR_VERSION,
    outDir,
    specs: specsFor(set),
    render: renderScreen,
    what: `screens of set "${set}"`,
    log: options.log,
  });
}

/**
 * Renders `specs` in one headless Chromium into `<outDir>/<set>/` (a PNG and its truth per
 * screen) and writes the set's manifest: the one way every rendered set is made.
 */
export async function renderSet<Spec>(options: {
  set: string;
  version: number;
  outDir: string;
  specs: Spec[];
  render: (browser: Browser, spec: Spec) => Promise<{ truth: ScreenTruth; png: Buffer }>;
  /** What the log calls the screens, e.g. "web screens". */
  what: string;
  log?: (line: string) => void;
}): Promise<SetManifest> {
  const { set, outDir, specs } = options;
  const dir = path.join(outDir, set);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const browser = await launchChromium();
  const screens: ScreenTruth[] = [];
  const started = Date.now();
  try {
    for (const spec of specs) {
      const { truth, png } = await options.render(browser, spec);
      fs.writeFileSync(path.join(dir, truth.file), png);
      fs.writeFileSync(path.join(dir, `${truth.id}.json`), JSON.stringify(truth, null, 1));
      screens.push(truth);
      if (screens.length % 20 === 0) options.log?.(`rendered ${screens.length}/${specs.length} ${options.what}`);
    }
  } finally {
    await browser.close();
  }
  const manifest: SetManifest = {
    set,
    generator_version: options.version,
    generated_at: new Date().toISOString(),
    screens,
  };
  fs.writeFileSync(manifestPath(set, outDir), JSON.stringify(manifest));
  options.log?.(
    `rendered ${screens.length} ${options.what} into ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return manifest;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const set = (args.find((a) => !a.startsWith('--')) ?? 'quick') as SetName;
  const outIndex = args.indexOf('--out');
  if (set !== 'quick' && set !== 'full') {
    process.stderr.write(`usage: generate.js [quick|full] [--out DIR] [--force] (got "${set}")\n`);
    process.exit(2);
  }
  generateSet(set, {
    outDir: outIndex >= 0 ? args[outIndex + 1] : undefined,
    force: args.includes('--force'),
    log: (l) => process.stderr.write(`${l}\n`),
  }).then(
    (m) => process.stdout.write(`${manifestPath(m.set, outIndex >= 0 ? args[outIndex + 1] : undefined)}\n`),
    (e: Error) => {
      process.stderr.write(`generate: ${e.message}\n`);
      process.exit(1);
    },
  );
}
