import { UsageError, positiveNumber } from '../../lib/cli/args';
import { withVisionEngine } from '../../lib/vision';
import type { FlagSpec } from '../../lib/cli/args';
import type { Command } from './command';

/** The display scale flag shared by detect, locate and embed. */
export const SCALE_FLAG: FlagSpec = { type: 'string', value: 'S', description: 'display scale of the screenshots (1 at 100 %, 2 at 200 %); 1 by default' };

/** `detect IMAGE... [--json]`: UI elements and text of each screenshot, models loaded once. */
export const detect: Command = {
  name: 'detect',
  summary: 'UI elements and text of each screenshot (many images in one process)',
  usage: 'detect IMAGE... [--json] [--scale S]',
  flags: {
    json: { type: 'boolean', description: 'print one JSON array, one entry per image' },
    scale: SCALE_FLAG,
  },
  async run(args) {
    if (!args.positional.length) throw new UsageError('give at least one IMAGE');
    const scale = positiveNumber('scale', args.flags.scale as string | undefined) ?? 1;
    return withVisionEngine(async (vision) => {
      const results = [];
      for (const image of args.positional) {
        const t0 = performance.now();
        const a = await vision.analyze(image, { scaleFactor: scale });
        const result = {
          image,
          width: a.width,
          height: a.height,
          elements: a.elements.map(({ element_id, type, role, label, bbox, center, confidence, state, relationships }) => ({ element_id, type, role, label, bbox, center, confidence, state, relationships })),
          text: a.text.map(({ text, bbox, confidence }) => ({ text, bbox, confidence: Math.round(confidence * 1000) / 1000 })),
          timing_ms: Math.round(performance.now() - t0),
        };
        if (args.flags.json) results.push(result);
        else {
          process.stdout.write(`${image}: ${result.elements.length} elements, ${result.text.length} text lines, ${result.timing_ms} ms\n`);
          for (const e of result.elements) process.stdout.write(`  ${e.type.padEnd(10)} [${e.bbox.join(',')}] ${JSON.stringify(e.label)}\n`);
        }
      }
      if (args.flags.json) process.stdout.write(JSON.stringify(results) + '\n');
      return 0;
    });
  },
};
