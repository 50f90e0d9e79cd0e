/**
 * From demonstration to replay on two real Debian applications, the way a user does it: the
 * real recorder (`rpa-vision record`) runs while xdotool plays the person doing the task with
 * different values, `rpa-vision learn` turns the demonstrations into a workflow whose differing
 * values are parameters, the window is moved elsewhere, and `rpa-vision run --var … --mode auto`
 * replays it with new values. The result is checked in the application itself: the note saved
 * by mousepad holds the new text under the new name; galculator shows the new result.
 *
 * Both windows are moved and resized before the replay. Mousepad's (wider, lower): each screen
 * is recognised by its embedding or, for the saved document whose look drifted under its
 * threshold, by its window title and required texts. Galculator's (wider and taller): its keys
 * grow with the window, its menu bar reads as one line instead of four, its keys as buttons
 * instead of text; the state embedding's text (trigrams of lines run together) and element kinds
 * do not depend on those, and the calculator is recognised by its embedding.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { VirtualDesktop } from '../helpers/desktop';
import { assertEveryStepVerified, learnFromDemonstrations, replay } from './cli-learn-replay';
import {
  calculatorValue,
  compute,
  launchGalculator,
  launchMousepad,
  readSaved,
  resizeAndMove,
  writeAndSaveNote,
  type AppWindow,
} from './debian-apps';
import { tempDir } from './helpers';

const SCREEN = { width: 1280, height: 800 };

describe('learned replay on Debian applications (mousepad, galculator; Xvfb)', function () {
  this.timeout(200_000);
  let vd: VirtualDesktop;
  const open: AppWindow[] = [];

  before(async () => {
    vd = await VirtualDesktop.start(SCREEN);
  });

  after(async () => {
    for (const app of open) app.close();
    await vd?.stop();
  });

  it('mousepad: a note typed and saved through Save As, learned from two demonstrations, replayed with a new text and file name in a moved and resized window; the file holds the text', async () => {
    const dir = tempDir('rpa-debian-notes-');
    const demos = [
      { text: 'Bonjour Alice 12', name: 'alice.txt' },
      { text: 'Rendez-vous lundi 9h', name: 'lundi.txt' },
    ];
    const { file, workflow } = await learnFromDemonstrations(
      vd,
      demos.map((d) => ({
        launch: () => launchMousepad(vd, dir),
        act: (app: AppWindow) => writeAndSaveNote(vd, app, d.text, d.name),
      })),
      { name: 'Note' },
    );
    assert.deepStrictEqual(
      fs.readdirSync(dir).sort(),
      ['alice.txt', 'lundi.txt'],
      'the demonstrations saved their notes',
    );
    // The editor (empty, then holding the typed note: one screen, its title only gains the
    // modified mark "*") → Save As dialog → saved document.
    assert.strictEqual(workflow.nodes.length, 3, workflow.nodes.map((n) => n.label).join(', '));
    const [editor, dialog, saved] = workflow.nodes.map((n) => n.node_id);
    assert.deepStrictEqual(workflow.entry_nodes, [editor]);
    assert.deepStrictEqual(workflow.end_nodes, [saved]);
    assert.deepStrictEqual(
      workflow.edges.map((e) => [e.from_node, e.to_node]),
      [
        [editor, dialog],
        [dialog, saved],
      ],
    );
    assert.deepStrictEqual(
      workflow.edges.map((e) => (e.action.steps ?? [e.action]).map((s) => [s.type, s.text ?? s.keys?.join('+')])),
      [
        [
          ['type_text', '{{text_1}}'],
          ['key_press', 'CTRL+S'],
        ],
        [
          ['type_text', '{{name}}'],
          ['key_press', 'ENTER'],
        ],
      ],
    );
    // The editor's title check passes with and without the modified mark.
    assert.deepStrictEqual(workflow.nodes[0].screen_template.window?.title_contains_any_of, ['Untitled 1 - Mousepad']);
    assert.deepStrictEqual(workflow.nodes[1].screen_template.window?.title_contains_any_of, ['Save As']);
    // The saved document's title holds the typed file name (a parameter): the folder part is required.
    assert.deepStrictEqual(workflow.nodes[2].screen_template.window?.title_contains_any_of, [`${dir}/`]);
    // The file name is named after its field's label ("Name:"); the note has no label (learn asks for a name).
    assert.deepStrictEqual(
      workflow.parameters?.map((p) => [p.name, p.default]),
      [
        ['text_1', 'Bonjour Alice 12'],
        ['name', 'alice.txt'],
      ],
    );

    const app = await launchMousepad(vd, dir);
    open.push(app);
    const { before, after: moved } = await resizeAndMove(vd, app.id, 140, -90, SCREEN.width);
    assert.ok(
      Math.abs(moved.x - before.x) > 200,
      `the window is elsewhere than in the demonstrations: ${JSON.stringify({ before, moved })}`,
    );
    assert.ok(
      Math.abs(moved.width - before.width) >= 100 && Math.abs(moved.height - before.height) >= 60,
      `the window has another size: ${JSON.stringify({ before, moved })}`,
    );
    const record = await replay(vd, file, { text_1: 'Compte rendu du 22 novembre', name: 'compte-rendu.txt' });
    assertEveryStepVerified(record, 2);
    assert.strictEqual(record.start_node, editor);
    assert.strictEqual(record.end_node, saved);
    assert.strictEqual(readSaved(path.join(dir, 'compte-rendu.txt')), 'Compte rendu du 22 novembre');
    assert.match(await vd.xdotool(['getwindowname', app.id]), /compte-rendu\.txt - Mousepad$/);
  });

  it('galculator: an expression typed and computed, learned from two demonstrations, replayed with 6*8 in a moved and resized window; the calculator shows 48', async () => {
    const { file, workflow } = await learnFromDemonstrations(
      vd,
      ['12*7', '45-18'].map((expression) => ({
        launch: () => launchGalculator(vd),
        act: () => compute(vd, expression),
      })),
      { name: 'Calcul' },
    );
    // One screen: the task types on it and stays on it (only the display changes).
    assert.strictEqual(workflow.nodes.length, 1, workflow.nodes.map((n) => n.label).join(', '));
    const calc = workflow.nodes[0].node_id;
    assert.deepStrictEqual(workflow.nodes[0].screen_template.window?.title_contains_any_of, ['galculator']);
    assert.deepStrictEqual(
      workflow.edges.map((e) => [e.from_node, e.to_node]),
      [[calc, calc]],
    );
    const action = workflow.edges[0].action;
    assert.deepStrictEqual(
      action.steps?.map((s) => [s.type, s.text ?? s.keys?.join('+')]),
      [
        ['type_text', '{{text_1}}'],
        ['key_press', 'ENTER'],
      ],
    );
    assert.deepStrictEqual(
      workflow.parameters?.map((p) => [p.name, p.default]),
      [['text_1', '12*7']],
    );

    const app = await launchGalculator(vd);
    open.push(app);
    const { before, after: moved } = await resizeAndMove(vd, app.id, 140, 60, SCREEN.width);
    assert.ok(
      Math.abs(moved.x - before.x) > 200,
      `the window is elsewhere than in the demonstrations: ${JSON.stringify({ before, moved })}`,
    );
    assert.ok(
      moved.width - before.width >= 100 && moved.height - before.height >= 40,
      `the window has another size: ${JSON.stringify({ before, moved })}`,
    );
    const record = await replay(vd, file, { text_1: '6*8' });
    assertEveryStepVerified(record, 1);
    assert.strictEqual(await calculatorValue(vd, app), '48');
  });
});
