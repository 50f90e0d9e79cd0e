/**
 * Mouse-driven demonstrations from the recorder to the learner (issue 15, point 4), without a
 * display: raw input as the X11 hook delivers it goes through the recorder's normaliser, each
 * recorded action meets a screen described as the vision engine reads it, and the learner turns
 * them into workflow steps. A drag is one action from A to B, a right-click is not a left click,
 * a double click opens, controls chosen with the mouse are named by their labels, a keypad's
 * keys are keys. (The real programs are driven in test/execute/mouse-driven-replay.spec.ts.)
 */
import assert from 'assert';
import type { RawInputEvent } from '../../lib/platform/types';
import type { RawEvent } from '../../lib/contracts/raw-session';
import type { TextLine, UIElement } from '../../lib/contracts/screen-state';
import type { ScreenAnalysis } from '../../lib/vision/types';
import { EventNormaliser, type WindowContext } from '../../lib/capture/event-normaliser';
import {
  actionSignature,
  bestReading,
  clickedData,
  clicksNamedItem,
  combineSteps,
  sameActionReadTwice,
  stepsOf,
} from '../../lib/graph/action-steps';
import type { Target, WorkflowAction } from '../../lib/contracts/workflow';
import type { Observation } from '../../lib/graph/observation';
import { element, line } from '../helpers/screen-parts';

const T0 = 1_700_000_000_000;
const WINDOW: WindowContext = { id: '1', privacy: 'normal', ref: { title: 'Files', app_name: 'app' } };

/** A screen as read, its boxes relative to a window at the screen's origin. */
function screen(text: TextLine[], elements: UIElement[]): Observation {
  const analysis: ScreenAnalysis = {
    width: 800,
    height: 600,
    scaleFactor: 1,
    imageHash: 'h',
    text,
    elements,
    timings: {},
  };
  return {
    key: 'k',
    sessionIndex: 0,
    screenshotId: 'shot',
    analysis,
    vector: new Float32Array(1),
    provider: 'test',
    title: 'Files',
    titleKnown: true,
    appName: 'app',
    frame: [0, 0, 800, 600],
  };
}

/** Raw input with its time in milliseconds from the start of the recording. */
type Timed<E> = E extends unknown ? Omit<E, 'time'> & { at: number } : never;
type Input = Timed<RawInputEvent>;

/** What the recorder records for this raw input (actions only, in order, drags and double clicks settled). */
function record(input: Input[]): RawEvent[] {
  const events = new Map<number, RawEvent>();
  const actions = new Set<number>();
  const n = new EventNormaliser(
    {
      emit: (seq, event, action) => {
        events.set(seq, event);
        if (action) actions.add(seq);
      },
      update: (seq, patch) => events.set(seq, { ...events.get(seq)!, ...patch }),
      pending: () => undefined,
    },
    { startedAtMs: T0 },
  );
  for (const { at, ...raw } of input) n.handle({ ...raw, time: T0 + at } as RawInputEvent, WINDOW, () => 'shot');
  n.flush();
  return [...events.entries()].filter(([seq]) => actions.has(seq)).map(([, e]) => e);
}

const press = (button: 'left' | 'right', x: number, y: number, at: number) => [
  { kind: 'mousedown' as const, button, x, y, clicks: 1, at },
  { kind: 'mouseup' as const, button, x, y, clicks: 1, at: at + 60 },
];

/** The learned steps of recorded events, each done on `on`, as [type, target text or label, drag_to]. */
async function learned(events: RawEvent[], on: Observation) {
  const steps = await stepsOf(events.map((event) => ({ event, observation: on })));
  return steps.map(({ action: a }) => [
    a.type,
    a.target?.text ?? a.target?.label,
    ...(a.parameters?.drag_to ? [a.parameters.drag_to.text] : []),
  ]);
}

const files = screen(
  [line('report.pdf', 40, 100), line('invoice.pdf', 40, 140), line('Archive', 520, 300)],
  [
    element('text', 'report.pdf', [40, 100, 130, 120]),
    element('text', 'invoice.pdf', [40, 140, 139, 160]),
    element('icon', 'Archive', [500, 260, 600, 330]),
  ],
);

describe('mouse-driven demonstrations, recorded and learned', () => {
  it('learns a press released elsewhere as one drag from the item to where it was dropped', async () => {
    const events = record([
      { kind: 'mousedown', button: 'left', x: 80, y: 110, clicks: 1, at: 0 },
      { kind: 'mousemove', x: 300, y: 200, at: 150 },
      { kind: 'mousemove', x: 548, y: 300, at: 300 },
      { kind: 'mouseup', button: 'left', x: 548, y: 300, clicks: 1, at: 400 },
    ]);
    assert.deepStrictEqual(await learned(events, files), [['drag', 'report.pdf', 'Archive']]);
  });

  it('learns a right-click as a right-click, then the context menu item chosen with the left button', async () => {
    const menu = screen(
      [...files.analysis.text, line('Open', 100, 180), line('Rename', 100, 210)],
      [
        ...files.analysis.elements,
        element('menu_item', 'Open', [90, 175, 220, 202]),
        element('menu_item', 'Rename', [90, 205, 220, 232]),
      ],
    );
    const events = record([...press('right', 80, 150, 0), ...press('left', 140, 218, 900)]);
    assert.deepStrictEqual(await learned(events, menu), [
      ['right_click', 'invoice.pdf'],
      ['mouse_click', 'Rename'],
    ]);
  });

  it('names the context menu item clicked when the menu is read as one block of lines, not the block', async () => {
    // A Tk menu over a list reads as one button "Open Move to archive": its centre is neither item.
    const menu = screen(
      // OCR's boxes of the two lines overlap (182-188): the click at 186 is nearer the second's middle.
      [...files.analysis.text, line('Open', 100, 168), line('Move to archive', 100, 182)],
      [...files.analysis.elements, element('button', 'Open Move to archive', [90, 165, 240, 214])],
    );
    const events = record([...press('right', 80, 150, 0), ...press('left', 140, 186, 900)]);
    assert.deepStrictEqual(await learned(events, menu), [
      ['right_click', 'invoice.pdf'],
      ['mouse_click', 'Move to archive'],
    ]);
    // One line, or lines side by side (a row's cells): the element is the item.
    const row = screen(
      [line('Save', 100, 170), line('F-1002', 300, 170)],
      [element('button', 'Save', [90, 165, 140, 192]), element('table_row', 'F-1002 - Martin', [90, 165, 500, 192])],
    );
    assert.deepStrictEqual(await learned(record(press('left', 110, 178, 0)), row), [['mouse_click', 'Save']]);
  });

  it('tells drags of other items onto the same place to be one action shape, the item the data of the run', () => {
    const drag = (item: string, onto: string): WorkflowAction => ({
      type: 'drag',
      target: { type: 'text', text: item },
      parameters: { drag_to: { type: 'text', text: onto } },
    });
    assert.ok(clicksNamedItem(drag('King Omar', 'Archive')));
    const shape = (a: WorkflowAction) => actionSignature(a, { anyClickedText: true });
    assert.strictEqual(shape(drag('King Omar', 'Archive')), shape(drag('Nash Eva', 'Archive')));
    assert.notStrictEqual(shape(drag('King Omar', 'Archive')), shape(drag('King Omar', 'Trash')));
    assert.notStrictEqual(actionSignature(drag('King Omar', 'Archive')), actionSignature(drag('Nash Eva', 'Archive')));
  });

  it('learns two quick presses on an item as a double click that opens it, two slow ones as two clicks', async () => {
    assert.deepStrictEqual(
      await learned(record([...press('left', 80, 150, 0), ...press('left', 81, 151, 200)]), files),
      [['double_click', 'invoice.pdf']],
    );
    assert.deepStrictEqual(
      await learned(record([...press('left', 80, 150, 0), ...press('left', 81, 151, 900)]), files),
      [
        ['mouse_click', 'invoice.pdf'],
        ['mouse_click', 'invoice.pdf'],
      ],
    );
  });

  it('names a checkbox, a radio and a dropdown chosen with the mouse by their labels, and the option by its text', async () => {
    const form = screen(
      [line('Urgent', 60, 40), line('Company', 60, 80), line('Country', 20, 120), line('Belgium', 130, 150)],
      [
        element('checkbox', 'Urgent', [40, 40, 56, 56]),
        element('radio', 'Company', [40, 80, 56, 96]),
        element('dropdown', 'Country', [120, 115, 300, 140]),
        element('menu_item', 'Belgium', [120, 145, 300, 170]),
      ],
    );
    const events = record([
      ...press('left', 48, 48, 0),
      ...press('left', 48, 88, 800),
      ...press('left', 200, 127, 1600),
      ...press('left', 200, 157, 2400),
    ]);
    assert.deepStrictEqual(await learned(events, form), [
      ['mouse_click', 'Urgent'],
      ['mouse_click', 'Company'],
      ['mouse_click', 'Country'],
      ['mouse_click', 'Belgium'],
    ]);
  });

  it('takes a key of a keypad read as a table row for that key, and a row of data for the row', async () => {
    const keypad = screen(
      [
        line('7', 30, 200),
        line('8', 95, 200),
        line('9', 160, 200),
        line('/', 225, 200),
        line('FAC-0042 Martin', 30, 400),
      ],
      [
        element('table_row', '7 - 8 - 9 - /', [25, 195, 240, 222]),
        element('table_row', 'FAC-0042 - Martin', [25, 395, 400, 422]),
      ],
    );
    const steps = await stepsOf(
      record([...press('left', 99, 210, 0), ...press('left', 200, 410, 800)]).map((event) => ({
        event,
        observation: keypad,
      })),
    );
    assert.deepStrictEqual(
      steps.map((s) => [s.action.target?.type, s.action.target?.text]),
      [
        ['button', '8'],
        ['table_row', 'FAC-0042 - Martin'],
      ],
    );
  });

  it('tells identical demonstrations to be one action and keys clicked at the same places to be one shape', async () => {
    const keys = screen(
      ['7', '3', '*', '6', '4', '='].map((k, i) => line(k, 40 + i * 60, 200)),
      ['7', '3', '*', '6', '4', '='].map((k, i) => element('button', k, [30 + i * 60, 190, 80 + i * 60, 230])),
    );
    const at = (k: string) => 55 + ['7', '3', '*', '6', '4', '='].indexOf(k) * 60;
    const demo = async (expression: string) => {
      const input = [...expression].flatMap((k, i) => press('left', at(k), 210, i * 800));
      const steps = await stepsOf(record(input).map((event) => ({ event, observation: keys })));
      return combineSteps(steps.map((s) => s.action));
    };
    const [a, b, c] = [await demo('7*6='), await demo('7*6='), await demo('3*4=')];
    assert.strictEqual(actionSignature(a), actionSignature(b), 'identical demonstrations, one action');
    assert.notStrictEqual(actionSignature(a), actionSignature(c));
    assert.strictEqual(actionSignature(a, { anyClickedText: true }), actionSignature(c, { anyClickedText: true }));
    // Signs are told apart: "*" and "=" are not the same key.
    assert.notStrictEqual(
      await demo('*').then((x) => actionSignature(x)),
      await demo('=').then((x) => actionSignature(x)),
    );
  });

  it('takes one label read twice for one item, and other labels clicked at the same place for data', () => {
    const at = (text: string, type: Target['type'], x: number, y: number): Target => ({
      type,
      text,
      relative_position: [x, y],
    });
    // Wine's underlined "File" read "Eie" in one demonstration, "Eile" in the next: one menu title.
    const file = at('Eie', 'link', 0.02, 0.03);
    assert.strictEqual(clickedData(file, [file, at('Eile', 'link', 0.025, 0.031)]), null);
    assert.ok(
      sameActionReadTwice(
        { type: 'mouse_click', target: file },
        { type: 'mouse_click', target: at('Eile', 'link', 0.025, 0.031) },
      ),
    );
    assert.strictEqual(
      clickedData(at('Save As...', 'menu_item', 0.1, 0.3), [at('Save Ass..', 'menu_item', 0.1, 0.3)]),
      null,
    );
    // A key read as a sign once and as its look-alike ideograph the next time, a button once and a
    // text the next: one key, clicked by the sign.
    assert.strictEqual(
      clickedData(at('二', 'text', 0.8, 0.9), [at('二', 'text', 0.8, 0.9), at('=', 'button', 0.8, 0.9)]),
      null,
    );
    assert.strictEqual(bestReading(['二', '=']), '=');
    assert.strictEqual(bestReading(['Eie', 'Eile']), 'Eile');
    assert.strictEqual(bestReading(['Eile', 'Eie', 'Eie']), 'Eie');
    // Keys of a keypad: other digits, other signs, even at the same place, are what the run chooses.
    assert.deepStrictEqual(clickedData(at('7', 'button', 0.2, 0.5), [at('3', 'button', 0.2, 0.5)]), ['7', '3']);
    assert.deepStrictEqual(clickedData(at('×', 'button', 0.6, 0.5), [at('÷', 'button', 0.6, 0.5)]), ['×', '÷']);
    assert.deepStrictEqual(clickedData(at('Page 12', 'link', 0.5, 0.9), [at('Page 13', 'link', 0.5, 0.9)]), [
      'Page 12',
      'Page 13',
    ]);
    // Short labels differ by any letter ("C" and "CE"); other words are other items.
    assert.deepStrictEqual(clickedData(at('C', 'button', 0.1, 0.4), [at('CE', 'button', 0.1, 0.4)]), ['C', 'CE']);
    assert.deepStrictEqual(clickedData(at('Dupont', 'text', 0.3, 0.4), [at('Martin', 'text', 0.3, 0.4)]), [
      'Dupont',
      'Martin',
    ]);
    // A label read alike elsewhere in the window, or on another kind of control, is another item.
    assert.ok(clickedData(at('Eie', 'link', 0.02, 0.03), [at('Eile', 'link', 0.3, 0.03)]));
    assert.ok(clickedData(at('Eie', 'link', 0.02, 0.03), [at('Eile', 'checkbox', 0.02, 0.03)]));
    // A click on no text, at one place of the window, near words read two ways: one action; near
    // other words, another.
    const page = (near: string): WorkflowAction => ({
      type: 'mouse_click',
      target: { relative_position: [0.47, 0.56], fallback_strategy: 'relative_position', near },
    });
    const warning = 'Warning: you are using the root account. You may harm your system.';
    assert.ok(
      sameActionReadTwice(page(warning), page('Waning: you are using the root account. You may harm your system.')),
    );
    assert.ok(!sameActionReadTwice(page(warning), page('Unsaved changes will be lost.')));
    // One demonstration of another item among readings of one is enough for data.
    assert.deepStrictEqual(clickedData(file, [file, at('Eile', 'link', 0.02, 0.03), at('Edit', 'link', 0.02, 0.03)]), [
      'Eie',
      'Eile',
      'Edit',
    ]);
  });
});
