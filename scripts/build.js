#!/usr/bin/env node
// Compiles the TypeScript sources to dist/ and copies the files Node-RED's loader and the
// tests read at run time (editor .html, locales, icons, fixtures) next to the compiled code.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const tsc = require.resolve('typescript/bin/tsc');

try {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
} catch {
  console.error('build: TypeScript compilation failed (see the errors above)');
  process.exit(1);
}

/** Copies every non-TypeScript file below `dir` into dist/, keeping the layout. */
function copyAssets(dir) {
  const from = path.join(root, dir);
  if (!fs.existsSync(from)) return;
  for (const entry of fs.readdirSync(from, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
    const source = path.join(entry.parentPath ?? entry.path, entry.name);
    const target = path.join(dist, path.relative(root, source));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(source, target);
  }
}
for (const dir of ['nodes', 'test/fixtures', 'bench/fixtures', 'lib']) copyAssets(dir);
fs.chmodSync(path.join(dist, 'bin', 'rpa-vision.js'), 0o755);

// The OCR models as the engine loads them, rewritten once here rather than in every process
// (lib/vision/ocr/models.ts says why). Without them the engine rewrites the models as it loads.
try {
  const written = require(path.join(dist, 'lib', 'vision', 'ocr', 'models.js')).writeRewrittenModels();
  if (written.length)
    console.log(`build: OCR models rewritten ahead of time: ${written.map((f) => path.basename(f)).join(', ')}`);
} catch (err) {
  console.warn(
    `build: the OCR models were not rewritten ahead of time (${err.message}); the engine will rewrite them as it loads`,
  );
}
