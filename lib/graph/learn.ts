/**
 * Learning a workflow graph from recorded sessions (seeds/vision-architecture.md, "De
 * RawSession à Workflow Appris"): analyse the screens, group them into nodes, cut the
 * sessions into task instances, turn the actions between screens into edges, the typed data
 * that varies into parameters, and fold everything into the existing graph when there is one.
 */
import path from 'path';
import type { Workflow, WorkflowAction, WorkflowEdge, WorkflowNode, WorkflowParameter } from '../contracts/workflow';
import { cosineSimilarity, maskVariableText } from '../vision/state-embedding';
import { createVisionEngine, type VisionEngine } from '../vision';
import {
  actionSignature,
  bestReading,
  clickedData,
  clicksNamedItem,
  combineSteps,
  sameActionReadTwice,
  stepsOf,
  stepsOfAction,
  type LearnedStep,
} from './action-steps';
import { SessionLearnError } from './errors';
import { isSecretName } from '../contracts/secrets';
import { evaluateLearning, learningOf } from './learning-state';
import { destinations, endNodes, entryNodes } from './workflow-queries';
import { buildNode, evidenceOf, headingOf, screenNameOf, slug, titleMayMatch } from './node-templates';
import { asLabel, isTyped, needsName, titleName } from './names';
import { safetyRulesOf } from './safety';
import {
  CLUSTER_DEFAULTS,
  prototypeOf,
  sameScreenAfterTyping,
  ScreenClusters,
  unmarkedTitle,
  type ClusterOptions,
  type ScreenCluster,
} from './screen-clusters';
import { segmentTraces, type SessionTrace, type TaskInstance, type Visit } from './segmentation';
import { applyChoiceRules, choiceAt, type ChoiceDemonstration } from './choice-rules';
import { ownScreenCondition, type OwnScreenDemonstration, type SeenScreen } from './own-screen';
import { EMBEDDING_FRAME } from './screen-embedding';
import { observeSession, readSession, type ObservedSession } from './session-observer';
import type { Observation } from './observation';
import type { LearningThresholds } from '../contracts/workflow';
import type { RawEvent } from '../contracts/raw-session';

export interface LearnOptions {
  name?: string;
  /** The workflow to extend (same screens → same nodes, counts accumulate). */
  existing?: Workflow;
  /** A vision engine to reuse; one is created (and closed) otherwise. */
  vision?: VisionEngine;
  thresholds?: Partial<LearningThresholds>;
  clustering?: Partial<ClusterOptions>;
  /** Progress lines (e.g. to stderr). */
  onProgress?: (message: string) => void;
  now?: Date;
}

export interface LearnReport {
  sessions: number;
  screenshotsAnalysed: number;
  instances: number;
  droppedInstances: number;
  nodes: number;
  edges: number;
  parameters: number;
  elapsedMs: number;
}

/** The last learning's figures, for the CLI and the benchmark (not part of the workflow). */
export const lastLearnReport = new WeakMap<Workflow, LearnReport>();

interface Occurrence {
  steps: LearnedStep[];
  to: ScreenCluster;
  /** The task instance it is part of (the values typed elsewhere in it), and the screen that came next. */
  instance: TaskInstance;
  from: Observation | null;
  next: Observation | null;
  durationMs: number;
  at: string;
}

interface EdgeGroup {
  from: ScreenCluster;
  signature: string;
  existing: WorkflowEdge | null;
  occurrences: Occurrence[];
}

export async function learnWorkflow(sessionDirs: string[], options: LearnOptions = {}): Promise<Workflow> {
  if (!sessionDirs.length) throw new SessionLearnError('(none)', 'give at least one session directory');
  const t0 = performance.now();
  const now = (options.now ?? new Date()).toISOString();
  const progress = options.onProgress ?? (() => undefined);
  // A wrong directory is reported before the models load, not after.
  for (const dir of sessionDirs) readSession(path.resolve(dir));
  // Every screenshot is read whole: re-detecting only what changed since the previous frame reads
  // the same screen differently depending on which screen came before it (a heading went
  // missing from one sample), and learning compares screens across sessions.
  const vision = options.vision ?? (await createVisionEngine({ frameReuse: false }));
  const observed: ObservedSession[] = [];
  try {
    for (const [i, dir] of sessionDirs.entries()) {
      progress(`session ${i + 1}/${sessionDirs.length}: ${dir}`);
      observed.push(await observeSession(path.resolve(dir), { vision, sessionIndex: i, onProgress: progress }));
    }
  } finally {
    if (!options.vision) await vision.close();
  }
  const existing = options.existing ? (JSON.parse(JSON.stringify(options.existing)) as Workflow) : null;
  const clusters = new ScreenClusters(existing?.nodes ?? [], { ...CLUSTER_DEFAULTS, ...options.clustering });
  const traces: SessionTrace[] = observed.map((s, sessionIndex) => {
    const steps: SessionTrace['steps'] = [];
    for (const a of s.actions) {
      // Typing or pasting changes the data on the screen, not the screen (the task stays where it typed).
      const prev = steps[steps.length - 1];
      const typedOn =
        prev?.action && entersData(prev.action.event) && sameScreenAfterTyping(prev.observation, a.observation)
          ? prev.cluster
          : null;
      steps.push({
        cluster: typedOn ? clusters.join(a.observation, typedOn) : clusters.assign(a.observation),
        observation: a.observation,
        action: a,
        t: a.event.t,
      });
    }
    if (s.final)
      steps.push({
        cluster: clusters.assign(s.final, screensLeftWithOtherTitles(s.final, steps)),
        observation: s.final,
        action: null,
        t: s.actions[s.actions.length - 1].event.t,
      });
    return { sessionIndex, steps };
  });
  const { instances, dropped } = segmentTraces(traces);
  progress(
    `${instances.length} task instance(s) found${dropped.length ? `, ${dropped.length} unrelated stretch(es) left out` : ''}`,
  );
  if (!instances.length && !existing)
    throw new SessionLearnError(
      sessionDirs.join(', '),
      'no screen change was done in them: a task goes from one screen to another',
    );

  const groups = await edgeGroups(instances, observed, existing, clusters);
  const workflow = assemble({ existing, clusters, instances, groups, options, now, sessions: observed });
  lastLearnReport.set(workflow, {
    sessions: observed.length,
    screenshotsAnalysed: observed.reduce((a, s) => a + s.analysedCount, 0),
    instances: instances.length,
    droppedInstances: dropped.length,
    nodes: workflow.nodes.length,
    edges: workflow.edges.length,
    parameters: workflow.parameters?.length ?? 0,
    elapsedMs: Math.round(performance.now() - t0),
  });
  return workflow;
}

const PASTE_KEYS = new Set(['CTRL+V', 'SHIFT+INSERT', 'CTRL+SHIFT+V']);

/** Whether the event puts data into the focused field: typed text, or a paste shortcut. */
function entersData(event: RawEvent): boolean {
  return event.type === 'text_input' || (event.type === 'key_press' && PASTE_KEYS.has((event.keys ?? []).join('+')));
}

/**
 * The screens the session's end screen cannot be: those it visited earlier and left, when none
 * of their screens in this session had the end screen's window title. A document saved under a
 * name looks like the edited "*Untitled" one it was before the Save As dialog (only the title
 * tells them apart, a tenth of the embedding); it is the task's result, a screen of its own.
 * A return to an earlier screen with its title (the next run starting over) is still that screen.
 */
function screensLeftWithOtherTitles(final: Observation, before: SessionTrace['steps']): Set<ScreenCluster> {
  const out = new Set<ScreenCluster>();
  if (!final.titleKnown || !before.length) return out;
  const last = before[before.length - 1].cluster;
  for (const step of before) {
    const c = step.cluster;
    if (c === last || out.has(c)) continue;
    if (!before.some((x) => x.cluster === c && unmarkedTitle(x.observation.title) === unmarkedTitle(final.title)))
      out.add(c);
  }
  return out;
}

async function edgeGroups(
  instances: TaskInstance[],
  sessions: ObservedSession[],
  existing: Workflow | null,
  clusters: ScreenClusters,
): Promise<EdgeGroup[]> {
  const groups: EdgeGroup[] = [];
  const clusterOfNode = new Map(clusters.clusters.filter((c) => c.existing).map((c) => [c.existing!.node_id, c]));
  for (const edge of existing?.edges ?? []) {
    const from = clusterOfNode.get(edge.from_node);
    if (from) groups.push({ from, signature: actionSignature(edge.action), existing: edge, occurrences: [] });
  }
  for (const inst of instances) {
    const session = sessions[inst.sessionIndex].session;
    const started = Date.parse(session.started_at);
    for (let i = 0; i + 1 < inst.visits.length; i++) {
      const v: Visit = inst.visits[i];
      const next = inst.visits[i + 1];
      const steps = await stepsOf(v.actions);
      const action = combineSteps(steps.map((s) => s.action));
      const signature = actionSignature(action);
      let group =
        groups.find((g) => g.from === v.cluster && g.signature === signature) ??
        groups.find(
          (g) =>
            g.from === v.cluster &&
            !!g.occurrences[0] &&
            sameActionReadTwice(combineSteps(g.occurrences[0].steps.map((s) => s.action)), action),
        );
      if (!group) groups.push((group = { from: v.cluster, signature, existing: null, occurrences: [] }));
      group.occurrences.push({
        steps,
        to: next.cluster,
        instance: inst,
        from: v.observations[0] ?? null,
        next: next.observations[0] ?? null,
        durationMs: Math.max(0, (next.t - v.t) * 1000),
        at: new Date(started + next.t * 1000).toISOString(),
      });
    }
  }
  return mergeClickedData(groups, clusterOfNode);
}

/**
 * Demonstrations that clicked other keys at the same places of the task (7 × 6 = and 3 × 4 =,
 * from the calculator back to it) are one action whose clicked texts are data, as typed texts
 * are: their groups become one when they go from the same screen to the same one.
 */
function mergeClickedData(groups: EdgeGroup[], clusterOfNode: Map<string, ScreenCluster>): EdgeGroup[] {
  const shapeOf = (g: EdgeGroup) =>
    actionSignature(g.existing?.action ?? combineSteps(g.occurrences[0].steps.map((s) => s.action)), {
      anyClickedText: true,
    });
  const destinationOf = (g: EdgeGroup) => {
    const to = new Set(g.occurrences.map((o) => o.to));
    const old = g.existing?.to_node ? clusterOfNode.get(g.existing.to_node) : undefined;
    if (old) to.add(old);
    return to.size === 1 ? [...to][0] : null;
  };
  const out: EdgeGroup[] = [];
  for (const g of groups) {
    const shape = shapeOf(g);
    const to = destinationOf(g);
    const into = out.find(
      (o) =>
        o.from === g.from &&
        !(o.existing && g.existing) &&
        to !== null &&
        destinationOf(o) === to &&
        shapeOf(o) === shape &&
        shape !== o.signature,
    );
    if (!into) {
      out.push(g);
      continue;
    }
    into.occurrences.push(...g.occurrences);
    if (g.existing) {
      into.existing = g.existing;
      into.signature = g.signature;
    }
  }
  return out;
}

function assemble(input: {
  existing: Workflow | null;
  clusters: ScreenClusters;
  instances: TaskInstance[];
  groups: EdgeGroup[];
  options: LearnOptions;
  now: string;
  sessions: ObservedSession[];
}): Workflow {
  const { existing, clusters, instances, groups, options, now } = input;
  // Nodes: the existing ones, then new screens in the order the task first shows them.
  const used: ScreenCluster[] = clusters.clusters.filter((c) => c.existing);
  for (const inst of instances) for (const v of inst.visits) if (!used.includes(v.cluster)) used.push(v.cluster);
  const typedValues = [
    ...new Set(groups.flatMap((g) => g.occurrences.flatMap((o) => o.steps.flatMap((s) => s.typed?.text ?? [])))),
  ];
  const typed = new Set(typedValues.map(maskVariableText));
  const evidence = new Map(used.map((c) => [c, evidenceOf(c, typed)]));
  const countIn = (pick: (c: ScreenCluster) => Iterable<string>) => {
    const seen = new Map<string, number>();
    for (const c of used) for (const k of pick(c)) seen.set(k, (seen.get(k) ?? 0) + 1);
    return seen;
  };
  const textCounts = countIn((c) => evidence.get(c)!.texts.keys());
  const buttonCounts = countIn((c) => evidence.get(c)!.buttons.keys());
  const ids = new Set<string>(existing?.nodes.map((n) => n.node_id) ?? []);
  const nodeIds = new Map<ScreenCluster, string>();
  let counter = existing?.nodes.length ?? 0;
  const prototypes = new Map(used.map((c) => [c, prototypeOf(c)]));
  const nodes: WorkflowNode[] = used.map((c) => {
    const ev = evidence.get(c)!;
    const others = (counts: Map<string, number>, own: Iterable<string>) =>
      new Set([...own].filter((k) => (counts.get(k) ?? 0) > 1));
    // Texts that screens other than this one show in all their samples.
    const shownElsewhere = new Set([...textCounts].filter(([k, n]) => n > (ev.texts.has(k) ? 1 : 0)).map(([k]) => k));
    const name = screenNameOf(c, headingOf(c, shownElsewhere, typedValues));
    let nodeId = c.existing?.node_id;
    if (!nodeId) {
      const base = `N${++counter}_${slug(name ?? 'screen')}`;
      nodeId = base;
      for (let k = 2; ids.has(nodeId); k++) nodeId = `${base}_${k}`;
      ids.add(nodeId);
    }
    nodeIds.set(c, nodeId);
    const nearestOther = used
      .filter((o) => o !== c && titleMayMatch(c, o))
      .reduce<number | null>(
        (best, o) => Math.max(best ?? -1, cosineSimilarity(prototypes.get(c)!, prototypes.get(o)!)),
        null,
      );
    return buildNode({
      cluster: c,
      nodeId,
      name,
      evidence: ev,
      elsewhere: { texts: others(textCounts, ev.texts.keys()), buttons: others(buttonCounts, ev.buttons.keys()) },
      nearestOther,
      now,
    });
  });
  const thresholdOf = new Map(
    nodes.map((n) => [n.node_id, n.screen_template.embedding_prototype?.min_cosine_similarity ?? 0.85]),
  );

  const parameters: WorkflowParameter[] = [...(existing?.parameters ?? [])];
  const edgeIds = new Set<string>(existing?.edges.map((e) => e.edge_id) ?? []);
  let edgeCounter = existing?.edges.length ?? 0;
  const edges: WorkflowEdge[] = groups.map((g) => {
    const old = g.existing;
    const fromId = nodeIds.get(g.from)!;
    const fromLabel = nodes.find((n) => n.node_id === fromId)?.label ?? fromId;
    const actionSteps = learnedAction(g, parameters, fromLabel, typedValues);
    let edgeId = old?.edge_id;
    if (!edgeId) {
      const base = `E${++edgeCounter}_${slug(stepName(actionSteps, typedValues))}`;
      edgeId = base;
      for (let k = 2; edgeIds.has(edgeId); k++) edgeId = `${base}_${k}`;
      edgeIds.add(edgeId);
    }
    const counts: Record<string, number> = { ...(old?.metadata?.destination_counts ?? {}) };
    if (!old?.metadata?.destination_counts && old)
      for (const d of destinations(old))
        counts[d] = Math.max(
          1,
          Math.round((old.branching?.learned_probability?.[d] ?? 1) * (old.stats?.manual_executions ?? 1)),
        );
    for (const o of g.occurrences) counts[nodeIds.get(o.to)!] = (counts[nodeIds.get(o.to)!] ?? 0) + 1;
    const targets = Object.keys(counts).sort((a, b) => counts[b] - counts[a]);
    const total = targets.reduce((a, d) => a + counts[d], 0);
    const n = g.occurrences.length;
    const oldStats = old?.stats;
    const manual = (oldStats?.manual_executions ?? 0) + n;
    const avgMs = n ? g.occurrences.reduce((a, o) => a + o.durationMs, 0) / n : 0;
    const edge: WorkflowEdge = {
      ...(old ?? {}),
      edge_id: edgeId,
      from_node: fromId,
      action: combineSteps(actionSteps),
      post_conditions: {
        ...(targets.length === 1 ? { expected_node: targets[0] } : {}),
        min_similarity: Math.min(...targets.map((d) => thresholdOf.get(d) ?? 0.85)),
        timeout_seconds: Math.max(5, Math.ceil((Math.max(0, ...g.occurrences.map((o) => o.durationMs)) / 1000) * 2)),
      },
      stats: {
        manual_executions: manual,
        assist_executions: oldStats?.assist_executions ?? 0,
        auto_executions: oldStats?.auto_executions ?? 0,
        success_count: (oldStats?.success_count ?? 0) + n,
        failure_count: oldStats?.failure_count ?? 0,
        avg_execution_time_ms: Math.round(
          manual ? ((oldStats?.avg_execution_time_ms ?? 0) * (manual - n) + avgMs * n) / manual : 0,
        ),
        last_executed_at:
          g.occurrences
            .map((o) => o.at)
            .sort()
            .pop() ??
          oldStats?.last_executed_at ??
          null,
      },
      metadata: {
        ...(old?.metadata ?? {}),
        created_at: old?.metadata?.created_at ?? now,
        updated_at: now,
        destination_counts: counts,
      },
    };
    if (targets.length === 1) {
      edge.to_node = targets[0];
      delete edge.to_node_candidates;
      delete edge.branching;
    } else {
      delete edge.to_node;
      edge.to_node_candidates = targets;
      edge.branching = {
        type: 'conditional',
        detection_method: 'screen_similarity',
        learned_probability: Object.fromEntries(targets.map((d) => [d, Math.round((counts[d] / total) * 1000) / 1000])),
      };
    }
    return edge;
  });

  learnChoices(groups, edges);
  learnOwnScreen(groups, edges);

  const firstOf = (pick: (i: TaskInstance) => Visit) => [
    ...new Set(instances.map((i) => nodeIds.get(pick(i).cluster)!)),
  ];
  const name =
    options.name ??
    existing?.name ??
    titleName(nodes[0]?.screen_template.window?.title_contains_any_of?.[0] ?? '') ??
    nodes[0]?.label ??
    'Learned workflow';
  const workflow: Workflow = {
    ...(existing ?? {}),
    workflow_id: existing?.workflow_id ?? `WF_${slug(name, 48)}`,
    name,
    description: existing?.description ?? `Learned from ${instances.length} demonstration(s).`,
    version: (existing?.version ?? 0) + 1,
    created_at: existing?.created_at ?? now,
    updated_at: now,
    // A workflow written without entry or end nodes keeps the ones it had (workflow-queries.ts), now declared.
    entry_nodes: [...new Set([...(existing ? entryNodes(existing) : []), ...firstOf((i) => i.visits[0])])],
    end_nodes: [
      ...new Set([...(existing ? endNodes(existing) : []), ...firstOf((i) => i.visits[i.visits.length - 1])]),
    ],
    nodes,
    edges,
    parameters,
    safety_rules: safetyRulesOf(existing ?? {}),
  };
  learningOf(workflow, options.thresholds);
  workflow.stats!.observed_runs = (workflow.stats!.observed_runs ?? 0) + instances.length;
  workflow.stats!.observed_successes = (workflow.stats!.observed_successes ?? 0) + instances.length;
  workflow.stats!.total_executions = (workflow.stats!.total_executions ?? 0) + instances.length;
  workflow.stats!.total_successes = (workflow.stats!.total_successes ?? 0) + instances.length;
  const durations = instances.map((i) => i.visits[i.visits.length - 1].t - i.visits[0].t);
  if (durations.length) {
    const before = workflow.stats!.observed_runs - instances.length;
    workflow.stats!.avg_duration_seconds =
      Math.round(
        (((workflow.stats!.avg_duration_seconds ?? 0) * before + durations.reduce((a, b) => a + b, 0)) /
          workflow.stats!.observed_runs) *
          100,
      ) / 100;
  }
  workflow.metadata = {
    ...(existing?.metadata ?? {}),
    embedding_frame: EMBEDDING_FRAME,
    created_by: existing?.metadata?.created_by ?? 'rpa-vision learn',
    sessions: [
      ...new Set([...(existing?.metadata?.sessions ?? []), ...input.sessions.map((s) => s.session.session_id)]),
    ],
  };
  return evaluateLearning(workflow, { now: options.now });
}

/**
 * The selection rule of each click on one of several similar items, from every demonstration
 * of it, with the values each demonstration typed anywhere in its task (a name typed in a
 * search field can be the rule: "the row showing {{patient}}").
 */
function learnChoices(groups: EdgeGroup[], edges: WorkflowEdge[]): void {
  const values = new Map<TaskInstance, Record<string, string>>();
  groups.forEach((g, k) =>
    stepsOfAction(edges[k].action).forEach((step, i) => {
      const name = step.type === 'type_text' ? /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(step.text ?? '') : null;
      if (!name) return;
      for (const o of g.occurrences) {
        const typed = o.steps[i]?.typed?.text;
        if (typed) values.set(o.instance, { ...(values.get(o.instance) ?? {}), [name[1]]: typed });
      }
    }),
  );
  groups.forEach((g, k) => {
    const steps = stepsOfAction(edges[k].action);
    const demos: ChoiceDemonstration[][] = steps.map((_, i) => {
      const list = g.occurrences.flatMap((o) => {
        const clicked = o.steps[i]?.clicked;
        const choice = clicked ? choiceAt(clicked.analysis, clicked.element) : null;
        return choice ? [{ choice, values: values.get(o.instance) ?? {}, next: o.next }] : [];
      });
      // A step is a choice when some demonstration had several items like the one it clicked;
      // those that had one are checked against the rule too.
      return list.some((d) => d.choice.peers.length > 1) ? list : [];
    });
    if (demos.some((d) => d.length)) applyChoiceRules(edges[k], steps, demos);
  });
}

/** An observation as a screen whose places compare with the runner's (screen pixels). */
const seen = (o: Observation): SeenScreen => ({ analysis: o.analysis, origin: { x: o.frame[0], y: o.frame[1] } });

/**
 * The `own_screen` post-condition of each edge from a screen back to itself (own-screen.ts), from
 * the values each demonstration typed (not masked) and the named items it clicked. An edge learned
 * before keeps only what the new demonstrations show too: the earlier ones are not here to ask.
 */
function learnOwnScreen(groups: EdgeGroup[], edges: WorkflowEdge[]): void {
  groups.forEach((g, k) => {
    const edge = edges[k];
    const before = g.existing?.post_conditions?.own_screen;
    const keep = (condition: typeof before) => {
      if (condition) edge.post_conditions = { ...(edge.post_conditions ?? {}), own_screen: condition };
      else if (edge.post_conditions) delete edge.post_conditions.own_screen;
    };
    // No new demonstration: what the earlier ones showed stands.
    if (!g.occurrences.length) return keep(before);
    if (!g.occurrences.every((o) => o.to === g.from) || (g.existing && !before)) return keep(undefined);
    const demos: OwnScreenDemonstration[] = g.occurrences.map((o) => ({
      next: o.next ? seen(o.next) : null,
      values: o.steps.flatMap((s, step) => {
        if (s.typed && !s.typed.masked)
          return [
            {
              step,
              value: s.typed.text,
              before: [o.from, s.typed.shownOn ?? null].flatMap((x) => (x ? [seen(x)] : [])),
            },
          ];
        const label = s.clicked?.element?.label.trim();
        if (label && s.clicked)
          return [
            {
              step,
              value: label,
              before: [{ analysis: s.clicked.analysis, origin: { x: s.clicked.frame[0], y: s.clicked.frame[1] } }],
            },
          ];
        return [];
      }),
    }));
    const found = ownScreenCondition(demos);
    const kept =
      found && before
        ? {
            gone: found.gone.filter((i) => before.gone.includes(i)),
            shown: found.shown.filter((i) => before.shown.includes(i)),
          }
        : found;
    keep(kept && (kept.gone.length || kept.shown.length) ? kept : undefined);
  });
}

/**
 * A step's name: what its last action presses — a button's or menu item's text, a field's
 * label, the keys — never the data it clicked on (a line of a document, a file in a list).
 */
function stepName(steps: WorkflowAction[], typed: string[]): string {
  const last = [...steps].reverse().find((s) => s.type !== 'type_text') ?? steps[steps.length - 1];
  if (!last) return 'action';
  const named = asLabel(String(last.target?.text ?? ''), typed) ?? asLabel(String(last.target?.label ?? ''), typed);
  if (named) return named;
  if (last.keys?.length) return last.keys.join('_');
  return last.type;
}

/**
 * The name the field of a typed step has in most demonstrations (OCR may read a label
 * differently once); never a value typed anywhere in them (a field's text read as its label).
 */
function fieldLabelOf(g: EdgeGroup, index: number, typed: string[]): string | null {
  const counts = new Map<string, number>();
  for (const o of g.occurrences) {
    const label = o.steps[index]?.typed?.field;
    if (label && !isTyped(label, typed)) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/**
 * A click whose item's text differs between demonstrations (the digit of a keypad, the option
 * chosen; not one label OCR read twice: action-steps.ts clickedData) clicks the item the run
 * names: the text becomes a parameter (`clicked_N`, its default the first recorded text), and
 * what placed the demonstration's item — its neighbour, its picture, its position — is
 * forgotten, so the run's item is found by its text alone.
 */
function clickedParameter(
  g: EdgeGroup,
  step: WorkflowAction,
  index: number,
  parameters: WorkflowParameter[],
  screenLabel: string,
): void {
  const target = step.target!;
  if (PARAMETER_ONLY.test(String(target.text))) return; // already a parameter
  const recorded = g.occurrences.map((o) => o.steps[index]?.action.target);
  const values = clickedData(target, recorded);
  if (!values) {
    // One item read several ways: clicked by the reading the replay is likeliest to find.
    const readings = recorded.flatMap((t) => (t?.text ? [String(t.text)] : []));
    if (readings.length) target.text = bestReading(g.existing ? [String(target.text), ...readings] : readings);
    return;
  }
  let n = parameters.filter((p) => /^clicked_\d+$/.test(p.name)).length + 1;
  while (parameters.some((p) => p.name === `clicked_${n}`)) n++;
  const name = `clicked_${n}`;
  parameters.push({
    name,
    default: values[0],
    description: `Clicked on "${screenLabel}": the item showing this text; recorded values: ${values
      .slice(0, 5)
      .map((v) => JSON.stringify(v))
      .join(', ')}`,
  });
  target.text = `{{${name}}}`;
  for (const placing of ['near', 'anchor_image', 'relative_position', 'container_position', 'container_type'] as const)
    delete target[placing];
  if (target.fallback_strategy === 'relative_position') delete target.fallback_strategy;
}

const PARAMETER_ONLY = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/**
 * The edge's action from its occurrences: each step's target from the existing edge or the
 * first demonstration; typed text constant when every demonstration typed the same, else a
 * parameter named after its field's label (a placeholder `text_N` when nothing labels the
 * field), its default the first recorded text.
 */
function learnedAction(
  g: EdgeGroup,
  parameters: WorkflowParameter[],
  screenLabel: string,
  typed: string[],
): WorkflowAction[] {
  const oldSteps = g.existing ? stepsOfAction(g.existing.action) : null;
  const first = g.occurrences[0]?.steps.map((s) => s.action);
  const base = (oldSteps ?? first ?? []).map((a) => JSON.parse(JSON.stringify(a)) as WorkflowAction);
  base.forEach((step, i) => {
    // A neighbour that shows what a demonstration typed ("Alice" in the field beside) is data.
    if (step.target?.near && isTyped(step.target.near, typed)) delete step.target.near;
    if (clicksNamedItem(step)) clickedParameter(g, step, i, parameters, screenLabel);
    if (step.type !== 'type_text') return;
    const recorded = g.occurrences
      .map((o) => o.steps[i]?.typed)
      .filter((t): t is NonNullable<LearnedStep['typed']> => !!t);
    const reference = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(step.text ?? '');
    if (reference) return; // already a parameter
    const values = new Set([...(oldSteps ? [step.text ?? ''] : []), ...recorded.map((r) => r.text)]);
    const masked = recorded.some((r) => r.masked);
    if (values.size <= 1 && !masked) return; // the same text every time: a constant
    const field = fieldLabelOf(g, i, typed);
    const baseName = field
      ? slug(field, 40).replace(/^(\d)/, '_$1')
      : `text_${parameters.filter((p) => needsName(p.name)).length + 1}`;
    let name = baseName;
    for (let k = 2; parameters.some((p) => p.name === name); k++) name = `${baseName}_${k}`;
    // A field named like a password or PIN keeps none of its recorded values, as a masked one.
    const secret = masked || isSecretName(name) || (!!field && isSecretName(field));
    const where = field
      ? `in the field "${field}" on "${screenLabel}"`
      : `on "${screenLabel}", in a field without a label`;
    parameters.push({
      name,
      default: secret ? '' : oldSteps ? (step.text ?? '') : recorded[0].text,
      ...(secret ? { secret: true } : {}),
      description: secret
        ? `Typed ${where} (sensitive: not recorded; give it at run time)`
        : `Typed ${where}; recorded values: ${[...values]
            .slice(0, 5)
            .map((v) => JSON.stringify(v))
            .join(', ')}`,
    });
    step.text = `{{${name}}}`;
  });
  return base;
}
