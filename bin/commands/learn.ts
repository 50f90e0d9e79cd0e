import fs from 'fs';
import { UsageError } from '../../lib/cli/args';
import { readJsonFile, writeJsonFileAtomic } from '../../lib/contracts/files';
import { validateWorkflow } from '../../lib/contracts/validate';
import { lastLearnReport, learnWorkflow } from '../../lib/graph';
import type { Command } from './command';

/** `learn SESSION_DIR... --out WF.json [--name N]`: builds the workflow graph, or extends WF.json when it exists. */
export const learn: Command = {
  name: 'learn',
  summary: 'Learn a workflow graph (screens, actions, parameters) from recorded sessions',
  usage: 'learn SESSION_DIR... --out WF.json [--name N] [--json]',
  flags: {
    out: {
      type: 'string',
      value: 'WF.json',
      description: 'the workflow file; extended with the new demonstrations when it exists',
    },
    name: {
      type: 'string',
      value: 'N',
      description: "the workflow name (default: the first screen's window title, or the existing name)",
    },
    json: {
      type: 'boolean',
      description: 'print a summary as one JSON document (file, nodes, edges, parameters, timings)',
    },
  },
  async run(args) {
    const out = args.flags.out as string | undefined;
    if (!out) throw new UsageError('--out WF.json is required');
    if (!args.positional.length)
      throw new UsageError('give at least one SESSION_DIR (recorded with "rpa-vision record --out DIR")');
    const existing = fs.existsSync(out) ? readJsonFile(out, validateWorkflow) : undefined;
    const progress = (message: string) => process.stderr.write(`learn: ${message}\n`);
    if (existing) progress(`extending ${out} (${existing.nodes.length} screens, ${existing.edges.length} actions)`);
    const workflow = await learnWorkflow(args.positional, {
      name: args.flags.name as string | undefined,
      existing,
      onProgress: progress,
    });
    validateWorkflow(workflow, 'the learned workflow');
    writeJsonFileAtomic(out, workflow);
    const report = lastLearnReport.get(workflow)!;
    const perShot = report.screenshotsAnalysed ? Math.round(report.elapsedMs / report.screenshotsAnalysed) : 0;
    progress(
      `${workflow.workflow_id}: ${workflow.nodes.length} screens, ${workflow.edges.length} actions, ${workflow.parameters?.length ?? 0} parameters from ${report.instances} demonstration(s) in ${(report.elapsedMs / 1000).toFixed(1)} s (${perShot} ms per screenshot); learning state ${workflow.learning?.state} → ${out}`,
    );
    if (args.flags.json) {
      process.stdout.write(
        JSON.stringify({
          file: out,
          workflow_id: workflow.workflow_id,
          name: workflow.name,
          version: workflow.version,
          learning_state: workflow.learning?.state,
          nodes: workflow.nodes.map((n) => ({
            node_id: n.node_id,
            label: n.label,
            sample_count: n.screen_template.embedding_prototype?.sample_count,
          })),
          edges: workflow.edges.map((e) => ({
            edge_id: e.edge_id,
            from_node: e.from_node,
            to_node: e.to_node ?? null,
            to_node_candidates: e.to_node_candidates ?? null,
            action: e.action.type,
          })),
          parameters: workflow.parameters ?? [],
          instances: report.instances,
          dropped_instances: report.droppedInstances,
          screenshots_analysed: report.screenshotsAnalysed,
          elapsed_ms: report.elapsedMs,
          ms_per_screenshot: perShot,
        }) + '\n',
      );
    }
    return 0;
  },
};
