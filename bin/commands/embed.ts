import type { Command } from './command';
import { analyseEachImage, SCALE_FLAG } from './each-image';

/** `embed IMAGE... [--title T] [--json]`: the fused state embedding of each screenshot. */
export const embed: Command = {
  name: 'embed',
  summary: 'The state embedding of each screenshot',
  usage: 'embed IMAGE... [--title T] [--json]',
  flags: {
    title: { type: 'string', value: 'T', description: 'window title, part of the embedding (numbers are masked)' },
    json: { type: 'boolean', description: 'print a JSON array: per image {image, dimensions, vector}' },
    scale: SCALE_FLAG,
  },
  run: (args) =>
    analyseEachImage(args, async (vision, image, analysis, t0) => {
      const e = await vision.embed(analysis, { title: args.flags.title as string | undefined });
      const vector = Array.from(e.vector, (x) => Math.round(x * 1e6) / 1e6);
      const timing_ms = Math.round(performance.now() - t0);
      return {
        json: { image, dimensions: e.dimensions, vector, provider: e.provider, timing_ms },
        text: [
          `${image}: ${e.dimensions} dimensions (${e.provider}), ${timing_ms} ms, [${vector.slice(0, 4).join(', ')}, …]`,
        ],
      };
    }),
};
