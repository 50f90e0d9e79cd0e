/**
 * Reading a recorded session the way the learner needs it: the user's actions in order, each
 * with the screen it was done on (the "before" shot, cropped to the window the user acted in,
 * analysed and embedded by the vision engine), plus the screen the session ended on.
 *
 * Cropping to the window makes a screen look the same wherever the window was and whatever
 * was open beside it, and makes OCR cheaper. A click outside the active window is the user
 * switching windows, not an action on this screen, so it is left out.
 */
import fs from 'fs';
import path from 'path';
import type { RawEvent, RawSession, RawWindowRef } from '../contracts/raw-session';
import type { BBox } from '../contracts/screen-state';
import { readJsonFile } from '../contracts/files';
import { validateRawSession } from '../contracts/validate';
import type { VisionEngine } from '../vision';
import { SessionLearnError } from './errors';
import { embedWindowScreen, windowFrame } from './screen-embedding';
import { sameScreen } from './screen-clusters';
import type { Observation } from './observation';

/** One user action as the learner sees it. */
export interface ObservedAction {
  event: RawEvent;
  observation: Observation;
}

export interface ObservedSession {
  dir: string;
  session: RawSession;
  /** Actions in time order (clicks, typed text, keys, scrolls), each on its screen. */
  actions: ObservedAction[];
  /** The screen after the last action, when the recorder caught it settled. */
  final: Observation | null;
  /** Screenshots analysed (distinct crops), for the learning-time figures. */
  analysedCount: number;
}

const ACTION_TYPES = new Set<RawEvent['type']>(['mouse_click', 'text_input', 'key_press', 'mouse_scroll']);

export function readSession(dir: string): RawSession {
  const file = path.join(dir, 'session.json');
  if (!fs.existsSync(file))
    throw new SessionLearnError(dir, `no session.json in it (record one with "rpa-vision record --out ${dir}")`);
  let session: RawSession;
  try {
    session = readJsonFile(file, validateRawSession);
  } catch (err) {
    throw new SessionLearnError(dir, (err as Error).message);
  }
  return withClicksInTheirWindow(session);
}

/** How soon after a click the window it raised is reported by the window manager. */
const RAISE_S = 0.3;

/**
 * A click into another window raises it, and the window manager may report the change a moment
 * after the click: the recorder then stamped the click with the window it left (galculator's,
 * for a click into mousepad's page, at a point outside galculator). Such a click, followed
 * within RAISE_S by the change to a window that holds the point, was made in that window, after
 * the change: the two are put in that order, as when the change is reported first.
 */
export function withClicksInTheirWindow(session: RawSession): RawSession {
  const events = [...session.events];
  for (let i = 0; i < events.length; i++) {
    const click = events[i];
    const from = click.window?.bounds;
    if (click.type !== 'mouse_click' || !click.pos || !from || inside(click.pos, from)) continue;
    const j = events.findIndex((e, k) => k > i && e.type === 'window_change');
    const change = events[j];
    const to = change?.to_window;
    if (!change || !to?.bounds || change.t - click.t > RAISE_S || !inside(click.pos, to.bounds)) continue;
    events.splice(j, 1);
    events.splice(i, 0, { ...change, t: click.t });
    events[i + 1] = { ...click, window: to };
    i++;
  }
  return { ...session, events };
}

function inside(pos: [number, number] | undefined, box: BBox): boolean {
  return !pos || (pos[0] >= box[0] && pos[0] < box[2] && pos[1] >= box[1] && pos[1] < box[3]);
}

/**
 * The events recorded after an action, in the session's order: a window that closes with a
 * click on its button is seen changing at the click's own time, listed after the click.
 */
function eventsAfter(session: RawSession, action: RawEvent): RawEvent[] {
  const at = session.events.indexOf(action);
  return session.events.filter((e, i) => e.t > action.t || (e.t === action.t && i > at));
}

/**
 * The window as it was after an action: the newest window a later event saw. The title often
 * changes with the screen, so when no later event saw the window its title is unknown. A window
 * change the action caused may be stamped with the action's own millisecond: written after it,
 * it is later.
 */
export function windowAfter(
  session: RawSession,
  action: RawEvent,
): { window: RawWindowRef | null | undefined; titleKnown: boolean } {
  let window: RawWindowRef | null | undefined = null;
  for (const e of eventsAfter(session, action)) {
    const seen = e.type === 'window_change' ? e.to_window : e.window;
    if (seen && (!action.window?.app_name || seen.app_name === action.window.app_name)) window = seen;
  }
  return window
    ? { window, titleKnown: true }
    : { window: action.window ? { ...action.window, title: '' } : action.window, titleKnown: false };
}

/**
 * The screen the session ended on: the newest screenshot taken after the last action in its
 * application (a dialog closing, or a page loading, after the action's settled shot was taken
 * is seen by a later window or screen change), or null when none was taken.
 */
function lastShotAfter(session: RawSession, action: RawEvent): string | null {
  let shot: string | null = null;
  for (const e of eventsAfter(session, action)) {
    const id = e.after_screenshot_id ?? e.screenshot_id;
    if (!id || (e.type !== 'window_change' && e.type !== 'screen_change')) continue;
    const seen = e.type === 'window_change' ? e.to_window : e.window;
    if (seen && (!action.window?.app_name || seen.app_name === action.window.app_name)) shot = id;
  }
  return shot;
}

/**
 * A person needs this long to see a new screen and act on it. A "before" shot that shows a
 * new screen while a shot this much earlier still shows the previous one means the recorder
 * received the event late (its timestamp lags under load) and grabbed the screen the action
 * produced: the action was done on the previous screen.
 */
const REACTION_S = 0.3;

export interface ObserveOptions {
  vision: VisionEngine;
  sessionIndex: number;
  onProgress?: (message: string) => void;
}

/** Stands for typed data in a window title ("/notes/… - Mousepad" after saving as "alice.txt"). */
export const TYPED_DATA = '…';

/**
 * The title with the texts typed in the session taken out: a document saved under the name the
 * user typed is the same screen whatever the name (the name is a parameter).
 */
export function withoutTypedData(title: string, typed: readonly string[]): string {
  let out = title;
  // Longest first, so a text that contains another is taken out whole.
  for (const text of [...typed].filter((t) => t.trim().length >= 3).sort((a, b) => b.length - a.length))
    out = out.split(text.trim()).join(TYPED_DATA);
  return out;
}

/** Analyses the screens of one session's actions. */
export async function observeSession(dir: string, options: ObserveOptions): Promise<ObservedSession> {
  const session = readSession(dir);
  // Longest first, so a text that contains another is taken out whole.
  const typed = [
    ...new Set(session.events.filter((e) => e.type === 'text_input' && !e.masked).map((e) => (e.text ?? '').trim())),
  ]
    .filter((t) => t.length >= 3)
    .sort((a, b) => b.length - a.length);
  const shots = new Map(session.screenshots.map((s) => [s.screenshot_id, s]));
  const [screenW, screenH] = session.environment.screen.primary_resolution;
  const cache = new Map<string, Promise<Observation>>();
  const observe = (
    screenshotId: string,
    window: RawWindowRef | null | undefined,
    titleKnown = true,
  ): Promise<Observation> => {
    const shot = shots.get(screenshotId);
    if (!shot)
      throw new SessionLearnError(
        dir,
        `an event refers to screenshot "${screenshotId}", which session.json does not list`,
      );
    const frame = windowFrame(screenW, screenH, window?.bounds);
    const title = withoutTypedData(window?.title ?? '', typed);
    const key = `${options.sessionIndex}:${screenshotId}:${frame.join(',')}:${title}`;
    let pending = cache.get(key);
    if (!pending) {
      pending = (async () => {
        const file = path.join(dir, shot.relative_path);
        if (!fs.existsSync(file)) throw new SessionLearnError(dir, `screenshot ${shot.relative_path} is missing`);
        const seen = await embedWindowScreen(options.vision, file, { title, bounds: frame, data: typed });
        options.onProgress?.(`analysed ${shot.relative_path} (${title || 'untitled window'})`);
        return {
          key,
          sessionIndex: options.sessionIndex,
          screenshotId,
          analysis: seen.analysis,
          vector: seen.vector,
          provider: seen.provider,
          title,
          titleKnown: titleKnown && title !== '',
          appName: window?.app_name ?? '',
          frame: seen.frame,
        };
      })();
      cache.set(key, pending);
    }
    return pending;
  };

  const started = Date.parse(session.started_at);
  const shotTimes = session.screenshots
    .map((x) => ({ id: x.screenshot_id, t: (Date.parse(x.captured_at) - started) / 1000 }))
    .sort((a, b) => a.t - b.t);
  const newestShotBefore = (t: number) => shotTimes.filter((x) => x.t <= t).pop()?.id ?? null;
  /** The screen the action was done on, correcting a "before" shot taken after the action took effect. */
  const screenOf = async (event: RawEvent, shotId: string, previous: Observation | null): Promise<Observation> => {
    const observation = await observe(shotId, event.window);
    if (!previous || previous.appName !== observation.appName || sameScreen(observation, previous)) return observation;
    const earlierId = newestShotBefore(event.t - REACTION_S);
    if (!earlierId || earlierId === shotId || earlierId === previous.screenshotId) return observation;
    const earlier = await observe(earlierId, event.window ? { ...event.window, title: previous.title } : event.window);
    return sameScreen(earlier, previous) ? earlier : observation;
  };

  const events = session.events.filter((e) => ACTION_TYPES.has(e.type)).sort((a, b) => a.t - b.t);
  const actions: ObservedAction[] = [];
  let last: ObservedAction | null = null;
  for (const event of events) {
    const bounds = event.window?.bounds;
    if (event.type === 'mouse_click' && bounds && !inside(event.pos, bounds)) continue; // a window switch
    // Typing right after a click in the same window happens on the screen the click saw:
    // reusing it spares one analysis per field.
    const reuse: boolean =
      event.type === 'text_input' &&
      last?.event.type === 'mouse_click' &&
      last.event.window?.title === event.window?.title;
    const shotId = event.screenshot_id ?? last?.event.after_screenshot_id ?? null;
    if (!reuse && !shotId) continue; // nothing shows what the user saw
    const observation: Observation = reuse
      ? last!.observation
      : await screenOf(event, shotId!, last?.observation ?? null);
    last = { event, observation };
    actions.push(last);
  }
  if (!actions.length)
    throw new SessionLearnError(
      dir,
      'it holds no click, typed text, key or scroll with a screenshot: nothing was done to learn from',
    );
  const lastAction = actions[actions.length - 1].event;
  const finalShot = lastShotAfter(session, lastAction) ?? lastAction.after_screenshot_id ?? null;
  const after = windowAfter(session, lastAction);
  const final = finalShot && shots.has(finalShot) ? await observe(finalShot, after.window, after.titleKnown) : null;
  return { dir, session, actions, final, analysedCount: cache.size };
}
