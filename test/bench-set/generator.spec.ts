/**
 * The benchmark is only as good as its ground truth: these specs render the quick set with
 * Chromium and check, on the pixels, that the boxes taken from the DOM are where the elements are.
 */
import assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { promisify } from 'util';
import { locateWithTesseract, parseTsv } from '../../bench/baseline/tesseract';
import { matchDetections } from '../../bench/grounding';
import { generateSet, quickSpecs } from '../../bench/screens/generate';
import { normalizeText } from '../../bench/screens/text';
import { Box, ELEMENT_TYPES, ScreenTruth, SetManifest, TruthElement } from '../../bench/screens/types';

const execFileAsync = promisify(execFile);

/** Mean RGB and spread of a box of a PNG. */
async function regionStats(file: string, box: Box): Promise<{ mean: number[]; stdev: number }> {
  const { channels } = await sharp(file)
    .extract({ left: box[0], top: box[1], width: box[2] - box[0] + 1, height: box[3] - box[1] + 1 })
    .removeAlpha()
    .stats();
  return { mean: channels.map((c) => c.mean), stdev: Math.max(...channels.map((c) => c.stdev)) };
}

function grow(box: Box, by: number, s: ScreenTruth): Box {
  return [
    Math.max(0, box[0] - by),
    Math.max(0, box[1] - by),
    Math.min(s.width - 1, box[2] + by),
    Math.min(s.height - 1, box[3] + by),
  ];
}

/** What Tesseract reads in one box of a screenshot, upscaled so small text is legible. */
async function readBox(file: string, box: Box, s: ScreenTruth): Promise<string> {
  const b = grow(box, 2, s);
  const crop = await sharp(file)
    .extract({ left: b[0], top: b[1], width: b[2] - b[0] + 1, height: b[3] - b[1] + 1 })
    .resize({ width: Math.round((b[2] - b[0] + 1) * (2 / s.scale)) })
    .png()
    .toBuffer();
  const cropFile = path.join(os.tmpdir(), `bench-set-crop-${process.pid}-${box.join('-')}.png`);
  fs.writeFileSync(cropFile, crop);
  try {
    const { stdout } = await execFileAsync('tesseract', [cropFile, 'stdout', '-l', 'fra+eng', '--psm', '7']);
    return stdout;
  } finally {
    fs.rmSync(cropFile, { force: true });
  }
}

describe('benchmark set: the quick screens and their ground truth', function () {
  this.timeout(120_000);
  const outDir = path.join(os.tmpdir(), `rpa-bench-set-${process.pid}`);
  let manifest: SetManifest;
  const file = (s: ScreenTruth) => path.join(outDir, 'quick', s.file);
  const all = (): Array<{ s: ScreenTruth; e: TruthElement }> =>
    manifest.screens.flatMap((s) => s.elements.map((e) => ({ s, e })));

  before(async () => {
    manifest = await generateSet('quick', { outDir, force: true });
  });
  after(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('renders the twelve screens at their physical resolution, across five themes, four scales and four resolutions', async () => {
    assert.strictEqual(manifest.screens.length, quickSpecs().length);
    for (const s of manifest.screens) {
      const meta = await sharp(file(s)).metadata();
      assert.deepStrictEqual([meta.width, meta.height], [s.width, s.height], s.id);
    }
    assert.ok(new Set(manifest.screens.map((s) => s.theme)).size >= 5);
    assert.deepStrictEqual([...new Set(manifest.screens.map((s) => s.scale))].sort(), [1, 1.25, 1.5, 2]);
    assert.ok(new Set(manifest.screens.map((s) => `${s.width}x${s.height}`)).size >= 4);
  });

  it('has grounding targets of every element type, with French accented labels', () => {
    const targets = all().filter(({ e }) => e.target && !e.ignore);
    for (const type of ELEMENT_TYPES)
      assert.ok(
        targets.some(({ e }) => e.type === type),
        `no ${type} target`,
      );
    assert.ok(
      targets.some(({ e }) => /[éèàÉ]/.test(e.label)),
      'no accented label',
    );
    assert.ok(targets.length > 150, `only ${targets.length} targets`);
  });

  it('keeps every box inside its screenshot, and a field’s click box on the control, not on its label', () => {
    for (const { s, e } of all()) {
      assert.ok(
        e.bbox[0] >= 0 &&
          e.bbox[1] >= 0 &&
          e.bbox[2] < s.width &&
          e.bbox[3] < s.height &&
          e.bbox[0] < e.bbox[2] &&
          e.bbox[1] < e.bbox[3],
        `${s.id} ${e.label}`,
      );
      if (!e.label_bbox) continue;
      const [c, l] = [e.click_box, e.label_bbox];
      const overlaps = l[0] <= c[2] && c[0] <= l[2] && l[1] <= c[3] && c[1] <= l[3];
      assert.ok(!overlaps, `${s.id}: the click box of "${e.label}" overlaps its label`);
      assert.ok(
        l[2] <= c[0] || l[3] <= c[1] || c[2] <= l[0],
        `${s.id}: the label of "${e.label}" is neither left of, above nor right of its control`,
      );
    }
  });

  it('covers the list under a confirmation dialog: only the dialog’s buttons are targets there', () => {
    const dialogs = manifest.screens.filter((s) => s.template === 'invoice_confirm');
    assert.ok(dialogs.length > 0);
    for (const s of dialogs) {
      const targets = s.elements.filter((e) => e.target && !e.ignore).map((e) => e.label);
      assert.deepStrictEqual(targets.sort(), ['Annuler', 'Confirmer']);
    }
  });

  it('puts checkboxes and radios where the pixels show a control, unlike the background around them', async () => {
    const controls = all().filter(({ e }) => (e.type === 'checkbox' || e.type === 'radio') && !e.ignore);
    assert.ok(controls.length >= 10);
    for (const { s, e } of controls) {
      const inside = await regionStats(file(s), e.bbox);
      const around = await regionStats(file(s), grow(e.bbox, Math.round(6 * s.scale), s));
      const diff = Math.max(...inside.mean.map((m, i) => Math.abs(m - around.mean[i])));
      assert.ok(
        inside.stdev > 15 || diff > 8,
        `${s.id}: nothing drawn in the ${e.type} box of "${e.label}" [${e.bbox.join(',')}]`,
      );
    }
  });

  it('draws each button’s label inside its box, as Tesseract reads it', async () => {
    // Every third button of every screen (about 20), two Tesseract processes at a time.
    const buttons = manifest.screens.flatMap((s) =>
      s.elements
        .filter((e) => e.type === 'button' && !e.ignore && e.text)
        .filter((_, i) => i % 3 === 0)
        .map((e) => ({ s, e })),
    );
    let read = 0;
    const misses: string[] = [];
    const check = async ({ s, e }: { s: ScreenTruth; e: TruthElement }) => {
      const text = normalizeText(await readBox(file(s), e.bbox, s)).replace(/ /g, '');
      const want = normalizeText(e.label).replace(/ /g, '');
      if (text.includes(want) || want.includes(text.slice(0, Math.max(4, want.length - 2)))) read++;
      else misses.push(`${s.id} "${e.label}" read "${text}"`);
    };
    for (let i = 0; i < buttons.length; i += 2) await Promise.all(buttons.slice(i, i + 2).map(check));
    // Tesseract slips on a few dark or tiny buttons; a box in the wrong place would fail them all.
    assert.ok(
      read / buttons.length >= 0.85,
      `only ${read}/${buttons.length} buttons read in their boxes:\n${misses.join('\n')}`,
    );
  });

  it('scales boxes with the display: a button is 32 CSS pixels high in flat-blue at every scale', () => {
    const flat = manifest.screens.filter((s) => s.theme === 'flat-blue');
    assert.ok(new Set(flat.map((s) => s.scale)).size >= 2);
    for (const s of flat)
      // The row buttons (Voir, Valider) are the theme's small variant.
      for (const e of s.elements.filter(
        (x) => x.type === 'button' && !x.ignore && x.label !== 'Voir' && x.label !== 'Valider',
      )) {
        const h = e.bbox[3] - e.bbox[1] + 1;
        assert.ok(Math.abs(h - 32 * s.scale) <= 1.5, `${s.id} "${e.label}" is ${h} px high at scale ${s.scale}`);
      }
  });

  it('lets the Tesseract baseline pick, among equal words, the one next to the row key', () => {
    const row = (line: number, top: number, words: Array<[string, number]>) =>
      words.map(([w, left], i) => `5\t1\t1\t1\t${line}\t${i + 1}\t${left}\t${top}\t60\t14\t95\t${w}`).join('\n');
    const tsv = [
      'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
      row(1, 100, [
        ['FAC-2024-0001', 10],
        ['Valider', 500],
      ]),
      row(2, 140, [
        ['FAC-2024-0002', 10],
        ['Valider', 500],
      ]),
      row(3, 180, [
        ['Mot', 10],
        ['de', 80],
        ['passe', 150],
      ]),
    ].join('\n');
    const words = parseTsv(tsv);
    const hit = locateWithTesseract(words, { text: 'Valider', type: 'button', near: 'FAC-2024-0002' });
    assert.deepStrictEqual([hit.found, hit.center?.[1]], [true, 147]);
    assert.deepStrictEqual(
      locateWithTesseract(words, { label: 'Mot de passe :', type: 'text_input' }).bbox,
      [10, 180, 209, 193],
    );
    assert.strictEqual(locateWithTesseract(words, { text: 'Annuler' }).found, false);
  });

  it('does not count detections of elements hidden under a dialog as false positives', () => {
    const truth: TruthElement[] = [
      { id: 'a', type: 'button', label: 'Confirmer', bbox: [100, 100, 200, 130], click_box: [100, 100, 200, 130] },
      {
        id: 'b',
        type: 'button',
        label: 'Valider',
        bbox: [300, 100, 400, 130],
        click_box: [300, 100, 400, 130],
        ignore: true,
      },
    ];
    const counts = matchDetections(truth, [
      { type: 'button', bbox: [102, 101, 199, 129] },
      { type: 'button', bbox: [301, 100, 399, 131] },
      { type: 'text', bbox: [0, 0, 50, 20] },
    ]);
    assert.deepStrictEqual([counts.truePositives, counts.falsePositives, counts.falseNegatives], [1, 0, 0]);
  });
});
