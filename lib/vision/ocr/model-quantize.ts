/**
 * 8-bit arithmetic for the recognition model's heavy pointwise convolutions, written into the
 * graph at load time from a calibration table the project builds (bench/ocr-int8-calibration).
 *
 * Why only those: on this CPU class (AVX-512 VNNI / AVX2), onnxruntime runs an int8 1×1
 * convolution about three times faster than the float one, but every quantised tensor costs a
 * quantise and a dequantise pass. The 1×1 convolutions with 128+ input channels are most of the
 * recognition time and pay for their passes; depthwise and early convolutions do not (measured:
 * quantising every convolution read 6 % of lines differently for 16 % less CPU; these 12 read
 * 2–4 % differently for 27 % less). Each is written as the QDQ pattern
 *   DequantizeLinear(x) , DequantizeLinear(W, per output channel) , DequantizeLinear(bias) → Conv → QuantizeLinear → DequantizeLinear
 * which onnxruntime fuses into one QLinearConv; activations are unsigned 8-bit with the
 * calibrated range, weights signed 8-bit, symmetric, one scale per output channel.
 *
 * Per-channel DequantizeLinear needs opset 13; the installed model is opset 9, so the few
 * operators whose signature changed in between (Slice, Squeeze: attributes became inputs) are
 * rewritten to the opset-13 form.
 */
export interface Int8Range {
  /** Smallest and largest value seen on the calibration screens. */
  input: [number, number];
  output: [number, number];
}

/** The calibration table: per quantised Conv (named by its output tensor), its activation ranges. */
export interface Int8Table {
  /** What the table was computed from (a changed model must not use another model's ranges). */
  model: { file: string; bytes: number };
  screens: number;
  crops: number;
  convs: Record<string, Int8Range>;
}

export class Int8TableError extends Error {
  override name = 'Int8TableError';
}

export const INT8_OPSET = 13;

/** Which convolutions are worth 8-bit arithmetic (see above). */
export function worthQuantizing(weightDims: number[], group: number): boolean {
  return weightDims.length === 4 && group === 1 && weightDims[2] === 1 && weightDims[3] === 1 && weightDims[1] >= 128;
}

export interface ActivationQuant {
  scale: number;
  zeroPoint: number;
}

/** Unsigned 8-bit over the calibrated range, widened to include 0 (so zero padding stays exact). */
export function activationQuant([min, max]: [number, number]): ActivationQuant {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  return { scale, zeroPoint: Math.max(0, Math.min(255, Math.round(-lo / scale))) };
}

/** Symmetric signed 8-bit weights with one scale per output channel (dims[0]). */
export function quantizeWeights(data: Float32Array, outputs: number): { values: Int8Array; scales: Float32Array } {
  const per = data.length / outputs;
  const values = new Int8Array(data.length);
  const scales = new Float32Array(outputs);
  for (let o = 0; o < outputs; o++) {
    let peak = 0;
    for (let j = 0; j < per; j++) peak = Math.max(peak, Math.abs(data[o * per + j]));
    const s = peak > 0 ? peak / 127 : 1;
    scales[o] = s;
    for (let j = 0; j < per; j++)
      values[o * per + j] = Math.max(-127, Math.min(127, Math.round(data[o * per + j] / s)));
  }
  return { values, scales };
}

/** The bias in the accumulator's 32-bit integers: scale = input scale × weight scale, per channel. */
export function quantizeBias(
  bias: Float32Array,
  inputScale: number,
  weightScales: Float32Array,
): { values: Int32Array; scales: Float32Array } {
  const scales = weightScales.map((s) => s * inputScale);
  const values = new Int32Array(bias.length);
  for (let o = 0; o < bias.length; o++) values[o] = Math.round(bias[o] / scales[o]);
  return { values, scales };
}

/** Whether a table was computed for this model (its ranges mean nothing for another one). */
export function tableFits(table: Int8Table, modelBytes: number): boolean {
  return table.model.bytes === modelBytes;
}

/** Checks a table against the model it is about to be applied to. */
export function checkTable(table: Int8Table, modelBytes: number, modelFile: string): void {
  if (!tableFits(table, modelBytes))
    throw new Int8TableError(
      `the int8 calibration table was computed for ${table.model.file} (${table.model.bytes} bytes), not for ${modelFile} (${modelBytes} bytes): rebuild it with node dist/bench/ocr-int8-calibration.js`,
    );
}
