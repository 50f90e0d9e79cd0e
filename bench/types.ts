/**
 * What every benchmark reports: named figures with their unit and, when the issue sets one, the
 * target they are held to. bench/index.ts prints them and writes them to bench/out/<name>.json.
 */

export interface BenchResult {
  /** Benchmark that produced the figure, e.g. "grounding". */
  benchmark: string;
  /** What was measured, e.g. "grounding accuracy: button". */
  metric: string;
  /** Whose figure it is, e.g. "ours" or "tesseract". */
  subject: string;
  value: number;
  /** "%", "ms", "screens"… */
  unit: string;
  /** Number of cases behind the figure. */
  n?: number;
  /** The target as written in the issue, e.g. ">= 95 %". */
  target?: string;
  /** Whether the value meets the target; absent when there is no target. */
  pass?: boolean;
}

export interface BenchOptions {
  /** Only the small subset of cases (the one tests use). */
  quick: boolean;
  /** Arguments after the benchmark's name. */
  args: string[];
  log: (line: string) => void;
}

export interface Benchmark {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<BenchResult[]>;
}
