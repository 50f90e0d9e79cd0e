/**
 * A node's screen template from the screens grouped into it: window evidence, the texts and
 * buttons present on every sample (the ones that tell this screen from the others first), a
 * label, and the embedding prototype with a threshold learned from the samples' spread.
 */
import type { ScreenTemplate, WorkflowNode } from '../contracts/workflow';
import { cosineSimilarity, maskVariableText } from '../vision/state-embedding';
import { DEFAULT_MIN_SIMILARITY } from './match';
import { prototypeOf, usualTitles, type ScreenCluster } from './screen-clusters';
import { TYPED_DATA } from './session-observer';
import type { Observation } from './observation';
import { INTERACTIVE_TYPES } from '../contracts/screen-state';
import { textSimilarity } from '../vision/text-match';
import { dataTextBoxes, inAnyBox, screenData } from '../vision/screen-data';
import { asHeading, isTyped, standsOut, titleName } from './names';

const MAX_REQUIRED_TEXTS = 5;
const MAX_REQUIRED_ELEMENTS = 4;
/**
 * The learned threshold stays in this range: under it other screens would pass, over the
 * seed's 0.85 the same screen read slightly differently (one OCR line more or less) would fail.
 */
const THRESHOLD_RANGE: [number, number] = [0.75, 0.85];
const ACTION_TYPES = new Set(['button', 'link', 'tab', 'menu_item']);

/**
 * Texts on a screen, keyed by their masked form (numbers and dates do not make a screen), data
 * left out (a field's value, a list's items: lib/vision/screen-data.ts).
 */
function textsOf(o: Observation): Map<string, { text: string; height: number }> {
  const out = new Map<string, { text: string; height: number }>();
  const dataBoxes = dataTextBoxes(screenData(o.analysis, o.analysis.image));
  for (const line of o.analysis.text) {
    if (inAnyBox([(line.bbox[0] + line.bbox[2]) / 2, (line.bbox[1] + line.bbox[3]) / 2], dataBoxes)) continue;
    const key = maskVariableText(line.text);
    if (key.replace(/[# ]/g, '').length < 3) continue;
    const height = line.bbox[3] - line.bbox[1];
    if (!out.has(key) || out.get(key)!.height < height) out.set(key, { text: line.text.trim(), height });
  }
  return out;
}

function buttonsOf(o: Observation): Map<string, { label: string; type: string; role: string | null }> {
  const out = new Map<string, { label: string; type: string; role: string | null }>();
  for (const e of o.analysis.elements) {
    if (!ACTION_TYPES.has(e.type) || !e.label || maskVariableText(e.label).replace(/[# ]/g, '').length < 2) continue;
    out.set(`${e.type}|${maskVariableText(e.label)}`, { label: e.label.trim(), type: e.type, role: e.role });
  }
  return out;
}

/** Keys present in at least `share` of the maps (all of them by default). */
function common<V>(maps: Array<Map<string, V>>, share = 1): Map<string, V> {
  const out = new Map<string, V>();
  const counts = new Map<string, number>();
  for (const m of maps)
    for (const [k, v] of m) {
      counts.set(k, (counts.get(k) ?? 0) + 1);
      if (!out.has(k)) out.set(k, v);
    }
  const needed = Math.ceil(maps.length * share);
  return new Map([...out].filter(([k]) => counts.get(k)! >= needed));
}

/**
 * The screen's heading: its tallest text when it stands out by size from the screen's other
 * lines, shown on most samples (OCR can miss a line in one screenshot), shown by no other screen,
 * not the label of a control, and a name rather than a message, a file name or the demonstrated
 * data (names.ts). Undefined when no text is one: the screen is then named by its window title.
 */
export function headingOf(cluster: ScreenCluster, elsewhere: Set<string>, typed: string[]): string | undefined {
  const controlTexts = new Set(
    cluster.members.flatMap((m) =>
      m.analysis.elements.filter((e) => INTERACTIVE_TYPES.has(e.type)).map((e) => maskVariableText(e.label)),
    ),
  );
  // The usual size of the screen's own text: what fields show is data, often in another size.
  const heights = cluster.members.flatMap((m) => {
    const fields = m.analysis.elements.filter((e) => e.type === 'text_input' || e.type === 'dropdown');
    return m.analysis.text
      .filter((l) => {
        const [x, y] = [(l.bbox[0] + l.bbox[2]) / 2, (l.bbox[1] + l.bbox[3]) / 2];
        return (
          !fields.some((f) => x >= f.bbox[0] && x < f.bbox[2] && y >= f.bbox[1] && y < f.bbox[3]) &&
          !isTyped(l.text, typed) &&
          /\p{L}{2}/u.test(l.text)
        );
      })
      .map((l) => l.bbox[3] - l.bbox[1]);
  });
  const shownElsewhere = (key: string) =>
    elsewhere.has(key) || [...elsewhere].some((k) => textSimilarity(k, key) >= 0.9);
  const candidates = [...common(cluster.members.map(textsOf), 0.5)].filter(
    ([k, v]) =>
      !controlTexts.has(k) && standsOut(v, heights) && !shownElsewhere(k) && asHeading(v.text, typed) !== null,
  );
  return candidates.sort(([, a], [, b]) => b.height - a.height)[0]?.[1].text;
}

/** The screen's name: its heading, else its window title without the data in it (names.ts). */
export function screenNameOf(cluster: ScreenCluster, heading: string | undefined): string | undefined {
  return (
    heading ??
    usualTitles(cluster)
      .map(titleName)
      .find((t): t is string => !!t)
  );
}

export interface TemplateEvidence {
  texts: Map<string, { text: string; height: number }>;
  buttons: Map<string, { label: string; type: string; role: string | null }>;
}

/** What every sample of the cluster shows. `typed` texts (the demonstration's data) are left out. */
export function evidenceOf(cluster: ScreenCluster, typed: Set<string>): TemplateEvidence {
  const texts = common(cluster.members.map(textsOf));
  for (const k of [...texts.keys()]) if (typed.has(k)) texts.delete(k);
  return { texts, buttons: common(cluster.members.map(buttonsOf)) };
}

/** Threshold from the spread of the samples around their prototype, kept above the nearest other screen. */
export function learnedThreshold(
  cluster: ScreenCluster,
  prototype: Float32Array,
  nearestOther: number | null,
  previous?: number,
): { threshold: number; min: number; mean: number } {
  const sims = cluster.members.map((m) => cosineSimilarity(m.vector, prototype));
  let threshold: number;
  let min = 1;
  let mean = 1;
  if (sims.length >= 2) {
    min = Math.min(...sims);
    mean = sims.reduce((a, b) => a + b, 0) / sims.length;
    const std = Math.sqrt(sims.reduce((a, s) => a + (s - mean) ** 2, 0) / sims.length);
    threshold = Math.min(THRESHOLD_RANGE[1], Math.max(THRESHOLD_RANGE[0], min - Math.max(0.05, 3 * std)));
  } else {
    // One sample says nothing about the spread: the seed's threshold.
    threshold = previous ?? DEFAULT_MIN_SIMILARITY;
  }
  if (previous !== undefined) threshold = Math.min(threshold, previous);
  // Another screen this close would be taken for this one: move the bar halfway between them.
  if (nearestOther !== null && nearestOther + 0.02 > threshold && nearestOther < min)
    threshold = (nearestOther + min) / 2;
  return {
    threshold: Math.round(threshold * 1000) / 1000,
    min: Math.round(min * 1000) / 1000,
    mean: Math.round(mean * 1000) / 1000,
  };
}

export function slug(text: string, max = 32): string {
  const s = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, max)
    .replace(/_+$/g, '');
  return s || 'screen';
}

/**
 * What a title must contain: the title, or around typed data (a parameter) its longest part
 * ("/home/me/notes/" of "/home/me/notes/… - Mousepad"): a short part such as the application's
 * name would let every window of the application pass.
 */
function titleParts(title: string): string[] {
  if (!title.includes(TYPED_DATA)) return [title];
  const longest = title
    .split(TYPED_DATA)
    .map((p) => p.trim())
    .sort((a, b) => b.length - a.length)[0];
  return longest && longest.replace(/[^\p{L}\p{N}]/gu, '').length >= 4 ? [longest] : [];
}

/** What the window title of the cluster's screen must contain (the node template's `title_contains_any_of`). */
export function titleTemplateOf(cluster: ScreenCluster): string[] {
  return [...new Set(usualTitles(cluster).flatMap(titleParts))];
}

/**
 * Whether a screen of `other` could pass the title check of `cluster`'s node. Only such a screen
 * can be taken for it, so only such a neighbour raises the node's similarity bar: the edited
 * "*Untitled" document and the same text saved as "alice.txt" embed alike (0.95), but their
 * titles tell them apart.
 */
export function titleMayMatch(cluster: ScreenCluster, other: ScreenCluster): boolean {
  const parts = titleTemplateOf(cluster).map(maskVariableText);
  return (
    !parts.length ||
    other.members.some((m) => !m.titleKnown || parts.some((p) => maskVariableText(m.title).includes(p)))
  );
}

export interface NodeBuildInput {
  cluster: ScreenCluster;
  nodeId: string;
  evidence: TemplateEvidence;
  /** Texts and buttons that other screens of the workflow also show (so they do not tell this one apart). */
  elsewhere: { texts: Set<string>; buttons: Set<string> };
  /** The screen's name (see screenNameOf), when it has one. */
  name: string | undefined;
  nearestOther: number | null;
  now: string;
}

/** The WorkflowNode for a cluster: a new one, or the existing node with its template refreshed. */
export function buildNode(input: NodeBuildInput): WorkflowNode {
  const { cluster, evidence, elsewhere } = input;
  const old = cluster.existing;
  const prototype = prototypeOf(cluster);
  const oldPrototype = old?.screen_template.embedding_prototype;
  const { threshold, min, mean } = learnedThreshold(
    cluster,
    prototype,
    input.nearestOther,
    oldPrototype?.min_cosine_similarity,
  );
  const distinctiveFirst = <V>(m: Map<string, V>, other: Set<string>) =>
    [...m].sort(([a], [b]) => Number(other.has(a)) - Number(other.has(b)));
  const texts = distinctiveFirst(evidence.texts, elsewhere.texts);
  const buttons = distinctiveFirst(evidence.buttons, elsewhere.buttons).slice(0, MAX_REQUIRED_ELEMENTS);
  const titles = usualTitles(cluster);
  const apps = [...new Set(cluster.members.map((m) => m.appName).filter(Boolean))];
  const template: ScreenTemplate = {
    ...(old?.screen_template ?? {}),
    window: {
      app_name_any_of: [...new Set([...(old?.screen_template.window?.app_name_any_of ?? []), ...apps])],
      title_contains_any_of: [
        ...new Set([...(old?.screen_template.window?.title_contains_any_of ?? []), ...titleTemplateOf(cluster)]),
      ],
    },
    required_text_any: texts.length
      ? texts.slice(0, MAX_REQUIRED_TEXTS).map(([, v]) => v.text)
      : (old?.screen_template.required_text_any ?? []),
    required_ui_elements: buttons.length
      ? buttons.map(([, b]) => ({
          ...(b.role ? { role: b.role } : {}),
          type_any_of: [b.type],
          label_contains_any_of: [b.label],
          min_count: 1,
        }))
      : (old?.screen_template.required_ui_elements ?? []),
    embedding_prototype: {
      provider: cluster.members[0]?.provider ?? oldPrototype?.provider ?? 'unknown',
      vector: Array.from(prototype, (x) => Math.round(x * 1e6) / 1e6),
      min_cosine_similarity: threshold,
      sample_count: Math.round(cluster.weight),
    },
  };
  if (!template.window!.app_name_any_of!.length) delete template.window!.app_name_any_of;
  if (!template.window!.title_contains_any_of!.length) delete template.window!.title_contains_any_of;
  const label = old?.label ?? input.name ?? input.nodeId;
  return {
    ...(old ?? {}),
    node_id: input.nodeId,
    label,
    description:
      old?.description ??
      `Screen "${label}"${titles[0] ? ` (window "${titles[0]}")` : ''}, learned from ${cluster.members.length} screenshot(s).`,
    screen_template: template,
    metadata: {
      ...(old?.metadata ?? {}),
      created_at: old?.metadata?.created_at ?? input.now,
      updated_at: input.now,
      observation_count: (old?.metadata?.observation_count ?? 0) + cluster.members.length,
      similarity_to_prototype: { min, mean },
    },
  };
}
