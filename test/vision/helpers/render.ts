/**
 * Real screens for the vision specs: HTML pages rendered by headless Chromium into PNGs in a
 * temp dir (generated in before() hooks, never committed). Positions in the pages are absolute,
 * so the specs know where each control is.
 */
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import {
  createVisionEngine,
  type LocateResult,
  type LocateTarget,
  type ScreenAnalysis,
  type VisionEngine,
} from '../../../lib/vision';
import { CHROMIUM_ARGS } from '../../../bench/screens/generate';

const execFileAsync = promisify(execFile);
export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'vision');
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-vision-screens-'));

export interface RenderOptions {
  width?: number;
  height?: number;
  /** Device scale factor (2 renders a 200 % display: twice the pixels for the same layout). */
  scale?: number;
}

/** Renders a fixture page (test/fixtures/vision/NAME.html, with {{key}} placeholders filled) to PNG. */
export async function renderFixture(
  name: string,
  vars: Record<string, string> = {},
  options: RenderOptions = {},
): Promise<string> {
  let html = fs.readFileSync(path.join(FIXTURES, `${name}.html`), 'utf8');
  for (const [k, v] of Object.entries(vars)) html = html.split(`{{${k}}}`).join(v);
  return renderHtml(html, options);
}

let counter = 0;
export async function renderHtml(html: string, options: RenderOptions = {}): Promise<string> {
  const scale = options.scale ?? 1;
  const id = `screen-${process.pid}-${counter++}`;
  const htmlPath = path.join(outDir, `${id}.html`);
  const pngPath = path.join(outDir, `${id}.png`);
  fs.writeFileSync(htmlPath, html);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-chromium-'));
  try {
    await execFileAsync(
      '/usr/bin/chromium',
      [
        '--headless',
        ...CHROMIUM_ARGS,
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        `--force-device-scale-factor=${scale}`,
        `--window-size=${options.width ?? 1280},${options.height ?? 720}`,
        `--screenshot=${pngPath}`,
        `file://${htmlPath}`,
      ],
      { timeout: 30_000 },
    );
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (!fs.existsSync(pngPath)) throw new Error(`chromium did not write ${pngPath}`);
  return pngPath;
}

let engine: Promise<VisionEngine> | null = null;
/** One engine for all vision specs (models load once per mocha process). */
export function sharedEngine(): Promise<VisionEngine> {
  engine ??= createVisionEngine();
  return engine;
}

/** Screens captured from real programs and from the web corpus, kept as they are: test/fixtures/vision/<page>.png. */
export const CAPTURED = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'vision');

/**
 * A captured screen (`web-98css/menu-100`) read at its scale. It is read whole, as a screen of
 * its own, whatever screen the shared engine read before: with frame reuse only the part that
 * differs from the previous screen of that size is detected again, and a spec's outcome would
 * depend on the specs run before it.
 */
export async function analyzeCapture(page: string, scaleFactor: number): Promise<ScreenAnalysis> {
  const vision = await sharedEngine();
  return vision.analyze(path.join(CAPTURED, `${page}.png`), { scaleFactor, wholeFrame: true });
}

/** A captured screen read at its scale (see `analyzeCapture`), and the target located on it. */
export async function locateOnCapture(
  page: string,
  scaleFactor: number,
  target: LocateTarget,
): Promise<{ analysis: ScreenAnalysis; hit: LocateResult }> {
  const analysis = await analyzeCapture(page, scaleFactor);
  return { analysis, hit: await (await sharedEngine()).locate(analysis, target) };
}

/** True when the point lies inside the box [x1, y1, x2, y2]. */
export function inside(point: [number, number] | null, box: [number, number, number, number]): boolean {
  return !!point && point[0] >= box[0] && point[0] < box[2] && point[1] >= box[1] && point[1] < box[3];
}

/** The invoice form's placeholders; override some to get the same screen with other data. */
export const INVOICE_DEFAULTS: Record<string, string> = {
  bg: '#f0f0f0',
  fg: '#222222',
  number: '2024-0153',
  patient: 'DUPONT Jean',
  row1: 'MARTIN Élodie',
  amount1: '120,00 €',
  row2: 'LEFÈVRE François',
  amount2: '45,50 €',
  dialog: '',
};

/** A modal confirmation on top of the form (dimmed backdrop, centred box, two buttons). */
export const CONFIRM_DIALOG = `
  <div style="position:fixed;inset:0;background:rgba(0,0,0,0.45)"></div>
  <div style="position:fixed;left:440px;top:230px;width:400px;height:170px;background:#fff;border:1px solid #555;box-shadow:0 4px 16px #000">
    <div style="background:#2c5d9e;color:#fff;padding:8px 12px">Confirmation</div>
    <p style="margin:24px 16px">Confirmer la validation de la facture ?</p>
    <button style="position:absolute;left:200px;top:120px;width:80px">Oui</button>
    <button style="position:absolute;left:295px;top:120px;width:80px">Non</button>
  </div>`;

export function renderInvoice(vars: Record<string, string> = {}, options: RenderOptions = {}): Promise<string> {
  return renderFixture('invoice-form', { ...INVOICE_DEFAULTS, ...vars }, options);
}

/** Where the invoice form's controls are, in CSS pixels (multiply by the scale for physical pixels). */
export const INVOICE_BOXES = {
  nom: [220, 120, 440, 146],
  montant: [220, 160, 440, 186],
  categorie: [220, 200, 440, 226],
  valider: [40, 370, 200, 400],
  annuler: [230, 370, 320, 400],
} as const satisfies Record<string, [number, number, number, number]>;

export function scaled(
  box: readonly [number, number, number, number],
  scale: number,
): [number, number, number, number] {
  return box.map((v) => v * scale) as [number, number, number, number];
}
