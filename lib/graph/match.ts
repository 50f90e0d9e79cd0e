/**
 * Node matching: which screen of the workflow are we on? Cosine similarity of the state
 * embedding to each node's prototype (seed threshold 0.85, per node `min_cosine_similarity`
 * learned from the spread of its samples), checked against the node's template evidence (window
 * title, required texts) when the caller knows them. Prototypes are normalised once per
 * workflow into one Float32Array, so a match against 1,000 nodes is one pass over memory.
 */
import type { ScreenState } from '../contracts/screen-state';
import type { Workflow, WorkflowNode } from '../contracts/workflow';
import { maskVariableText } from '../vision/state-embedding';
import { WorkflowGraphError } from './errors';

/** The seed's node-matching threshold, used for nodes that did not learn their own. */
export const DEFAULT_MIN_SIMILARITY = 0.85;

export interface MatchOptions {
  /** Overrides every node's own threshold. */
  minSimilarity?: number;
  /** Only these nodes are considered (e.g. the expected next screens of an edge). */
  candidates?: string[];
  /** Window title of the screen; a node whose template names titles must contain one of them. */
  windowTitle?: string;
  /** Texts read on the screen; a node with `required_text_any` needs at least one of them. */
  texts?: string[];
}

export interface NodeMatch {
  node_id: string | null;
  similarity: number;
  runner_up: { node_id: string; similarity: number } | null;
  /** True when no node reached its threshold (or passed its template checks). */
  unknown: boolean;
  /** The best node by similarity even when it was rejected, to say what the screen looked like. */
  closest: { node_id: string; similarity: number; rejected_because?: string } | null;
}

interface PrototypeIndex {
  ids: string[];
  nodes: WorkflowNode[];
  dims: number;
  /** Row-major unit vectors, one row per node that has a prototype. */
  matrix: Float32Array;
  thresholds: Float32Array;
  lowestThreshold: number;
}

/** The index, and what it was built from: each node's prototype object, vector and threshold (compared by identity). */
interface CachedIndex {
  index: PrototypeIndex;
  built: Array<{ node: WorkflowNode; prototype: unknown; vector: unknown; threshold: unknown; samples: unknown }>;
}

const indexes = new WeakMap<WorkflowNode[], CachedIndex>();

function snapshot(nodes: WorkflowNode[]): CachedIndex['built'] {
  return nodes.map((node) => {
    const p = node.screen_template?.embedding_prototype;
    return { node, prototype: p, vector: p?.vector, threshold: p?.min_cosine_similarity, samples: p?.sample_count };
  });
}

/** True when no node or prototype was replaced or retuned since the index was built (identity checks only: cheap at 1,000 nodes). */
function unchanged(nodes: WorkflowNode[], built: CachedIndex['built']): boolean {
  if (nodes.length !== built.length) return false;
  for (let i = 0; i < nodes.length; i++) {
    const b = built[i];
    const p = nodes[i].screen_template?.embedding_prototype;
    if (
      nodes[i] !== b.node ||
      p !== b.prototype ||
      p?.vector !== b.vector ||
      p?.min_cosine_similarity !== b.threshold ||
      p?.sample_count !== b.samples
    )
      return false;
  }
  return true;
}

function buildIndex(nodes: WorkflowNode[]): PrototypeIndex {
  const withVectors = nodes.filter((n) => (n.screen_template?.embedding_prototype?.vector?.length ?? 0) > 0);
  const dims = withVectors[0]?.screen_template.embedding_prototype!.vector!.length ?? 0;
  const usable = withVectors.filter((n) => n.screen_template.embedding_prototype!.vector!.length === dims);
  const matrix = new Float32Array(usable.length * dims);
  const thresholds = new Float32Array(usable.length);
  usable.forEach((n, row) => {
    const p = n.screen_template.embedding_prototype!;
    let norm = 0;
    for (const x of p.vector!) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < dims; i++) matrix[row * dims + i] = p.vector![i] / norm;
    thresholds[row] = p.min_cosine_similarity ?? DEFAULT_MIN_SIMILARITY;
  });
  return {
    ids: usable.map((n) => n.node_id),
    nodes: usable,
    dims,
    matrix,
    thresholds,
    lowestThreshold: Math.min(...thresholds),
  };
}

function indexOf(workflow: Workflow): PrototypeIndex {
  const cached = indexes.get(workflow.nodes);
  if (cached && unchanged(workflow.nodes, cached.built)) return cached.index;
  const index = buildIndex(workflow.nodes);
  indexes.set(workflow.nodes, { index, built: snapshot(workflow.nodes) });
  return index;
}

/** Why a node's template rejects this screen, or null when the evidence agrees (or is not known). */
export function templateMismatch(
  node: WorkflowNode,
  evidence: { windowTitle?: string; texts?: string[] },
): string | null {
  const t = node.screen_template;
  const titles = t.window?.title_contains_any_of ?? [];
  if (evidence.windowTitle !== undefined && titles.length) {
    // Numbers in a title are data ("Facture F-1002" learned, "Facture F-1007" replayed): compared masked.
    const title = maskVariableText(evidence.windowTitle);
    if (!titles.some((x) => title.includes(maskVariableText(x))))
      return `window title "${evidence.windowTitle}" contains none of ${JSON.stringify(titles)}`;
  }
  const required = t.required_text_any ?? [];
  if (evidence.texts && required.length) {
    // Numbers are data here too ("Ln 1, Col 17" learned, "Ln 1, Col 28" replayed).
    const seen = ` ${evidence.texts.map(maskVariableText).join(' | ')} `;
    if (!required.some((r) => seen.includes(maskVariableText(r))))
      return `none of the required texts ${JSON.stringify(required.slice(0, 4))} is on the screen`;
  }
  return null;
}

/** The node the screen with this state embedding is on, the runner-up, and whether it is unknown. */
export function matchNode(
  workflow: Workflow,
  embedding: Float32Array | number[],
  options: MatchOptions = {},
): NodeMatch {
  const index = indexOf(workflow);
  if (!index.ids.length)
    throw new WorkflowGraphError(
      `workflow "${workflow.workflow_id}" has no node with an embedding prototype to match against`,
    );
  if (embedding.length !== index.dims)
    throw new WorkflowGraphError(
      `the embedding has ${embedding.length} dimensions but the prototypes of workflow "${workflow.workflow_id}" have ${index.dims}: it was computed by another provider`,
    );
  let norm = 0;
  for (let i = 0; i < embedding.length; i++) norm += embedding[i] * embedding[i];
  norm = Math.sqrt(norm) || 1;
  const only = options.candidates ? new Set(options.candidates) : null;
  const { matrix, dims } = index;
  const sims = new Float32Array(index.ids.length).fill(-Infinity);
  for (let row = 0; row < index.ids.length; row++) {
    if (only && !only.has(index.ids[row])) continue;
    let dot = 0;
    const base = row * dims;
    for (let i = 0; i < dims; i++) dot += matrix[base + i] * embedding[i];
    sims[row] = dot / norm;
  }
  // Best first, lazily: usually the best node passes or fails on its own and one pass suffices.
  const rejected = new Set<number>();
  const bestRow = (skip: Set<number>): number => {
    let best = -1;
    for (let row = 0; row < sims.length; row++)
      if (sims[row] > -Infinity && !skip.has(row) && (best < 0 || sims[row] > sims[best])) best = row;
    return best;
  };
  const round = (x: number) => Math.round(x * 10000) / 10000;
  let accepted: { row: number; similarity: number } | null = null;
  let closest: NodeMatch['closest'] = null;
  const scored: Array<{ row: number; similarity: number }> = [];
  for (let row = bestRow(rejected); row >= 0; row = bestRow(rejected)) {
    const s = { row, similarity: sims[row] };
    scored.push(s);
    const threshold = options.minSimilarity ?? index.thresholds[row];
    const why =
      s.similarity < threshold
        ? `similarity ${round(s.similarity)} < ${round(threshold)}`
        : templateMismatch(index.nodes[row], options);
    closest ??= { node_id: index.ids[row], similarity: round(s.similarity), ...(why ? { rejected_because: why } : {}) };
    if (!why) {
      accepted = s;
      break;
    }
    if (s.similarity < (options.minSimilarity ?? index.lowestThreshold)) break; // no node further down can pass
    rejected.add(row);
  }
  if (scored.length < 2) {
    const second = bestRow(new Set(scored.map((x) => x.row)));
    if (second >= 0) scored.push({ row: second, similarity: sims[second] });
  }
  // The runner-up is the best other node: how close the nearest confusion was.
  const runnerUpSource = accepted ? scored.find((s) => s !== accepted) : scored[1];
  return {
    node_id: accepted ? index.ids[accepted.row] : null,
    similarity: round(accepted ? accepted.similarity : (scored[0]?.similarity ?? 0)),
    runner_up: runnerUpSource
      ? { node_id: index.ids[runnerUpSource.row], similarity: round(runnerUpSource.similarity) }
      : null,
    unknown: !accepted,
    closest,
  };
}

/** matchNode for a ScreenState: its embedding, window title and read texts all count. */
export function matchScreenState(
  workflow: Workflow,
  state: ScreenState,
  options: Omit<MatchOptions, 'windowTitle' | 'texts'> = {},
): NodeMatch {
  return matchNode(workflow, state.perception.embedding.vector, {
    ...options,
    windowTitle: state.window.window_title || undefined,
    texts: state.perception.detected_text,
  });
}
