/**
 * A Win32 program under Wine, driven with the mouse: Notepad, a note typed, File → "Save as..."
 * clicked, the file name typed in Wine's Save As dialog, its Save button clicked. The real
 * recorder watches two demonstrations, `rpa-vision learn` makes the workflow, and `rpa-vision
 * run` replays it with a new text and file name, the window moved, and the dialog opened in
 * another folder, whose file list shares nothing with the demonstrations' one: what the list
 * shows is data, not the screen. The saved file is read from disk.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { VirtualDesktop } from '../helpers/desktop';
import { WinePrefix } from '../helpers/wine';
import { assertEveryStepVerified, learnFromDemonstrations, replay } from './cli-learn-replay';
import { launchWineNotepad, moveWindow, readSaved, writeAndSaveAsWithMouse, type AppWindow } from './debian-apps';
import { tempDir } from './helpers';

const SCREEN = { width: 1280, height: 800 };
const ms = (t: number) => `${Math.round(t)} ms`;

/** A folder holding these (empty) files: what the Save As dialog lists there. */
function folderWith(files: string[]): string {
  const dir = tempDir('rpa-wine-notes-');
  for (const f of files) fs.writeFileSync(path.join(dir, f), '');
  return dir;
}

describe('a Win32 program under Wine: Notepad saved through its menu and Save As dialog with the mouse (Xvfb)', function () {
  this.timeout(180_000);
  let vd: VirtualDesktop;
  let wine: WinePrefix;
  const open: AppWindow[] = [];

  before(async () => {
    vd = await VirtualDesktop.start(SCREEN);
    wine = await WinePrefix.create(vd);
  });

  after(async () => {
    for (const app of open) app.close();
    await wine?.stop();
    await vd?.stop();
  });

  it('learns File → Save as… → Save from two demonstrations and replays it in a moved window, the dialog in another folder with other files; the file holds the new text', async () => {
    const demoDir = folderWith(['facture-janvier.txt', 'notes-reunion.txt']);
    const demos = [
      { text: 'Bonjour Alice 12', name: 'alice.txt' },
      { text: 'Rendez-vous lundi 9h', name: 'lundi.txt' },
    ];
    const started = performance.now();
    const { workflow, file } = await learnFromDemonstrations(
      vd,
      demos.map((d) => ({
        launch: () => launchWineNotepad(vd, wine, demoDir),
        act: (app: AppWindow) => writeAndSaveAsWithMouse(vd, app, d.text, d.name),
      })),
      { name: 'Note' },
    );
    const learned = performance.now();
    assert.strictEqual(readSaved(path.join(demoDir, 'alice.txt')), 'Bonjour Alice 12');
    assert.strictEqual(readSaved(path.join(demoDir, 'lundi.txt')), 'Rendez-vous lundi 9h');
    const summary = JSON.stringify(
      workflow.edges.map((e) => [e.from_node, e.to_node ?? e.to_node_candidates, e.action]),
      (k, v) => (k === 'anchor_image' ? undefined : v),
    );
    // The second demonstration's dialog lists the first one's file too: still the same dialog.
    const dialogs = workflow.nodes.filter((n) => n.screen_template.window?.title_contains_any_of?.includes('Save As'));
    assert.strictEqual(dialogs.length, 1, summary);
    const dialog = dialogs[0].node_id;
    const param = (value: string) => workflow.parameters?.find((p) => p.default === value)?.name;
    const [textParam, nameParam] = [param('Bonjour Alice 12'), param('alice.txt')];
    assert.ok(
      textParam && nameParam,
      `the note and the file name are parameters: ${JSON.stringify(workflow.parameters)}`,
    );
    // Menus and buttons were clicked: the steps click them by their text.
    const clicked = workflow.edges.flatMap((e) =>
      (e.action.steps ?? [e.action]).filter((s) => s.type === 'mouse_click').map((s) => s.target?.type),
    );
    assert.deepStrictEqual(clicked, ['menu_item', 'menu_item', 'button'], summary);

    const replayDir = folderWith([
      'budget-2025.txt',
      'contrat-bail.txt',
      'courrier-mairie.txt',
      'devis-toiture.txt',
      'liste-courses.txt',
      'rapport-annuel.txt',
    ]);
    fs.mkdirSync(path.join(replayDir, 'archives'));
    const app = await launchWineNotepad(vd, wine, replayDir);
    open.push(app);
    await moveWindow(vd, app.id, 420, 160);
    const replaying = performance.now();
    const record = await replay(vd, file, {
      [textParam]: 'Compte rendu du 22 novembre',
      [nameParam]: 'compte-rendu.txt',
    });
    console.log(
      `      demonstrations and learning ${ms(learned - started)}, replay ${ms(performance.now() - replaying)}`,
    );
    assertEveryStepVerified(record);
    // The dialog, opened in a folder of other files, was recognised as the learned one.
    assert.ok(
      record.steps.some((s) => s.verification?.node_id === dialog),
      JSON.stringify(record.steps.map((s) => s.verification)),
    );
    assert.strictEqual(readSaved(path.join(replayDir, 'compte-rendu.txt')), 'Compte rendu du 22 novembre');
    assert.match(await vd.xdotool(['getwindowname', app.id]), /^compte-rendu\.txt - Notepad$/);
  });
});
