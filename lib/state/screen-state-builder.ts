/**
 * ScreenState builder: the seed's four levels (raw, perception, ui_elements, context) from one
 * analysis and its embedding, with window info, timings, and change detection against the
 * previous state (embedding similarity and the regions whose elements appeared, disappeared
 * or changed).
 */
import type { ChangedRegion, ScreenState, UIElement } from '../contracts/screen-state';
import type { ScreenAnalysis, StateEmbedding } from '../vision/types';
import { cosineSimilarity } from '../vision/state-embedding';

export interface ScreenStateInput {
  analysis: ScreenAnalysis;
  embedding: StateEmbedding;
  window?: { appName?: string; title?: string; workspace?: string };
  screenshotPath?: string | null;
  fileSizeBytes?: number | null;
  captureMethod?: string;
  sessionId?: string | null;
  userId?: string | null;
  timestamp?: Date;
  previous?: ScreenState | null;
}

export function buildScreenState(input: ScreenStateInput): ScreenState {
  const { analysis, embedding } = input;
  const timestamp = (input.timestamp ?? new Date()).toISOString();
  const confidences = analysis.text.map((l) => l.confidence);
  const timings = { ...analysis.timings, embedding: embedding.timing_ms };
  const state: ScreenState = {
    screen_state_id: `screen_${timestamp.replace(/:/g, '-')}`,
    timestamp,
    session_id: input.sessionId ?? null,
    window: {
      app_name: input.window?.appName ?? '',
      window_title: input.window?.title ?? '',
      screen_resolution: [analysis.width, analysis.height],
      workspace: input.window?.workspace ?? 'main',
    },
    raw: {
      screenshot_path: input.screenshotPath ?? null,
      capture_method: input.captureMethod ?? 'file',
      file_size_bytes: input.fileSizeBytes ?? null,
      scale_factor: analysis.scaleFactor,
    },
    perception: {
      embedding: {
        provider: embedding.provider,
        dimensions: embedding.dimensions,
        fusion_method: 'weighted',
        vector: Array.from(embedding.vector, (x) => Math.round(x * 1e6) / 1e6),
      },
      detected_text: analysis.text.map((l) => l.text),
      text_regions: analysis.text,
      text_detection_method: 'ppocr_v4_onnx',
      confidence_avg: confidences.length ? round(confidences.reduce((a, b) => a + b, 0) / confidences.length) : 0,
    },
    ui_elements: analysis.elements,
    context: {
      current_workflow_candidate: null,
      workflow_step: null,
      user_id: input.userId ?? null,
      tags: [],
      business_variables: {},
    },
    change_detection: { previous_state_id: null, similarity_score: null, changed_regions: [] },
    metadata: {
      processing_time_ms: round((analysis.timings.total ?? 0) + embedding.timing_ms),
      ui_elements_count: analysis.elements.length,
      text_regions_count: analysis.text.length,
      timings_ms: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, round(v)])),
    },
  };
  if (input.previous) state.change_detection = detectChanges(input.previous, state);
  return state;
}

/** Similarity of the two states' embeddings and the boxes where elements appeared, vanished or changed. */
export function detectChanges(previous: ScreenState, current: ScreenState): ScreenState['change_detection'] {
  const before = new Map(previous.ui_elements.map((e) => [e.element_id, e]));
  const after = new Map(current.ui_elements.map((e) => [e.element_id, e]));
  const changed: ChangedRegion[] = [];
  for (const [id, e] of after) {
    const old = before.get(id);
    if (!old) changed.push({ bbox: e.bbox, change_type: 'new_element' });
    else if (contentOf(old) !== contentOf(e)) changed.push({ bbox: e.bbox, change_type: 'content_changed' });
  }
  for (const [id, e] of before) if (!after.has(id)) changed.push({ bbox: e.bbox, change_type: 'removed_element' });
  const a = previous.perception.embedding.vector;
  const b = current.perception.embedding.vector;
  return {
    previous_state_id: previous.screen_state_id,
    similarity_score: a.length === b.length && a.length ? round(cosineSimilarity(a, b)) : null,
    changed_regions: changed,
  };
}

function contentOf(e: UIElement): string {
  return `${e.state.value ?? ''}|${e.state.checked ?? ''}|${e.state.selected ?? ''}|${e.bbox.join(',')}`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
