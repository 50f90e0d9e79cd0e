/**
 * A worker thread for the OCR models. onnxruntime-node runs a session synchronously on the
 * calling thread, so nothing else happens on that thread during an inference. The helper:
 *  - detects text while the main thread analyses the pixel layout;
 *  - runs about half of the recognition batches while the main thread runs the other half, two
 *    single-threaded sessions at once: measured, one session with two intra-op threads spends
 *    much of its CPU synchronising on these small tensors (up to +70 % CPU on a loaded
 *    machine), two single-threaded sessions do not.
 *
 * The same file is the worker's code: it loads the rewritten models and answers requests.
 */
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import * as ort from 'onnxruntime-node';
import type { RgbaImage } from '../../platform/types';
import type { BBox } from '../../contracts/screen-state';
import { activeProfile, profileStages, StageProfile, type Stage } from '../stage-profile';
import { BEST_CLASS_OUTPUT, BEST_PROB_OUTPUT } from './model-rewrite';
import { loadOcrSession, recognitionRewrite } from './models';
import { TextDetector, type DetectedTextBox } from './text-detector';

/** One batch's input: NCHW float32. */
export interface BatchInput {
  data: Float32Array;
  dims: number[];
}

/** Per step of each crop: best class and its probability; `steps` per crop. */
export interface BatchOutput {
  best: BigInt64Array;
  bestProb: Float32Array;
  steps: number;
}

export class OcrWorkerError extends Error {
  override name = 'OcrWorkerError';
}

const ROLE = 'rpa-vision-ocr-helper';

interface HelperConfig {
  role: typeof ROLE;
  detectionPath: string;
  recognitionPath: string;
  detectionThreads: number;
  recognitionThreads: number;
}
type StageRow = { stage: Stage; wallMs: number; cpuMs: number };
type Request =
  | { id: number; kind: 'close' }
  | { id: number; kind: 'recognize'; batches: BatchInput[] }
  | {
      id: number;
      kind: 'detect';
      image: { width: number; height: number; data: Uint8Array; scaleFactor: number };
      scale: number;
      region?: BBox;
      profile: boolean;
    };
type Result = { outputs: BatchOutput[] } | { boxes: DetectedTextBox[]; stages: StageRow[] } | { closed: true };
type Reply =
  { ready: true } | { ready: false; error: string } | ({ id: number } & Result) | { id: number; error: string };

export async function runSession(session: ort.InferenceSession, input: BatchInput): Promise<BatchOutput> {
  const out = await session.run({ x: new ort.Tensor('float32', input.data, input.dims) });
  return {
    best: out[BEST_CLASS_OUTPUT].data as BigInt64Array,
    bestProb: out[BEST_PROB_OUTPUT].data as Float32Array,
    steps: out[BEST_CLASS_OUTPUT].dims[1],
  };
}

/**
 * The pixels the helper reads, in memory both threads share. One screen is detected in several
 * requests (its whole frame, then regions read again at full size): the last copy is reused
 * while its bytes still equal the image's (a comparison costs far less than a new copy), and
 * refilled when no request is reading it.
 */
class SharedPixels {
  private last: { copy: Uint8Array; readers: number } | null = null;

  copyOf(data: Buffer): Uint8Array {
    const last = this.last;
    if (last && last.copy.byteLength === data.byteLength) {
      if (Buffer.from(last.copy.buffer, last.copy.byteOffset, last.copy.byteLength).equals(data)) {
        last.readers++;
        return last.copy;
      }
      if (last.readers === 0) {
        last.copy.set(data);
        last.readers = 1;
        return last.copy;
      }
    }
    const copy = new Uint8Array(new SharedArrayBuffer(data.byteLength));
    copy.set(data);
    this.last = { copy, readers: 1 };
    return copy;
  }

  release(copy: Uint8Array): void {
    if (this.last?.copy === copy) this.last.readers--;
  }
}

export class OcrHelper {
  private next = 0;
  private readonly pixels = new SharedPixels();
  private readonly waiting = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      if (!('id' in reply)) return;
      const w = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if ('error' in reply) w?.reject(new OcrWorkerError(`OCR failed in the helper thread: ${reply.error}`));
      else w?.resolve(reply);
    });
    const fail = (err: Error): void => {
      this.failure = new OcrWorkerError(`the OCR helper thread stopped: ${err.message}`);
      for (const w of this.waiting.values()) w.reject(this.failure);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    // An engine that is never closed must not keep the process alive (only a pending request does).
    worker.unref();
  }

  static start(
    paths: { detection: string; recognition: string },
    threads: { detection: number; recognition: number },
  ): Promise<OcrHelper> {
    const config: HelperConfig = {
      role: ROLE,
      detectionPath: paths.detection,
      recognitionPath: paths.recognition,
      detectionThreads: threads.detection,
      recognitionThreads: threads.recognition,
    };
    const worker = new Worker(path.join(__dirname, 'ocr-helper.js'), { workerData: config });
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void =>
        reject(new OcrWorkerError(`could not start the OCR helper thread: ${err.message}`));
      worker.once('error', onError);
      worker.once('message', (reply: Reply) => {
        worker.off('error', onError);
        if ('ready' in reply && reply.ready) resolve(new OcrHelper(worker));
        else {
          void worker.terminate();
          reject(
            new OcrWorkerError(
              `could not load the OCR models in the helper thread: ${'error' in reply ? reply.error : 'no answer'}`,
            ),
          );
        }
      });
    });
  }

  /** Runs recognition batches one after the other in the helper thread; the inputs are moved there, not copied. */
  async recognize(batches: BatchInput[]): Promise<BatchOutput[]> {
    const reply = await this.request(
      { id: 0, kind: 'recognize', batches },
      batches.map((b) => b.data.buffer as ArrayBuffer),
    );
    return (reply as { outputs: BatchOutput[] }).outputs;
  }

  /** Text boxes of the image (or of a region of it), detected in the helper thread on a copy of the pixels. */
  async detect(image: RgbaImage, scale: number, region?: BBox): Promise<DetectedTextBox[]> {
    const data = this.pixels.copyOf(image.data);
    const profile = activeProfile();
    try {
      const reply = (await this.request(
        {
          id: 0,
          kind: 'detect',
          image: { width: image.width, height: image.height, data, scaleFactor: image.scaleFactor },
          scale,
          region,
          profile: profile !== null,
        },
        [],
      )) as { boxes: DetectedTextBox[]; stages: StageRow[] };
      for (const row of reply.stages) profile?.add(row.stage, row.wallMs, row.cpuMs);
      return reply.boxes;
    } finally {
      this.pixels.release(data);
    }
  }

  private request(request: Request, transfer: ArrayBuffer[]): Promise<Result> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...request, id }, transfer);
    });
  }

  async close(): Promise<void> {
    try {
      await this.request({ id: 0, kind: 'close' }, []);
    } catch {
      // The thread already stopped (its failure was reported to the requests it had).
    }
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/** The worker's side: load the sessions, then answer each request in order. */
async function serve(config: HelperConfig): Promise<void> {
  const port = parentPort!;
  // Both loads finish before answering: a thread ended while onnxruntime still loads aborts the process.
  const [d, r] = await Promise.allSettled([
    TextDetector.load(config.detectionPath, config.detectionThreads),
    loadOcrSession(config.recognitionPath, config.recognitionThreads, recognitionRewrite()),
  ]);
  if (d.status === 'rejected' || r.status === 'rejected') {
    await Promise.all([
      d.status === 'fulfilled' ? d.value.close() : null,
      r.status === 'fulfilled' ? r.value.release() : null,
    ]);
    const reason = (d.status === 'rejected' ? d.reason : (r as PromiseRejectedResult).reason) as Error;
    port.postMessage({ ready: false, error: reason.message } satisfies Reply);
    return;
  }
  const detector = d.value;
  const recognizer = r.value;
  // Requests are answered one at a time, in order (a session runs synchronously anyway).
  let queue = Promise.resolve();
  port.on('message', (request: Request) => {
    queue = queue.then(async () => {
      if (request.kind === 'close') {
        // Sessions released here, before the thread is ended (ending it with live sessions aborts the process).
        await Promise.all([detector.close(), recognizer.release()]);
        port.postMessage({ id: request.id, closed: true } satisfies Reply);
        return;
      }
      try {
        port.postMessage({ id: request.id, ...(await answer(request, detector, recognizer)) } satisfies Reply);
      } catch (err) {
        port.postMessage({ id: request.id, error: (err as Error).message } satisfies Reply);
      }
    });
  });
  port.postMessage({ ready: true } satisfies Reply);
}

async function answer(
  request: Exclude<Request, { kind: 'close' }>,
  detector: TextDetector,
  recognizer: ort.InferenceSession,
): Promise<Result> {
  if (request.kind === 'recognize') {
    const outputs: BatchOutput[] = [];
    for (const b of request.batches) outputs.push(await runSession(recognizer, b));
    // Outputs are small (two values per step): copied, since onnxruntime's buffers may not be movable.
    return { outputs };
  }
  const { width, height, data, scaleFactor } = request.image;
  const image: RgbaImage = {
    width,
    height,
    data: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    scaleFactor,
  };
  // Stage times measured here are added to the main thread's profile.
  const profile = request.profile ? new StageProfile() : null;
  profileStages(profile);
  try {
    const boxes = await detector.detect(image, request.scale, request.region);
    return { boxes, stages: profile ? profile.table() : [] };
  } finally {
    profileStages(null);
  }
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) void serve(workerData as HelperConfig);
