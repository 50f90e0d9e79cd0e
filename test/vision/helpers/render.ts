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
import { createVisionEngine, type VisionEngine } from '../../../lib/vision';

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
export async function renderFixture(name: string, vars: Record<string, string> = {}, options: RenderOptions = {}): Promise<string> {
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
    await execFileAsync('/usr/bin/chromium', [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      `--force-device-scale-factor=${scale}`,
      `--window-size=${options.width ?? 1280},${options.height ?? 720}`,
      `--screenshot=${pngPath}`,
      `file://${htmlPath}`,
    ], { timeout: 30_000 });
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

/** True when the point lies inside the box [x1, y1, x2, y2]. */
export function inside(point: [number, number] | null, box: [number, number, number, number]): boolean {
  return !!point && point[0] >= box[0] && point[0] < box[2] && point[1] >= box[1] && point[1] < box[3];
}
