/**
 * `npm run bench [-- NAME... [--quick]]`: runs the registered benchmarks (all by default) and
 * writes each one's figures to bench/out/<name>.json. `--quick` (or RPA_BENCH_QUICK=1) runs the
 * small subsets only. To add a benchmark, export a `Benchmark` from bench/<area>.ts and list it
 * in BENCHMARKS.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Benchmark, BenchResult } from './types';
import { grounding } from './grounding';
import { platform } from './platform';
import { recorder } from './recorder';
import { scheduler } from './scheduler';
import { monitoring } from './monitoring';
import { runner } from './runner';
import { learningBench } from './learning';
import { visionSpeed } from './vision-speed';
import { textDetection } from './text-detection';
import { apiLoad } from './api-load';
import { robots } from './robots';

const BENCHMARKS: Benchmark[] = [
  platform,
  recorder,
  visionSpeed,
  textDetection,
  grounding,
  scheduler,
  monitoring,
  learningBench,
  runner,
  apiLoad,
  robots,
];

const OUT_DIR = path.resolve(__dirname, '..', '..', 'bench', 'out');

/** One aligned line per figure on stdout: the stable, readable form of every benchmark. */
function printTable(name: string, results: BenchResult[]): void {
  const rows = results.map((r) => [
    r.metric,
    r.subject,
    `${Number.isInteger(r.value) ? r.value : r.value.toFixed(r.value < 10 ? 2 : 1)} ${r.unit}`,
    r.n === undefined ? '' : `n=${r.n}`,
    r.target ? `target ${r.target}` : '',
    r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS',
  ]);
  const widths = rows.reduce((w, row) => row.map((c, i) => Math.max(w[i] ?? 0, c.length)), [] as number[]);
  process.stdout.write(`\n== ${name} ==\n`);
  for (const row of rows)
    process.stdout.write(
      row
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd() + '\n',
    );
}

async function main(argv: string[]): Promise<number> {
  const quick = argv.includes('--quick') || process.env.RPA_BENCH_QUICK === '1';
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (argv.includes('--help') || unknown.length > 0) {
    if (unknown.length) process.stderr.write(`bench: unknown benchmark ${unknown.map((u) => `"${u}"`).join(', ')}\n`);
    process.stderr.write(
      `usage: npm run bench -- [NAME...] [--quick]\n${BENCHMARKS.map((b) => `  ${b.name.padEnd(12)} ${b.description}`).join('\n')}\n`,
    );
    return unknown.length ? 2 : 0;
  }
  const selected = names.length ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;
  fs.mkdirSync(OUT_DIR, { recursive: true });
  let failed = false;
  for (const benchmark of selected) {
    const started = Date.now();
    process.stderr.write(`bench: ${benchmark.name}${quick ? ' (quick)' : ''}\n`);
    try {
      const results: BenchResult[] = await benchmark.run({
        quick,
        args: argv,
        log: (l) => process.stderr.write(`  ${l}\n`),
      });
      printTable(benchmark.name, results);
      const file = path.join(OUT_DIR, `${benchmark.name}${quick ? '-quick' : ''}.json`);
      fs.writeFileSync(
        file,
        JSON.stringify(
          {
            benchmark: benchmark.name,
            quick,
            finished_at: new Date().toISOString(),
            duration_s: (Date.now() - started) / 1000,
            results,
          },
          null,
          1,
        ),
      );
      process.stderr.write(
        `bench: ${benchmark.name} done in ${((Date.now() - started) / 1000).toFixed(0)} s, figures in ${file}\n`,
      );
    } catch (e) {
      failed = true;
      process.stderr.write(`bench: ${benchmark.name} failed: ${(e as Error).message}\n`);
    }
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`bench: ${e.message}\n`);
    process.exit(1);
  },
);
