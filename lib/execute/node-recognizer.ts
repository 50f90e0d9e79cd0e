/**
 * Which workflow node is on the screen, and how sure. A learned node (with an embedding
 * prototype) is scored the learner's way: cosine similarity of the window's state embedding to
 * the prototype, vetoed by its template evidence (title, required texts). A hand-written node
 * (no prototype) is scored on its evidence: every required text found by OCR (fuzzy), texts
 * that must be absent, the window title, required UI elements; the score is the mean, 0–1.
 */
import type { Workflow, WorkflowNode, ScreenTemplate } from '../contracts/workflow';
import type { ScreenState } from '../contracts/screen-state';
import { cosineSimilarity, textSimilarity, type ScreenAnalysis, type VisionEngine } from '../vision';
import { maskVariableText } from '../vision/state-embedding';
import type { Frame } from './screen-observer';
import { templateMismatch, type NodeMatch } from '../graph/match';
import { fillKnownParameters } from '../contracts/parameter-references';
import { testUserPattern } from '../contracts/safe-pattern';
import { withoutTypedData } from '../graph/session-observer';

export interface NodeScore {
  node_id: string;
  similarity: number;
  /** Each kind of evidence and its score, for the report. */
  evidence: Record<string, number>;
}

/**
 * A screen as read for recognition: the window's analysis and title, and its state embedding
 * when it was already computed (a ScreenState from rpa-detect); the runner's frames are one.
 */
export interface ScreenReading {
  analysis: ScreenAnalysis;
  window: { title: string } | null;
  embedding?: Float32Array | number[];
}

export interface Recognition {
  /** Best node, or null when none reaches its minimum. */
  node_id: string | null;
  similarity: number;
  scores: NodeScore[];
}

const DEFAULT_MIN_SIMILARITY = 0.8;
const TEXT_PRESENT = 0.82;
/** How far under its threshold a learned screen may look when its template evidence vouches for it. */
const RESTYLE_MARGIN = 0.12;
/** The title and the required texts must be at least this complete to vouch. */
const EVIDENCE_VOUCHES = 0.75;

/** Whether a phrase is on the screen: a line, or a run of words in a line, reads like it. */
export function textOnScreen(analysis: ScreenAnalysis, phrase: string): number {
  let best = 0;
  const n = phrase.trim().split(/\s+/).length;
  for (const line of analysis.text) {
    best = Math.max(best, textSimilarity(phrase, line.text) >= TEXT_PRESENT ? textSimilarity(phrase, line.text) : 0);
    for (let len = Math.max(1, n - 1); len <= n + 1 && best < 1; len++) {
      for (let i = 0; i + len <= line.words.length; i++)
        best = Math.max(
          best,
          textSimilarity(
            phrase,
            line.words
              .slice(i, i + len)
              .map((w) => w.text)
              .join(' '),
          ),
        );
    }
    if (best >= 1) break;
  }
  return best;
}

/** The minimum similarity the node's template asks for. */
export function minSimilarityOf(node: WorkflowNode | undefined): number {
  return node?.screen_template.embedding_prototype?.min_cosine_similarity ?? DEFAULT_MIN_SIMILARITY;
}

function templateOf(workflow: Workflow, node: WorkflowNode): ScreenTemplate {
  const t = node.screen_template;
  if (!t.similar_to_node) return t;
  // "Like N1, plus constraints": the base node's evidence, with this node's additions.
  const base = workflow.nodes.find((n) => n.node_id === t.similar_to_node);
  return base
    ? {
        ...base.screen_template,
        ...t,
        required_text_any: [...(base.screen_template.required_text_any ?? []), ...(t.required_text_any ?? [])],
      }
    : t;
}

export class NodeRecognizer {
  /** Embedding of the last frame scored, so several nodes share one computation. */
  private embedded: { hash: string; vector: Float32Array } | null = null;

  constructor(
    private readonly workflow: Workflow,
    /** Embeds readings that come without their embedding; null when they all carry one. */
    private readonly vision: VisionEngine | null,
    /** Parameter values: a template may expect "{{message}}" on the screen. */
    private readonly values: Record<string, string> = {},
    /** Overrides every node's own minimum (rpa-match-node's setting). */
    private readonly minSimilarity?: number,
  ) {}

  private minOf(node: WorkflowNode | undefined): number {
    return this.minSimilarity ?? minSimilarityOf(node);
  }

  private expand(texts: string[]): string[] {
    return texts.map((t) => fillKnownParameters(t, this.values));
  }

  private async embeddingOf(frame: ScreenReading): Promise<Float32Array | null> {
    if (frame.embedding) return Float32Array.from(frame.embedding);
    if (this.embedded?.hash === frame.analysis.imageHash) return this.embedded.vector;
    if (!this.vision) return null;
    try {
      // The run's values are data wherever they show (the note it typed), as the person's typed
      // text was in the demonstrations; in the title they stand for the typed data, as learned.
      const values = Object.values(this.values);
      const e = await this.vision.embed(frame.analysis, {
        title: withoutTypedData(frame.window?.title ?? '', values),
        data: values,
      });
      this.embedded = { hash: frame.analysis.imageHash, vector: e.vector };
      return e.vector;
    } catch {
      return null;
    }
  }

  async score(node: WorkflowNode, frame: ScreenReading): Promise<NodeScore> {
    const t = templateOf(this.workflow, node);
    const proto = t.embedding_prototype?.vector;
    if (proto?.length) {
      // A learned node: the learner's convention (lib/graph/match.ts) — cosine to the
      // prototype of window-crop embeddings, vetoed when the template's evidence disagrees.
      const v = await this.embeddingOf(frame);
      if (v && v.length === proto.length) {
        const cosine = cosineSimilarity(v, Float32Array.from(proto));
        const why = templateMismatch(node, {
          windowTitle: frame.window?.title,
          texts: frame.analysis.text.map((l) => l.text),
        });
        const evidence: Record<string, number> = { embedding: Math.round(cosine * 1000) / 1000 };
        if (why)
          return {
            node_id: node.node_id,
            similarity: Math.round(Math.min(cosine, 0.5) * 1000) / 1000,
            evidence: { ...evidence, template: 0 },
          };
        // A restyled application (another theme, fonts, button order) moves the look-based
        // embedding more than the node's threshold allows; what does not depend on the look —
        // the window title and the required texts — can vouch for it, from a bounded distance
        // only. (Buttons are left out: which boxes read as buttons depends on the theme too.)
        const min = this.minOf(node);
        if (cosine < min && cosine >= min - RESTYLE_MARGIN) {
          const template = this.templateEvidence(t, frame);
          const agrees =
            template.text !== undefined &&
            template.text >= EVIDENCE_VOUCHES &&
            (template.title ?? 1) >= EVIDENCE_VOUCHES;
          if (agrees)
            return { node_id: node.node_id, similarity: min, evidence: { ...evidence, ...template, vouched: 1 } };
        }
        return { node_id: node.node_id, similarity: evidence.embedding, evidence };
      }
    }
    const evidence = this.templateEvidence(t, frame);
    const values = Object.values(evidence);
    const similarity = values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
    // Hard constraints: a missing "absent" or status condition rules the node out.
    const vetoed = evidence.absent_text === 0 || evidence.row_status === 0 || evidence.title_pattern === 0;
    return {
      node_id: node.node_id,
      similarity: Math.round((vetoed ? Math.min(similarity, 0.5) : similarity) * 1000) / 1000,
      evidence,
    };
  }

  /** Each kind of evidence a template names, scored 0–1 on the frame. */
  private templateEvidence(t: ScreenTemplate, frame: ScreenReading): Record<string, number> {
    const evidence: Record<string, number> = {};
    const requiredTexts = t.required_text_any ?? [];
    const texts = this.expand(requiredTexts);
    // Numbers in a required text are data ("Ln 1, Col 17" learned, "Ln 1, Col 28" shown), as in
    // templateMismatch; never in one that names a parameter (an amount the run must see).
    const lines = frame.analysis.text.map((l) => maskVariableText(l.text));
    const present = (p: string, i: number) =>
      textOnScreen(frame.analysis, p) >= TEXT_PRESENT ||
      (!requiredTexts[i].includes('{{') && lines.some((l) => l.includes(maskVariableText(p))));
    if (texts.length) evidence.text = texts.reduce((s, p, i) => s + (present(p, i) ? 1 : 0), 0) / texts.length;
    const forbidden = this.expand(t.absent_text ?? []);
    if (forbidden.length)
      evidence.absent_text = forbidden.every((p) => textOnScreen(frame.analysis, p) < TEXT_PRESENT) ? 1 : 0;
    const status = t.additional_constraints?.must_have_row_with_status;
    if (status) evidence.row_status = textOnScreen(frame.analysis, status) >= TEXT_PRESENT ? 1 : 0;
    const titles = t.window?.title_contains_any_of ?? [];
    // The learned title is a part of the window's ("- Notepad" of "compte-rendu.txt - Notepad", the
    // typed file name taken out), numbers masked as in templateMismatch; or reads like it.
    const title = frame.window ? maskVariableText(frame.window.title) : '';
    if (titles.length && frame.window)
      evidence.title = titles.some(
        (x) => title.includes(maskVariableText(x)) || textSimilarity(x, frame.window!.title) >= 0.8,
      )
        ? 1
        : 0;
    // Hand-written templates may pin the title exactly, e.g. "^\\*note" for a modified document.
    const pattern = t.window?.title_pattern;
    if (pattern) evidence.title_pattern = frame.window && testUserPattern(pattern, frame.window.title) ? 1 : 0;
    const required = t.required_ui_elements ?? [];
    if (required.length) {
      const met = required.filter((r) => {
        const els = frame.analysis.elements.filter(
          (e) =>
            (!r.type_any_of?.length || r.type_any_of.includes(e.type)) &&
            (!r.label_contains_any_of?.length ||
              r.label_contains_any_of.some((l) => textSimilarity(l, e.label) >= 0.8)),
        );
        return els.length >= (r.min_count ?? 1);
      });
      evidence.ui = met.length / required.length;
    }
    return evidence;
  }

  /** Scores `candidates` (all nodes by default) and names the best one above its minimum. */
  async recognise(frame: ScreenReading, candidates?: string[]): Promise<Recognition> {
    const nodes = candidates ? this.workflow.nodes.filter((n) => candidates.includes(n.node_id)) : this.workflow.nodes;
    const scores: NodeScore[] = [];
    for (const n of nodes) scores.push(await this.score(n, frame));
    scores.sort((a, b) => b.similarity - a.similarity);
    let best = scores.find((s) => s.similarity >= this.minOf(this.workflow.nodes.find((n) => n.node_id === s.node_id)));
    if (best?.evidence.vouched && (await this.lookedLikeAnother(best, frame))) best = undefined;
    return { node_id: best?.node_id ?? null, similarity: best?.similarity ?? scores[0]?.similarity ?? 0, scores };
  }

  /**
   * A screen vouched for by its title and texts only is not taken for that node when it looks,
   * above that node's own threshold, like another learned screen (the list with a dialog on top
   * shares the list's title and texts; it is not the list).
   */
  private async lookedLikeAnother(vouched: NodeScore, frame: ScreenReading): Promise<boolean> {
    for (const other of this.workflow.nodes) {
      if (other.node_id === vouched.node_id) continue;
      const s = await this.score(other, frame);
      if (!s.evidence.vouched && s.similarity >= this.minOf(other) && s.similarity > vouched.evidence.embedding)
        return true;
    }
    return false;
  }

  /**
   * The recognition in the shape rpa-match-node sends (lib/graph/match.ts NodeMatch): the
   * recognised node, the runner-up, and the closest node with why it was not taken.
   */
  async match(frame: ScreenReading, candidates?: string[]): Promise<NodeMatch> {
    const r = await this.recognise(frame, candidates);
    const other = r.scores.find((s) => s.node_id !== r.node_id);
    const top = r.scores[0];
    const topNode = this.workflow.nodes.find((n) => n.node_id === top?.node_id);
    const why = !top
      ? undefined
      : top.evidence.template === 0 || top.evidence.absent_text === 0 || top.evidence.title_pattern === 0
        ? `the window title or the required texts of ${top.node_id} disagree with the screen`
        : top.similarity < this.minOf(topNode)
          ? `similarity ${top.similarity} < ${this.minOf(topNode)}`
          : r.node_id === null
            ? `it looks more like another learned screen`
            : undefined;
    return {
      node_id: r.node_id,
      similarity: r.similarity,
      runner_up: other ? { node_id: other.node_id, similarity: other.similarity } : null,
      unknown: r.node_id === null,
      closest: top
        ? {
            node_id: top.node_id,
            similarity: top.similarity,
            ...(r.node_id === null && why ? { rejected_because: why } : {}),
          }
        : null,
    };
  }
}

/** A ScreenState (rpa-detect's output) as a reading: its texts, elements, title and embedding. */
export function readingOfScreenState(state: ScreenState): ScreenReading {
  return {
    analysis: {
      width: state.window.screen_resolution[0],
      height: state.window.screen_resolution[1],
      scaleFactor: state.raw.scale_factor,
      imageHash: state.screen_state_id,
      text: state.perception.text_regions,
      elements: state.ui_elements,
      timings: {},
    },
    window: state.window.window_title ? { title: state.window.window_title } : null,
    embedding: state.perception.embedding.vector,
  };
}

/** A short description of what a frame shows, for error messages. */
export function describeScreen(frame: Pick<Frame, 'analysis' | 'window'>, recognition?: Recognition): string {
  const lines = frame.analysis.text
    .slice(0, 8)
    .map((l) => `"${l.text}"`)
    .join(', ');
  const best = recognition?.scores[0];
  return `${best ? `closest node ${best.node_id} (similarity ${best.similarity}); ` : ''}${frame.window ? `window "${frame.window.title}"; ` : ''}text: ${lines || 'none'}`;
}
