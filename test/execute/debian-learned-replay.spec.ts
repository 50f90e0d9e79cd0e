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
import { recordWith } from '../graph/helpers/order-app';
import { validateWorkflow } from '../../lib/contracts/validate';
import type { Workflow } from '../../lib/contracts/workflow';
import {
  calculatorValue,
  cli,
  compute,
  launchGalculator,
  launchMousepad,
  readSaved,
  resizeAndMove,
  sleep,
  writeAndSaveNote,
  type AppWindow,
} from './debian-apps';
import { tempDir } from './helpers';

interface RunReport {
  status: string;
  verified: boolean;
  parameters: Record<string, string>;
  start_node: string;
  end_node: string;
  steps: Array<{ edge_id: string; status: string; verification: { verified: boolean; node_id: string | null } | null }>;
  failure: unknown;
}

/** Learns a workflow from session directories with the CLI and reads it back. */
async function learn(
  vd: VirtualDesktop,
  sessions: string[],
  name: string,
): Promise<{ file: string; workflow: Workflow }> {
  const file = path.join(tempDir('rpa-debian-wf-'), 'workflow.json');
  await cli(vd, ['learn', ...sessions, '--out', file, '--name', name]);
  return { file, workflow: validateWorkflow(JSON.parse(fs.readFileSync(file, 'utf8')), file) };
}

/** Replays with the CLI as a user would right after recording (`--mode auto`), and returns the report. */
async function replay(vd: VirtualDesktop, file: string, vars: Record<string, string>): Promise<RunReport> {
  const report = path.join(tempDir('rpa-debian-report-'), 'report.json');
  const args = [
    'run',
    file,
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}=${v}`]),
    '--mode',
    'auto',
    '--report',
    report,
    '--no-learn',
    '--data-dir',
    tempDir('rpa-debian-data-'),
  ];
  await cli(vd, args);
  return JSON.parse(fs.readFileSync(report, 'utf8')) as RunReport;
}

function assertEveryStepVerified(record: RunReport, steps: number): void {
  assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
  assert.strictEqual(record.verified, true);
  assert.strictEqual(record.steps.length, steps, JSON.stringify(record.steps.map((s) => s.edge_id)));
  for (const s of record.steps)
    assert.ok(
      s.status === 'success' && s.verification?.verified,
      `step ${s.edge_id} verified: ${JSON.stringify(s.verification)}`,
    );
}

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

  async function demonstrate(
    launch: () => Promise<AppWindow>,
    act: (app: AppWindow) => Promise<void>,
  ): Promise<string> {
    const app = await launch();
    const session = await recordWith(vd, () => act(app));
    app.close();
    await sleep(300);
    return session;
  }

  it('mousepad: a note typed and saved through Save As, learned from two demonstrations, replayed with a new text and file name in a moved and resized window; the file holds the text', async () => {
    const dir = tempDir('rpa-debian-notes-');
    const demos = [
      { text: 'Bonjour Alice 12', name: 'alice.txt' },
      { text: 'Rendez-vous lundi 9h', name: 'lundi.txt' },
    ];
    const sessions: string[] = [];
    for (const d of demos)
      sessions.push(
        await demonstrate(
          () => launchMousepad(vd, dir),
          (app) => writeAndSaveNote(vd, app, d.text, d.name),
        ),
      );
    assert.deepStrictEqual(
      fs.readdirSync(dir).sort(),
      ['alice.txt', 'lundi.txt'],
      'the demonstrations saved their notes',
    );

    const { file, workflow } = await learn(vd, sessions, 'Note');
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
    const sessions: string[] = [];
    for (const expression of ['12*7', '45-18'])
      sessions.push(
        await demonstrate(
          () => launchGalculator(vd),
          () => compute(vd, expression),
        ),
      );

    const { file, workflow } = await learn(vd, sessions, 'Calcul');
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
