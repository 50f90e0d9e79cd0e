/**
 * The design's one-way dependencies, checked on the sources: nodes/ and bin/ → lib/ →
 * lib/platform/; the engine never imports Node-RED; only lib/platform/ touches the desktop
 * libraries.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)));
}

function imports(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push(m[1] ?? m[2] ?? m[3]);
  }
  return found;
}

/** The top-level folder an import lands in ("lib/platform", "lib", "nodes", "bin", or a package name). */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  const rel = path.relative(root, path.resolve(root, path.dirname(file), spec));
  if (rel.startsWith('lib/platform')) return 'lib/platform';
  return rel.split(path.sep)[0];
}

const DESKTOP_PACKAGES = ['@nut-tree-fork/nut-js', '@nut-tree-fork/libnut-linux', '@nut-tree-fork/libnut', 'uiohook-napi'];

describe('layering (nodes/ and bin/ → lib/ → lib/platform/)', () => {
  it('lib/ never imports nodes/, bin/ or Node-RED', () => {
    const bad = sources('lib').flatMap((f) =>
      imports(f)
        .filter((s) => ['nodes', 'bin', 'node-red', '@node-red'].includes(target(f, s)) || s.startsWith('@node-red/'))
        .map((s) => `${f} imports ${s}`),
    );
    assert.deepStrictEqual(bad, []);
  });

  it('lib/platform/ imports nothing else of the product', () => {
    const bad = sources('lib/platform').flatMap((f) =>
      imports(f)
        .filter((s) => s.startsWith('.') && target(f, s) !== 'lib/platform')
        .map((s) => `${f} imports ${s}`),
    );
    assert.deepStrictEqual(bad, []);
  });

  it('only lib/platform/ imports the desktop libraries (nut.js, libnut, uiohook)', () => {
    const all = ['lib', 'nodes', 'bin', 'scripts', 'bench'].flatMap(sources).filter((f) => !f.startsWith('lib/platform'));
    const bad = all.flatMap((f) => imports(f).filter((s) => DESKTOP_PACKAGES.includes(target(f, s))).map((s) => `${f} imports ${s}`));
    assert.deepStrictEqual(bad, []);
  });

  it('nodes/ and bin/ do not import each other', () => {
    const bad = [
      ...sources('nodes').flatMap((f) => imports(f).filter((s) => target(f, s) === 'bin').map((s) => `${f} imports ${s}`)),
      ...sources('bin').flatMap((f) => imports(f).filter((s) => target(f, s) === 'nodes').map((s) => `${f} imports ${s}`)),
    ];
    assert.deepStrictEqual(bad, []);
  });

  it('every node module exports its init function with `export =`', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };
    for (const [type, js] of Object.entries(pkg['node-red'].nodes)) {
      const ts = js.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      assert.ok(fs.existsSync(path.join(root, ts)), `${type}: ${ts} exists`);
      assert.match(fs.readFileSync(path.join(root, ts), 'utf8'), /^export = /m, `${type}: ${ts} uses export =`);
      assert.ok(type.startsWith('rpa-'), `${type} has the rpa- prefix`);
      assert.ok(fs.existsSync(path.join(root, ts.replace(/\.ts$/, '.html'))), `${type} has an editor file`);
    }
  });
});
