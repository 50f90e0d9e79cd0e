/**
 * The analytics report (seed: analytics-integration-guide.md § Visualisation, `ReportConfig`):
 * a self-contained HTML page — title, time range, per-workflow statistics and two charts drawn
 * as inline SVG (executions per time bucket, stacked success/failure; duration of each run) —
 * so it opens anywhere, offline, and can be mailed as one file.
 */
import { statsOf, type ExecutionRecord, type WorkflowStats } from './analytics';

export interface ReportConfig {
  title: string;
  start: Date;
  end: Date;
  /** Only these workflows; all when empty or absent. */
  workflow_ids?: string[];
}

export interface TimeBucket {
  start: string;
  success: number;
  failed: number;
}

export interface ReportData {
  title: string;
  generated_at: string;
  start: string;
  end: string;
  overall: WorkflowStats;
  workflows: WorkflowStats[];
  buckets: TimeBucket[];
  durations: Array<{ completed_at: string; workflow_id: string; duration: number; status: string }>;
}

/** A bucket width that gives at most ~48 bars over the range. */
function bucketMs(rangeMs: number): number {
  const steps = [60_000, 300_000, 900_000, 3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000];
  return steps.find((s) => rangeMs / s <= 48) ?? 30 * 86_400_000;
}

/** Executions per time bucket over [start, end] (shared by the report and the dashboard). */
export function bucketExecutions(records: ExecutionRecord[], start: Date, end: Date): TimeBucket[] {
  const width = bucketMs(Math.max(1, end.getTime() - start.getTime()));
  const first = Math.floor(start.getTime() / width) * width;
  const buckets: TimeBucket[] = [];
  for (let t = first; t <= end.getTime(); t += width)
    buckets.push({ start: new Date(t).toISOString(), success: 0, failed: 0 });
  for (const r of records) {
    const i = Math.floor((Date.parse(r.completed_at) - first) / width);
    if (i < 0 || i >= buckets.length) continue;
    if (r.status === 'success') buckets[i].success++;
    else buckets[i].failed++;
  }
  return buckets;
}

export function buildReport(config: ReportConfig, allRecords: ExecutionRecord[]): ReportData {
  const wanted = config.workflow_ids?.length ? new Set(config.workflow_ids) : undefined;
  const records = allRecords.filter(
    (r) =>
      (!wanted || wanted.has(r.workflow_id)) &&
      r.completed_at >= config.start.toISOString() &&
      r.completed_at <= config.end.toISOString(),
  );
  const hours = (config.end.getTime() - config.start.getTime()) / 3_600_000;
  const window = { start: config.start, end: config.end, hours };
  const ids = wanted ? [...wanted] : [...new Set(records.map((r) => r.workflow_id))].sort();
  return {
    title: config.title,
    generated_at: new Date().toISOString(),
    start: config.start.toISOString(),
    end: config.end.toISOString(),
    overall: statsOf(records, { ...window, workflow_id: null }),
    workflows: ids.map((id) =>
      statsOf(
        records.filter((r) => r.workflow_id === id),
        { ...window, workflow_id: id },
      ),
    ),
    buckets: bucketExecutions(records, config.start, config.end),
    durations: records.map((r) => ({
      completed_at: r.completed_at,
      workflow_id: r.workflow_id,
      duration: r.duration,
      status: r.status,
    })),
  };
}

export function escapeHtml(text: unknown): string {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

const W = 720;
const H = 220;
const PAD = 36;

function executionsChart(buckets: TimeBucket[]): string {
  const max = Math.max(1, ...buckets.map((b) => b.success + b.failed));
  const bw = (W - 2 * PAD) / Math.max(1, buckets.length);
  const bars = buckets
    .map((b, i) => {
      const x = PAD + i * bw;
      const hs = ((H - 2 * PAD) * b.success) / max;
      const hf = ((H - 2 * PAD) * b.failed) / max;
      const title = `<title>${escapeHtml(b.start)}: ${b.success} ok, ${b.failed} failed</title>`;
      return (
        `<rect class="ok" x="${x.toFixed(1)}" y="${(H - PAD - hs).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${hs.toFixed(1)}">${title}</rect>` +
        `<rect class="ko" x="${x.toFixed(1)}" y="${(H - PAD - hs - hf).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${hf.toFixed(1)}">${title}</rect>`
      );
    })
    .join('');
  const first = buckets[0]?.start.slice(0, 16).replace('T', ' ') ?? '';
  const last = buckets[buckets.length - 1]?.start.slice(0, 16).replace('T', ' ') ?? '';
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Executions over time">
<line class="axis" x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}"/><line class="axis" x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${H - PAD}"/>
<text x="${PAD - 6}" y="${PAD + 4}" text-anchor="end">${max}</text><text x="${PAD - 6}" y="${H - PAD}" text-anchor="end">0</text>
<text x="${PAD}" y="${H - 12}">${escapeHtml(first)}</text><text x="${W - PAD}" y="${H - 12}" text-anchor="end">${escapeHtml(last)}</text>
${bars}</svg>`;
}

function durationChart(points: ReportData['durations'], start: number, end: number): string {
  const max = Math.max(1, ...points.map((p) => p.duration));
  const span = Math.max(1, end - start);
  const dots = points
    .map((p) => {
      const x = PAD + ((W - 2 * PAD) * (Date.parse(p.completed_at) - start)) / span;
      const y = H - PAD - ((H - 2 * PAD) * p.duration) / max;
      return `<circle class="${p.status === 'success' ? 'ok' : 'ko'}" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3"><title>${escapeHtml(p.workflow_id)} ${p.duration.toFixed(2)} s</title></circle>`;
    })
    .join('');
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Duration of each execution">
<line class="axis" x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}"/><line class="axis" x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${H - PAD}"/>
<text x="${PAD - 6}" y="${PAD + 4}" text-anchor="end">${max.toFixed(1)} s</text><text x="${PAD - 6}" y="${H - PAD}" text-anchor="end">0</text>
${dots}</svg>`;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

export function renderReportHtml(data: ReportData): string {
  const rows = data.workflows
    .map((s) => {
      const failures = Object.entries(s.failures_by_step)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([step, n]) => `${escapeHtml(step)} (${n})`)
        .join(', ');
      return `<tr><td>${escapeHtml(s.workflow_id)}</td><td>${s.success_rate.total}</td><td>${fmt(s.success_rate.success_rate)} %</td><td>${fmt(s.performance.avg_duration, 2)} s</td><td>${fmt(s.performance.p95_duration, 2)} s</td><td>${failures || '–'}</td></tr>`;
    })
    .join('\n');
  const o = data.overall;
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(data.title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
.chart{width:100%;max-width:${W}px;background:#fafafa;border:1px solid #ddd}.chart text{font-size:11px;fill:#555}.axis{stroke:#888}
rect.ok,circle.ok{fill:#2ca02c}rect.ko,circle.ko{fill:#d62728}.kpi{display:inline-block;margin-right:2em}
</style></head><body>
<h1>${escapeHtml(data.title)}</h1>
<p class="range">Période / Period: <time>${escapeHtml(data.start)}</time> → <time>${escapeHtml(data.end)}</time> · généré / generated ${escapeHtml(data.generated_at)}</p>
<p><span class="kpi">Exécutions / Executions: <b>${o.success_rate.total}</b></span><span class="kpi">Taux de succès / Success rate: <b>${fmt(o.success_rate.success_rate)} %</b></span><span class="kpi">Durée moyenne / Avg duration: <b>${fmt(o.performance.avg_duration, 2)} s</b></span><span class="kpi">p95: <b>${fmt(o.performance.p95_duration, 2)} s</b></span></p>
<h2>Exécutions dans le temps / Executions over time</h2>
${executionsChart(data.buckets)}
<h2>Durées / Durations</h2>
${durationChart(data.durations, Date.parse(data.start), Date.parse(data.end))}
<h2>Workflows</h2>
<table><thead><tr><th>Workflow</th><th>Exécutions / Executions</th><th>Succès / Success</th><th>Moyenne / Average</th><th>p95</th><th>Échecs par étape / Failures by step</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="6">Aucune exécution / No executions</td></tr>'}
</tbody></table>
</body></html>
`;
}
