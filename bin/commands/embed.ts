import { UsageError, positiveNumber } from '../../lib/cli/args';
import { withVisionEngine } from '../../lib/vision';
import { SCALE_FLAG } from './detect';
import type { Command } from './command';

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
  async run(args) {
    if (!args.positional.length) throw new UsageError('give at least one IMAGE');
    const scale = positiveNumber('scale', args.flags.scale as string | undefined) ?? 1;
    return withVisionEngine(async (vision) => {
      const results = [];
      for (const image of args.positional) {
        const t0 = performance.now();
        const analysis = await vision.analyze(image, { scaleFactor: scale });
        const e = await vision.embed(analysis, { title: args.flags.title as string | undefined });
        const vector = Array.from(e.vector, (x) => Math.round(x * 1e6) / 1e6);
        const timing_ms = Math.round(performance.now() - t0);
        if (args.flags.json) results.push({ image, dimensions: e.dimensions, vector, provider: e.provider, timing_ms });
        else process.stdout.write(`${image}: ${e.dimensions} dimensions (${e.provider}), ${timing_ms} ms, [${vector.slice(0, 4).join(', ')}, …]\n`);
      }
      if (args.flags.json) process.stdout.write(JSON.stringify(results) + '\n');
      return 0;
    });
  },
};
