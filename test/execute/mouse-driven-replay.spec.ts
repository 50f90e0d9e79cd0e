/**
 * Mouse-driven demonstrations and tasks that end on the screen they started from (issue 15,
 * point 4), from the real recorder (xdotool as the person) through `rpa-vision learn` to
 * `rpa-vision run`, checked in the programs themselves:
 * - galculator driven only with the mouse: its keys clicked (7 × 6 =, then 3 × 4 =); the keys
 *   read as rows of a table were taken for table rows, and the digits that differ made two
 *   edges. Learned: one edge whose clicked digits are parameters; replayed with 9 × 8 in a
 *   moved, resized window; the calculator shows 72.
 * - a Swing data-entry form of ours that comes back empty after each record: two records
 *   entered in one recording (Metal) are two runs of one task from the form to itself; replayed
 *   with new names in Nimbus; the form's file holds the new record. The names typed went from
 *   the form in both demonstrations: a replay with a name the form refuses (it keeps it in its
 *   field) fails with the reason, where the screen alone would have said "verified".
 * - a value copied from one program into another: galculator's result copied with its Edit
 *   menu (mouse), pasted into mousepad and saved; learned as one task across both programs (the
 *   runner brings the editor's window to the front, as the person's click did); replayed with
 *   another result, the saved file holds it.
 * Learning time per demonstration is printed.
 */
import assert from 'assert';
import path from 'path';
import { VirtualDesktop } from '../helpers/desktop';
import { stepsOfAction } from '../../lib/graph/action-steps';
import { assertOneVerifiedStep, learnFromDemonstrations, learnedSteps, replay } from './cli-learn-replay';
import {
  calculatorValue,
  clickKeys,
  compute,
  copyDisplayWithMenu,
  launchGalculator,
  launchMousepad,
  moveWindow,
  pasteInto,
  readSaved,
  resizeAndMove,
  sleep,
  type AppWindow,
} from './debian-apps';
import { compileRecordForm, enterRecord, launchRecordForm, records } from './swing-form';
import { tempDir } from './helpers';

const SCREEN = { width: 1280, height: 800 };

describe('mouse-driven demonstrations, tasks that end where they started, a value carried between programs (galculator, mousepad, Swing form; Xvfb)', function () {
  this.timeout(200_000);
  let vd: VirtualDesktop;
  const open: AppWindow[] = [];

  before(async () => {
    vd = await VirtualDesktop.start(SCREEN);
  });

  // A window left by one test would be found by the next one's launch (galculator by its title).
  afterEach(async () => {
    for (const app of open.splice(0)) app.close();
    await sleep(300);
  });

  after(async () => {
    await vd?.stop();
  });

  it('galculator driven only with the mouse (7 × 6 =, 3 × 4 =) learns one edge with the digits as parameters, replayed with 9 × 8 in a moved and resized window: the calculator shows 72', async () => {
    const { workflow } = await learnFromDemonstrations(
      vd,
      [
        ['7*6=', '42'],
        ['3*4=', '12'],
      ].map(([expression, result]) => ({
        launch: () => launchGalculator(vd),
        act: (app: AppWindow) => clickKeys(vd, app, expression),
        check: async (app: AppWindow) =>
          assert.strictEqual(await calculatorValue(vd, app), result, 'the demonstration computed'),
      })),
    );
    assert.strictEqual(workflow.nodes.length, 1, workflow.nodes.map((n) => n.label).join(', '));
    const calc = workflow.nodes[0].node_id;
    assert.deepStrictEqual(
      workflow.edges.map((e) => [e.from_node, e.to_node]),
      [[calc, calc]],
      'one edge for both demonstrations',
    );
    // Keys, not table rows; the operator and "=" the same in both, the digits the run's data.
    assert.deepStrictEqual(learnedSteps(workflow), [
      [
        ['mouse_click', '{{clicked_1}}'],
        ['mouse_click', '*'],
        ['mouse_click', '{{clicked_2}}'],
        ['mouse_click', '='],
      ],
    ]);
    assert.deepStrictEqual(
      workflow.parameters?.map((p) => [p.name, p.default]),
      [
        ['clicked_1', '7'],
        ['clicked_2', '6'],
      ],
    );
    assert.ok(
      !stepsOfAction(workflow.edges[0].action).some(
        (s) => s.target?.type === 'table_row' || s.target?.selection_policy,
      ),
      'no step chooses among rows',
    );
    // Keys tell nothing by showing or not after the step: no post-condition from them.
    assert.strictEqual(workflow.edges[0].post_conditions?.own_screen, undefined);

    const app = await launchGalculator(vd);
    open.push(app);
    const { before, after: moved } = await resizeAndMove(vd, app.id, 140, 60, SCREEN.width);
    assert.ok(
      Math.abs(moved.x - before.x) > 200 && moved.width - before.width >= 100,
      JSON.stringify({ before, moved }),
    );
    const record = await replay(vd, workflow, { clicked_1: '9', clicked_2: '8' });
    assertOneVerifiedStep(record);
    assert.strictEqual(await calculatorValue(vd, app), '72');
  });

  it('a value copied from galculator with its menu and pasted into mousepad, saved: learned as one task across both programs, replayed with another value; the file holds it', async () => {
    const dir = tempDir('rpa-copy-notes-');
    const start = async (expression: string) => {
      const pad = await launchMousepad(vd, dir);
      await moveWindow(vd, pad.id, 560, 60);
      const calc = await launchGalculator(vd);
      await moveWindow(vd, calc.id, 40, 60);
      await compute(vd, expression);
      return {
        pad,
        calc,
        close() {
          pad.close();
          calc.close();
        },
      };
    };
    const { workflow } = await learnFromDemonstrations(
      vd,
      [
        ['12*7', 'first.txt'],
        ['45-18', 'second.txt'],
      ].map(([expression, name]) => ({
        launch: () => start(expression),
        act: async ({ pad, calc }: { pad: AppWindow; calc: AppWindow }) => {
          await copyDisplayWithMenu(vd, calc);
          await pasteInto(vd, pad);
          await vd.key('ctrl+s');
          await vd.waitForWindow('^Save As$', 10_000);
          await sleep(900);
          await vd.type(name, 25);
          await sleep(600);
          await vd.key('Return');
          await sleep(1200);
        },
      })),
    );
    assert.deepStrictEqual(
      ['first.txt', 'second.txt'].map((f) => readSaved(path.join(dir, f))),
      ['84', '27'],
      'the demonstrations saved the values',
    );
    // The calculator (its Edit menu opened and Copy chosen with the mouse), then the editor
    // (a click in it, CTRL+V, CTRL+S), its Save As dialog, the saved document: one task.
    assert.deepStrictEqual(
      workflow.nodes.map((n) => n.screen_template.window?.app_name_any_of),
      [['galculator'], ['mousepad'], ['mousepad'], ['mousepad']],
      workflow.nodes.map((n) => n.label).join(', '),
    );
    const ids = workflow.nodes.map((n) => n.node_id);
    assert.deepStrictEqual(
      workflow.edges.map((e) => [e.from_node, e.to_node]),
      [
        [ids[0], ids[1]],
        [ids[1], ids[2]],
        [ids[2], ids[3]],
      ],
      `edges and their steps: ${JSON.stringify(workflow.edges.map((e) => [e.from_node, e.to_node, stepsOfAction(e.action)]))}`,
    );
    // The item read in either case ("Copy Display value"): matching ignores it.
    assert.deepStrictEqual(
      learnedSteps(workflow)[0].map(([type, what]) => [type, what?.toLowerCase()]),
      [
        ['mouse_click', 'edit'],
        ['mouse_click', 'copy display value'],
      ],
    );
    // A menu item, whether the screenshot caught it highlighted or not: the learner sees the
    // calculator's window alone, its menu cut at the window's edge.
    assert.strictEqual(stepsOfAction(workflow.edges[0].action)[1].target?.type, 'menu_item');
    assert.deepStrictEqual(
      workflow.parameters?.map((p) => p.name),
      ['name'],
      'the value copied is no parameter: the run copies what the calculator shows',
    );

    const { pad, calc } = await start('6*8');
    open.push(pad, calc);
    const record = await replay(vd, workflow, { name: 'result.txt' });
    assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
    assert.strictEqual(record.steps.length, 3);
    assert.strictEqual(readSaved(path.join(dir, 'result.txt')), '48');
  });

  it('a Swing form that comes back empty after each record: two records entered in Metal are two runs of one task; replayed in Nimbus with new names, the file holds the new record', async () => {
    const classes = await compileRecordForm();
    const file = path.join(tempDir('rpa-swing-records-'), 'records.txt');
    const { workflow } = await learnFromDemonstrations(
      vd,
      [
        {
          launch: () => launchRecordForm(vd, classes, 'metal', file),
          act: async (form: AppWindow) => {
            await enterRecord(vd, form, 'Martin', 'Alice');
            await enterRecord(vd, form, 'Durand', 'Paul');
          },
        },
      ],
      { demonstrations: 2 },
    );
    assert.deepStrictEqual(records(file), ['Martin;Alice;urgent', 'Durand;Paul;urgent'], 'the demonstration saved');
    assert.strictEqual(workflow.nodes.length, 1, workflow.nodes.map((n) => n.label).join(', '));
    const formNode = workflow.nodes[0].node_id;
    assert.deepStrictEqual(workflow.entry_nodes, [formNode]);
    assert.deepStrictEqual(workflow.end_nodes, [formNode]);
    assert.deepStrictEqual(
      workflow.edges.map((e) => [e.from_node, e.to_node, e.stats?.manual_executions]),
      [[formNode, formNode, 2]],
      `one edge from the form to itself, demonstrated twice: ${JSON.stringify(learnedSteps(workflow))}`,
    );
    assert.deepStrictEqual(learnedSteps(workflow), [
      [
        ['type_text', '{{last_name}}'],
        ['type_text', '{{first_name}}'],
        ['mouse_click', 'Urgent'],
        ['mouse_click', 'Save record'],
      ],
    ]);
    // The fields the detector does not see are found by their labels, not by a neighbour.
    assert.deepStrictEqual(
      stepsOfAction(workflow.edges[0].action)
        .slice(0, 2)
        .map((s) => [s.target?.type, s.target?.label, s.target?.near]),
      [
        ['text_input', 'Last name', undefined],
        ['text_input', 'First name', undefined],
      ],
    );

    const replayed = await launchRecordForm(vd, classes, 'nimbus', file);
    open.push(replayed);
    const record = await replay(vd, workflow, { last_name: 'Lefebvre', first_name: 'Chloé' });
    assertOneVerifiedStep(record);
    await sleep(300);
    assert.deepStrictEqual(records(file).slice(2), ['Lefebvre;Chloé;urgent'], 'one record, the new one');

    // The form comes back whether or not it took the record: what proves it took it is that the
    // names typed are gone, as in both demonstrations. A name it refuses stays in its field.
    assert.deepStrictEqual(workflow.edges[0].post_conditions?.own_screen, { gone: [0, 1], shown: [] });
    const refused = await replay(vd, workflow, { last_name: 'Lefebvre2', first_name: 'Chloé' }, true);
    assert.strictEqual(refused.status, 'failed');
    assert.strictEqual(refused.failure?.kind, 'step_not_taken', JSON.stringify(refused.failure));
    assert.match(refused.failure.message, /"Lefebvre2" still shows/);
    assert.strictEqual(refused.steps[0].verification?.verified, false, 'never verified');
    assert.deepStrictEqual(records(file).slice(2), ['Lefebvre;Chloé;urgent'], 'the refused record was not saved');
  });
});
