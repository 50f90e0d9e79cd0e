/**
 * The OCR models are rewritten in memory at load time to run faster (scalar affines folded into
 * convolutions, hard-swish as one operator, best class computed in the graph). What they read
 * must not change: the rewritten models are run side by side with the installed files.
 */
import assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { decodeImage } from '../../lib/image/codec';
import { normalizeText } from '../../lib/vision';
import { BEST_CLASS_OUTPUT, BEST_PROB_OUTPUT, rewriteModel } from '../../lib/vision/ocr/model-rewrite';
import { Int8TableError } from '../../lib/vision/ocr/model-quantize';
import {
  ocrModelPaths,
  recognitionRewrite,
  rewrittenModel,
  sessionOptions,
  writeRewrittenModels,
} from '../../lib/vision/ocr/models';
import { OcrEngine } from '../../lib/vision/ocr/ocr-engine';
import { TextRecognizer } from '../../lib/vision/ocr/text-recognizer';
import { renderInvoice } from './helpers/render';

/** A deterministic input with text-like structure (stripes of varying frequency), in the models' value range. */
function input(dims: number[]): ort.Tensor {
  const data = new Float32Array(dims.reduce((a, b) => a * b));
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.0013) * Math.cos(i * 0.37) * 1.8;
  return new ort.Tensor('float32', data, dims);
}

describe('vision: OCR models rewritten for speed', function () {
  this.timeout(120_000);
  const paths = ocrModelPaths();

  it('detection gives the same text probability map with far fewer operators', async () => {
    const original = fs.readFileSync(paths.detection);
    const { model, report } = rewriteModel(original);
    assert.ok(report.nodesAfter < report.nodesBefore * 0.7, `nodes ${report.nodesBefore} -> ${report.nodesAfter}`);
    assert.ok(report.hardSwish >= 20 && report.foldedIntoConv >= 50, JSON.stringify(report));
    // Each affine left over (before a padded Conv, or read twice) is one Conv now, not Mul + Add.
    assert.ok(report.affineConvs >= 10, JSON.stringify(report));
    const [a, b] = await Promise.all([
      ort.InferenceSession.create(original, sessionOptions(1)),
      ort.InferenceSession.create(model, sessionOptions(1)),
    ]);
    const x = input([1, 3, 320, 640]);
    const pa = (await a.run({ x }))[a.outputNames[0]].data as Float32Array;
    const pb = (await b.run({ x }))[b.outputNames[0]].data as Float32Array;
    assert.strictEqual(pa.length, pb.length);
    let worst = 0;
    for (let i = 0; i < pa.length; i++) worst = Math.max(worst, Math.abs(pa[i] - pb[i]));
    assert.ok(worst < 1e-3, `largest probability difference ${worst}`);
    await Promise.all([a.release(), b.release()]);
  });

  it('recognition gives the same best character and probability at every step', async () => {
    const original = fs.readFileSync(paths.recognition);
    const { model, report } = rewriteModel(original, { bestClassOutputs: true });
    assert.ok(report.nodesAfter < report.nodesBefore * 0.75, `nodes ${report.nodesBefore} -> ${report.nodesAfter}`);
    const [a, b] = await Promise.all([
      ort.InferenceSession.create(original, sessionOptions(1)),
      ort.InferenceSession.create(model, sessionOptions(1)),
    ]);
    const x = input([2, 3, 48, 320]);
    const probs = (await a.run({ x }))[a.outputNames[0]];
    const out = await b.run({ x });
    const best = out[BEST_CLASS_OUTPUT].data as BigInt64Array;
    const bestP = out[BEST_PROB_OUTPUT].data as Float32Array;
    const [n, steps, classes] = probs.dims as number[];
    assert.deepStrictEqual(out[BEST_CLASS_OUTPUT].dims, [n, steps]);
    const p = probs.data as Float32Array;
    for (let s = 0; s < n * steps; s++) {
      let arg = 0;
      for (let c = 1; c < classes; c++) if (p[s * classes + c] > p[s * classes + arg]) arg = c;
      // Near-ties may flip with float rounding; then the probabilities are still equal.
      assert.ok(
        Number(best[s]) === arg || Math.abs(p[s * classes + Number(best[s])] - p[s * classes + arg]) < 1e-4,
        `step ${s}: class ${best[s]} instead of ${arg}`,
      );
      assert.ok(
        Math.abs(bestP[s] - p[s * classes + arg]) < 1e-3,
        `step ${s}: probability ${bestP[s]} instead of ${p[s * classes + arg]}`,
      );
    }
    await Promise.all([a.release(), b.release()]);
  });

  it('the opset-13 form of the recognition model (needed for 8-bit) computes the same best characters', async () => {
    const original = fs.readFileSync(paths.recognition);
    const table = { model: { file: 'rec', bytes: original.byteLength }, screens: 0, crops: 0, convs: {} };
    const float = rewriteModel(original, { bestClassOutputs: true });
    const upgraded = rewriteModel(original, { bestClassOutputs: true, int8: table });
    assert.strictEqual(upgraded.report.quantized, 0);
    const [a, b] = await Promise.all([
      ort.InferenceSession.create(float.model, sessionOptions(1)),
      ort.InferenceSession.create(upgraded.model, sessionOptions(1)),
    ]);
    const x = input([2, 3, 48, 320]);
    const [oa, ob] = [await a.run({ x }), await b.run({ x })];
    assert.deepStrictEqual(
      Array.from(ob[BEST_CLASS_OUTPUT].data as BigInt64Array),
      Array.from(oa[BEST_CLASS_OUTPUT].data as BigInt64Array),
    );
    await Promise.all([a.release(), b.release()]);
  });

  it('loads the models the build rewrote ahead of time, byte for byte what it would rewrite itself', () => {
    const defaults: [string, ReturnType<typeof recognitionRewrite>][] = [
      [paths.detection, {}],
      [paths.recognition, recognitionRewrite()],
    ];
    for (const [model, rewrite] of defaults) {
      const loaded = rewrittenModel(model, rewrite);
      assert.strictEqual(typeof loaded, 'string', `the build wrote no rewritten ${path.basename(model)}`);
      assert.ok(fs.readFileSync(loaded as string).equals(rewriteModel(fs.readFileSync(model), rewrite).model));
    }
    // Other options name another file, which the build did not write: rewritten in memory.
    assert.ok(rewrittenModel(paths.recognition, { bestClassOutputs: true }) instanceof Uint8Array);
  });

  it('writes the rewritten models once and removes those of other versions', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-rewritten-'));
    try {
      fs.writeFileSync(path.join(dir, 'ch_PP-OCRv4_det_infer-0000000000000000.onnx'), 'an older rewrite');
      const written = writeRewrittenModels(dir);
      assert.strictEqual(written.length, 2, JSON.stringify(written));
      assert.deepStrictEqual(fs.readdirSync(dir).sort(), written.map((f) => path.basename(f)).sort());
      assert.deepStrictEqual(writeRewrittenModels(dir), [], 'already there: nothing written again');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a calibration table made for another model file', () => {
    const original = fs.readFileSync(paths.recognition);
    const table = { model: { file: 'other.onnx', bytes: 123 }, screens: 0, crops: 0, convs: {} };
    assert.throws(
      () => rewriteModel(original, { bestClassOutputs: true, int8: table }),
      (err: Error) => err instanceof Int8TableError && /other\.onnx/.test(err.message),
    );
  });

  it('reads in float, with a warning, when the calibration table was made for another version of the models', () => {
    const stale = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-int8-')), 'table.json');
    fs.writeFileSync(
      stale,
      JSON.stringify({ model: { file: 'ch_PP-OCRv4_rec_infer.onnx', bytes: 1 }, screens: 1, crops: 1, convs: {} }),
    );
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const options = recognitionRewrite(true, stale);
      assert.strictEqual(options.int8, undefined);
      assert.strictEqual(options.bestClassOutputs, true);
    } finally {
      fs.rmSync(path.dirname(stale), { recursive: true, force: true });
    }
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        process.off('warning', onWarning);
        assert.ok(
          warnings.some((m) => /another ch_PP-OCRv4_rec_infer\.onnx/.test(m)),
          JSON.stringify(warnings),
        );
        resolve();
      }),
    );
  });

  it('in 8-bit (the default), the shipped table quantises the heavy convolutions and a rendered form reads as in float', async () => {
    const shipped = recognitionRewrite(true);
    assert.ok(shipped.int8, 'the calibration table ships with the package');
    const { report } = rewriteModel(fs.readFileSync(paths.recognition), shipped);
    assert.strictEqual(report.quantized, Object.keys(shipped.int8.convs).length);
    assert.ok(report.quantized >= 10, `${report.quantized} convolutions in 8-bit`);
    const image = await decodeImage(await renderInvoice());
    const ocr = await OcrEngine.load(1, 0);
    const [float, int8] = await Promise.all(
      [false, true].map((q) => TextRecognizer.load(paths.recognition, paths.dictionary, 1, 0, q)),
    );
    try {
      const boxes = await ocr.detect(image);
      const [a, b] = [(await float.recognize(image, boxes)).lines, (await int8.recognize(image, boxes)).lines];
      const texts = (lines: typeof a): string[] => lines.map((l) => normalizeText(l?.text ?? ''));
      const same = texts(a).filter((t, i) => t === texts(b)[i]).length;
      assert.ok(
        same >= 0.9 * boxes.length,
        `${same}/${boxes.length} lines read the same: ${texts(a).join(' | ')} VS ${texts(b).join(' | ')}`,
      );
      for (const label of ['Nom du patient', 'Montant à régler', 'Valider la facture', 'Annuler'])
        assert.ok(
          texts(b).some((t) => t.includes(normalizeText(label))),
          `"${label}" read in 8-bit: ${texts(b).join(' | ')}`,
        );
    } finally {
      await Promise.all([ocr.close(), float.close(), int8.close()]);
    }
  });
});
