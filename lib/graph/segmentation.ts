/**
 * Pattern detection (seeds/vision-architecture.md, pipeline step 3): from each session's
 * sequence of screens, the instances of the task. A session is cut where the user went to
 * another application (group by window) and where the first screen of a run comes back (the
 * task starts over); then, when there are several instances, only those sharing a transition
 * with another instance are kept (recurring transitions), which drops unrelated activity.
 */
import type { ObservedAction } from './session-observer';
import type { Observation } from './observation';
import type { ScreenCluster } from './screen-clusters';
import { normalizeText } from '../vision/text-match';

/** A stay on one screen: the actions done there, in order. */
export interface Visit {
  cluster: ScreenCluster;
  actions: ObservedAction[];
  /** The observations of this screen during the stay (for templates and statistics). */
  observations: Observation[];
  /** Seconds since the session started, of the first observation. */
  t: number;
}

/** One performance of the task: the screens visited, in order; the last one's actions lead nowhere in the task. */
export interface TaskInstance {
  sessionIndex: number;
  visits: Visit[];
}

export interface SessionTrace {
  sessionIndex: number;
  /** The screen of each action, in order, then the final screen (action null). */
  steps: Array<{ cluster: ScreenCluster; observation: Observation; action: ObservedAction | null; t: number }>;
}

function visitsOf(trace: SessionTrace): Visit[] {
  const visits: Visit[] = [];
  for (const step of trace.steps) {
    let v = visits[visits.length - 1];
    if (!v || v.cluster !== step.cluster || step.observation.appName !== v.observations[0].appName) {
      v = { cluster: step.cluster, actions: [], observations: [], t: step.t };
      visits.push(v);
    }
    if (step.action) v.actions.push(step.action);
    if (!v.observations.includes(step.observation)) v.observations.push(step.observation);
  }
  return visits;
}

const transitionKey = (a: Visit, b: Visit) => `${a.cluster.index}>${b.cluster.index}`;

/** What a screen shows, as read: the same for a form shown empty again after a record. */
const shownText = (o: Observation): string =>
  (o.analysis?.text ?? [])
    .map((l) => normalizeText(l.text))
    .filter(Boolean)
    .sort()
    .join('\n');

/**
 * A session that acted on one screen and never left it (a calculator: type an expression, Enter;
 * a data-entry form that comes back empty after each record): each run goes from that screen to
 * itself. Runs are cut where the screen shows again what it showed when the run began, after it
 * showed something else (the form empty again after Save): each record is one run.
 */
function oneScreenInstances(trace: SessionTrace): TaskInstance[] | null {
  const visits = visitsOf(trace);
  const last = trace.steps[trace.steps.length - 1];
  if (visits.length !== 1 || !visits[0].actions.length || !last || last.action) return null;
  const out: TaskInstance[] = [];
  let run: SessionTrace['steps'] = [];
  let changed = false;
  const close = (end: SessionTrace['steps'][number]) => {
    if (!run.some((s) => s.action)) return;
    const observations = [...new Set(run.map((s) => s.observation))].filter((o) => o !== end.observation);
    out.push({
      sessionIndex: trace.sessionIndex,
      visits: [
        { cluster: run[0].cluster, actions: run.flatMap((s) => s.action ?? []), observations, t: run[0].t },
        { cluster: end.cluster, actions: [], observations: [end.observation], t: end.t },
      ],
    });
  };
  for (const step of trace.steps) {
    if (!step.action) break;
    if (run.length && shownText(step.observation) !== shownText(run[0].observation)) changed = true;
    else if (run.length && changed) {
      close(step);
      run = [];
      changed = false;
    }
    run.push(step);
  }
  close(last);
  return out;
}

const COPY_KEYS = new Set(['CTRL+C', 'CTRL+X', 'CTRL+INSERT', 'SHIFT+DELETE', 'CTRL+SHIFT+C']);
/** A menu item that puts the selection on the clipboard, in the languages of the product. */
const COPY_ITEM = /^(copy|cut|copier|couper)\b/;

/** Whether the action puts something on the clipboard: a copy or cut shortcut, or a click on Copy / Cut. */
function copies(action: ObservedAction): boolean {
  const e = action.event;
  if (e.type === 'key_press') return COPY_KEYS.has((e.keys ?? []).join('+'));
  if (e.type !== 'mouse_click' || !e.pos) return false;
  const [fx, fy] = action.observation.frame;
  const [x, y] = [e.pos[0] - fx, e.pos[1] - fy];
  const line = (action.observation.analysis?.text ?? []).find(
    (l) => x >= l.bbox[0] && x < l.bbox[2] && y >= l.bbox[1] && y < l.bbox[3],
  );
  return !!line && COPY_ITEM.test(normalizeText(line.text));
}

/**
 * Whether the task carries data into the next application: something was copied in the
 * application it is in now (a value copied from a calculator, to be pasted in an editor).
 */
function carriesClipboard(current: Visit[]): boolean {
  const app = current[current.length - 1]?.observations[0].appName;
  for (let i = current.length - 1; i >= 0 && current[i].observations[0].appName === app; i--)
    if (current[i].actions.some(copies)) return true;
  return false;
}

/**
 * Splits a session into candidate instances: by application (unless something copied in one is
 * carried to the next), then at each return to the run's
 * first screen (the task starts over) — except a return that ends the session, which ends the run.
 */
function candidateInstances(trace: SessionTrace): TaskInstance[] {
  const single = oneScreenInstances(trace);
  if (single) return single;
  const out: TaskInstance[] = [];
  let current: Visit[] = [];
  const flush = () => {
    if (current.length >= 2) out.push({ sessionIndex: trace.sessionIndex, visits: current });
    current = [];
  };
  const visits = visitsOf(trace);
  for (const [i, v] of visits.entries()) {
    const app = v.observations[0].appName;
    const appChanged = current.length && current[current.length - 1].observations[0].appName !== app;
    if (appChanged && !carriesClipboard(current)) flush();
    else if (current.length && v.cluster === current[0].cluster) {
      // Back on the first screen as the session ends, nothing more done there: the run's result
      // shows where it started (the list, after validating one of its items) — it ends this run.
      if (i === visits.length - 1 && !v.actions.length) current.push(v);
      flush();
      if (i === visits.length - 1 && !v.actions.length) break;
    }
    current.push(v);
  }
  flush();
  return out;
}

export interface Segmentation {
  instances: TaskInstance[];
  /** Candidate instances left out as unrelated activity. */
  dropped: TaskInstance[];
}

/** The task instances of all sessions (several demonstrations and repetitions inside one session alike). */
export function segmentTraces(traces: SessionTrace[]): Segmentation {
  const candidates = traces.flatMap(candidateInstances);
  if (candidates.length <= 1) return { instances: candidates, dropped: [] };
  const seenIn = new Map<string, Set<TaskInstance>>();
  for (const inst of candidates)
    for (let i = 0; i + 1 < inst.visits.length; i++) {
      const key = transitionKey(inst.visits[i], inst.visits[i + 1]);
      if (!seenIn.has(key)) seenIn.set(key, new Set());
      seenIn.get(key)!.add(inst);
    }
  const recurring = (inst: TaskInstance) =>
    inst.visits.some(
      (v, i) => i + 1 < inst.visits.length && seenIn.get(transitionKey(v, inst.visits[i + 1]))!.size >= 2,
    );
  const instances = candidates.filter(recurring);
  // Nothing recurs (different tasks in each session): every candidate is its own task.
  if (!instances.length) return { instances: candidates, dropped: [] };
  return { instances, dropped: candidates.filter((c) => !instances.includes(c)) };
}
