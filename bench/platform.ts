/**
 * Foundation figures: how fast the platform layer captures a 1920×1080 screen, how fast a
 * screenshot is encoded to PNG, and how fast the embedded store writes and reads.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { sharedDesktop } from '../test/helpers/desktop';
import type { Benchmark, BenchResult } from './types';
import { encodePng } from '../lib/image/codec';
import { openStore } from '../lib/store/store';

export function stats(values: number[]): { median: number; p95: number } {
  const s = [...values].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export const platform: Benchmark = {
  name: 'platform',
  description: 'screen capture and PNG encoding at 1920×1080, store write/read rate',
  async run({ quick, log }) {
    const results: BenchResult[] = [];
    const r = (metric: string, value: number, unit: string, n: number, target?: string, pass?: boolean) =>
      results.push({
        benchmark: 'platform',
        metric,
        subject: 'ours',
        value: Math.round(value * 10) / 10,
        unit,
        n,
        target,
        pass,
      });

    // The native desktop libraries bind to the process's DISPLAY at first use and keep it, so
    // every in-process benchmark shares one virtual desktop (killed after the process exits).
    await sharedDesktop();
    {
      const { openDesktop } = await import('../lib/platform');
      const d = await openDesktop();
      const n = quick ? 10 : 50;
      const grabs: number[] = [];
      let image = await d.screen.grab();
      for (let i = 0; i < n; i++) grabs.push(await time(async () => (image = await d.screen.grab())));
      const g = stats(grabs);
      r('screen capture 1920×1080 median', g.median, 'ms', n, '<= 50 ms (seed capture latency)', g.median <= 50);
      r('screen capture 1920×1080 p95', g.p95, 'ms', n);
      const encodes: number[] = [];
      for (let i = 0; i < Math.min(n, 20); i++) encodes.push(await time(() => encodePng(image)));
      r('PNG encode 1920×1080 median', stats(encodes).median, 'ms', encodes.length);
      log(`capture median ${g.median.toFixed(1)} ms, p95 ${g.p95.toFixed(1)} ms`);
    }

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-bench-store-'));
    const store = await openStore(dir);
    try {
      const sub = store.sub<{ i: number; text: string }>('bench');
      const count = quick ? 2_000 : 20_000;
      const writeMs = await time(async () => {
        for (let i = 0; i < count; i++) await sub.put(String(i).padStart(8, '0'), { i, text: 'entry '.repeat(8) });
      });
      r('store put rate (one at a time)', (count / writeMs) * 1000, 'ops/s', count);
      const readMs = await time(async () => {
        for (let i = 0; i < count; i++) await sub.get(String(i).padStart(8, '0'));
      });
      r('store get rate (one at a time)', (count / readMs) * 1000, 'ops/s', count);
      const scanMs = await time(() => sub.values());
      r('store range scan rate', (count / scanMs) * 1000, 'entries/s', count);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return results;
  },
};
