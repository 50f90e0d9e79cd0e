/**
 * What recording costs at 1920×1080: how soon after an input event the recorder has a fresh
 * screenshot (the seed's "latence capture < 50 ms"), whether every click has its before/after
 * screenshots, and the recorder's CPU when the user does nothing (target ≤ 2 % of one core).
 *
 * Runs the real thing: `Recording` with its agent process on its own Xvfb with mousepad,
 * xdotool clicking. The machine's load average is reported with the figures because a busy
 * machine (other tests, other benchmarks) stretches every latency.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { VirtualDesktop } from '../test/helpers/desktop';
import { Recording } from '../lib/capture/recording';
import type { Benchmark, BenchResult } from './types';
import { stats } from './platform';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

export const recorder: Benchmark = {
  name: 'recorder',
  description: 'recorder: input event → screenshot latency at 1920×1080, idle CPU, memory',
  async run({ quick, log }) {
    const results: BenchResult[] = [];
    const r = (metric: string, value: number, unit: string, n: number, target?: string, pass?: boolean) =>
      results.push({
        benchmark: 'recorder',
        metric,
        subject: 'ours',
        value: Math.round(value * 10) / 10,
        unit,
        n,
        target,
        pass,
      });
    const vd = await VirtualDesktop.start({ width: 1920, height: 1080 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-bench-rec-'));
    try {
      vd.launch('mousepad', []);
      await vd.activate(await vd.waitForWindow('Mousepad'));
      const recording = await Recording.start({ outDir: dir, display: vd.display });

      // Idle first: no input for the whole window, after the recorder has calmed down.
      const idleS = quick ? 10 : 30;
      await sleep(3000);
      const pid = recording.agentPid!;
      const agent0 = cpuSeconds(pid);
      const self0 = process.cpuUsage();
      const wall0 = Date.now();
      await sleep(idleS * 1000);
      const wallS = (Date.now() - wall0) / 1000;
      const selfUse = process.cpuUsage(self0);
      const idleAgent = ((cpuSeconds(pid) - agent0) / wallS) * 100;
      const idleSupervisor = ((selfUse.user + selfUse.system) / 1e6 / wallS) * 100;
      const idle = idleAgent + idleSupervisor;
      log(
        `idle CPU over ${wallS.toFixed(0)} s: agent ${idleAgent.toFixed(2)} %, supervisor ${idleSupervisor.toFixed(2)} %`,
      );
      r('idle CPU (agent + supervisor, % of one core)', idle, '%', 1, '<= 2 %', idle <= 2);

      // Clicks spaced so each one finds a settled screen, as a person's clicks do.
      const clicks = quick ? 20 : 60;
      for (let i = 0; i < clicks; i++) {
        const x = 400 + (i % 10) * 40;
        const y = 500 + Math.floor(i / 10) * 20;
        await vd.xdotool(['mousemove', String(x), String(y), 'click', '1']);
        await sleep(450);
      }
      const { session } = await recording.stop();
      const perf = session.performance!;
      log(
        `event → screenshot: median ${perf.capture_latency_ms} ms, p95 ${perf.capture_latency_p95_ms} ms; recorder CPU over the session ${perf.cpu_usage_percent} %, peak memory ${perf.memory_usage_mb} MB`,
      );
      r('event → screenshot latency, median', perf.capture_latency_ms, 'ms', clicks);
      r(
        'event → screenshot latency, p95',
        perf.capture_latency_p95_ms ?? 0,
        'ms',
        clicks,
        '<= 50 ms',
        (perf.capture_latency_p95_ms ?? Infinity) <= 50,
      );

      // The same grab with nothing around it, from the screenshots' own timings: what is left of
      // the latency above is the recorder's doing, the rest is the X server and the machine.
      const grabs = stats(session.screenshots.map((s) => s.capture_latency_ms ?? 0));
      log(`full-screen grab alone: median ${grabs.median} ms, p95 ${grabs.p95} ms`);
      r('full-screen grab alone, median', grabs.median, 'ms', session.screenshots.length);
      r('full-screen grab alone, p95', grabs.p95, 'ms', session.screenshots.length);
      const clickEvents = session.events.filter((e) => e.type === 'mouse_click');
      const withShots = clickEvents.filter((e) => e.screenshot_id && e.after_screenshot_id).length;
      log(`clicks with a "before" and an "after" screenshot: ${withShots} of ${clickEvents.length}`);
      r(
        'clicks recorded with "before" and "after" screenshots',
        clickEvents.length ? (withShots / clickEvents.length) * 100 : 0,
        '%',
        clickEvents.length,
      );
      r('recorder memory, peak RSS', perf.memory_usage_mb, 'MB', 1);
      r('machine load average (1 min) during the run', os.loadavg()[0], 'load', 1);
    } finally {
      await vd.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return results;
  },
};
