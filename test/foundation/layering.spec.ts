/**
 * The design's one-way dependencies, checked with the project's dependency checker and its
 * configuration (.dependency-cruiser.js, where the order of lib/'s layers is written): the
 * tree as it is has no violation, and imports that go the wrong way are reported.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import type { ICruiseOptions, ICruiseResult, IViolation } from 'dependency-cruiser';

const root = path.resolve(__dirname, '..', '..', '..');
/** What `npm run lint` cruises. */
const LINTED = ['lib', 'nodes', 'bin', 'scripts', 'bench', 'settings.ts'];

/**
 * tsc compiles import() to require() in CommonJS output, and dependency-cruiser is an ES module
 * with top-level await, which require() cannot load.
 */
const importEsm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

/** The violations the checker finds in `paths` of `baseDir` with the project's configuration. */
async function violations(baseDir: string, paths: string[]): Promise<IViolation[]> {
  const { cruise } = await importEsm<typeof import('dependency-cruiser')>('dependency-cruiser');
  const { default: options } = await importEsm<{ default: (file: string) => Promise<ICruiseOptions> }>(
    'dependency-cruiser/config-utl/extract-depcruise-options',
  );
  const { default: tsConfig } = await importEsm<{ default: (file: string) => unknown }>(
    'dependency-cruiser/config-utl/extract-ts-config',
  );
  const tsconfig = path.join(root, 'tsconfig.json');
  const config = await options(path.join(root, '.dependency-cruiser.js'));
  const result = await cruise(
    paths,
    { ...config, baseDir, cache: false, tsConfig: { fileName: tsconfig } },
    undefined,
    { tsConfig: tsConfig(tsconfig) },
  );
  return (result.output as ICruiseResult).summary.violations;
}

/** "rule: from → to", or for a cycle "rule: from → … → from". */
const described = (v: IViolation): string =>
  `${v.rule.name}: ${[v.from, ...(v.cycle?.map((d) => d.name) ?? [v.to])].join(' → ')}`;

describe('layering (nodes/ and bin/ → lib/ in the order of its layers → lib/platform/)', function () {
  this.timeout(60_000);

  it('the tree has no cycle, no upward import between the layers of lib/, and uses only declared packages', async () => {
    assert.deepStrictEqual((await violations(root, LINTED)).map(described), []);
  });

  it('reports imports that go up the layers and a cycle through a type-only import, by rule name', async () => {
    const found = (await violations(path.join(root, 'test', 'fixtures', 'layering'), ['lib'])).map(described).sort();
    assert.deepStrictEqual(found, [
      'lib-layer-order: lib/platform/screen.ts → lib/execute/runner.ts',
      'lib-layer-order: lib/vision/see.ts → lib/graph/learn.ts',
      'no-circular: lib/state/builder.ts → lib/state/compare.ts → lib/state/builder.ts',
    ]);
  });

  it('every node module exports its init function with `export =`', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      'node-red': { nodes: Record<string, string> };
    };
    for (const [type, js] of Object.entries(pkg['node-red'].nodes)) {
      const ts = js.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      assert.ok(fs.existsSync(path.join(root, ts)), `${type}: ${ts} exists`);
      assert.match(fs.readFileSync(path.join(root, ts), 'utf8'), /^export = /m, `${type}: ${ts} uses export =`);
      assert.ok(type.startsWith('rpa-'), `${type} has the rpa- prefix`);
      assert.ok(fs.existsSync(path.join(root, ts.replace(/\.ts$/, '.html'))), `${type} has an editor file`);
    }
  });
});
