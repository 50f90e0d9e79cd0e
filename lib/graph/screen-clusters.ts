/**
 * Grouping observed screens into workflow nodes: an observation joins the closest node when
 * their state embeddings agree (cosine ≥ `joinSimilarity`) and the template evidence does not
 * contradict it (a different known window title needs a near-identical embedding). Nodes of
 * an existing workflow are the starting clusters, so new demonstrations land on the screens
 * already learned. Prototypes are running sums of unit vectors, updated as observations join.
 */
import type { WorkflowNode } from '../contracts/workflow';
import { maskVariableText } from '../state/state-embedding';
import type { Observation } from './session-observer';

export interface ClusterOptions {
  /** Cosine similarity for a screen to count as a node's screen; same-screen pairs measure 0.97–1.0, different screens of one app 0.65–0.8. */
  joinSimilarity: number;
  /** With a different window title, only this close an embedding still joins (a title that shows a record number, say). */
  joinDespiteTitleSimilarity: number;
}

export const CLUSTER_DEFAULTS: ClusterOptions = { joinSimilarity: 0.9, joinDespiteTitleSimilarity: 0.97 };

export interface ScreenCluster {
  /** Index in creation order (existing nodes first). */
  index: number;
  existing: WorkflowNode | null;
  /** Sum of member unit vectors (weighted by sample_count for an existing prototype). */
  sum: Float64Array;
  weight: number;
  members: Observation[];
  titles: Set<string>;
}

export function maskTitle(title: string): string {
  return maskVariableText(title);
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
      this.clusters.push({ index: this.clusters.length, existing: node, sum, weight, members: [], titles: new Set((node.screen_template.window?.title_contains_any_of ?? []).map(maskTitle)) });
    }
  }

  /** The node this observation belongs to (created when no node is close enough). */
  assign(o: Observation): ScreenCluster {
    const known = this.byKey.get(o.key);
    if (known) return known;
    const title = o.titleKnown ? maskTitle(o.title) : '';
    let best: { c: ScreenCluster; sim: number } | null = null;
    for (const c of this.clusters) {
      if (c.sum.length !== o.vector.length) continue;
      const sim = dotNormalised(c.sum, o.vector);
      const titleClash = title !== '' && c.titles.size > 0 && !c.titles.has(title);
      const needed = titleClash ? this.options.joinDespiteTitleSimilarity : this.options.joinSimilarity;
      if (sim >= needed && (!best || sim > best.sim)) best = { c, sim };
    }
    const cluster = best?.c ?? this.create(o.vector.length);
    for (let i = 0; i < o.vector.length; i++) cluster.sum[i] += o.vector[i];
    cluster.weight += 1;
    cluster.members.push(o);
    if (title) cluster.titles.add(title);
    this.byKey.set(o.key, cluster);
    return cluster;
  }

  private create(dims: number): ScreenCluster {
    const c: ScreenCluster = { index: this.clusters.length, existing: null, sum: new Float64Array(dims), weight: 0, members: [], titles: new Set() };
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
