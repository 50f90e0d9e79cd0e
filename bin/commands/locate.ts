import * as fs from 'fs';
import { UsageError, positiveNumber } from '../../lib/cli/args';
import { withVisionEngine, type ScreenAnalysis, type VisionEngine } from '../../lib/vision';
import { SCALE_FLAG } from './each-image';
import type { Command } from './command';

interface Query {
  image: string;
  text: string;
  type?: string;
}

class QueryFileError extends Error {
  override name = 'QueryFileError';
}

function readQueries(file: string): Query[] {
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new QueryFileError(`cannot read the query file ${file}: ${(err as Error).message}`);
  }
  return content
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line)
    .map(({ line, n }) => {
      let q: Query;
      try {
        q = JSON.parse(line);
      } catch (err) {
        throw new QueryFileError(`${file}:${n} is not JSON: ${(err as Error).message}`);
      }
      if (typeof q.image !== 'string' || typeof q.text !== 'string')
        throw new QueryFileError(`${file}:${n} needs "image" and "text" strings, got ${line}`);
      return q;
    });
}

/** One query: the analysis of its image is cached, so only the first query on an image pays for it. */
async function answer(vision: VisionEngine, analyses: Map<string, ScreenAnalysis>, q: Query, scale: number) {
  const t0 = performance.now();
  let analysis = analyses.get(q.image);
  if (!analysis) {
    analysis = await vision.analyze(q.image, { scaleFactor: scale });
    analyses.set(q.image, analysis);
  }
  const r = await vision.locate(analysis, { text: q.text, type: q.type as never });
  return {
    image: q.image,
    text: q.text,
    ...(q.type ? { type: q.type } : {}),
    found: r.found,
    center: r.center,
    bbox: r.bbox,
    score: r.score,
    strategy: r.strategy,
    ...(r.ambiguous ? { ambiguous: true, candidates: r.candidates } : {}),
    timing_ms: Math.round((performance.now() - t0) * 10) / 10,
  };
}

/** `locate IMAGE --text T [--type TYPE]` and `locate --batch QUERIES.jsonl`. */
export const locate: Command = {
  name: 'locate',
  summary: 'Where to click for the element whose visible text or label is T',
  usage: 'locate IMAGE --text T [--type TYPE] [--json] | locate --batch QUERIES.jsonl [--json]',
  flags: {
    text: {
      type: 'string',
      value: 'T',
      description: 'visible text or label of the target (accent- and case-insensitive)',
    },
    type: {
      type: 'string',
      value: 'TYPE',
      description: 'element type: button, text_input, checkbox, radio, dropdown, tab, link, icon, table_row, menu_item',
    },
    batch: {
      type: 'string',
      value: 'QUERIES.jsonl',
      description: 'one query a line: {"image","text","type"?}; one result line per query',
    },
    json: { type: 'boolean', description: 'print JSON (one document; one line per query with --batch)' },
    scale: SCALE_FLAG,
  },
  async run(args) {
    const scale = positiveNumber('scale', args.flags.scale as string | undefined) ?? 1;
    const batch = args.flags.batch as string | undefined;
    let queries: Query[];
    if (batch) {
      if (args.positional.length || args.flags.text)
        throw new UsageError('--batch takes the images and texts from the file; give no IMAGE or --text');
      queries = readQueries(batch);
    } else {
      if (args.positional.length !== 1) throw new UsageError('give exactly one IMAGE (or --batch QUERIES.jsonl)');
      if (!args.flags.text) throw new UsageError('--text is required');
      queries = [
        { image: args.positional[0], text: args.flags.text as string, type: args.flags.type as string | undefined },
      ];
    }
    const analyses = new Map<string, ScreenAnalysis>();
    let missing = 0;
    await withVisionEngine(async (vision) => {
      for (const q of queries) {
        const r = await answer(vision, analyses, q, scale);
        if (!r.found) missing++;
        if (args.flags.json) process.stdout.write(JSON.stringify(r) + '\n');
        else if (r.found)
          process.stdout.write(
            `${r.image} "${r.text}": click at ${r.center!.join(',')} (score ${r.score}, ${r.strategy}, ${r.timing_ms} ms)\n`,
          );
        else
          process.stdout.write(
            `${r.image} "${r.text}": not found${r.ambiguous ? ` (ambiguous: ${r.candidates?.length} candidates — give --type or a longer text)` : ''}\n`,
          );
      }
    });
    // Exit 1 when a single target was not found, so scripts can test it.
    return !batch && missing ? 1 : 0;
  },
};
