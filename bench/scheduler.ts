/**
 * What the automation scheduler costs when nothing fires: CPU of this process over a measuring
 * window (10 s, 3 s with --quick) while the real scheduler checks 1,000 enabled triggers every
 * second on the system clock, with a real LevelDB store. Target (issue 7): ≤ 2 % of one core.
 *
 * Scenarios: 1,000 schedule triggers (intervals of a day, half of them with daily windows in
 * four time zones), and 1,000 triggers of which 100 watch (empty) folders.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Automation, type WorkflowExecutor } from '../lib/automation';
import { openStore } from '../lib/store/store';
import type { Benchmark, BenchResult } from './types';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo'];

/** Nothing should run in this benchmark; if something does, the figure is wrong and we say so. */
const refusingExecutor: WorkflowExecutor = {
  execute: (id) => Promise.reject(new Error(`bench: workflow ${id} was launched, but no trigger should fire`)),
};

async function measure(
  fileTriggers: number,
  total: number,
  windowMs: number,
  log: (l: string) => void,
): Promise<{ percent: number; checks: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-bench-sched-'));
  const store = await openStore(dataDir);
  const automation = new Automation({ dataDir, store, executor: refusingExecutor });
  try {
    automation.workflows.import({
      workflow_id: 'wf_bench',
      name: 'bench',
      nodes: [{ node_id: 'N1', label: 'n', screen_template: {} }],
      edges: [],
    });
    for (let i = 0; i < total; i++) {
      if (i < fileTriggers) {
        const dir = path.join(dataDir, 'inbox', String(i));
        fs.mkdirSync(dir, { recursive: true });
        await automation.createTrigger({
          trigger_type: 'file',
          workflow_id: 'wf_bench',
          config: { watch_directory: dir, file_pattern: '*.pdf' },
        });
      } else {
        const windowed = i % 2 === 0;
        await automation.createTrigger({
          trigger_type: 'schedule',
          workflow_id: 'wf_bench',
          config: {
            interval_seconds: 86_400,
            timezone: ZONES[i % ZONES.length],
            ...(windowed ? { start_time: '00:00', end_time: '23:59' } : {}),
          },
        });
      }
    }
    await automation.scheduler.start();
    await sleep(2500); // first listings of the folders, JIT warm-up
    const before = process.cpuUsage();
    const started = process.hrtime.bigint();
    const checksBefore = automation.scheduler.status().last_check;
    await sleep(windowMs);
    const used = process.cpuUsage(before);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const status = automation.scheduler.status();
    if (status.queue_length || status.current_job) throw new Error('a trigger fired during the measurement');
    const percent = ((used.user + used.system) / 1000 / elapsedMs) * 100;
    log(
      `${total} triggers (${fileTriggers} file): ${percent.toFixed(2)} % of one core over ${(elapsedMs / 1000).toFixed(1)} s (last check ${checksBefore} → ${status.last_check})`,
    );
    return { percent, checks: Math.round(elapsedMs / automation.scheduler.checkIntervalMs) };
  } finally {
    await automation.close();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export const scheduler: Benchmark = {
  name: 'scheduler',
  description: 'automation scheduler: CPU with 1,000 enabled triggers when nothing fires (target ≤ 2 % of one core)',
  async run({ quick, log }) {
    const windowMs = quick ? 3000 : 10_000;
    const results: BenchResult[] = [];
    for (const [fileTriggers, label] of [
      [0, '1,000 schedule triggers'],
      [100, '900 schedule + 100 file triggers'],
    ] as const) {
      const { percent, checks } = await measure(fileTriggers, 1000, windowMs, log);
      results.push({
        benchmark: 'scheduler',
        metric: `idle CPU, ${label}`,
        subject: 'ours',
        value: Math.round(percent * 100) / 100,
        unit: '% of one core',
        n: checks,
        target: '<= 2 %',
        pass: percent <= 2,
      });
    }
    results.push({
      benchmark: 'scheduler',
      metric: 'load average (1 min) during the run',
      subject: 'machine',
      value: Math.round(os.loadavg()[0] * 100) / 100,
      unit: '',
    });
    return results;
  },
};
