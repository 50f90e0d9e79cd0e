/**
 * The OCR models are rewritten in memory at load time to run faster (scalar affines folded into
 * convolutions, hard-swish as one operator, best class computed in the graph). What they read
 * must not change: the rewritten models are run side by side with the installed files.
 */
import assert from 'assert';
import * as fs from 'fs';
import * as ort from 'onnxruntime-node';
import { BEST_CLASS_OUTPUT, BEST_PROB_OUTPUT, rewriteModel } from '../../lib/vision/ocr/model-rewrite';
import { ocrModelPaths, sessionOptions } from '../../lib/vision/ocr/models';

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
    const [a, b] = await Promise.all([ort.InferenceSession.create(original, sessionOptions(1)), ort.InferenceSession.create(model, sessionOptions(1))]);
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
    const [a, b] = await Promise.all([ort.InferenceSession.create(original, sessionOptions(1)), ort.InferenceSession.create(model, sessionOptions(1))]);
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
      assert.ok(Number(best[s]) === arg || Math.abs(p[s * classes + Number(best[s])] - p[s * classes + arg]) < 1e-4, `step ${s}: class ${best[s]} instead of ${arg}`);
      assert.ok(Math.abs(bestP[s] - p[s * classes + arg]) < 1e-3, `step ${s}: probability ${bestP[s]} instead of ${p[s * classes + arg]}`);
    }
    await Promise.all([a.release(), b.release()]);
  });
});
