/**
 * Makes the PP-OCRv4 models cheaper to run without changing what they compute, by rewriting
 * the installed ONNX file in memory when it is loaded (offline, the same result every time):
 *
 *  - Paddle's export writes every activation of PPLCNetV3 as nine elementwise operators:
 *    a learnable scalar affine (Mul, Add), hard-swish spelled Add/Clip/Mul/Div, and another
 *    scalar affine. onnxruntime fuses none of them, and on CPU each is a full pass over the
 *    feature map (measured: 42 % of recognition time, 36 % of detection time). The scalar affine
 *    after a Conv is folded into its weights and bias, hard-swish becomes x·HardSigmoid(x), and
 *    the affine before a Conv is folded into that Conv when it is exact (a scale always; a shift
 *    only when the Conv has no zero padding, which the shift would otherwise change). An affine
 *    that cannot be folded (a shift before a padded Conv, a tensor read by several nodes) becomes
 *    a depthwise 1×1 Conv: onnxruntime keeps a Conv in its blocked channel layout, while a scalar
 *    Mul and Add each need the tensor converted out of it and back.
 *  - Optionally (recognition) the graph ends with ArgMax and ReduceMax over the classes, so
 *    greedy CTC decoding reads two small tensors instead of copying steps × 6625 probabilities.
 *
 * Outputs match the original model to float rounding (checked by test/vision/model-rewrite.spec).
 */
import { encode, ModelFormatError, readFields, text, type ProtoField } from './onnx-proto';
import {
  activationQuant,
  checkTable,
  INT8_OPSET,
  quantizeBias,
  quantizeWeights,
  worthQuantizing,
  type Int8Table,
} from './model-quantize';

interface Node {
  inputs: string[];
  outputs: string[];
  op: string;
  /** Encoded AttributeProto messages. */
  attributes: Uint8Array[];
  /** The node as read, written back as is unless `changed`. */
  raw: Uint8Array | null;
  changed: boolean;
  dead: boolean;
}

interface Constant {
  dims: number[];
  data: Float32Array;
}

export interface RewriteOptions {
  /** Replace the graph's output by its per-step best class (int64) and that class's probability. */
  bestClassOutputs?: boolean;
  /** 8-bit arithmetic for the convolutions of this calibration table (see model-quantize). */
  int8?: Int8Table;
  /** Calibration: the inputs and outputs of the convolutions worth quantising become graph outputs too. */
  exposeQuantizable?: boolean;
}

export interface RewriteReport {
  foldedIntoConv: number;
  /** Affines that could not be folded, made depthwise 1×1 convolutions. */
  affineConvs: number;
  hardSwish: number;
  nodesBefore: number;
  nodesAfter: number;
  /** Convolutions given 8-bit arithmetic. */
  quantized: number;
  /** With exposeQuantizable: per convolution worth quantising, its input and output tensors (graph outputs now). */
  quantizable: { input: string; output: string }[];
}

export const BEST_CLASS_OUTPUT = 'rpa_best_class';
export const BEST_PROB_OUTPUT = 'rpa_best_prob';

// ModelProto.graph, GraphProto.node/output, NodeProto fields, AttributeProto fields, TensorProto fields.
const MODEL_GRAPH = 7;
const MODEL_OPSET = 8;
const GRAPH_NODE = 1;
const GRAPH_OUTPUT = 12;
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 };
const ATTR = { name: 1, f: 2, i: 3, t: 5, floats: 7, ints: 8, type: 20 };
const TENSOR = { dims: 1, dataType: 2, rawData: 9 };
const FLOAT = 1;
const UINT8 = 2;
const INT8 = 3;
const INT32 = 6;
const INT64 = 7;
type TensorData = Float32Array | Uint8Array | Int8Array | Int32Array | BigInt64Array;

export function rewriteModel(
  model: Uint8Array,
  options: RewriteOptions = {},
): { model: Buffer; report: RewriteReport } {
  const top = readFields(model);
  const graphField = top.find((f) => f.no === MODEL_GRAPH);
  if (!graphField) throw new ModelFormatError('the ONNX model has no graph');
  const graphFields = readFields(graphField.bytes);
  const g = new Graph(graphFields.filter((f) => f.no === GRAPH_NODE).map((f) => readNode(f.bytes)));
  const outputs = graphFields
    .filter((f) => f.no === GRAPH_OUTPUT)
    .map((f) => text(readFields(f.bytes).find((x) => x.no === 1)));
  g.protect(outputs);
  const nodesBefore = g.nodes.length;
  const foldedAfter = g.foldAffineIntoPreviousConv();
  const hardSwish = g.simplifyHardSwish();
  const before = g.foldScaleIntoNextConv();
  let outputFields = graphFields.filter((f) => f.no === GRAPH_OUTPUT).map((f) => f.raw);
  if (options.bestClassOutputs) {
    if (outputs.length !== 1)
      throw new ModelFormatError(`expected one output in the recognition model, found ${outputs.length}`);
    g.add({
      op: 'ArgMax',
      inputs: [outputs[0]],
      outputs: [BEST_CLASS_OUTPUT],
      attributes: [intAttribute('axis', -1), intAttribute('keepdims', 0)],
    });
    g.add({
      op: 'ReduceMax',
      inputs: [outputs[0]],
      outputs: [BEST_PROB_OUTPUT],
      attributes: [intsAttribute('axes', [-1]), intAttribute('keepdims', 0)],
    });
    outputFields = [
      encode.bytes(GRAPH_OUTPUT, valueInfo(BEST_CLASS_OUTPUT, INT64)),
      encode.bytes(GRAPH_OUTPUT, valueInfo(BEST_PROB_OUTPUT, FLOAT)),
    ];
  }
  const quantizable = g.quantizableConvs().map((c) => ({ input: c.inputs[0], output: c.outputs[0] }));
  if (options.exposeQuantizable) {
    const names = [...new Set(quantizable.flatMap((c) => [c.input, c.output]))];
    g.protect(names);
    outputFields = [...outputFields, ...names.map((n) => encode.bytes(GRAPH_OUTPUT, valueInfo(n, FLOAT)))];
  }
  let quantized = 0;
  let opset: number | null = null;
  if (options.int8) {
    checkTable(options.int8, model.byteLength, 'the installed recognition model');
    quantized = g.quantizeConvs(options.int8);
    g.upgradeToOpset13();
    opset = INT8_OPSET;
  }
  const live = g.liveNodes();
  const graph = Buffer.concat([
    ...live.map((n) =>
      n.changed || !n.raw ? encode.bytes(GRAPH_NODE, writeNode(n)) : encode.bytes(GRAPH_NODE, n.raw),
    ),
    ...graphFields.filter((f) => f.no !== GRAPH_NODE && f.no !== GRAPH_OUTPUT).map((f) => f.raw),
    ...outputFields,
  ]);
  const rewritten = Buffer.concat(
    top.map((f) =>
      f.no === MODEL_GRAPH
        ? encode.bytes(MODEL_GRAPH, graph)
        : opset !== null && f.no === MODEL_OPSET
          ? withOpsetVersion(f, opset)
          : f.raw,
    ),
  );
  return {
    model: rewritten,
    report: {
      foldedIntoConv: foldedAfter + before.folded,
      affineConvs: before.affineConvs,
      hardSwish,
      nodesBefore,
      nodesAfter: live.length,
      quantized,
      quantizable,
    },
  };
}

class Graph {
  private readonly constants = new Map<string, Constant>();
  private consumers = new Map<string, Node[]>();
  private readonly protectedNames = new Set<string>();
  private readonly newConstants: Node[] = [];
  private fresh = 0;

  constructor(readonly nodes: Node[]) {
    for (const n of nodes) {
      if (n.op !== 'Constant' || n.outputs.length !== 1) continue;
      const value = readConstant(n);
      if (value) this.constants.set(n.outputs[0], value);
    }
    this.index();
  }

  /** Graph outputs keep their producer's name. */
  protect(names: string[]): void {
    for (const n of names) this.protectedNames.add(n);
  }

  add(n: Omit<Node, 'raw' | 'changed' | 'dead'>): Node {
    const node: Node = { ...n, raw: null, changed: true, dead: false };
    // New constants go first (the passes iterate over `nodes`; the list stays topologically sorted).
    if (n.op === 'Constant') this.newConstants.push(node);
    else this.nodes.push(node);
    return node;
  }

  liveNodes(): Node[] {
    this.index();
    return [...this.newConstants, ...this.nodes].filter(
      (n) =>
        !n.dead && (n.op !== 'Constant' || n.outputs.some((o) => this.consumers.has(o) || this.protectedNames.has(o))),
    );
  }

  /** Conv → Mul(scalar) / Add(scalar) chains: the scalars go into the Conv's weights and bias. */
  foldAffineIntoPreviousConv(): number {
    let folded = 0;
    for (const conv of this.nodes) {
      if (conv.dead || conv.op !== 'Conv' || !this.weights(conv)) continue;
      for (;;) {
        const next = this.onlyConsumer(conv.outputs[0]);
        if (!next || (next.op !== 'Mul' && next.op !== 'Add')) break;
        const v = this.scalarOperand(next, conv.outputs[0]);
        if (v === undefined) break;
        const w = this.weights(conv)!;
        const b = this.bias(conv);
        if (next.op === 'Mul') {
          this.setInput(
            conv,
            1,
            w.dims,
            w.data.map((x) => x * v),
          );
          this.setInput(
            conv,
            2,
            b.dims,
            b.data.map((x) => x * v),
          );
        } else
          this.setInput(
            conv,
            2,
            b.dims,
            b.data.map((x) => x + v),
          );
        conv.outputs = [next.outputs[0]];
        next.dead = true;
        this.index();
        folded++;
      }
    }
    return folded;
  }

  /** Add(x, 3) → Clip(0, 6) → Mul(x, ·) → Div(·, 6) becomes Mul(x, HardSigmoid(x)). */
  simplifyHardSwish(): number {
    let count = 0;
    for (const add of this.nodes) {
      if (add.dead || add.op !== 'Add') continue;
      const x = add.inputs.find((i) => !this.constants.has(i));
      if (x === undefined || this.scalarOperand(add, x) !== 3) continue;
      const clip = this.onlyConsumer(add.outputs[0]);
      if (!clip || clip.op !== 'Clip' || !this.clipsTo(clip, 0, 6)) continue;
      const mul = this.onlyConsumer(clip.outputs[0]);
      if (!mul || mul.op !== 'Mul' || !mul.inputs.includes(x)) continue;
      const div = this.onlyConsumer(mul.outputs[0]);
      if (!div || div.op !== 'Div' || div.inputs[0] !== mul.outputs[0] || this.scalar(div.inputs[1]) !== 6) continue;
      const gate = `rpa_hard_sigmoid_${this.fresh++}`;
      Object.assign(add, {
        op: 'HardSigmoid',
        inputs: [x],
        outputs: [gate],
        attributes: [floatAttribute('alpha', 1 / 6), floatAttribute('beta', 0.5)],
        changed: true,
      });
      Object.assign(mul, { inputs: [x, gate], outputs: [div.outputs[0]], changed: true });
      clip.dead = true;
      div.dead = true;
      count++;
    }
    this.index();
    return count;
  }

  /**
   * Mul(x, s) [→ Add(·, b)] → Conv: s scales the Conv's weights; b becomes bias only for a Conv
   * without padding (its zero padding would not be shifted by b). Otherwise, and when other nodes
   * read the affine's output too, the affine becomes a depthwise 1×1 Conv (`affineAsConv`).
   */
  foldScaleIntoNextConv(): { folded: number; affineConvs: number } {
    let folded = 0;
    let affineConvs = 0;
    for (const mul of this.nodes) {
      if (mul.dead || mul.op !== 'Mul') continue;
      const x = mul.inputs.find((i) => !this.constants.has(i));
      const s = x === undefined ? undefined : this.scalarOperand(mul, x);
      if (x === undefined || s === undefined) continue;
      let add: Node | undefined = this.onlyConsumer(mul.outputs[0]);
      let shift = 0;
      if (add?.op === 'Add') {
        const b = this.scalarOperand(add, mul.outputs[0]);
        if (b === undefined) continue;
        shift = b;
      } else add = undefined;
      const out = (add ?? mul).outputs[0];
      const users = this.consumers.get(out) ?? [];
      const conv = users.find((c) => c.op === 'Conv' && c.inputs[0] === out && this.weights(c));
      if (!conv) continue;
      const w = this.weights(conv)!;
      if (users.length > 1 || this.protectedNames.has(out) || (shift !== 0 && hasPadding(conv))) {
        this.affineAsConv(mul, x, s, shift, out, w.dims[1] * (intOf(conv, 'group') ?? 1));
        if (add) add.dead = true;
        this.index();
        affineConvs++;
        continue;
      }
      if (shift !== 0) {
        const b = this.bias(conv);
        const perOutput = w.data.length / w.dims[0];
        const shifted = b.data.slice();
        for (let o = 0; o < w.dims[0]; o++) {
          let sum = 0;
          for (let j = 0; j < perOutput; j++) sum += w.data[o * perOutput + j];
          shifted[o] += shift * sum;
        }
        this.setInput(conv, 2, b.dims, shifted);
      }
      this.setInput(
        conv,
        1,
        w.dims,
        w.data.map((v) => v * s),
      );
      conv.inputs[0] = x;
      conv.changed = true;
      mul.dead = true;
      if (add) add.dead = true;
      this.index();
      folded++;
    }
    return { folded, affineConvs };
  }

  /**
   * x·s + b over `channels` channels as one depthwise 1×1 Conv, in place of `at`: onnxruntime runs
   * a Conv in its blocked channel layout, where a Mul and an Add by a scalar each need the tensor
   * converted out of that layout and back (four passes over the feature map instead of one).
   */
  private affineAsConv(at: Node, x: string, s: number, b: number, output: string, channels: number): void {
    const weights = this.constantOf([channels, 1, 1, 1], new Float32Array(channels).fill(s));
    const bias = this.constantOf([channels], new Float32Array(channels).fill(b));
    Object.assign(at, {
      op: 'Conv',
      inputs: [x, weights, bias],
      outputs: [output],
      attributes: [intAttribute('group', channels), intsAttribute('kernel_shape', [1, 1])],
      changed: true,
    });
  }

  /** The convolutions worth 8-bit arithmetic (see model-quantize), with constant weights. */
  quantizableConvs(): Node[] {
    return this.nodes.filter(
      (n) =>
        !n.dead && n.op === 'Conv' && this.weights(n) && worthQuantizing(this.weights(n)!.dims, intOf(n, 'group') ?? 1),
    );
  }

  /**
   * Each convolution of the table becomes DQ(Q(x)), DQ(int8 W), DQ(int32 bias) → Conv → Q → DQ
   * (onnxruntime fuses that into one QLinearConv); the dequantised output keeps the Conv's
   * output name, so its consumers are unchanged.
   */
  quantizeConvs(table: Int8Table): number {
    let count = 0;
    const dequantised = new Set<string>();
    for (const conv of this.quantizableConvs()) {
      const range = table.convs[conv.outputs[0]];
      if (!range) continue;
      const w = this.weights(conv)!;
      const b = this.bias(conv);
      const inQ = activationQuant(range.input);
      const outQ = activationQuant(range.output);
      const [x, y] = [conv.inputs[0], conv.outputs[0]];
      const before: Omit<Node, 'raw' | 'changed' | 'dead'>[] = [];
      let xIn = x;
      if (!dequantised.has(x)) {
        xIn = `${x}_rpa_dq`;
        before.push(...this.quantDequant(x, xIn, inQ));
      }
      const weights = quantizeWeights(w.data, w.dims[0]);
      const bias = quantizeBias(b.data, inQ.scale, weights.scales);
      const wIn = this.dequantizeConstant(w.dims, weights.values, weights.scales, new Int8Array(w.dims[0]));
      const bIn = this.dequantizeConstant(b.dims, bias.values, bias.scales, new Int32Array(b.dims[0]));
      before.push(...wIn.nodes, ...bIn.nodes);
      const yFloat = `${y}_rpa_float`;
      Object.assign(conv, { inputs: [xIn, wIn.name, bIn.name], outputs: [yFloat], changed: true });
      this.insertAround(conv, before, this.quantDequant(yFloat, y, outQ));
      dequantised.add(y);
      count++;
    }
    this.index();
    return count;
  }

  /** Slice and Squeeze of opset 9 take their axes, starts and ends as attributes; from opset 13 on, as inputs. */
  upgradeToOpset13(): void {
    for (const n of [...this.nodes]) {
      if (n.dead || (n.op !== 'Slice' && n.op !== 'Squeeze')) continue;
      const names = n.op === 'Slice' ? ['starts', 'ends', 'axes'] : ['axes'];
      const inputs = names.map((a) => {
        const values = intsOf(n, a);
        if (!values) return '';
        const name = `rpa_${a}_${this.fresh++}`;
        this.add({
          op: 'Constant',
          inputs: [],
          outputs: [name],
          attributes: [tensorAttribute('value', [values.length], BigInt64Array.from(values.map(BigInt)))],
        });
        return name;
      });
      while (inputs.length && inputs[inputs.length - 1] === '') inputs.pop();
      n.inputs = [n.inputs[0], ...inputs];
      n.attributes = n.attributes.filter((a) => !names.includes(attributeName(a)));
      n.changed = true;
    }
    this.index();
  }

  private quantDequant(
    x: string,
    out: string,
    q: { scale: number; zeroPoint: number },
  ): Omit<Node, 'raw' | 'changed' | 'dead'>[] {
    const scale = this.constantOf([], Float32Array.of(q.scale));
    const zero = this.constantOf([], Uint8Array.of(q.zeroPoint));
    const quantised = `${x}_rpa_u8`;
    return [
      { op: 'QuantizeLinear', inputs: [x, scale, zero], outputs: [quantised], attributes: [] },
      { op: 'DequantizeLinear', inputs: [quantised, scale, zero], outputs: [out], attributes: [] },
    ];
  }

  private dequantizeConstant(
    dims: number[],
    values: Int8Array | Int32Array,
    scales: Float32Array,
    zeros: Int8Array | Int32Array,
  ): { name: string; nodes: Omit<Node, 'raw' | 'changed' | 'dead'>[] } {
    const name = `rpa_dequantised_${this.fresh++}`;
    const inputs = [
      this.constantOf(dims, values),
      this.constantOf([scales.length], scales),
      this.constantOf([zeros.length], zeros),
    ];
    return {
      name,
      nodes: [{ op: 'DequantizeLinear', inputs, outputs: [name], attributes: [intAttribute('axis', 0)] }],
    };
  }

  private constantOf(dims: number[], data: TensorData): string {
    const name = `rpa_q_${this.fresh++}`;
    this.add({ op: 'Constant', inputs: [], outputs: [name], attributes: [tensorAttribute('value', dims, data)] });
    return name;
  }

  /** New nodes right before and after `n`, keeping the list in topological order. */
  private insertAround(
    n: Node,
    before: Omit<Node, 'raw' | 'changed' | 'dead'>[],
    after: Omit<Node, 'raw' | 'changed' | 'dead'>[],
  ): void {
    const made = (list: typeof before): Node[] => list.map((m) => ({ ...m, raw: null, changed: true, dead: false }));
    const at = this.nodes.indexOf(n);
    this.nodes.splice(at + 1, 0, ...made(after));
    this.nodes.splice(at, 0, ...made(before));
  }

  private index(): void {
    this.consumers = new Map();
    for (const n of [...this.newConstants, ...this.nodes]) {
      if (n.dead) continue;
      for (const i of n.inputs) {
        const list = this.consumers.get(i);
        if (list) list.push(n);
        else this.consumers.set(i, [n]);
      }
    }
  }

  private onlyConsumer(name: string): Node | undefined {
    if (this.protectedNames.has(name)) return undefined;
    const list = this.consumers.get(name);
    return list && list.length === 1 ? list[0] : undefined;
  }

  private scalar(name: string | undefined): number | undefined {
    const c = name === undefined ? undefined : this.constants.get(name);
    return c && c.data.length === 1 ? c.data[0] : undefined;
  }

  /** The scalar constant a binary node combines with `x`. */
  private scalarOperand(n: Node, x: string): number | undefined {
    if (n.inputs.length !== 2) return undefined;
    const other = n.inputs[0] === x ? n.inputs[1] : n.inputs[1] === x ? n.inputs[0] : undefined;
    return this.scalar(other);
  }

  private clipsTo(clip: Node, min: number, max: number): boolean {
    if (clip.inputs.length >= 3) return this.scalar(clip.inputs[1]) === min && this.scalar(clip.inputs[2]) === max;
    const attrs = new Map(
      clip.attributes.map((a) => {
        const f = readFields(a);
        const value = f.find((x) => x.no === ATTR.f);
        return [
          text(f.find((x) => x.no === ATTR.name)),
          value ? Buffer.from(value.bytes).readFloatLE(0) : NaN,
        ] as const;
      }),
    );
    return attrs.get('min') === min && attrs.get('max') === max;
  }

  private weights(conv: Node): Constant | undefined {
    const w = this.constants.get(conv.inputs[1]);
    if (!w || w.dims.length !== 4) return undefined;
    if (conv.inputs[2] !== undefined && !this.constants.has(conv.inputs[2])) return undefined;
    return w;
  }

  private bias(conv: Node): Constant {
    const existing = conv.inputs[2] === undefined ? undefined : this.constants.get(conv.inputs[2]);
    if (existing) return existing;
    const outputs = this.weights(conv)!.dims[0];
    return { dims: [outputs], data: new Float32Array(outputs) };
  }

  /** Gives the node a new constant input (constants may be shared, so they are never edited in place). */
  private setInput(n: Node, index: number, dims: number[], data: Float32Array): void {
    const name = `rpa_folded_${this.fresh++}`;
    this.add({ op: 'Constant', inputs: [], outputs: [name], attributes: [tensorAttribute('value', dims, data)] });
    this.constants.set(name, { dims, data });
    n.inputs[index] = name;
    n.changed = true;
  }
}

function readNode(bytes: Uint8Array): Node {
  const fields = readFields(bytes);
  const all = (no: number) => fields.filter((f) => f.no === no);
  return {
    inputs: all(NODE.input).map(text),
    outputs: all(NODE.output).map(text),
    op: text(all(NODE.opType)[0]),
    attributes: all(NODE.attribute).map((f) => f.bytes),
    raw: bytes,
    changed: false,
    dead: false,
  };
}

/** Rewritten nodes carry no name or domain: the passes only write default-domain operators. */
function writeNode(n: Node): Buffer {
  return Buffer.concat([
    ...n.inputs.map((i) => encode.string(NODE.input, i)),
    ...n.outputs.map((o) => encode.string(NODE.output, o)),
    encode.string(NODE.opType, n.op),
    ...n.attributes.map((a) => encode.bytes(NODE.attribute, a)),
  ]);
}

/** A float32 Constant's value, or null for any other kind of constant. */
function readConstant(n: Node): Constant | null {
  for (const a of n.attributes) {
    const f = readFields(a);
    const tensor = f.find((x) => x.no === ATTR.t);
    if (text(f.find((x) => x.no === ATTR.name)) !== 'value' || !tensor) continue;
    const t = readFields(tensor.bytes);
    const type = t.find((x) => x.no === TENSOR.dataType);
    const raw = t.find((x) => x.no === TENSOR.rawData);
    if (!type || Number(type.int) !== FLOAT || !raw) return null;
    const copy = new Uint8Array(raw.bytes); // a copy, aligned (Buffer.slice would return a view)
    return {
      dims: t.filter((x) => x.no === TENSOR.dims).map((x: ProtoField) => Number(x.int)),
      data: new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4),
    };
  }
  return null;
}

function hasPadding(conv: Node): boolean {
  if ((intsOf(conv, 'pads') ?? []).some((p) => p !== 0)) return true;
  const autoPad = conv.attributes.find((a) => attributeName(a) === 'auto_pad');
  return autoPad !== undefined && !['NOTSET', 'VALID'].includes(text(readFields(autoPad).find((x) => x.no === 4)));
}

function floatAttribute(name: string, value: number): Buffer {
  return Buffer.concat([encode.string(ATTR.name, name), encode.float(ATTR.f, value), encode.int(ATTR.type, 1)]);
}

function intAttribute(name: string, value: number): Buffer {
  return Buffer.concat([
    encode.string(ATTR.name, name),
    encode.int(ATTR.i, BigInt.asUintN(64, BigInt(value))),
    encode.int(ATTR.type, 2),
  ]);
}

function intsAttribute(name: string, values: number[]): Buffer {
  return Buffer.concat([
    encode.string(ATTR.name, name),
    ...values.map((v) => encode.int(ATTR.ints, BigInt.asUintN(64, BigInt(v)))),
    encode.int(ATTR.type, 7),
  ]);
}

function tensorAttribute(name: string, dims: number[], data: TensorData): Buffer {
  const type =
    data instanceof Float32Array
      ? FLOAT
      : data instanceof Uint8Array
        ? UINT8
        : data instanceof Int8Array
          ? INT8
          : data instanceof Int32Array
            ? INT32
            : INT64;
  const tensor = Buffer.concat([
    ...dims.map((d) => encode.int(TENSOR.dims, d)),
    encode.int(TENSOR.dataType, type),
    encode.bytes(TENSOR.rawData, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
  ]);
  return Buffer.concat([encode.string(ATTR.name, name), encode.bytes(ATTR.t, tensor), encode.int(ATTR.type, 4)]);
}

/** ValueInfoProto { name, type { tensor_type { elem_type } } }. */
function valueInfo(name: string, elemType: number): Buffer {
  return Buffer.concat([encode.string(1, name), encode.bytes(2, encode.bytes(1, encode.int(1, elemType)))]);
}

function attributeName(a: Uint8Array): string {
  return text(readFields(a).find((x) => x.no === ATTR.name));
}

/** An ints attribute (packed or not), or undefined when the node has none of that name. */
function intsOf(n: Node, name: string): number[] | undefined {
  const a = n.attributes.find((x) => attributeName(x) === name);
  if (!a) return undefined;
  const values: number[] = [];
  for (const f of readFields(a)) {
    if (f.no !== ATTR.ints) continue;
    if (f.wireType === 0) values.push(Number(BigInt.asIntN(64, f.int)));
    else for (const p of readFields(packedAsFields(f.bytes))) values.push(Number(BigInt.asIntN(64, p.int)));
  }
  return values;
}

function intOf(n: Node, name: string): number | undefined {
  const a = n.attributes.find((x) => attributeName(x) === name);
  const f = a && readFields(a).find((x) => x.no === ATTR.i);
  return f ? Number(BigInt.asIntN(64, f.int)) : undefined;
}

/** Packed varints re-keyed as field 1 so readFields can walk them. */
function packedAsFields(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    out.push(0x08);
    do out.push(bytes[i]);
    while (bytes[i++] & 0x80);
  }
  return Uint8Array.from(out);
}

/** OperatorSetIdProto { domain = 1, version = 2 }: the default domain's version set to `version`. */
function withOpsetVersion(field: ProtoField, version: number): Uint8Array {
  const f = readFields(field.bytes);
  if (text(f.find((x) => x.no === 1)) !== '') return field.raw;
  return encode.bytes(
    MODEL_OPSET,
    Buffer.concat([...f.filter((x) => x.no !== 2).map((x) => x.raw), encode.int(2, version)]),
  );
}
