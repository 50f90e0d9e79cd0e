/**
 * Node matching: which screen of the workflow are we on? Cosine similarity of the state
 * embedding to each node's prototype (seed threshold 0.85, per node `min_cosine_similarity`
 * learned from the spread of its samples), checked against the node's template evidence (window
 * title, required texts) when the caller knows them. Prototypes are normalised once per
 * workflow into one Float32Array, so a match against 1,000 nodes is one pass over memory.
 */
import type { ScreenState } from '../contracts/screen-state';
import type { Workflow, WorkflowNode } from '../contracts/workflow';
import { normalizeText } from '../vision/text-match';
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
}

const indexes = new WeakMap<WorkflowNode[], { key: string; index: PrototypeIndex }>();

/** Cheap fingerprint that changes when a node or a prototype is replaced or resized. */
function indexKey(nodes: WorkflowNode[]): string {
  let key = `${nodes.length}`;
  for (const n of nodes) {
    const p = n.screen_template?.embedding_prototype;
    key += `|${n.node_id}:${p?.sample_count ?? 0}:${p?.vector?.length ?? 0}:${p?.min_cosine_similarity ?? ''}:${p?.vector?.[0] ?? ''}`;
  }
  return key;
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
  return { ids: usable.map((n) => n.node_id), nodes: usable, dims, matrix, thresholds };
}

function indexOf(workflow: Workflow): PrototypeIndex {
  const key = indexKey(workflow.nodes);
  const cached = indexes.get(workflow.nodes);
  if (cached && cached.key === key) return cached.index;
  const index = buildIndex(workflow.nodes);
  indexes.set(workflow.nodes, { key, index });
  return index;
}

/** Why a node's template rejects this screen, or null when the evidence agrees (or is not known). */
export function templateMismatch(node: WorkflowNode, evidence: { windowTitle?: string; texts?: string[] }): string | null {
  const t = node.screen_template;
  const titles = t.window?.title_contains_any_of ?? [];
  if (evidence.windowTitle !== undefined && titles.length) {
    const title = normalizeText(evidence.windowTitle);
    if (!titles.some((x) => title.includes(normalizeText(x)))) return `window title "${evidence.windowTitle}" contains none of ${JSON.stringify(titles)}`;
  }
  const required = t.required_text_any ?? [];
  if (evidence.texts && required.length) {
    const seen = ` ${evidence.texts.map(normalizeText).join(' | ')} `;
    if (!required.some((r) => seen.includes(normalizeText(r)))) return `none of the required texts ${JSON.stringify(required.slice(0, 4))} is on the screen`;
  }
  return null;
}

/** The node the screen with this state embedding is on, the runner-up, and whether it is unknown. */
export function matchNode(workflow: Workflow, embedding: Float32Array | number[], options: MatchOptions = {}): NodeMatch {
  const index = indexOf(workflow);
  if (!index.ids.length) throw new WorkflowGraphError(`workflow "${workflow.workflow_id}" has no node with an embedding prototype to match against`);
  if (embedding.length !== index.dims)
    throw new WorkflowGraphError(`the embedding has ${embedding.length} dimensions but the prototypes of workflow "${workflow.workflow_id}" have ${index.dims}: it was computed by another provider`);
  let norm = 0;
  for (let i = 0; i < embedding.length; i++) norm += embedding[i] * embedding[i];
  norm = Math.sqrt(norm) || 1;
  const only = options.candidates ? new Set(options.candidates) : null;
  const { matrix, dims } = index;
  const scored: Array<{ row: number; similarity: number }> = [];
  for (let row = 0; row < index.ids.length; row++) {
    if (only && !only.has(index.ids[row])) continue;
    let dot = 0;
    const base = row * dims;
    for (let i = 0; i < dims; i++) dot += matrix[base + i] * embedding[i];
    scored.push({ row, similarity: dot / norm });
  }
  scored.sort((a, b) => b.similarity - a.similarity);
  const round = (x: number) => Math.round(x * 10000) / 10000;
  let accepted: { row: number; similarity: number } | null = null;
  let closest: NodeMatch['closest'] = null;
  for (const s of scored) {
    const threshold = options.minSimilarity ?? index.thresholds[s.row];
    const why = s.similarity < threshold ? `similarity ${round(s.similarity)} < ${round(threshold)}` : templateMismatch(index.nodes[s.row], options);
    closest ??= { node_id: index.ids[s.row], similarity: round(s.similarity), ...(why ? { rejected_because: why } : {}) };
    if (s.similarity < threshold) break; // sorted: nothing further can pass
    if (!why) {
      accepted = s;
      break;
    }
  }
  // The runner-up is the best other node: how close the nearest confusion was.
  const runnerUpSource = accepted ? scored.find((s) => s !== accepted) : scored[1];
  return {
    node_id: accepted ? index.ids[accepted.row] : null,
    similarity: round(accepted ? accepted.similarity : (scored[0]?.similarity ?? 0)),
    runner_up: runnerUpSource ? { node_id: index.ids[runnerUpSource.row], similarity: round(runnerUpSource.similarity) } : null,
    unknown: !accepted,
    closest,
  };
}

/** matchNode for a ScreenState: its embedding, window title and read texts all count. */
export function matchScreenState(workflow: Workflow, state: ScreenState, options: Omit<MatchOptions, 'windowTitle' | 'texts'> = {}): NodeMatch {
  return matchNode(workflow, state.perception.embedding.vector, {
    ...options,
    windowTitle: state.window.window_title || undefined,
    texts: state.perception.detected_text,
  });
}
