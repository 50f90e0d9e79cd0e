/**
 * Resident memory of one vision engine as a user runs it (the default two threads, caches on),
 * measured in a process of its own so that the calling bench's engines do not count: once the
 * models are loaded, and after analysing and embedding screens until the analysis cache is full
 * (each screen a pixel different from the last time it was seen, so none is answered from cache).
 * Run by vision-speed.
 */
import { fork } from 'child_process';
import { createVisionEngine } from '../lib/vision';
import { decodeImage } from '../lib/image/codec';

export interface MemoryScreen {
  path: string;
  scale: number;
}

export interface MemoryFigures {
  loadedMiB: number;
  afterMiB: number;
  peakMiB: number;
  screens: number;
}

interface Job {
  files: MemoryScreen[];
  screens: number;
}

/** Runs the measure in a child process; rejects with what the child said when it fails. */
export function measureMemory(files: MemoryScreen[], screens: number): Promise<MemoryFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('message', (m) => resolve(m as MemoryFigures));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code) reject(new Error(`the memory measure stopped (exit ${code}): ${stderr.trim().slice(-500)}`));
    });
    child.send({ files, screens } satisfies Job);
  });
}

const mib = (): number => Math.round(process.memoryUsage().rss / 1048576);

async function measure({ files, screens }: Job): Promise<MemoryFigures> {
  const engine = await createVisionEngine({ threads: 2 });
  try {
    const loadedMiB = mib();
    let peakMiB = loadedMiB;
    for (let k = 0; k < screens; k++) {
      // Decoded as captured, one screen at a time: a running flow holds the screen it reads.
      const file = files[k % files.length];
      const image = await decodeImage(file.path, file.scale);
      const data = Buffer.from(image.data);
      data[k * 4] ^= 1;
      const analysis = await engine.analyze({ ...image, data });
      await engine.embed(analysis, { title: 'Factures - Clinique Demo' });
      peakMiB = Math.max(peakMiB, mib());
    }
    return { loadedMiB, afterMiB: mib(), peakMiB, screens };
  } finally {
    await engine.close();
  }
}

if (require.main === module && process.argv.includes('--child')) {
  process.once('message', (job: Job) => {
    measure(job).then(
      (figures) => process.send!(figures, () => process.exit(0)),
      (err: Error) => {
        process.stderr.write(`${err.message}\n`);
        process.exit(1);
      },
    );
  });
}
