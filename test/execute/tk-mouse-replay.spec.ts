/**
 * Double click, right click and drag replayed on a real program (issue 15, point 4): a clinic
 * office's list of patient files of ours in Tk (test/execute/tk-patient-files.ts), recorded with
 * the real recorder (xdotool as the person), learned and replayed with the CLI. Each task is
 * demonstrated twice on two names of the list; the replay, in a moved window, names a third one
 * by the run's parameter, at a place of the list where no demonstration acted, while names sit
 * at the demonstrated places: the program's own file shows the named file was processed and no
 * other.
 */
import assert from 'assert';
import path from 'path';
import { VirtualDesktop } from '../helpers/desktop';
import type { Workflow } from '../../lib/contracts/workflow';
import { stepsOfAction } from '../../lib/graph/action-steps';
import { learnFromDemonstrations, learnedSteps, replay } from './cli-learn-replay';
import { moveWindow, sleep, type AppWindow } from './debian-apps';
import { archiveWithMenu, done, dragToArchive, launchPatientFiles, openAndMarkSeen } from './tk-patient-files';
import { tempDir } from './helpers';

const SCREEN = { width: 1280, height: 800 };

describe('double click, right click and drag on a Tk list of patient files, learned and replayed on another name (Xvfb)', function () {
  this.timeout(200_000);
  let vd: VirtualDesktop;
  const open: AppWindow[] = [];

  before(async () => {
    vd = await VirtualDesktop.start(SCREEN);
  });

  afterEach(async () => {
    for (const app of open.splice(0)) app.close();
    await sleep(300);
  });

  after(async () => {
    await vd?.stop();
  });

  /** The program on `names`, the person's pass on each of two rows recorded (a session each), learned. */
  async function demonstrateOnRows(
    names: string[],
    pass: (app: AppWindow, row: number) => Promise<void>,
    rows: [number, number],
  ): Promise<{ app: AppWindow; log: string; workflow: Workflow }> {
    const log = path.join(tempDir('rpa-tk-files-'), 'done.txt');
    const app = await launchPatientFiles(vd, log, names);
    open.push(app);
    await moveWindow(vd, app.id, 60, 60);
    const { workflow } = await learnFromDemonstrations(
      vd,
      rows.map((row) => ({ act: () => pass(app, row) })),
    );
    return { app, log, workflow };
  }

  /**
   * The run in a moved window, the parameter naming `name`; the steps that acted on a name of
   * the list acted on that one, and the program did what the task does to it, to no other.
   */
  async function replayOn(app: AppWindow, workflow: Workflow, log: string, name: string, result: string) {
    const before = done(log).length;
    await moveWindow(vd, app.id, 600, 200);
    const record = await replay(vd, workflow, { clicked_1: name });
    assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
    assert.ok(
      record.steps.every((s) => s.verification?.verified),
      JSON.stringify(record.steps.map((s) => s.verification)),
    );
    assert.strictEqual(record.steps[0].targets[0].label, name, JSON.stringify(record.steps[0].targets));
    assert.deepStrictEqual(done(log).slice(before), [result]);
  }

  /** The learned parameter: the name acted on, its recorded values the demonstrations'. */
  function assertNameParameter(workflow: Workflow, first: string) {
    assert.deepStrictEqual(
      workflow.parameters?.map((p) => [p.name, p.default]),
      [['clicked_1', first]],
    );
  }

  it('a double click opens a file, "Mark as seen" in its dialog: replayed in a moved window on the name the run gives, at another row', async () => {
    const { app, log, workflow } = await demonstrateOnRows(
      ['Adams Laura', 'Baker Tom', 'Clark Emma', 'Davis Noah', 'Evans Lily'],
      (a, row) => openAndMarkSeen(vd, a, row),
      [1, 3],
    );
    assert.deepStrictEqual(done(log), ['seen Baker Tom', 'seen Davis Noah'], 'the demonstrations were done');
    // The list, the patient's file (another name in each demonstration: the same screen), back to the list.
    assert.deepStrictEqual(learnedSteps(workflow), [
      [['double_click', '{{clicked_1}}']],
      [['mouse_click', 'Mark as seen']],
    ]);
    const [list, file] = workflow.nodes.map((n) => n.node_id);
    assert.deepStrictEqual(
      workflow.edges.map((e) => [e.from_node, e.to_node, e.stats?.manual_executions]),
      [
        [list, file, 2],
        [file, list, 2],
      ],
    );
    assertNameParameter(workflow, 'Baker Tom');
    // Rows 1 and 3, where the person double-clicked, show Baker and Davis: the run opens Clark's file.
    await replayOn(app, workflow, log, 'Clark Emma', 'seen Clark Emma');
  });

  it('a right click on a file, "Move to archive" in its context menu: replayed in a moved window on the name the run gives, at another row', async () => {
    const { app, log, workflow } = await demonstrateOnRows(
      ['Foster Ann', 'Green Paul', 'Hill Sarah', 'Irwin Jack', 'Jones Mia'],
      (a, row) => archiveWithMenu(vd, a, row),
      [1, 2],
    );
    assert.deepStrictEqual(done(log), ['archived Green Paul', 'archived Irwin Jack'], 'the demonstrations were done');
    // The menu's line clicked, not the menu read as one block of text ("Open Move to archive").
    assert.deepStrictEqual(learnedSteps(workflow), [
      [['right_click', '{{clicked_1}}']],
      [['mouse_click', 'Move to archive']],
    ]);
    assertNameParameter(workflow, 'Green Paul');
    // Rows 1 and 2 now show Hill and Jones: the run archives Foster, on row 0.
    await replayOn(app, workflow, log, 'Foster Ann', 'archived Foster Ann');
  });

  it('a file dragged onto the Archive zone: replayed in a moved window on the name the run gives, at another row', async () => {
    const { app, log, workflow } = await demonstrateOnRows(
      ['King Omar', 'Lewis Ruth', 'Moore Sam', 'Nash Eva', 'Owen Luke'],
      (a, row) => dragToArchive(vd, a, row),
      [1, 2],
    );
    assert.deepStrictEqual(done(log), ['archived Lewis Ruth', 'archived Nash Eva'], 'the demonstrations were done');
    // One drag from the list to itself, the name dragged the run's, where it is dropped not.
    assert.strictEqual(workflow.nodes.length, 1, workflow.nodes.map((n) => n.label).join(', '));
    assert.deepStrictEqual(learnedSteps(workflow), [[['drag', '{{clicked_1}}']]]);
    assert.strictEqual(stepsOfAction(workflow.edges[0].action)[0].parameters?.drag_to?.text, 'Archive');
    assertNameParameter(workflow, 'Lewis Ruth');
    // Rows 1 and 2 now show Moore and Owen: the run archives King, on row 0.
    await replayOn(app, workflow, log, 'King Omar', 'archived King Omar');
  });
});
