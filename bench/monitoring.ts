/**
 * What monitoring costs:
 *  - log ingestion: entries per second the central logger makes durable (LevelDB + JSON-lines
 *    file), 100,000 entries (20,000 with --quick), and the cost of one log call to its caller;
 *  - GET /metrics on the real Node-RED runtime once 100 workflows have run with every status
 *    (plus steps, recoveries and log entries of 20 components): response time median and p95
 *    over 200 scrapes (50 with --quick), and how many series the exposition holds.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { openStore } from '../lib/store/store';
import { CentralLogger, MonitoringMetrics, type LogEntry } from '../lib/monitoring';
import { NodeRedRuntime } from '../test/helpers/runtime';
import type { Benchmark, BenchResult } from './types';

const LEVELS = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARNING', 'ERROR'] as const;

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

async function ingestion(count: number, log: (l: string) => void): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-bench-logs-'));
  const store = await openStore(dir);
  const metrics = new MonitoringMetrics({ processMetrics: false });
  const logger = new CentralLogger({
    store: Promise.resolve(store.sub<LogEntry>('logs')),
    logDir: path.join(dir, 'logs'),
    onEntry: (e) => metrics.recordLogEntry(e.level, e.component),
  });
  try {
    const started = process.hrtime.bigint();
    let callNs = 0n;
    for (let i = 0; i < count; i++) {
      const t = process.hrtime.bigint();
      logger.write({
        level: LEVELS[i % LEVELS.length],
        component: `component_${i % 20}`,
        message: `step ${i % 12} of workflow wf_${i % 100} verified in ${(i % 700) + 100} ms`,
        meta: {
          workflow_id: `wf_${i % 100}`,
          node_id: `N${i % 12}`,
          execution_id: `exec_${Math.floor(i / 12)}`,
          strategy: 'text_match',
          score: 0.93,
        },
      });
      callNs += process.hrtime.bigint() - t;
      // let the batches flush as they would while a workflow runs
      if (i % 5000 === 4999) await new Promise((r) => setImmediate(r));
    }
    await logger.flush();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const stored = (await logger.query({ limit: count + 1 })).length;
    if (stored !== count) throw new Error(`bench: ${stored} entries stored, ${count} written`);
    const rate = count / seconds;
    const perCallUs = Number(callNs) / count / 1000;
    log(
      `ingestion: ${count} entries durable in ${seconds.toFixed(2)} s → ${Math.round(rate)} entries/s; ${perCallUs.toFixed(1)} µs per log call`,
    );
    return [
      {
        benchmark: 'monitoring',
        metric: 'log ingestion (store + JSON lines, durable)',
        subject: 'central logger',
        value: Math.round(rate),
        unit: 'entries/s',
        n: count,
      },
      {
        benchmark: 'monitoring',
        metric: 'cost of one log call to the caller',
        subject: 'central logger',
        value: Math.round(perCallUs * 10) / 10,
        unit: 'µs',
        n: count,
      },
    ];
  } finally {
    await logger.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const flows = [
  { id: 'bm_tab', type: 'tab', label: 'bench' },
  {
    id: 'bm_end',
    type: 'inject',
    z: 'bm_tab',
    props: [{ p: 'payload' }],
    payload: '',
    payloadType: 'date',
    repeat: '',
    once: false,
    wires: [['bm_log_end']],
  },
  {
    id: 'bm_log_end',
    type: 'rpa-log',
    z: 'bm_tab',
    event: 'workflow_end',
    level: 'auto',
    component: 'flow',
    workflowId: '',
    message: '',
    wires: [[]],
  },
];

async function scrape(scrapes: number, log: (l: string) => void): Promise<BenchResult[]> {
  const rt = await NodeRedRuntime.start({ flows, env: { RPA_VISION_RESOURCE_INTERVAL_S: '0' } });
  try {
    // 100 workflows × 4 statuses, each with a duration: counters and histograms for all of them
    const statuses = ['success', 'failed', 'timeout', 'cancelled'];
    for (let w = 0; w < 100; w++) {
      await Promise.all(
        statuses.map((status, s) =>
          rt.fetch('/inject/bm_end', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({
              __user_inject_props__: [
                { p: 'workflow_id', v: `wf_${w}`, vt: 'str' },
                { p: 'status', v: status, vt: 'str' },
                { p: 'duration', v: String(5 + w + s), vt: 'num' },
              ],
            }),
          }),
        ),
      );
    }
    const entries = Array.from({ length: 200 }, (_, i) => ({
      level: LEVELS[i % LEVELS.length],
      component: `component_${i % 20}`,
      message: 'bench',
      workflow_id: `wf_${i % 100}`,
    }));
    await rt.json('/api/logs', { method: 'POST', body: JSON.stringify(entries) });
    await new Promise((r) => setTimeout(r, 500));
    const first = await (await rt.fetch('/metrics')).text();
    const series = first.split('\n').filter((l) => l && !l.startsWith('#')).length;
    const executions = first.split('\n').filter((l) => l.startsWith('workflow_executions_total{')).length;
    if (executions < 400) throw new Error(`bench: only ${executions} workflow_executions_total series after 400 runs`);
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < scrapes; i++) {
      const t = process.hrtime.bigint();
      const res = await rt.fetch('/metrics');
      bytes = (await res.text()).length;
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const median = quantile(times, 0.5);
    const p95 = quantile(times, 0.95);
    log(
      `/metrics: ${series} series (${executions} workflow_executions_total), ${(bytes / 1024).toFixed(0)} KiB; median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${scrapes} scrapes`,
    );
    return [
      {
        benchmark: 'monitoring',
        metric: '/metrics response time, median (100 workflows)',
        subject: 'Node-RED runtime',
        value: Math.round(median * 10) / 10,
        unit: 'ms',
        n: scrapes,
      },
      {
        benchmark: 'monitoring',
        metric: '/metrics response time, p95 (100 workflows)',
        subject: 'Node-RED runtime',
        value: Math.round(p95 * 10) / 10,
        unit: 'ms',
        n: scrapes,
      },
      {
        benchmark: 'monitoring',
        metric: '/metrics series (100 workflows)',
        subject: 'Node-RED runtime',
        value: series,
        unit: 'series',
        n: 1,
      },
    ];
  } finally {
    await rt.stop();
  }
}

export const monitoring: Benchmark = {
  name: 'monitoring',
  description: 'log ingestion rate (entries/s) and /metrics response time with 100 workflows of series',
  async run({ quick, log }) {
    return [...(await ingestion(quick ? 20_000 : 100_000, log)), ...(await scrape(quick ? 50 : 200, log))];
  },
};
