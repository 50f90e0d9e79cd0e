/**
 * Grouping observed screens into workflow nodes: an observation joins the closest node when
 * their state embeddings agree (cosine ≥ `joinSimilarity`), or, with the same window title (a
 * modified mark aside), when they are nearly as close or share most texts. Titles do not veto a join:
 * the recorder reads a title when it writes the event, so a click that changes the screen often
 * carries the next screen's title; the title (10 % of the embedding) only nudges the
 * similarity, and each node keeps the title most of its screens had. Nodes of
 * an existing workflow are the starting clusters, so new demonstrations land on the screens
 * already learned. Prototypes are running sums of unit vectors, updated as observations join.
 */
import type { WorkflowNode } from '../contracts/workflow';
import { cosineSimilarity, maskVariableText } from '../vision/state-embedding';
import { findModalPanel } from '../vision/modal-panel';
import type { Observation } from './observation';

export interface ClusterOptions {
  /** Cosine similarity for a screen to count as a node's screen; same-screen pairs measure 0.97–1.0, different screens of one app 0.65–0.8. */
  joinSimilarity: number;
  /**
   * Template evidence: with the same window title, a screen whose texts are this much those of
   * a node's screen (overlap of the smaller set) joins it even when the embedding disagrees —
   * one text line the OCR missed (a header) shifts the layout part of the embedding to ~0.65.
   */
  joinTextOverlap: number;
  /** …but never below this embedding similarity. */
  joinEvidenceMinSimilarity: number;
  /**
   * With the same window title, a screen this similar joins even when OCR read its texts
   * differently: an editor with other typed data and a menu bar read "Edit SearchView" once and
   * "EditSearchViewD" the next time measures ~0.88; different screens of one app stay under 0.8.
   */
  joinSameTitleSimilarity: number;
}

export const CLUSTER_DEFAULTS: ClusterOptions = {
  joinSimilarity: 0.9,
  joinTextOverlap: 0.75,
  joinEvidenceMinSimilarity: 0.5,
  joinSameTitleSimilarity: 0.85,
};

const textSets = new WeakMap<Observation, Set<string>>();

/** The screen's texts, numbers masked; short fragments left out. */
export function textSetOf(o: Observation): Set<string> {
  let set = textSets.get(o);
  if (!set) {
    set = new Set(
      o.analysis.text.map((l) => maskVariableText(l.text)).filter((t) => t.replace(/[# ]/g, '').length >= 3),
    );
    textSets.set(o, set);
  }
  return set;
}

function textOverlap(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / Math.min(a.size, b.size);
}

const modals = new WeakMap<Observation, boolean>();

/** Whether a modal panel (a dialog drawn over the content) is on the screen. */
function showsModal(o: Observation): boolean {
  let shown = modals.get(o);
  if (shown === undefined) {
    const image = o.analysis.image;
    shown = !!image && !!findModalPanel(image, o.analysis.text, o.analysis.elements);
    modals.set(o, shown);
  }
  return shown;
}

/**
 * A window title without the editor's "modified" mark ("*Untitled 1 - Mousepad", "● notes.md",
 * "report.odt *"): typing into a document marks its title, yet the user sees the same screen —
 * the empty editor and the editor holding the typed text are one screen whose data changed.
 */
export function unmarkedTitle(title: string): string {
  return title.replace(/^\s*[*●•]\s*/u, '').replace(/\s*[*●•]\s*$/u, '');
}

/** Whether two observations show the same screen: by embedding, or by title and texts when the embedding wavers. */
export function sameScreen(a: Observation, b: Observation, options: ClusterOptions = CLUSTER_DEFAULTS): boolean {
  const sim = cosineSimilarity(a.vector, b.vector);
  if (sim >= options.joinSimilarity) return true;
  if (!a.titleKnown || !b.titleKnown || unmarkedTitle(a.title) !== unmarkedTitle(b.title)) return false;
  // A confirmation over a page keeps the page's title and most of its texts: another screen.
  if (showsModal(a) !== showsModal(b)) return false;
  return (
    sim >= options.joinSameTitleSimilarity ||
    (sim >= options.joinEvidenceMinSimilarity && textOverlap(textSetOf(a), textSetOf(b)) >= options.joinTextOverlap)
  );
}

/**
 * Whether `after`, seen right after text was typed on `before`, is that screen holding the typed
 * data: typing fills the focused field, the window (its title, a modified mark aside) and whether
 * a dialog is shown stay. The embedding alone may not say so: the typed line is one of the
 * screen's texts, and OCR may split the menu bar differently around it (mousepad's empty and
 * edited document measured 0.80–0.84 apart, while its Save As dialog measures 0.2).
 */
export function sameScreenAfterTyping(before: Observation, after: Observation): boolean {
  if (!before.titleKnown || !after.titleKnown || before.appName !== after.appName) return false;
  return unmarkedTitle(before.title) === unmarkedTitle(after.title) && showsModal(before) === showsModal(after);
}

export interface ScreenCluster {
  /** Index in creation order (existing nodes first). */
  index: number;
  existing: WorkflowNode | null;
  /** Sum of member unit vectors (weighted by sample_count for an existing prototype). */
  sum: Float64Array;
  weight: number;
  members: Observation[];
}

/**
 * The window titles most of the cluster's screens had (a title seen on a minority is a recorder
 * race or a passing state), without a modified mark: the node's title check passes with or without it.
 */
export function usualTitles(c: ScreenCluster): string[] {
  const counts = new Map<string, number>();
  for (const m of c.members)
    if (m.titleKnown) counts.set(unmarkedTitle(m.title), (counts.get(unmarkedTitle(m.title)) ?? 0) + 1);
  const most = Math.max(0, ...counts.values());
  return [...counts].filter(([, n]) => n * 2 >= most).map(([t]) => t);
}

function dotNormalised(sum: Float64Array, v: Float32Array): number {
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    dot += sum[i] * v[i];
    norm += sum[i] * sum[i];
  }
  return norm ? dot / Math.sqrt(norm) : 0;
}

/** Whether the node's screens (or its learned template) had the observation's window title, a modified mark aside. */
function hasTitleOf(c: ScreenCluster, o: Observation): boolean {
  if (!o.titleKnown) return false;
  const title = unmarkedTitle(o.title);
  return (
    c.members.some((m) => m.titleKnown && unmarkedTitle(m.title) === title) ||
    (c.existing?.screen_template.window?.title_contains_any_of ?? []).map(unmarkedTitle).includes(title)
  );
}

export class ScreenClusters {
  readonly clusters: ScreenCluster[] = [];
  private readonly byKey = new Map<string, ScreenCluster>();

  constructor(
    existing: WorkflowNode[],
    private readonly options: ClusterOptions = CLUSTER_DEFAULTS,
  ) {
    for (const node of existing) {
      const p = node.screen_template.embedding_prototype;
      if (!p?.vector?.length) continue;
      const weight = Math.max(1, p.sample_count);
      const sum = Float64Array.from(p.vector, (x) => x * weight);
      this.clusters.push({ index: this.clusters.length, existing: node, sum, weight, members: [] });
    }
  }

  /** The node this observation belongs to (created when no node is close enough); `exclude`: nodes it cannot be. */
  assign(o: Observation, exclude?: ReadonlySet<ScreenCluster>): ScreenCluster {
    const known = this.byKey.get(o.key);
    if (known) return known;
    let best: { c: ScreenCluster; sim: number } | null = null;
    const close: Array<{ c: ScreenCluster; sim: number }> = [];
    for (const c of this.clusters) {
      if (c.sum.length !== o.vector.length || exclude?.has(c)) continue;
      const sim = dotNormalised(c.sum, o.vector);
      if (sim >= this.options.joinSimilarity) close.push({ c, sim });
    }
    // Between nodes close enough, the one whose screens had this title: an empty "Untitled -
    // Notepad" is nearer the saved "… - Notepad" than the empty one when typed text is data.
    const titled = close.filter((x) => hasTitleOf(x.c, o));
    for (const x of titled.length ? titled : close) if (!best || x.sim > best.sim) best = x;
    if (!best) {
      // The embedding found no node: the template evidence (title and texts) of a recent screen, or of a learned node's template, may.
      for (const c of this.clusters)
        if (
          !exclude?.has(c) &&
          (c.members.slice(-20).some((m) => sameScreen(o, m, this.options)) || this.matchesTemplate(o, c))
        )
          best = { c, sim: 0 };
    }
    return this.add(o, best?.c ?? this.create(o.vector.length));
  }

  /** Adds the observation to a node known to be its screen (the screen the text was just typed on). */
  join(o: Observation, cluster: ScreenCluster): ScreenCluster {
    return this.byKey.get(o.key) ?? this.add(o, cluster);
  }

  private add(o: Observation, cluster: ScreenCluster): ScreenCluster {
    for (let i = 0; i < o.vector.length; i++) cluster.sum[i] += o.vector[i];
    cluster.weight += 1;
    cluster.members.push(o);
    this.byKey.set(o.key, cluster);
    return cluster;
  }

  /** A learned node's template evidence: one of its window titles, and most of its required texts on the screen. */
  private matchesTemplate(o: Observation, c: ScreenCluster): boolean {
    const t = c.existing?.screen_template;
    if (
      !t ||
      !o.titleKnown ||
      !(t.window?.title_contains_any_of ?? []).map(unmarkedTitle).includes(unmarkedTitle(o.title))
    )
      return false;
    if (dotNormalised(c.sum, o.vector) < this.options.joinEvidenceMinSimilarity) return false;
    const required = new Set((t.required_text_any ?? []).map(maskVariableText));
    return required.size > 0 && textOverlap(textSetOf(o), required) >= this.options.joinTextOverlap;
  }

  private create(dims: number): ScreenCluster {
    const c: ScreenCluster = {
      index: this.clusters.length,
      existing: null,
      sum: new Float64Array(dims),
      weight: 0,
      members: [],
    };
    this.clusters.push(c);
    return c;
  }
}

/** The unit mean vector of a cluster. */
export function prototypeOf(c: ScreenCluster): Float32Array {
  let norm = 0;
  for (const x of c.sum) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return Float32Array.from(c.sum, (x) => x / norm);
}
