/**
 * The names `learn` gives are those a person would choose. Recorded for real on Xvfb: mousepad
 * run as root shows a warning banner above the document, the person clicks in the document,
 * types a note, saves it through Save As (whose list shows folders and files). The screens are
 * named by their window titles, the file name parameter by its field's label ("Name:"), the note
 * (no label on screen) gets a placeholder that `learn` asks to rename; the banner, the typed
 * values, the folder and file names name nothing. Then `learn --param` renames it.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { VirtualDesktop } from '../helpers/desktop';
import { recordWith, tempDir } from './helpers/order-app';
import { cli, geometry, sleep, writeAndSaveNote, type AppWindow } from '../execute/debian-apps';
import { validateWorkflow } from '../../lib/contracts/validate';
import { asHeading, asLabel, isSentence, looksLikeData, isTyped, standsOut, titleName } from '../../lib/graph/names';

/**
 * Mousepad with its own settings and data folders: a mousepad killed by another test leaves an
 * autosave that the shared settings ask to restore on the next start.
 */
async function launchMousepad(vd: VirtualDesktop, dir: string): Promise<AppWindow> {
  const home = tempDir('rpa-names-xdg-');
  const child = vd.launch('mousepad', ['--disable-server'], {
    cwd: dir,
    env: {
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_DATA_HOME: path.join(home, 'data'),
      GSETTINGS_BACKEND: 'memory',
    },
  });
  const id = await vd.waitForWindow('^Untitled 1 - Mousepad$', 30_000);
  await vd.activate(id);
  await sleep(700);
  return {
    id,
    pid: child.pid,
    close() {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    },
  };
}

describe('learned names: what a person reads on the screen, never banners, data or file names', () => {
  it('tells labels, headings and titles from messages and data', () => {
    const banner = 'Warning: you are using the root account. You may harm your system.';
    assert.ok(isSentence(banner));
    assert.strictEqual(asLabel(banner), null);
    assert.strictEqual(asLabel('Waning: you are using the root account yo'), null, 'OCR slips do not make a label');
    assert.strictEqual(asLabel('Name:'), 'Name');
    assert.strictEqual(asLabel('Nom du client'), 'Nom du client');
    for (const data of ['detect-flow.json', '/tmp/notes', '1 250,00', '03/12/2026', 'ana@example.org'])
      assert.ok(looksLikeData(data), data);
    assert.ok(isTyped('Salut Lyonl', ['Salut Lyon']), 'the text cursor read as "l" is still the typed text');
    assert.ok(!isTyped('Ville', ['Lille', 'Brest']), 'a short label is not a value one letter away');
    assert.strictEqual(asHeading('6 Program 03:43'), null, "a file list row's time is data");
    assert.strictEqual(asHeading('Détails de la commande'), 'Détails de la commande');
    // Line boxes of GTK's Save As (one text size): letters below the line make a box 20 % taller.
    const dialog = [20, 23, 19, 28, 24, 20, 20, 22, 20, 24, 23, 24, 24, 24, 24, 23, 24, 23];
    assert.ok(!standsOut({ height: 24 }, dialog), 'a list row as tall as most lines is body text');
    // A 26 px heading over 18 px text, under a 22 px banner (the order application's first screen).
    assert.ok(standsOut({ height: 32 }, [31, 32, 27, 27, 26, 31, 32, 30, 24, 26, 31, 32, 30, 30, 26]));
    assert.strictEqual(titleName('Untitled 1 - Mousepad'), 'Untitled 1 - Mousepad');
    assert.strictEqual(titleName('/tmp/notes/… - Mousepad'), 'Mousepad');
    assert.strictEqual(titleName('lyon.txt - Mousepad'), 'Mousepad');
  });

  describe('mousepad as root, learned from two recorded demonstrations (Xvfb)', function () {
    this.timeout(180_000);
    let vd: VirtualDesktop;
    const file = path.join(tempDir('rpa-names-wf-'), 'note.json');
    let learned: { stdout: string; stderr: string };

    before(async () => {
      vd = await VirtualDesktop.start({ width: 1280, height: 800 });
      const dir = tempDir('rpa-names-notes-');
      // A file the Save As list shows; each demonstration's note is put away after it, so both
      // dialogs list the same files (what a list shows is not this spec's subject).
      fs.writeFileSync(path.join(dir, 'detect-flow.json'), '[]');
      const sessions: string[] = [];
      for (const d of [
        { text: 'Salut Lyon', name: 'lyon.txt' },
        { text: 'Bonjour Paris 12', name: 'paris.txt' },
      ]) {
        const app = await launchMousepad(vd, dir);
        sessions.push(
          await recordWith(vd, async () => {
            // A person clicks in the document before typing (just under the banner).
            const g = await geometry(vd, app.id);
            await vd.xdotool(['mousemove', String(g.x + 150), String(g.y + 200), 'click', '1']);
            await sleep(400);
            await writeAndSaveNote(vd, app, d.text, d.name);
          }),
        );
        app.close();
        fs.renameSync(path.join(dir, d.name), path.join(tempDir('rpa-names-saved-'), d.name));
        await sleep(300);
      }
      learned = await cli(vd, ['learn', ...sessions, '--out', file]);
    });

    after(async () => {
      await vd?.stop();
    });

    it('names screens by their window titles and the file name by its label; asks for the unlabelled note', () => {
      const workflow = validateWorkflow(JSON.parse(fs.readFileSync(file, 'utf8')), file);
      // How many screens the dialog makes depends on the recorder's timing (not this spec's
      // subject); each screen's name does not.
      const labels = workflow.nodes.map((n) => n.label);
      assert.deepStrictEqual(
        [workflow.nodes[0].node_id, labels[0]],
        ['N1_untitled_1_mousepad', 'Untitled 1 - Mousepad'],
      );
      assert.ok(labels.includes('Save As'), labels.join(', '));
      assert.ok(
        labels.every((l) => ['Untitled 1 - Mousepad', 'Save As', 'Mousepad'].includes(l)),
        labels.join(', '),
      );
      for (const e of workflow.edges) assert.match(e.edge_id, /^E\d+_(ctrl_s|enter)(_\d+)?$/);
      assert.deepStrictEqual(
        workflow.parameters?.map((p) => [p.name, p.default]),
        [
          ['text_1', 'Salut Lyon'],
          ['name', 'lyon.txt'],
        ],
        'text typed in pauses is one value; the file name is named by "Name:"',
      );
      const names = [
        workflow.workflow_id,
        workflow.name,
        ...workflow.nodes.flatMap((n) => [n.node_id, n.label]),
        ...workflow.edges.map((e) => e.edge_id),
        ...(workflow.parameters ?? []).map((p) => p.name),
      ].join(' | ');
      assert.doesNotMatch(names, /root|warn|wan|salut|lyon|paris|bonjour|\.txt|detect|flow|notes|desktop|home/i, names);

      // The summary a person reads: screens, steps, parameters, and the parameter to name.
      const out = learned.stdout;
      assert.match(out, /screens \(\d\):\n {2}N1_untitled_1_mousepad +"Untitled 1 - Mousepad"/);
      assert.match(out, /E1_ctrl_s +N1_untitled_1_mousepad → N2_save_as: .*type \{\{text_1\}\}, press CTRL\+S/);
      assert.match(out, /E\d_enter +N\d_save_as → N\d_mousepad: type \{\{name\}\}, press ENTER/);
      assert.match(
        out,
        /parameters \(2\):\n {2}text_1 +default "Salut Lyon" +Typed on "Untitled 1 - Mousepad", in a field without a label/,
      );
      assert.match(out, /name +default "lyon\.txt" +Typed in the field "Name" on "Save As"/);
      assert.ok(
        out.includes(
          `name this parameter (no label on the screen): rpa-vision learn --out ${file} --param text_1=NAME`,
        ),
        out,
      );
    });

    it('renames the placeholder with learn --param, references included', async () => {
      const { stdout } = await cli(vd, ['learn', '--out', file, '--param', 'text_1=note_text']);
      const workflow = validateWorkflow(JSON.parse(fs.readFileSync(file, 'utf8')), file);
      assert.deepStrictEqual(
        workflow.parameters?.map((p) => p.name),
        ['note_text', 'name'],
      );
      assert.match(JSON.stringify(workflow.edges[0].action), /\{\{note_text\}\}/);
      assert.doesNotMatch(JSON.stringify(workflow.edges), /text_1/);
      assert.doesNotMatch(stdout, /name this parameter/, 'nothing left to name');
      await assert.rejects(cli(vd, ['learn', '--out', file, '--param', 'text_9=x']), /has no parameter "text_9"/);
    });
  });
});
