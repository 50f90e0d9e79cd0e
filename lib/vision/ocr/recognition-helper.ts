/**
 * A second recognition session in a worker thread. onnxruntime-node runs a session synchronously
 * on the calling thread, so the only way to use two cores for the many small recognition batches
 * of a screen is two sessions on two threads, each running whole batches on one core: measured,
 * one session with two intra-op threads spends much of its CPU synchronising on these small
 * tensors (up to +70 % CPU on a loaded machine), two single-threaded sessions do not.
 *
 * The same file is the worker's code: it loads the rewritten model and answers batches.
 */
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import * as ort from 'onnxruntime-node';
import { BEST_CLASS_OUTPUT, BEST_PROB_OUTPUT } from './model-rewrite';
import { loadOcrSession } from './models';

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

export class RecognitionWorkerError extends Error {
  override name = 'RecognitionWorkerError';
}

const ROLE = 'rpa-vision-recognition-helper';

interface Request {
  id: number;
  batches: BatchInput[];
}
type Reply = { ready: true } | { ready: false; error: string } | { id: number; outputs: BatchOutput[] } | { id: number; error: string };

export async function runSession(session: ort.InferenceSession, input: BatchInput): Promise<BatchOutput> {
  const out = await session.run({ x: new ort.Tensor('float32', input.data, input.dims) });
  return { best: out[BEST_CLASS_OUTPUT].data as BigInt64Array, bestProb: out[BEST_PROB_OUTPUT].data as Float32Array, steps: out[BEST_CLASS_OUTPUT].dims[1] };
}

export class RecognitionHelper {
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (o: BatchOutput[]) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      if (!('id' in reply)) return;
      const w = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if ('error' in reply) w?.reject(new RecognitionWorkerError(`text recognition failed in the helper thread: ${reply.error}`));
      else w?.resolve(reply.outputs);
    });
    const fail = (err: Error): void => {
      this.failure = new RecognitionWorkerError(`the text recognition helper thread stopped: ${err.message}`);
      for (const w of this.waiting.values()) w.reject(this.failure);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    // An engine that is never closed must not keep the process alive (only a pending request does).
    worker.unref();
  }

  static start(modelPath: string, threads: number): Promise<RecognitionHelper> {
    const worker = new Worker(path.join(__dirname, 'recognition-helper.js'), { workerData: { role: ROLE, modelPath, threads } });
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(new RecognitionWorkerError(`could not start the text recognition helper thread: ${err.message}`));
      worker.once('error', onError);
      worker.once('message', (reply: Reply) => {
        worker.off('error', onError);
        if ('ready' in reply && reply.ready) resolve(new RecognitionHelper(worker));
        else {
          void worker.terminate();
          reject(new RecognitionWorkerError(`could not load the recognition model in the helper thread: ${'error' in reply ? reply.error : 'no answer'}`));
        }
      });
    });
  }

  /** Runs the batches one after the other in the helper thread; the inputs are moved there, not copied. */
  run(batches: BatchInput[]): Promise<BatchOutput[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, batches } satisfies Request, batches.map((b) => b.data.buffer as ArrayBuffer));
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/** The worker's side: load the session, then answer each request in order. */
async function serve(modelPath: string, threads: number): Promise<void> {
  const port = parentPort!;
  let session: ort.InferenceSession;
  try {
    session = await loadOcrSession(modelPath, threads, { bestClassOutputs: true });
  } catch (err) {
    port.postMessage({ ready: false, error: (err as Error).message } satisfies Reply);
    return;
  }
  port.on('message', async (request: Request) => {
    try {
      const outputs: BatchOutput[] = [];
      for (const b of request.batches) outputs.push(await runSession(session, b));
      // Outputs are small (two values per step): copied, since onnxruntime's buffers may not be movable.
      port.postMessage({ id: request.id, outputs } satisfies Reply);
    } catch (err) {
      port.postMessage({ id: request.id, error: (err as Error).message } satisfies Reply);
    }
  });
  port.postMessage({ ready: true } satisfies Reply);
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) {
  const { modelPath, threads } = workerData as { modelPath: string; threads: number };
  void serve(modelPath, threads);
}
