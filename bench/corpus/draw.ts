/**
 * Draws a screen's ground truth on its screenshot, to check by eye that the boxes sit on the
 * controls: targets green, other elements blue, ignored (covered, clipped) grey.
 *
 *   node dist/bench/corpus/draw.js MANIFEST.json [ID-REGEX]   -> <id>.boxes.png next to the PNGs
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { ScreenTruth, SetManifest } from '../screens/types';

const execFileAsync = promisify(execFile);

export async function drawTruth(screen: ScreenTruth, dir: string): Promise<string> {
  const out = path.join(dir, screen.file.replace(/\.png$/, '.boxes.png'));
  const args = [path.join(dir, screen.file), '-fill', 'none', '-strokewidth', '1'];
  for (const e of screen.elements) {
    const colour = e.ignore ? 'gray60' : e.target ? 'lime' : 'blue';
    args.push('-stroke', colour, '-draw', `rectangle ${e.bbox.join(',')}`);
    if (e.label_bbox) args.push('-stroke', 'orange', '-draw', `rectangle ${e.label_bbox.join(',')}`);
  }
  args.push(out);
  await execFileAsync('convert', args);
  return out;
}

if (require.main === module) {
  const [manifestFile, pattern] = process.argv.slice(2);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as SetManifest;
  const only = pattern ? new RegExp(pattern) : undefined;
  (async () => {
    for (const s of manifest.screens.filter((x) => !only || only.test(x.id)))
      process.stdout.write(`${await drawTruth(s, path.dirname(manifestFile))}\n`);
  })().catch((e: Error) => {
    process.stderr.write(`draw: ${e.message}\n`);
    process.exit(1);
  });
}
