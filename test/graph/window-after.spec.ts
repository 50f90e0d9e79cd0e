/**
 * The window a session showed after its last action, as learn reads it from the recorded events:
 * a click that closes a dialog is followed by the window change it caused, on a loaded machine
 * stamped with the click's own millisecond.
 */
import assert from 'assert';
import type { RawEvent, RawSession } from '../../lib/contracts/raw-session';
import { windowAfter } from '../../lib/graph/session-observer';

const dialog = { title: 'Patient file', app_name: 'tk' };
const list = { title: 'Patient files', app_name: 'tk' };

function session(events: RawEvent[]): RawSession {
  return {
    schema_version: 'rawsession_v1',
    session_id: 's',
    agent_version: 'test',
    environment: { platform: 'linux', hostname: 'h', screen: { primary_resolution: [800, 600], display_scale: 1 } },
    user: { id: 'u' },
    context: {},
    started_at: '2026-12-04T07:48:43.616Z',
    ended_at: null,
    events,
    screenshots: [],
  };
}

const click = (t: number): RawEvent => ({ t, type: 'mouse_click', window: dialog, screenshot_id: 's2', pos: [1, 1] });
const change = (t: number): RawEvent => ({
  t,
  type: 'window_change',
  window: list,
  from_window: dialog,
  to_window: list,
  screenshot_id: 's2',
});

describe('learn: the window after the last action', () => {
  it('is the window change written after the click, also when it carries the same time', () => {
    for (const t of [3.883, 3.9]) {
      const c = click(3.883);
      assert.deepStrictEqual(windowAfter(session([c, change(t)]), c), { window: list, titleKnown: true }, `at ${t}`);
    }
  });

  it('is unknown when nothing was seen after the click (a change written before it at the same time is not after)', () => {
    const c = click(3.883);
    assert.deepStrictEqual(windowAfter(session([change(3.883), c]), c), {
      window: { ...dialog, title: '' },
      titleKnown: false,
    });
  });
});
