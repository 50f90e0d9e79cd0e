/**
 * What a step that comes back to its own screen must show it did (issue 15, point 3), learned
 * from demonstrations described as the vision engine reads them: a form emptied after each
 * record (the names typed are gone), a to-do list that shows each item typed as a new row. Only
 * what every demonstration shows is kept.
 */
import assert from 'assert';
import type { BBox, ScreenAnalysis, TextLine } from '../../lib/vision';
import {
  checkOwnScreen,
  ownScreenCondition,
  type OwnScreenDemonstration,
  type SeenScreen,
} from '../../lib/graph/own-screen';
import { describeOwnScreen } from '../../lib/graph/learned-summary';
import { line } from '../helpers/screen-parts';

const screen = (text: TextLine[], origin = { x: 100, y: 50 }): SeenScreen => ({
  analysis: {
    width: 500,
    height: 300,
    scaleFactor: 1,
    imageHash: 'h',
    text,
    elements: [],
    timings: {},
  } as ScreenAnalysis,
  origin,
});

/** The patient form: its labels, the two names in their fields (empty: none). */
const form = (last = '', first = '', status = '') =>
  screen([
    line('Last name', 10, 20),
    line('First name', 10, 60),
    line('Save record', 300, 140),
    ...(last ? [line(last, 120, 20)] : []),
    ...(first ? [line(first, 120, 60)] : []),
    ...(status ? [line(status, 10, 180)] : []),
  ]);

/** A record typed: step 0 the last name, step 1 the first name, step 2 the click on Save record. */
function record(last: string, first: string, next: SeenScreen | null): OwnScreenDemonstration {
  return {
    values: [
      { step: 0, value: last, before: [form(), form(last)] },
      { step: 1, value: first, before: [form(), form(last, first)] },
      { step: 2, value: 'Save record', before: [form(last, first)] },
    ],
    next,
  };
}

/** A to-do list: the field at the top, the items below; a new item is typed and Add clicked. */
const todo = (items: string[], field = '') =>
  screen([
    line('Add', 400, 10),
    ...(field ? [line(field, 20, 10)] : []),
    ...items.map((item, i) => line(item, 20, 60 + 30 * i)),
  ]);

describe('graph: what a step back to its own screen must show it did', () => {
  it('a form emptied after each record: the names typed are gone in every demonstration', () => {
    const condition = ownScreenCondition([record('Martin', 'Alice', form()), record('Durand', 'Paul', form())]);
    assert.deepStrictEqual(condition, { gone: [0, 1], shown: [] });
  });

  it('keeps only what every demonstration shows: a demonstration whose form kept the first name keeps it out', () => {
    const condition = ownScreenCondition([
      record('Martin', 'Alice', form()),
      record('Durand', 'Paul', form('', 'Paul')),
    ]);
    assert.deepStrictEqual(condition, { gone: [0], shown: [] });
    assert.strictEqual(ownScreenCondition([record('Martin', 'Alice', form('Martin', 'Alice'))]), null);
  });

  it('a value the screen never showed (a field the text reader cannot read) is not said to be gone', () => {
    const unread: OwnScreenDemonstration = {
      values: [{ step: 0, value: 'Martin', before: [form(), form()] }],
      next: form(),
    };
    assert.strictEqual(ownScreenCondition([unread]), null);
  });

  it('a to-do list: the item typed shows as a new row, not only in its field', () => {
    const add = (items: string[], item: string): OwnScreenDemonstration => ({
      values: [{ step: 0, value: item, before: [todo(items), todo(items, item)] }],
      next: todo([...items, item]),
    });
    const condition = ownScreenCondition([add(['Buy bread'], 'Call the bank'), add([], 'Water plants')]);
    assert.deepStrictEqual(condition, { gone: [], shown: [0] });
    // The run's check: the item in the list passes; left in its field (Add not taken) fails.
    const field: BBox = [115, 55, 400, 85];
    const values = [{ step: 0, value: 'Pay rent', known: [field] }];
    assert.deepStrictEqual(checkOwnScreen(condition!, values, todo(['Buy bread', 'Pay rent'])), [
      { step: 0, value: 'Pay rent', expected: 'shown', held: true },
    ]);
    assert.deepStrictEqual(
      checkOwnScreen(condition!, values, todo(['Buy bread'], 'Pay rent')).map((v) => v.held),
      [false],
    );
  });

  it('keys of a keypad ("7", "=") tell nothing: no condition from them', () => {
    const keys = screen([line('7', 20, 100), line('=', 60, 100), line('42', 20, 20)]);
    const demo: OwnScreenDemonstration = {
      values: [
        { step: 0, value: '7', before: [keys] },
        { step: 1, value: '=', before: [keys] },
      ],
      next: screen([line('7', 20, 100), line('=', 60, 100), line('7', 300, 20)]),
    };
    assert.strictEqual(ownScreenCondition([demo]), null);
  });

  it('learn says what the run will check after such a step', () => {
    const edge = {
      edge_id: 'E1_save_record',
      from_node: 'N1',
      to_node: 'N1',
      action: {
        type: 'compound' as const,
        steps: [
          { type: 'type_text' as const, text: '{{last_name}}' },
          { type: 'type_text' as const, text: '{{first_name}}' },
          { type: 'mouse_click' as const, target: { text: 'Save record' } },
        ],
      },
      post_conditions: { own_screen: { gone: [0, 1], shown: [] } },
    };
    assert.strictEqual(
      describeOwnScreen(edge),
      '{{last_name}}, {{first_name}} gone from the screen (the step was taken)',
    );
    assert.strictEqual(describeOwnScreen({ ...edge, post_conditions: {} }), null);
  });
});
