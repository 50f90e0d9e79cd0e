/**
 * Pattern detection on screen sequences: sessions are cut where the user goes to another
 * application and where the task's first screen comes back; stretches whose transitions recur
 * in no other stretch are unrelated activity. (The screens here are stand-ins: which screen is
 * which is the clustering's job, tested on real recordings in learn-from-demonstrations.)
 */
import assert from 'assert';
import type { Observation } from '../../lib/graph/observation';
import type { ObservedAction } from '../../lib/graph/session-observer';
import type { ScreenCluster } from '../../lib/graph/screen-clusters';
import { segmentTraces, type SessionTrace } from '../../lib/graph/segmentation';

const clusters = new Map<string, ScreenCluster>();
function cluster(name: string): ScreenCluster {
  if (!clusters.has(name))
    clusters.set(name, { index: clusters.size, existing: null, sum: new Float64Array(1), weight: 1, members: [] });
  return clusters.get(name)!;
}

/** A session as screen names, "App:Screen"; each step is one action on that screen. */
function trace(sessionIndex: number, screens: string[]): SessionTrace {
  return {
    sessionIndex,
    steps: screens.map((s, i) => {
      const [app, screen] = s.split(':');
      const observation = { key: `${sessionIndex}:${i}`, appName: app, title: screen } as unknown as Observation;
      return {
        cluster: cluster(s),
        observation,
        action: { event: { t: i, type: 'mouse_click' }, observation } as unknown as ObservedAction,
        t: i,
      };
    }),
  };
}

const names = (seg: ReturnType<typeof segmentTraces>['instances']) =>
  seg.map((i) => i.visits.map((v) => [...clusters].find(([, c]) => c === v.cluster)![0].split(':')[1]).join(' '));
const TASK = ['Order:Client', 'Order:Client', 'Order:Details', 'Order:Done'];

describe('segmentation into task instances', () => {
  it('finds the three repetitions of a session, leaving out the notes typed in another application between them', () => {
    const notes = ['Notes:Editor', 'Notes:Editor'];
    const seg = segmentTraces([trace(0, [...TASK, ...notes, ...TASK, ...notes, ...TASK])]);
    assert.deepStrictEqual(names(seg.instances), ['Client Details Done', 'Client Details Done', 'Client Details Done']);
  });

  it('cuts where the first screen comes back, in one application', () => {
    const seg = segmentTraces([trace(0, [...TASK, ...TASK])]);
    assert.deepStrictEqual(names(seg.instances), ['Client Details Done', 'Client Details Done']);
  });

  it('drops a stretch whose screen changes recur nowhere else', () => {
    const seg = segmentTraces([trace(0, [...TASK, 'Mail:Inbox', 'Mail:Message', ...TASK])]);
    assert.deepStrictEqual(names(seg.instances), ['Client Details Done', 'Client Details Done']);
    assert.deepStrictEqual(names(seg.dropped), ['Inbox Message']);
  });

  it('takes one demonstration per session across sessions, branches included', () => {
    const withCheck = ['Order:Client', 'Order:Details', 'Order:Check', 'Order:Done'];
    const seg = segmentTraces([trace(0, withCheck), trace(1, TASK), trace(2, TASK)]);
    assert.deepStrictEqual(names(seg.instances), [
      'Client Details Check Done',
      'Client Details Done',
      'Client Details Done',
    ]);
  });

  it('ends a run on its first screen when the session ends there (the list, after validating one of its items)', () => {
    const endingOn = (sessionIndex: number, screens: string[]): SessionTrace => {
      const t = trace(sessionIndex, screens);
      t.steps[t.steps.length - 1].action = null; // the final screen: nothing done there
      return t;
    };
    const seg = segmentTraces([
      endingOn(0, ['Inv:List', 'Inv:Detail', 'Inv:List']),
      endingOn(1, ['Inv:List', 'Inv:Detail', 'Inv:Dialog', 'Inv:List']),
    ]);
    assert.deepStrictEqual(names(seg.instances), ['List Detail List', 'List Detail Dialog List']);
  });

  it('cuts a session on one screen where it shows again what it showed when the run began (a form empty again after Save)', () => {
    const form = cluster('Form:Patient');
    const shows = (...lines: string[]) => ({
      text: ['Last name', 'First name', 'Save', ...lines].map((text) => ({ text })),
    });
    // Each step: what the form showed when the person acted; the last one, the screen the session ended on.
    const seen = [
      shows(),
      shows(),
      shows('Martin'),
      shows('Martin', 'Alice'),
      shows(),
      shows('Durand'),
      shows('Durand', 'Paul'),
      shows(),
    ];
    const steps = seen.map((analysis, i) => {
      const observation = { key: `f${i}`, appName: 'Form', title: 'Patient', analysis } as unknown as Observation;
      const action =
        i < seen.length - 1
          ? ({ event: { t: i, type: 'mouse_click' }, observation } as unknown as ObservedAction)
          : null;
      return { cluster: form, observation, action, t: i };
    });
    const seg = segmentTraces([{ sessionIndex: 0, steps }]);
    assert.deepStrictEqual(names(seg.instances), ['Patient Patient', 'Patient Patient'], 'one run per record');
    assert.deepStrictEqual(
      seg.instances.map((i) => [i.visits[0].actions.length, i.visits[1].observations[0].key]),
      [
        [4, 'f4'],
        [3, 'f7'],
      ],
    );
  });

  it('keeps a task across programs in one piece when a value copied in one is carried to the next', () => {
    const copying = (sessionIndex: number, screens: string[], copyAt: number): SessionTrace => {
      const t = trace(sessionIndex, screens);
      const copy = t.steps[copyAt].action!;
      t.steps[copyAt].action = { ...copy, event: { ...copy.event, type: 'key_press', keys: ['CTRL', 'C'] } };
      return t;
    };
    const task = ['Calc:Keypad', 'Editor:Document', 'Editor:SaveAs', 'Editor:Saved'];
    const seg = segmentTraces([copying(0, task, 0), copying(1, task, 0)]);
    assert.deepStrictEqual(names(seg.instances), ['Keypad Document SaveAs Saved', 'Keypad Document SaveAs Saved']);
  });

  it('keeps a single demonstration as it is (nothing to compare it with)', () => {
    const seg = segmentTraces([trace(0, ['Order:Client', 'Order:Details'])]);
    assert.deepStrictEqual(names(seg.instances), ['Client Details']);
    assert.deepStrictEqual(
      segmentTraces([trace(0, ['Order:Client', 'Order:Client'])]).instances,
      [],
      'no screen change, no task',
    );
  });
});
