/**
 * How the recorder describes raw input: the normaliser and the session builder on their own,
 * fed with input the way the X11 hook delivers it (no display needed here; the end-to-end specs
 * in this folder drive the same code through a real hook on Xvfb).
 */
import assert from 'assert';
import type { RawInputEvent } from '../../lib/platform/types';
import type { RawEvent } from '../../lib/contracts/raw-session';
import { validateRawSession } from '../../lib/contracts/validate';
import { EventNormaliser, type WindowContext } from '../../lib/capture/event-normaliser';
import { SessionBuilder, type JournalEntry } from '../../lib/capture/journal';
import { PrivacyRules } from '../../lib/capture/privacy';

const T0 = 1_700_000_000_000;
const NO_MODS = { ctrl: false, alt: false, shift: false, meta: false };
const win = (id: string, title: string, privacy: WindowContext['privacy'] = 'normal'): WindowContext => ({
  id,
  privacy,
  ref: { title, app_name: 'app' },
});
const editor = win('1', 'Factures - Clinique Demo');

/** A normaliser wired to a session builder, as the recorder wires them. */
function harness(secretField?: (event: RawEvent, typed: number, beforeMs?: number) => boolean) {
  const builder = new SessionBuilder();
  builder.apply({
    kind: 'started',
    header: {
      session_id: 'sess_test',
      agent_version: '0.1.0',
      environment: { platform: 'linux', hostname: 'h', screen: { primary_resolution: [1920, 1080], display_scale: 1 } },
      user: { id: 'u' },
      context: {},
      started_at: new Date(T0).toISOString(),
    },
  });
  let shots = 0;
  const apply = (e: JournalEntry) => builder.apply(e);
  const n = new EventNormaliser(
    {
      emit: (seq, event) => apply({ kind: 'event', seq, event }),
      update: (seq, patch) => apply({ kind: 'update', seq, patch }),
      pending: (seq, event) => apply({ kind: 'pending', seq, event }),
      secretField,
    },
    { startedAtMs: T0 },
  );
  const shotBefore = () => {
    const id = `shot_${String(++shots).padStart(4, '0')}`;
    apply({
      kind: 'screenshot',
      shot: { screenshot_id: id, relative_path: `shots/${id}.png`, captured_at: new Date(T0).toISOString() },
    });
    return id;
  };
  const feed = (raw: RawInputEvent, w: WindowContext | null = editor) => n.handle(raw, w, shotBefore);
  const events = (): RawEvent[] => builder.build({ endedAt: new Date(T0 + 60_000).toISOString() }).events;
  return { n, builder, feed, events };
}

const key = (time: number, k: string, char?: string, mods = NO_MODS): RawInputEvent[] => [
  { kind: 'keydown', key: k, char, modifiers: mods, time: T0 + time },
  { kind: 'keyup', key: k, modifiers: mods, time: T0 + time + 5 },
];
const typeText = (start: number, text: string) =>
  [...text].flatMap((c, i) => key(start + i * 30, c === ' ' ? 'SPACE' : c.toUpperCase(), c));

describe('recorded events (normaliser)', () => {
  it('records a click with button, position, window and the screenshot from before it', () => {
    const h = harness();
    h.feed({ kind: 'mousedown', button: 'left', x: 1620, y: 920, clicks: 1, time: T0 + 523 });
    h.feed({ kind: 'mouseup', button: 'left', x: 1620, y: 920, clicks: 1, time: T0 + 600 });
    const [click] = h.events();
    assert.deepStrictEqual(
      {
        type: click.type,
        t: click.t,
        button: click.button,
        pos: click.pos,
        count: click.click_count,
        title: click.window?.title,
        shot: click.screenshot_id,
      },
      {
        type: 'mouse_click',
        t: 0.523,
        button: 'left',
        pos: [1620, 920],
        count: 1,
        title: 'Factures - Clinique Demo',
        shot: 'shot_0001',
      },
    );
  });

  it('turns two quick presses at one place into one double click, but not two slow or distant ones', () => {
    const h = harness();
    const press = (t: number, x: number) =>
      h.feed({ kind: 'mousedown', button: 'left', x, y: 100, clicks: 1, time: T0 + t });
    press(0, 100);
    press(150, 101); // double click
    press(2000, 100); // too late: a new click
    press(2100, 300); // too far: a new click
    const clicks = h.events().filter((e) => e.type === 'mouse_click');
    assert.deepStrictEqual(
      clicks.map((c) => [c.pos![0], c.click_count]),
      [
        [100, 2],
        [100, 1],
        [300, 1],
      ],
    );
  });

  it('makes a press released elsewhere a drag, and a press released in place a plain click', () => {
    const h = harness();
    h.feed({ kind: 'mousedown', button: 'left', x: 100, y: 100, clicks: 1, time: T0 });
    for (let i = 1; i <= 10; i++) h.feed({ kind: 'mousemove', x: 100 + i * 30, y: 100 + i * 20, time: T0 + i * 40 });
    h.feed({ kind: 'mouseup', button: 'left', x: 400, y: 300, clicks: 1, time: T0 + 450 });
    h.feed({ kind: 'mousedown', button: 'left', x: 400, y: 300, clicks: 1, time: T0 + 500 });
    h.feed({ kind: 'mouseup', button: 'left', x: 401, y: 300, clicks: 1, time: T0 + 560 });
    const clicks = h.events().filter((e) => e.type === 'mouse_click');
    assert.deepStrictEqual(
      clicks.map((c) => [c.pos, c.drag_to, c.click_count]),
      [
        [[100, 100], [400, 300], 1],
        [[400, 300], undefined, 1],
      ],
    );
  });

  it('drops pointer jitter and throttles moves, keeping where the pointer came to rest', () => {
    const h = harness();
    h.feed({ kind: 'mousemove', x: 100, y: 100, time: T0 });
    for (let i = 1; i <= 20; i++) h.feed({ kind: 'mousemove', x: 100 + (i % 2) * 3, y: 100, time: T0 + i * 150 }); // a shaky hand
    for (let i = 1; i <= 50; i++) h.feed({ kind: 'mousemove', x: 100 + i * 10, y: 100, time: T0 + 3000 + i * 10 }); // a fast sweep
    h.n.flush();
    const moves = h.events().filter((e) => e.type === 'mouse_move');
    assert.ok(
      moves.length >= 3 && moves.length <= 8,
      `${moves.length} moves: ${JSON.stringify(moves.map((m) => m.pos))}`,
    );
    assert.deepStrictEqual(moves[moves.length - 1].pos, [600, 100], 'the resting place is recorded');
    assert.ok(moves.every((m) => m.screenshot_id === null));
  });

  it('masks the text of a field that shows bullets, asked once the field is finished', () => {
    const asked: Array<[number, number | undefined]> = [];
    const h = harness((event, typed, beforeMs) => {
      asked.push([typed, beforeMs]);
      return event.pos?.[1] === 300;
    });
    h.feed({ kind: 'mousedown', button: 'left', x: 400, y: 300, clicks: 1, time: T0 });
    typeText(100, 'S3cret!').forEach((e) => h.feed(e));
    h.feed({ kind: 'mousedown', button: 'left', x: 400, y: 500, clicks: 1, time: T0 + 900 });
    typeText(1000, 'Dupont').forEach((e) => h.feed(e));
    h.n.flush();
    assert.deepStrictEqual(
      h
        .events()
        .filter((e) => e.type === 'text_input')
        .map((t) => [t.text, t.masked ?? false]),
      [
        ['•••••••', true],
        ['Dupont', false],
      ],
    );
    assert.deepStrictEqual(asked, [
      [7, T0 + 900],
      [6, undefined],
    ]);
  });

  it('aggregates typing in one field into one text_input with backspace applied, masked in a sensitive window', () => {
    const h = harness();
    h.feed({ kind: 'mousedown', button: 'left', x: 400, y: 300, clicks: 1, time: T0 });
    [
      ...typeText(100, 'Helo'),
      ...key(300, 'BACKSPACE'),
      ...key(330, 'BACKSPACE'),
      ...typeText(400, 'llo world'),
    ].forEach((e) => h.feed(e));
    assert.strictEqual(
      h.events().find((e) => e.type === 'text_input')?.text,
      '•••••••••••',
      'text still being typed is in the session, masked until the field is finished (it may be a password)',
    );
    h.feed(key(1000, 'ENTER')[0]);
    const login = win('2', 'Connexion', 'sensitive');
    typeText(2000, 'secret').forEach((e) => h.feed(e, login));
    h.n.flush();
    const events = h.events();
    const texts = events.filter((e) => e.type === 'text_input');
    assert.deepStrictEqual(
      texts.map((t) => [t.text, t.masked ?? false, t.pos]),
      [
        ['Hello world', false, [400, 300]],
        ['••••••', true, undefined],
      ],
    );
    assert.deepStrictEqual(
      events.filter((e) => e.type === 'key_press').map((e) => e.keys),
      [['ENTER']],
      'backspaces inside the text are not key presses',
    );
  });

  it('records shortcuts with their modifiers, and their release', () => {
    const h = harness();
    const ctrl = { ...NO_MODS, ctrl: true };
    h.feed({ kind: 'keydown', key: 'CTRL', modifiers: ctrl, time: T0 + 1800 });
    key(1850, 'F', undefined, ctrl).forEach((e) => h.feed(e));
    h.feed({ kind: 'keyup', key: 'CTRL', modifiers: NO_MODS, time: T0 + 1900 });
    key(2000, 'TAB', undefined, { ...NO_MODS, shift: true }).forEach((e) => h.feed(e));
    assert.deepStrictEqual(
      h.events().map((e) => [e.type, e.keys!.join('+')]),
      [
        ['key_press', 'CTRL+F'],
        ['key_release', 'CTRL+F'],
        ['key_press', 'SHIFT+TAB'],
        ['key_release', 'SHIFT+TAB'],
      ],
    );
  });

  it('merges consecutive wheel notches into one scroll, 120 a notch, negative up', () => {
    const h = harness();
    for (let i = 0; i < 3; i++)
      h.feed({ kind: 'wheel', x: 800, y: 600, delta: 3, horizontal: false, time: T0 + 3200 + i * 50 });
    h.feed({ kind: 'wheel', x: 800, y: 600, delta: -3, horizontal: false, time: T0 + 3400 });
    assert.deepStrictEqual(
      h.events().map((e) => [e.type, e.delta, e.pos]),
      [
        ['mouse_scroll', 360, [800, 600]],
        ['mouse_scroll', -120, [800, 600]],
      ],
    );
  });

  it('keeps no text typed in an excluded window', () => {
    const h = harness();
    const bank = win('3', '[excluded]', 'excluded');
    typeText(0, 'iban').forEach((e) => h.feed(e, bank));
    h.n.flush();
    assert.deepStrictEqual(h.events(), []);
  });

  it('builds a session that validates, leaving out screenshots that never reached the disk', () => {
    const h = harness();
    h.feed({ kind: 'mousedown', button: 'left', x: 1, y: 2, clicks: 1, time: T0 + 10 });
    h.builder.apply({ kind: 'update', seq: 1, patch: { after_screenshot_id: 'shot_9999' } });
    const session = validateRawSession(
      h.builder.build({ endedAt: new Date(T0 + 1000).toISOString(), endReason: 'display lost' }),
    );
    assert.strictEqual(session.events[0].screenshot_id, 'shot_0001');
    assert.strictEqual(session.events[0].after_screenshot_id, null);
    assert.strictEqual(session.end_reason, 'display lost');
  });
});

describe('privacy rules', () => {
  it('matches titles and application names, plain or /regex/, excluded before sensitive', () => {
    const rules = new PrivacyRules({ exclude: ['Banque', '/^private/i'] });
    assert.strictEqual(rules.classify({ title: 'Ma Banque en ligne', appName: 'firefox' }), 'excluded');
    assert.strictEqual(rules.classify({ title: 'x', appName: 'Private-notes' }), 'excluded');
    assert.strictEqual(rules.classify({ title: 'Mot de passe requis', appName: 'zenity' }), 'sensitive');
    assert.strictEqual(rules.classify({ title: 'Sign in - Portal', appName: 'chromium' }), 'sensitive');
    assert.strictEqual(rules.classify({ title: 'Factures', appName: 'mousepad' }), 'normal');
    assert.throws(() => new PrivacyRules({ exclude: ['/([/'] }), /not a valid regular expression/);
  });
});
