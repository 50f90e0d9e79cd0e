/**
 * Test helpers for the monitoring specs: an independent reader of ZIP archives (central
 * directory, inflate, CRC check — so "valid ZIP" is checked by code that is not archiver's),
 * a parser of the Prometheus text format, and `promtool check metrics`.
 */
import { spawnSync } from 'child_process';
import { chromium, type Browser } from 'playwright-core';
import zlib from 'zlib';
import { CHROMIUM_ARGS } from '../../bench/screens/generate';

export interface ZipFile {
  name: string;
  data: Buffer;
}

/** Reads every file of a ZIP; throws on a bad signature, size or CRC. */
export function readZip(buf: Buffer): ZipFile[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a ZIP: no end of central directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files: ZipFile[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry ${n}`);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? zlib.inflateRawSync(raw) : undefined;
    if (!data) throw new Error(`${name}: unsupported compression method ${method}`);
    if (data.length !== size) throw new Error(`${name}: size ${data.length}, central directory says ${size}`);
    if (zlib.crc32(data) >>> 0 !== crc) throw new Error(`${name}: CRC mismatch`);
    files.push({ name, data });
  }
  return files;
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the samples of a Prometheus text exposition (comments skipped). */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`unparseable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[2] ? m[2].slice(1, -1) : '';
    let i = 0;
    while (i < body.length) {
      const eq = body.indexOf('=', i);
      const key = body.slice(i, eq);
      let j = eq + 2;
      let value = '';
      while (body[j] !== '"') {
        if (body[j] === '\\') {
          const c = body[j + 1];
          value += c === 'n' ? '\n' : c;
          j += 2;
        } else value += body[j++];
      }
      labels[key] = value;
      i = j + 1;
      if (body[i] === ',') i++;
    }
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** The value of one series (0 when absent: a counter that never moved). */
export function seriesValue(samples: Sample[], name: string, labels: Record<string, string>): number {
  const s = samples.find(
    (x) =>
      x.name === name &&
      Object.keys(labels).length === Object.keys(x.labels).length &&
      Object.entries(labels).every(([k, v]) => x.labels[k] === v),
  );
  return s ? s.value : 0;
}

/** Runs `promtool check metrics` on the text; returns its exit code and output. */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Polls until `probe` returns a value accepted by `ok`, or throws after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(v)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Debian's headless Chromium, with no connection of its own to the outside (this machine has none). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}
