/**
 * The desktop corpus of the grounding benchmark: a few of its screens captured for real (a GTK 3
 * dialog read through AT-SPI, a Tk form read through Tk's own geometry), and the mapping from an
 * accessibility tree to ground truth on trees whose answer is known.
 */
import assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AccessibleNode, truthFromAccessibility } from '../../bench/corpus/accessibility';
import { AccessibleDesktop, captureScenario, CORPUS_SCREEN } from '../../bench/corpus/desktop';
import { DESKTOP_SCENARIOS } from '../../bench/corpus/scenarios';
import { ELEMENT_TYPES, ScreenTruth, TruthElement } from '../../bench/screens/types';

function node(i: number, parent: number, role: string, name: string, box: AccessibleNode['box'], extra = {}) {
  return { i, parent, depth: parent < 0 ? 0 : parent === 0 ? 1 : 2, role, name, box, states: ['showing'], ...extra };
}
const screen = { width: 1280, height: 800 };
const byLabel = (elements: TruthElement[], label: string) => elements.find((e) => e.label === label);

describe('desktop corpus: ground truth from an accessibility tree', () => {
  it('maps roles to element types, fields to the label left of them, scaled to physical pixels', () => {
    const nodes: AccessibleNode[] = [
      node(0, -1, 'application', 'app', [0, 0, 0, 0]),
      node(1, 0, 'frame', 'Form', [100, 100, 400, 300]),
      node(2, 1, 'label', 'Name:', [110, 120, 40, 20]),
      node(3, 1, 'text', '', [160, 118, 200, 24], { states: ['showing', 'editable'] }),
      node(4, 1, 'push button', 'OK', [300, 350, 80, 30]),
      node(5, 1, 'page tab', 'Details', [110, 150, 60, 24]),
      node(6, 1, 'text', 'read-only text', [110, 200, 200, 24]),
    ];
    const truth = truthFromAccessibility(nodes, { coordinateScale: 2, displayScale: 2, screen });
    const field = byLabel(truth, 'Name')!;
    assert.deepStrictEqual(
      { type: field.type, bbox: field.bbox, label_bbox: field.label_bbox, target: field.target },
      {
        type: 'text_input',
        bbox: [320, 236, 719, 283],
        label_bbox: [220, 240, 299, 279],
        target: { label: 'Name', type: 'text_input' },
      },
    );
    assert.deepStrictEqual(byLabel(truth, 'OK')!.target, { text: 'OK', type: 'button' });
    assert.strictEqual(byLabel(truth, 'Details')!.type, 'tab');
    assert.strictEqual(byLabel(truth, 'read-only text'), undefined, 'a text that cannot be edited is no field');
  });

  it('ignores what an open menu covers and what the screen edge cuts', () => {
    const nodes: AccessibleNode[] = [
      node(0, -1, 'application', 'app', [0, 0, 0, 0]),
      node(1, 0, 'frame', 'Main', [0, 0, 1280, 800]),
      node(2, 1, 'menu bar', '', [0, 0, 1280, 24]),
      node(3, 2, 'menu', 'File', [0, 0, 40, 24]),
      node(4, 3, 'menu item', 'Open', [0, 24, 150, 24]),
      node(5, 1, 'push button', 'Hidden by the menu', [10, 30, 120, 30]),
      node(6, 1, 'push button', 'Beside the menu', [500, 400, 120, 30]),
      node(7, 1, 'push button', 'Off screen', [1250, 400, 120, 30]),
    ];
    const truth = truthFromAccessibility(nodes, { coordinateScale: 1, displayScale: 1, screen });
    assert.strictEqual(byLabel(truth, 'Open')!.type, 'menu_item');
    assert.strictEqual(byLabel(truth, 'Open')!.ignore, undefined);
    assert.strictEqual(byLabel(truth, 'File')!.ignore, undefined);
    assert.strictEqual(byLabel(truth, 'Beside the menu')!.ignore, undefined);
    assert.strictEqual(byLabel(truth, 'Hidden by the menu')!.ignore, true);
    assert.strictEqual(byLabel(truth, 'Off screen')!.ignore, true);
  });

  it('while a dialog is open, asks only for its controls', () => {
    const nodes: AccessibleNode[] = [
      node(0, -1, 'application', 'app', [0, 0, 0, 0]),
      node(1, 0, 'frame', 'Main', [0, 0, 1280, 800]),
      node(2, 1, 'push button', 'Under the dialog', [500, 400, 120, 30]),
      node(3, 1, 'push button', 'Beside the dialog', [10, 10, 120, 30]),
      node(4, 0, 'dialog', 'Confirm', [450, 350, 300, 200]),
      node(5, 4, 'push button', 'Yes', [600, 500, 80, 30]),
    ];
    const truth = truthFromAccessibility(nodes, { coordinateScale: 1, displayScale: 1, screen });
    assert.strictEqual(byLabel(truth, 'Under the dialog')!.ignore, true);
    assert.strictEqual(byLabel(truth, 'Beside the dialog')!.ignore, true);
    assert.strictEqual(byLabel(truth, 'Yes')!.ignore, undefined);
  });

  it("names a dialog's field by the dialog's label, not by a label of the window behind it", () => {
    // Swing's file chooser over a form: the form's "Country" ends where the chooser's field starts.
    const nodes: AccessibleNode[] = [
      node(0, -1, 'application', 'app', [0, 0, 0, 0]),
      node(1, 0, 'frame', 'Customer record', [0, 0, 600, 500]),
      node(2, 1, 'label', 'Country', [55, 332, 48, 15]),
      node(3, 0, 'dialog', 'Open', [20, 142, 511, 331]),
      node(4, 3, 'label', 'File Name:', [11, 343, 92, 15]),
      node(5, 3, 'text', '', [103, 337, 397, 27], { states: ['showing', 'editable'] }),
    ];
    const truth = truthFromAccessibility(nodes, { coordinateScale: 1, displayScale: 1, screen });
    const field = truth.find((e) => e.id === 'a5')!;
    assert.deepStrictEqual(field.target, { label: 'File Name', type: 'text_input' });
  });

  it('maps what win32-truth reads under Wine: a simple combo box as a field, its items, a cut item ignored', () => {
    const nodes: AccessibleNode[] = [
      node(0, -1, 'application', 'notepad.exe', [0, 0, 0, 0]),
      node(1, 0, 'dialog', 'Font', [20, 100, 400, 300]),
      node(2, 1, 'label', 'Font:', [30, 120, 100, 14]),
      node(3, 1, 'panel', '', [30, 136, 130, 100]),
      node(4, 3, 'text', '', [30, 136, 130, 16], { states: ['showing', 'editable'], labelled_by: 'Font:' }),
      node(5, 3, 'viewport', '', [30, 154, 110, 80]),
      node(6, 5, 'list item', 'Arial', [32, 156, 108, 14]),
      // Its text runs past the list's edge, where the list cuts it: not a name a user can read.
      node(7, 5, 'list item', 'DejaVu Sans Condensed', [32, 170, 140, 14]),
      node(8, 1, 'push button', 'OK', [300, 120, 75, 21]),
      node(9, 0, 'frame', 'Untitled - Notepad', [0, 0, 760, 570]),
      node(10, 9, 'menu bar', '', [4, 24, 752, 19]),
      node(11, 10, 'menu', 'File', [4, 24, 29, 18]),
    ];
    const truth = truthFromAccessibility(nodes, { coordinateScale: 1, displayScale: 1, screen });
    assert.deepStrictEqual(byLabel(truth, 'Font')!.target, { label: 'Font', type: 'text_input' });
    assert.deepStrictEqual(byLabel(truth, 'Arial')!.target, { text: 'Arial', type: 'table_row' });
    assert.strictEqual(byLabel(truth, 'DejaVu Sans Condensed')!.ignore, true);
    assert.deepStrictEqual(byLabel(truth, 'OK')!.target, { text: 'OK', type: 'button' });
    assert.deepStrictEqual(
      [byLabel(truth, 'File')!.type, byLabel(truth, 'File')!.ignore],
      ['menu_item', true],
      'the menu bar behind the dialog',
    );
  });

  it('asks for no target that two controls share, nor for an icon known only by its tooltip', () => {
    const nodes: AccessibleNode[] = [
      node(0, -1, 'application', 'app', [0, 0, 0, 0]),
      node(1, 0, 'frame', 'Main', [0, 0, 800, 600]),
      node(2, 1, 'push button', 'Save', [10, 10, 80, 30]),
      node(3, 1, 'push button', 'Save', [10, 100, 80, 30]),
      node(4, 1, 'push button', 'Print preview', [200, 10, 24, 24]),
      node(5, 1, 'push button', '7', [300, 10, 30, 30]),
    ];
    const truth = truthFromAccessibility(nodes, { coordinateScale: 1, displayScale: 1, screen });
    assert.ok(truth.filter((e) => e.label === 'Save').every((e) => e.target === undefined));
    assert.deepStrictEqual(
      [byLabel(truth, 'Print preview')!.type, byLabel(truth, 'Print preview')!.target],
      ['icon', undefined],
    );
    assert.deepStrictEqual(byLabel(truth, '7')!.target, { text: '7', type: 'button' });
  });
});

describe('desktop corpus: real screens captured again', function () {
  this.timeout(120_000);
  let session: AccessibleDesktop;
  let dir: string;
  const shots = new Map<string, ScreenTruth>();
  const ids = ['gtk3-zenity-forms-adwaita-en-x1', 'tk-form-form-alt-fr-x1', 'gtk4-dialog-light-fr-x1'];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-spec-'));
    session = await AccessibleDesktop.start();
    for (const id of ids) {
      const scenario = DESKTOP_SCENARIOS.find((s) => s.id === id);
      assert.ok(scenario, `scenario ${id}`);
      shots.set(id, await captureScenario({ session, dir, workDir: dir }, scenario));
    }
  });
  after(async () => {
    await session?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes each screenshot with targets of known types, named, inside the screen', () => {
    for (const id of ids) {
      const s = shots.get(id)!;
      assert.ok(fs.statSync(path.join(dir, s.file)).size > 1000, `${id}: screenshot written`);
      const targets = s.elements.filter((e) => e.target && !e.ignore);
      // A dialog on top leaves its own answers only.
      assert.ok(targets.length >= (id.includes('dialog') ? 2 : 6), `${id}: ${targets.length} targets`);
      for (const e of targets) {
        assert.ok((ELEMENT_TYPES as readonly string[]).includes(e.type), `${id}: type ${e.type}`);
        assert.notStrictEqual(e.label.trim(), '', `${id}: a target without label`);
        const [x1, y1, x2, y2] = e.bbox;
        assert.ok(
          x1 >= 0 && y1 >= 0 && x2 < CORPUS_SCREEN.width && y2 < CORPUS_SCREEN.height && x2 > x1 && y2 > y1,
          `${id}: ${e.label} at ${e.bbox.join(',')}`,
        );
      }
    }
  });

  it('reads the GTK dialog from AT-SPI: its fields by their labels, its buttons by their text', () => {
    const s = shots.get('gtk3-zenity-forms-adwaita-en-x1')!;
    assert.strictEqual(s.family, 'gtk3');
    const name = byLabel(s.elements, 'Nom')!;
    assert.strictEqual(name.type, 'text_input');
    assert.ok(name.label_bbox && name.label_bbox[2] < name.bbox[0], 'the label "Nom" is left of its field');
    assert.strictEqual(byLabel(s.elements, 'Mutuelle')!.type, 'dropdown');
    const ok = byLabel(s.elements, 'OK')!;
    const cancel = byLabel(s.elements, 'Cancel')!;
    assert.deepStrictEqual([ok.type, cancel.type], ['button', 'button']);
    assert.ok(cancel.bbox[2] < ok.bbox[0], 'Cancel is left of OK, as GTK lays them out');
  });

  it('reads the GTK 4 form from GTK itself: the dialog on top asked for, the form behind ignored', () => {
    const s = shots.get('gtk4-dialog-light-fr-x1')!;
    assert.strictEqual(s.family, 'gtk4');
    const asked = s.elements.filter((e) => e.target && !e.ignore).map((e) => [e.label, e.type]);
    assert.deepStrictEqual(asked, [
      ['Annuler', 'button'],
      ['Abandonner', 'button'],
    ]);
    const behind = s.elements.filter((e) => e.ignore).map((e) => e.label);
    for (const label of ['Nom', 'Mutuelle', 'Enregistrer', 'Identité']) assert.ok(behind.includes(label), label);
    const [cancel, discard] = ['Annuler', 'Abandonner'].map((l) => s.elements.find((e) => e.label === l && !e.ignore)!);
    assert.ok(cancel.bbox[2] < discard.bbox[0], 'Annuler is left of Abandonner, as libadwaita lays them out');
  });

  it('reads the Tk form from Tk itself: French tabs, radios and fields', () => {
    const s = shots.get('tk-form-form-alt-fr-x1')!;
    assert.strictEqual(s.family, 'tk');
    const tabs = s.elements.filter((e) => e.type === 'tab').map((e) => e.label);
    assert.deepStrictEqual(tabs, ['Commande', 'Lignes', 'Livraison']);
    assert.strictEqual(byLabel(s.elements, 'Normale')!.type, 'radio');
    assert.strictEqual(byLabel(s.elements, 'Référence')!.type, 'text_input');
    assert.strictEqual(byLabel(s.elements, 'Valider')!.type, 'button');
  });
});
