/**
 * Renders the web corpus: every framework × page kind × display scale at 1920×1080, in headless
 * Chromium, with the ground truth read from the DOM (dom-truth.ts). The stylesheets and scripts
 * are served from node_modules through a request route; every other request is refused, so
 * nothing is fetched at run time. Output: bench/out/screens/web/ (git-ignored), reused when
 * complete and of this version.
 *
 *   npm run corpus -- web [--force]
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Route } from 'playwright-core';
import { DEFAULT_OUT_DIR, readManifest, renderSet, REPO_ROOT, toTruth } from '../../screens/generate';
import type { Display, DomElement } from '../../screens/generate';
import type { ScreenTruth, SetManifest } from '../../screens/types';
import { readDomTruth } from './dom-truth';
import { FRAMEWORKS, Framework, frameworkByName } from './frameworks';
import { PAGE_KINDS, pageData } from './pages';

/** Bump when frameworks, pages or the DOM reading change, so cached renders are redone. */
export const WEB_CORPUS_VERSION = 7;
export const WEB_SET = 'web';
export const WEB_SCALES = [1, 1.25, 1.5, 2];

/** The page's origin: never resolved, every request to it is answered from node_modules. */
const ORIGIN = 'http://corpus.invalid';
const NODE_MODULES = path.join(REPO_ROOT, 'node_modules');

export interface WebSpec {
  framework: string;
  kind: string;
  display: Display;
  seed: number;
}

export function webScreenId(s: WebSpec): string {
  return `web-${s.framework}-${s.kind}-${s.display.width}x${s.display.height}-${Math.round(s.display.scale * 100)}-s${s.seed}`;
}

/** Every framework and page kind at every scale, each screen with its own seed (so its own words). */
export function webSpecs(): WebSpec[] {
  const specs: WebSpec[] = [];
  FRAMEWORKS.forEach((fw, fi) =>
    PAGE_KINDS.forEach((kind, ki) =>
      WEB_SCALES.forEach((scale, si) =>
        specs.push({
          framework: fw.name,
          kind: kind.name,
          display: { width: 1920, height: 1080, scale },
          seed: 7000 + 100 * fi + 10 * ki + si,
        }),
      ),
    ),
  );
  return specs;
}

/** A whole page of the corpus: the framework's files, its shell, and the body. */
export function frameworkHtml(fw: Framework, lang: string, title: string, body: string): string {
  const links = fw.stylesheets.map((s) => `<link rel="stylesheet" href="/nm/${s}">`).join('');
  const scripts = (fw.scripts ?? []).map((s) => `<script type="module" src="/nm/${s}"></script>`).join('');
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title>${links}${scripts}<style>body{margin:0}svg{width:100%;height:100%}</style></head><body>${fw.page(title, body)}</body></html>`;
}

export function webPageHtml(fw: Framework, spec: WebSpec): { html: string; title: string } {
  const data = pageData(spec.seed);
  const kind = PAGE_KINDS.find((k) => k.name === spec.kind);
  if (!kind) throw new Error(`no web page kind "${spec.kind}"`);
  const { title, body } = kind.render(fw, data);
  return { html: frameworkHtml(fw, data.lang, title, body), title };
}

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.gif': 'image/gif',
};

/** Answers the page and its node_modules files; refuses everything else. */
function serve(html: string) {
  return async (route: Route): Promise<void> => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort('blockedbyclient');
    if (url.pathname === '/')
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    const file = path.normalize(path.join(NODE_MODULES, decodeURIComponent(url.pathname.replace(/^\/nm\//, ''))));
    if (!url.pathname.startsWith('/nm/') || !file.startsWith(NODE_MODULES + path.sep) || !fs.existsSync(file))
      return route.fulfill({ status: 404, body: '' });
    return route.fulfill({
      status: 200,
      contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      body: fs.readFileSync(file),
    });
  };
}

/** Renders a page of the corpus's origin in a fresh context: its screenshot and its DOM ground truth. */
export async function renderHtml(
  browser: Browser,
  html: string,
  display: Display,
): Promise<{ png: Buffer; dom: DomElement[] }> {
  const context = await browser.newContext({
    viewport: { width: Math.round(display.width / display.scale), height: Math.round(display.height / display.scale) },
    deviceScaleFactor: display.scale,
    locale: 'fr-FR',
  });
  try {
    const page = await context.newPage();
    await page.route('**/*', serve(html));
    await page.goto(`${ORIGIN}/`, { waitUntil: 'load' });
    // Web components draw after their definitions load; fonts after they are used.
    await page.waitForFunction(() => document.querySelectorAll(':not(:defined)').length === 0, undefined, {
      timeout: 10_000,
    });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const png = await page.screenshot({ type: 'png', animations: 'disabled', caret: 'hide' });
    return { png, dom: await page.evaluate(readDomTruth) };
  } finally {
    await context.close();
  }
}

export async function renderWebScreen(browser: Browser, spec: WebSpec): Promise<{ truth: ScreenTruth; png: Buffer }> {
  const fw = frameworkByName(spec.framework);
  const { display } = spec;
  const { html, title } = webPageHtml(fw, spec);
  const { png, dom } = await renderHtml(browser, html, display);
  const id = webScreenId(spec);
  const truth: ScreenTruth = {
    id,
    file: `${id}.png`,
    template: `${spec.framework}-${spec.kind}`,
    state: `${spec.framework}-${spec.kind}`,
    theme: fw.name,
    family: fw.family,
    scale: display.scale,
    width: display.width,
    height: display.height,
    title,
    seed: spec.seed,
    elements: toTruth(dom, display),
  };
  return { truth, png };
}

export interface WebCorpusOptions {
  outDir?: string;
  force?: boolean;
  log?: (line: string) => void;
  /** Only these specs (a spec renders a couple of pages); the full corpus by default. */
  specs?: WebSpec[];
}

/** Renders the web corpus (or reuses a complete render of this version) and returns its manifest. */
export async function generateWebCorpus(options: WebCorpusOptions = {}): Promise<SetManifest> {
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  if (!options.force && !options.specs) {
    const cached = readManifest(WEB_SET, outDir, WEB_CORPUS_VERSION);
    if (cached) return cached;
  }
  return renderSet({
    set: WEB_SET,
    version: WEB_CORPUS_VERSION,
    outDir,
    specs: options.specs ?? webSpecs(),
    render: renderWebScreen,
    what: 'web screens',
    log: options.log,
  });
}
