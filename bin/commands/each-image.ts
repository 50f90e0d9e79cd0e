import { UsageError, positiveNumber, type FlagSpec, type ParsedArgs } from '../../lib/cli/args';
import { withVisionEngine, type ScreenAnalysis, type VisionEngine } from '../../lib/vision';

/** The display scale flag shared by detect, locate and embed. */
export const SCALE_FLAG: FlagSpec = {
  type: 'string',
  value: 'S',
  description: 'display scale of the screenshots (1 at 100 %, 2 at 200 %); 1 by default',
};

/** What one image gives: its entry of the `--json` array, and the lines printed without `--json`. */
export interface ImageResult {
  json: object;
  text: string[];
}

/**
 * The shape of `detect` and `embed`: every IMAGE analysed by one vision engine (models loaded
 * once), one JSON array with `--json`, readable lines otherwise. `timingStart` is when the
 * image's work began, for its `timing_ms`.
 */
export async function analyseEachImage(
  args: ParsedArgs,
  describe: (
    vision: VisionEngine,
    image: string,
    analysis: ScreenAnalysis,
    timingStart: number,
  ) => Promise<ImageResult>,
): Promise<number> {
  if (!args.positional.length) throw new UsageError('give at least one IMAGE');
  const scale = positiveNumber('scale', args.flags.scale as string | undefined) ?? 1;
  return withVisionEngine(async (vision) => {
    const results: object[] = [];
    for (const image of args.positional) {
      const t0 = performance.now();
      const analysis = await vision.analyze(image, { scaleFactor: scale });
      const result = await describe(vision, image, analysis, t0);
      if (args.flags.json) results.push(result.json);
      else for (const line of result.text) process.stdout.write(line + '\n');
    }
    if (args.flags.json) process.stdout.write(JSON.stringify(results) + '\n');
    return 0;
  });
}
