/**
 * The execution record of one run (what `run --report R.json` writes and the nodes send):
 * per step the target found, by which strategy and score, the screenshots before and after,
 * the verification, the healing attempts; and the final status with the failure point.
 * Screenshots are written in the background (PNG encoding is off the step's critical path).
 */
import path from 'path';
import type { RgbaImage } from '../platform/types';
import { makeDataDir, writeDataFile } from '../contracts/sealed-files';
import { encodePng } from '../image/codec';
import type { RunMode } from './autonomy';
import type { RecoveryAttempt } from './locator';
import type { ResolvedTarget } from './actions';
import type { OwnScreenVerdict } from '../graph/own-screen';

export type RunStatus = 'success' | 'failed' | 'timeout' | 'cancelled';

export interface StepVerification {
  expected: string[];
  /** The node recognised after the action, if any. */
  node_id: string | null;
  similarity: number;
  min_similarity: number;
  verified: boolean;
  /** Typed text read back from the screen, when the step typed. */
  typed_text_seen?: boolean;
  /** The `same_item` post-condition: the acted-on row's text looked for on the next screen. */
  same_item?: { text: string; shown: boolean };
  /** The `own_screen` post-condition: each value of the run looked for after a step back to its own screen. */
  own_screen?: OwnScreenVerdict[];
  elapsed_ms: number;
}

export interface StepRecord {
  step: number;
  edge_id: string;
  from_node: string;
  to_node: string | null;
  to_node_candidates?: string[];
  action_type: string;
  started_at: string;
  completed_at: string | null;
  duration_ms: number;
  /** resolve + act + verify analysis, without the application's own reaction time. */
  timings_ms: { resolve: number; act: number; settle: number; verify: number; overhead: number };
  targets: ResolvedTarget[];
  strategy: string | null;
  score: number | null;
  screenshots: { before: string | null; after: string | null };
  verification: StepVerification | null;
  recoveries: RecoveryAttempt[];
  /** How a person took part: confirmed, coached (the person acted), observed. */
  human?: 'confirmed' | 'coached' | 'observed';
  status: 'success' | 'failed' | 'skipped';
  error?: { kind: string; message: string };
  /** Set when the step ran a sub-workflow. */
  sub_workflow?: { workflow_id: string; execution_id: string; status: RunStatus };
  /** Set when the step went round a loop: which pass (1 = the first) and why. */
  loop?: { iteration: number; max_iterations: number; condition: string };
}

export interface RunRecord {
  execution_id: string;
  workflow_id: string;
  workflow_name: string;
  workflow_file?: string;
  parameters: Record<string, string>;
  mode: RunMode;
  learned_state: string;
  /** The autonomy decision, including an operator override. */
  mode_reason: string;
  operator_override: boolean;
  started_at: string;
  completed_at: string | null;
  duration_s: number;
  status: RunStatus | 'running';
  /** Every step was verified. */
  verified: boolean;
  start_node: string | null;
  end_node: string | null;
  steps: StepRecord[];
  /** Loops whose condition still held when their max_iterations stopped them. */
  loops_stopped_at_max?: Array<{ edge_id: string; max_iterations: number; condition: string }>;
  failure: {
    kind: string;
    message: string;
    edge_id: string | null;
    node_id: string | null;
    step: number | null;
    target?: string;
    tried?: string[];
    seen?: string;
    /** An ambiguous target's candidates (label, box on the screen, score): none was acted on. */
    candidates?: { label: string; bbox: [number, number, number, number]; score: number }[];
    screenshot: string | null;
  } | null;
  screenshots_dir: string | null;
}

/** Writes PNGs under one directory without blocking the caller; `flush()` waits for them. */
export class ScreenshotWriter {
  private pending: Promise<unknown>[] = [];
  private count = 0;

  constructor(readonly dir: string | null) {
    if (dir) makeDataDir(dir);
  }

  /** The file the image will be in (null when screenshots are off). */
  save(image: RgbaImage | undefined, name: string): string | null {
    if (!this.dir || !image) return null;
    const file = path.join(
      this.dir,
      `${String(++this.count).padStart(3, '0')}_${name.replace(/[^A-Za-z0-9_.-]+/g, '_')}.png`,
    );
    this.pending.push(
      encodePng(image)
        .then((png) => writeDataFile(file, png))
        .catch(() => undefined),
    );
    return file;
  }

  /** The image with `bbox` outlined in red (the coaching highlight). */
  saveHighlighted(
    image: RgbaImage | undefined,
    bbox: [number, number, number, number] | null,
    name: string,
  ): string | null {
    if (!image || !bbox) return this.save(image, name);
    return this.save(outline(image, bbox), name);
  }

  async flush(): Promise<void> {
    const all = this.pending;
    this.pending = [];
    await Promise.all(all);
  }
}

/** A copy of `image` with a 4-pixel red frame around `bbox` (grown by 4 pixels). */
export function outline(image: RgbaImage, bbox: [number, number, number, number]): RgbaImage {
  const data = Buffer.from(image.data);
  const x1 = Math.max(0, Math.floor(bbox[0]) - 8);
  const y1 = Math.max(0, Math.floor(bbox[1]) - 8);
  const x2 = Math.min(image.width - 1, Math.ceil(bbox[2]) + 8);
  const y2 = Math.min(image.height - 1, Math.ceil(bbox[3]) + 8);
  const paint = (x: number, y: number) => {
    const i = (y * image.width + x) * 4;
    data[i] = 255;
    data[i + 1] = 0;
    data[i + 2] = 0;
    data[i + 3] = 255;
  };
  for (let t = 0; t < 4; t++) {
    for (let x = x1; x <= x2; x++) {
      paint(x, Math.min(y2, y1 + t));
      paint(x, Math.max(y1, y2 - t));
    }
    for (let y = y1; y <= y2; y++) {
      paint(Math.min(x2, x1 + t), y);
      paint(Math.max(x1, x2 - t), y);
    }
  }
  return { ...image, data };
}
