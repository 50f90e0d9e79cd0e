/**
 * The web corpus (bench/corpus/web): two pages rendered with real CSS frameworks from
 * node_modules, their ground truth read from the DOM, checked for sense, and a few of their
 * targets located by the engine.
 */
import assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { decodeImage } from '../../lib/image/codec';
import { generateWebCorpus, WebSpec } from '../../bench/corpus/web/generate';
import { HELD_OUT_FAMILIES, FRAMEWORKS } from '../../bench/corpus/web/frameworks';
import { isTarget, ScreenTruth, SetManifest, TruthElement } from '../../bench/screens/types';
import { inside, sharedEngine } from '../vision/helpers/render';

const SPECS: WebSpec[] = [
  { framework: 'bootstrap', kind: 'form', display: { width: 1920, height: 1080, scale: 1 }, seed: 7001 },
  { framework: '98css', kind: 'list', display: { width: 1920, height: 1080, scale: 1.5 }, seed: 7002 },
  { framework: 'fluent', kind: 'dialog', display: { width: 1920, height: 1080, scale: 1.25 }, seed: 7003 },
  { framework: 'bulma', kind: 'menu', display: { width: 1920, height: 1080, scale: 1 }, seed: 7130 },
  { framework: 'carbon', kind: 'form', display: { width: 1920, height: 1080, scale: 1.25 }, seed: 7601 },
  { framework: 'mdc', kind: 'form', display: { width: 1920, height: 1080, scale: 1 }, seed: 7700 },
  { framework: 'uikit', kind: 'dialog', display: { width: 1920, height: 1080, scale: 1 }, seed: 7820 },
  { framework: 'patternfly', kind: 'dialog', display: { width: 1920, height: 1080, scale: 1 }, seed: 7920 },
  { framework: 'slds', kind: 'dialog', display: { width: 1920, height: 1080, scale: 1.25 }, seed: 8021 },
];

describe('web corpus: pages of real CSS frameworks with DOM ground truth', function () {
  this.timeout(120_000);
  const outDir = path.join(os.tmpdir(), `rpa-web-corpus-${process.pid}`);
  let manifest: SetManifest;
  const screen = (framework: string): ScreenTruth => manifest.screens.find((s) => s.theme === framework)!;
  const ofType = (s: ScreenTruth, type: string): TruthElement[] =>
    s.elements.filter((e) => e.type === type && !e.ignore);

  before(async () => {
    manifest = await generateWebCorpus({ outDir, specs: SPECS });
  });
  after(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('holds out a family that is part of the corpus', () => {
    for (const family of HELD_OUT_FAMILIES)
      assert.ok(
        FRAMEWORKS.some((f) => f.family === family),
        family,
      );
  });

  it('renders at the physical resolution, with the framework as theme and family', async () => {
    assert.strictEqual(manifest.screens.length, SPECS.length);
    for (const s of manifest.screens) {
      const meta = await sharp(path.join(outDir, 'web', s.file)).metadata();
      assert.deepStrictEqual([meta.width, meta.height], [1920, 1080], s.id);
      assert.strictEqual(s.family, `web-${s.theme}`);
    }
  });

  it('reads every kind of control of a form from the DOM, with its visible name', () => {
    const s = screen('bootstrap');
    const counts = (type: string) => ofType(s, type).length;
    assert.ok(counts('text_input') >= 4 && counts('dropdown') === 2, JSON.stringify(s.elements.map((e) => e.type)));
    assert.ok(counts('radio') >= 2 && counts('checkbox') === 2 && counts('tab') >= 3);
    assert.ok(counts('button') >= 3 && counts('link') === 1 && counts('icon') === 5);
    // The bare icon is named only by its aria-label: nothing a user could ask for by its text.
    assert.strictEqual(ofType(s, 'icon').filter((e) => !e.target).length, 1);
    for (const e of s.elements) {
      const [x1, y1, x2, y2] = e.bbox;
      assert.ok(x1 >= 0 && y1 >= 0 && x2 < s.width && y2 < s.height && x2 > x1 && y2 > y1, e.id);
      if (e.target) assert.ok(e.label.trim().length > 0, e.id);
    }
    // A field's box is the control; its label is a separate, smaller box above it.
    for (const f of ofType(s, 'text_input')) {
      assert.ok(f.label_bbox && f.label_bbox[3] <= f.bbox[1] + 2, f.label);
      assert.ok(f.bbox[2] - f.bbox[0] > 200, f.label);
    }
  });

  it('reads a 98.css list: rows by their key, title-bar buttons as icons no one asks for by text', () => {
    const s = screen('98css');
    const rows = ofType(s, 'table_row');
    assert.ok(rows.length >= 5);
    for (const r of rows) assert.match(r.label, /^FAC-2026-\d{4}$/);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i].bbox[1] >= rows[i - 1].bbox[3] - 1, 'rows stacked');
    // Its window's title bar buttons have no visible text: not grounding targets.
    assert.ok(ofType(s, 'icon').filter((e) => !e.target).length >= 3);
  });

  it('takes nothing behind a modal dialog for a target, only what the dialog shows', () => {
    const s = screen('fluent');
    const targets = s.elements.filter(isTarget);
    assert.ok(ofType(s, 'button').length >= 2);
    assert.deepStrictEqual([...new Set(targets.map((e) => e.type))].sort(), ['button', 'checkbox']);
    // The tabs and rows of the list behind are there, covered.
    assert.ok(s.elements.filter((e) => e.ignore && (e.type === 'tab' || e.type === 'table_row')).length >= 6);
  });

  it('takes nothing behind a UIkit modal for a target, nor its bare close button', () => {
    const s = screen('uikit');
    const targets = s.elements.filter(isTarget);
    assert.deepStrictEqual([...new Set(targets.map((e) => e.type))].sort(), ['button', 'checkbox']);
    assert.ok(s.elements.filter((e) => e.ignore && (e.type === 'tab' || e.type === 'table_row')).length >= 6);
    // The "×" is an icon named only by its aria-label ("Fermer"): no one asks for it by text.
    const close = ofType(s, 'icon').find((e) => e.label === 'Fermer');
    assert.ok(close && !close.target, JSON.stringify(s.elements.filter(isTarget).map((e) => e.label)));
  });

  it('takes nothing behind a PatternFly modal for a target, and its footer buttons for targets', () => {
    const s = screen('patternfly');
    const targets = s.elements.filter(isTarget);
    assert.deepStrictEqual([...new Set(targets.map((e) => e.type))].sort(), ['button', 'checkbox']);
    assert.ok(targets.filter((e) => e.type === 'button').length >= 3, JSON.stringify(targets.map((e) => e.label)));
    assert.ok(s.elements.filter((e) => e.ignore && (e.type === 'tab' || e.type === 'table_row')).length >= 6);
    const close = ofType(s, 'icon').find((e) => e.label === 'Fermer');
    assert.ok(close && !close.target, JSON.stringify(s.elements.filter(isTarget).map((e) => e.label)));
  });

  it('takes nothing behind a Lightning modal for a target: its backdrop covers the whole page', () => {
    const s = screen('slds');
    const targets = s.elements.filter(isTarget);
    assert.deepStrictEqual([...new Set(targets.map((e) => e.type))].sort(), ['button', 'checkbox']);
    const buttons = targets.filter((e) => e.type === 'button');
    assert.ok(buttons.length >= 3, JSON.stringify(targets.map((e) => e.label)));
    // The modal's section spans the screen; its footer buttons lie in its lower half, the list's rows behind.
    for (const b of buttons) assert.ok(b.bbox[1] > s.height / 2, `${b.label} at ${b.bbox.join(',')}`);
    assert.ok(s.elements.filter((e) => e.ignore && e.type === 'table_row').length >= 5);
  });

  it('asks for no field by a label hidden under an open menu, and for those whose label shows', () => {
    const s = screen('bulma');
    const items = ofType(s, 'menu_item');
    assert.ok(items.length >= 3, JSON.stringify(s.elements.map((e) => e.type)));
    const menu: [number, number, number, number] = [
      Math.min(...items.map((e) => e.bbox[0])),
      Math.min(...items.map((e) => e.bbox[1])),
      Math.max(...items.map((e) => e.bbox[2])),
      Math.max(...items.map((e) => e.bbox[3])),
    ];
    const fields = ofType(s, 'text_input').filter((e) => e.label_bbox);
    const underMenu = fields.filter((e) => {
      const [x1, y1, x2, y2] = e.label_bbox!;
      return inside([(x1 + x2) / 2, (y1 + y2) / 2], menu);
    });
    assert.ok(underMenu.length >= 1, 'the menu opens over a label');
    for (const e of underMenu) assert.ok(!e.target, `${e.label} is asked for, under the menu`);
    assert.ok(fields.filter((e) => e.target).length >= 2, 'the fields whose label shows are asked for');
  });

  it('boxes a mark its label draws (Carbon clips the input to a pixel) with that label', () => {
    const s = screen('carbon');
    const marks = [...ofType(s, 'checkbox'), ...ofType(s, 'radio')];
    assert.ok(ofType(s, 'checkbox').length === 2 && ofType(s, 'radio').length >= 2, JSON.stringify(marks));
    for (const m of marks) {
      // The mark (16 px at 100 %) and the words after it: never the clipped input's pixel.
      assert.ok(m.bbox[2] - m.bbox[0] > 40 && m.bbox[3] - m.bbox[1] >= 16, `${m.label} ${JSON.stringify(m.bbox)}`);
      const words = m.label_bbox!;
      assert.ok(words[0] >= m.bbox[0] && words[2] <= m.bbox[2] + 1, `${m.label}: its words in its box`);
    }
  });

  it('boxes a Material field as drawn, named by the label inside it, and a mark with its label', () => {
    const s = screen('mdc');
    const fields = [...ofType(s, 'text_input'), ...ofType(s, 'dropdown')];
    assert.ok(ofType(s, 'text_input').length >= 3 && ofType(s, 'dropdown').length >= 2, JSON.stringify(fields));
    for (const f of fields) {
      // The whole box (56 px at 100 %), not the input's inner line; the label's words inside it.
      assert.ok(f.bbox[3] - f.bbox[1] >= 50, `${f.label} ${JSON.stringify(f.bbox)}`);
      const l = f.label_bbox!;
      assert.ok(l[0] > f.bbox[0] && l[2] < f.bbox[2] && l[1] >= f.bbox[1] - 10 && l[3] < f.bbox[3], f.label);
    }
    const dropdown = ofType(s, 'dropdown')[0];
    assert.ok(
      dropdown.text && !dropdown.label.includes(dropdown.text),
      'a dropdown is named by its label, not its value',
    );
    for (const m of [...ofType(s, 'checkbox'), ...ofType(s, 'radio')])
      assert.ok(m.label_bbox![0] - m.bbox[0] >= 18, `${m.label}: the drawn mark left of its words is in its box`);
  });

  it('lets the engine find a button, a tab, a field, a row and a dropdown on them', async () => {
    const engine = await sharedEngine();
    const picks: Array<[string, (e: TruthElement) => boolean]> = [
      ['bootstrap', (e) => e.type === 'button'],
      ['bootstrap', (e) => e.type === 'tab'],
      ['bootstrap', (e) => e.type === 'text_input'],
      ['bootstrap', (e) => e.type === 'dropdown'],
      ['98css', (e) => e.type === 'table_row'],
      ['98css', (e) => e.type === 'button'],
    ];
    const misses: string[] = [];
    const analyses = new Map<string, Awaited<ReturnType<typeof engine.analyze>>>();
    for (const [framework, which] of picks) {
      const s = screen(framework);
      const target = s.elements.filter(isTarget).find(which)!;
      assert.ok(target, `${framework}: no target`);
      if (!analyses.has(s.id))
        analyses.set(s.id, await engine.analyze(await decodeImage(path.join(outDir, 'web', s.file), s.scale)));
      const r = await engine.locate(analyses.get(s.id)!, target.target);
      if (!(r.found && inside(r.center, target.click_box)))
        misses.push(`${s.id} ${JSON.stringify(target.target)} -> ${r.strategy} ${JSON.stringify(r.center)}`);
    }
    assert.deepStrictEqual(misses, []);
  });
});
