/**
 * The health check (seed: orchestration-interface.md § Vérification Santé): CPU, memory,
 * disk, store, display, models and directories, each ok/warn/fail with what was seen, folded
 * into one score 0–100 with recommendations. The store and model checks are the doctor's
 * (lib/doctor), so `rpa-vision doctor`, GET /api/health and the rpa-health node agree.
 *
 * The display check only probes the X server: starting input hooks or grabbing the screen
 * here could disturb a recording or a replay running in the same process.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { checkModels, checkStore, type CheckResult, type CheckStatus } from '../doctor/doctor';
import { probeDisplay } from '../platform/display';

export interface HealthCheck extends CheckResult {
  /** Weight in the score. */
  weight: number;
}

export interface HealthReport {
  timestamp: string;
  /** 0–100: weighted share of passing checks (warn counts half). */
  score: number;
  status: 'healthy' | 'degraded' | 'unhealthy';
  checks: HealthCheck[];
  recommendations: string[];
  duration_ms: number;
}

export interface HealthOptions {
  dataDir: string;
  /** Folders that must exist and be writable, besides dataDir. */
  directories?: string[];
  display?: string;
  /** Thresholds, as fractions. */
  thresholds?: {
    cpuLoadWarn?: number;
    cpuLoadFail?: number;
    memoryWarn?: number;
    memoryFail?: number;
    diskFreeWarn?: number;
    diskFreeFail?: number;
  };
  /** Extra checks a caller wants in the score (e.g. the logger's last write error). */
  extra?: CheckResult[];
}

const WEIGHTS: Record<string, number> = {
  cpu: 10,
  memory: 15,
  disk: 15,
  store: 20,
  display: 15,
  models: 15,
  directories: 10,
};

function check(
  name: string,
  status: CheckStatus,
  detail: string,
  advice?: string,
  figures?: Record<string, number>,
): CheckResult {
  return { name, status, detail, ...(advice && status !== 'ok' ? { advice } : {}), ...(figures ? { figures } : {}) };
}

export function checkCpu(t: HealthOptions['thresholds'] = {}): CheckResult {
  const cores = os.cpus().length || 1;
  const load = os.loadavg()[0] / cores;
  const figures = { load_per_core: Math.round(load * 100) / 100, cores };
  const status: CheckStatus = load >= (t.cpuLoadFail ?? 2) ? 'fail' : load >= (t.cpuLoadWarn ?? 0.9) ? 'warn' : 'ok';
  return check(
    'cpu',
    status,
    `load ${figures.load_per_core} per core over the last minute (${cores} cores)`,
    'the machine is busy: replays may time out; stop other heavy processes or schedule runs at quieter times',
    figures,
  );
}

export function checkMemory(t: HealthOptions['thresholds'] = {}): CheckResult {
  const used = 1 - os.freemem() / os.totalmem();
  const figures = {
    used_percent: Math.round(used * 1000) / 10,
    rss_mb: Math.round(process.memoryUsage.rss() / 1048576),
  };
  const status: CheckStatus = used >= (t.memoryFail ?? 0.95) ? 'fail' : used >= (t.memoryWarn ?? 0.85) ? 'warn' : 'ok';
  return check(
    'memory',
    status,
    `${figures.used_percent} % of memory used; Node-RED uses ${figures.rss_mb} MB`,
    'free memory: close applications or give the machine more RAM (OCR models need about 300 MB)',
    figures,
  );
}

export function checkDisk(dir: string, t: HealthOptions['thresholds'] = {}): CheckResult {
  try {
    const s = fs.statfsSync(dir);
    const free = (s.bavail * s.bsize) / (s.blocks * s.bsize);
    const freeGb = Math.round(((s.bavail * s.bsize) / 1e9) * 10) / 10;
    const figures = { free_percent: Math.round(free * 1000) / 10, free_gb: freeGb };
    const status: CheckStatus =
      free <= (t.diskFreeFail ?? 0.02) ? 'fail' : free <= (t.diskFreeWarn ?? 0.1) ? 'warn' : 'ok';
    return check(
      'disk',
      status,
      `${figures.free_percent} % (${freeGb} GB) free where ${dir} lives`,
      'free disk space: archive old logs and screenshots (POST /api/analytics/archive) or move the data directory',
      figures,
    );
  } catch (err) {
    return check(
      'disk',
      'fail',
      `cannot read the free space of ${dir}: ${(err as Error).message}`,
      'check that the data directory exists',
    );
  }
}

export async function checkDisplay(display?: string): Promise<CheckResult> {
  const probe = await probeDisplay(display);
  return probe.ok
    ? check('display', 'ok', `display ${probe.display} is reachable`)
    : check(
        'display',
        'fail',
        probe.reason,
        'workflows act on an X display: start one (e.g. Xvfb :99) and set DISPLAY before starting Node-RED',
      );
}

export function checkDirectories(dirs: string[]): CheckResult {
  const problems: string[] = [];
  for (const dir of dirs) {
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (err) {
      problems.push(`${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  return problems.length
    ? check(
        'directories',
        'fail',
        `not writable or missing: ${problems.join(', ')}`,
        'create the folders or fix their permissions (the data directory is set by RPA_VISION_DATA_DIR)',
      )
    : check('directories', 'ok', `${dirs.length} folders exist and are writable`);
}

/** Folds checks into the score and its recommendations. */
export function scoreChecks(
  results: CheckResult[],
): Pick<HealthReport, 'score' | 'status' | 'checks' | 'recommendations'> {
  const checks = results.map((r) => ({ ...r, weight: WEIGHTS[r.name] ?? 5 }));
  const total = checks.reduce((a, c) => a + c.weight, 0);
  const got = checks.reduce((a, c) => a + (c.status === 'ok' ? c.weight : c.status === 'warn' ? c.weight / 2 : 0), 0);
  const score = total ? Math.round((100 * got) / total) : 100;
  const recommendations = checks.filter((c) => c.status !== 'ok').map((c) => `${c.name}: ${c.advice ?? c.detail}`);
  const failed = checks.some((c) => c.status === 'fail' && c.weight >= 15);
  return {
    score,
    status: score >= 80 && !failed ? 'healthy' : score >= 50 ? 'degraded' : 'unhealthy',
    checks,
    recommendations,
  };
}

export async function runHealthCheck(options: HealthOptions): Promise<HealthReport> {
  const started = Date.now();
  const dirs = [options.dataDir, path.join(options.dataDir, 'logs'), ...(options.directories ?? [])];
  const [store, display, models] = await Promise.all([
    checkStore(options.dataDir),
    checkDisplay(options.display),
    checkModels(false),
  ]);
  const results = [
    checkCpu(options.thresholds),
    checkMemory(options.thresholds),
    checkDisk(options.dataDir, options.thresholds),
    store,
    display,
    models,
    checkDirectories(dirs),
    ...(options.extra ?? []),
  ];
  return { timestamp: new Date(started).toISOString(), ...scoreChecks(results), duration_ms: Date.now() - started };
}
