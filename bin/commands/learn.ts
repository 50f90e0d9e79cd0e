import fs from 'fs';
import { UsageError } from '../../lib/cli/args';
import { readJsonFile, writeJsonFileAtomic } from '../../lib/contracts/files';
import { validateWorkflow } from '../../lib/contracts/validate';
import {
  lastLearnReport,
  learnedSummary,
  learnWorkflow,
  renameParameter,
  setChoiceRule,
  type LearnedSummary,
} from '../../lib/graph';
import type { Workflow } from '../../lib/contracts/workflow';
import type { Command } from './command';

/**
 * `learn SESSION_DIR... --out WF.json [--name N] [--param OLD=NEW]... [--rule EDGE=POLICY]...`:
 * builds the workflow graph, or extends WF.json when it exists.
 */
export const learn: Command = {
  name: 'learn',
  summary: 'Learn a workflow graph (screens, actions, parameters) from recorded sessions',
  usage: 'learn [SESSION_DIR...] --out WF.json [--name N] [--param OLD=NEW]... [--rule EDGE=POLICY]... [--json]',
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
    param: {
      type: 'list',
      value: 'OLD=NEW',
      description:
        'rename a parameter (e.g. one the learner could not name: text_1=note_text); with no SESSION_DIR, only renames',
    },
    rule: {
      type: 'list',
      value: 'EDGE=POLICY',
      description:
        'set which of several similar items a step acts on (status:TEXT, row_with:{{param}}, enabled, first, last, nth:K), e.g. E1_ouvrir=status:À valider; with no SESSION_DIR, only sets rules',
    },
    json: {
      type: 'boolean',
      description: 'print the summary as one JSON document (file, screens, steps, parameters, timings)',
    },
  },
  async run(args) {
    const out = args.flags.out as string | undefined;
    if (!out) throw new UsageError('--out WF.json is required');
    const renames = ((args.flags.param as string[] | undefined) ?? []).map((r) => {
      const m = /^([^=]+)=(.+)$/.exec(r);
      if (!m) throw new UsageError(`--param takes OLD=NEW (e.g. text_1=note_text), got "${r}"`);
      return [m[1].trim(), m[2].trim()] as const;
    });
    const rules = ((args.flags.rule as string[] | undefined) ?? []).map((r) => {
      const m = /^([^=]+)=(.+)$/.exec(r);
      if (!m) throw new UsageError(`--rule takes EDGE=POLICY (e.g. E1_ouvrir=status:À valider), got "${r}"`);
      return [m[1].trim(), m[2].trim()] as const;
    });
    if (!args.positional.length && !renames.length && !rules.length)
      throw new UsageError('give at least one SESSION_DIR (recorded with "rpa-vision record --out DIR")');
    const existing = fs.existsSync(out) ? readJsonFile(out, validateWorkflow) : undefined;
    if (!args.positional.length && !existing)
      throw new UsageError(`--param and --rule change an existing workflow, and ${out} does not exist`);
    const progress = (message: string) => process.stderr.write(`learn: ${message}\n`);
    let workflow: Workflow;
    if (args.positional.length) {
      if (existing) progress(`extending ${out} (${existing.nodes.length} screens, ${existing.edges.length} actions)`);
      workflow = await learnWorkflow(args.positional, {
        name: args.flags.name as string | undefined,
        existing,
        onProgress: progress,
      });
    } else {
      workflow = existing!;
      if (args.flags.name) workflow.name = args.flags.name as string;
    }
    for (const [from, to] of renames) renameParameter(workflow, from, to);
    for (const [edge, policy] of rules) setChoiceRule(workflow, edge, policy);
    validateWorkflow(workflow, 'the learned workflow');
    writeJsonFileAtomic(out, workflow);
    const report = lastLearnReport.get(workflow);
    const summary = learnedSummary(workflow);
    const perShot = report?.screenshotsAnalysed ? Math.round(report.elapsedMs / report.screenshotsAnalysed) : 0;
    if (report)
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
          steps: summary.steps,
          parameters: summary.parameters,
          unnamed_parameters: summary.parameters.filter((p) => p.needs_name).map((p) => p.name),
          choices: summary.choices,
          needs_person: summary.needs_person,
          instances: report?.instances ?? 0,
          dropped_instances: report?.droppedInstances ?? 0,
          screenshots_analysed: report?.screenshotsAnalysed ?? 0,
          elapsed_ms: report?.elapsedMs ?? 0,
          ms_per_screenshot: perShot,
        }) + '\n',
      );
    } else {
      process.stdout.write(formatSummary(workflow, summary, out));
    }
    return 0;
  },
};

/** The summary a person reads: what each screen, step and parameter is, and what to name. */
function formatSummary(workflow: Workflow, summary: LearnedSummary, out: string): string {
  const width = (xs: string[]) => Math.max(0, ...xs.map((x) => x.length));
  const sw = width(summary.screens.map((s) => s.node_id));
  const ew = width(summary.steps.map((s) => s.edge_id));
  const pw = width(summary.parameters.map((p) => p.name));
  const lines = [
    `${workflow.workflow_id} "${workflow.name}" (learning state ${workflow.learning?.state ?? 'OBSERVATION'}) → ${out}`,
    `screens (${summary.screens.length}):`,
    ...summary.screens.map(
      (s) =>
        `  ${s.node_id.padEnd(sw)}  "${s.label}"${s.title && s.title !== s.label ? `  (window title contains "${s.title}")` : ''}`,
    ),
    `steps (${summary.steps.length}):`,
    ...summary.steps.flatMap((s) => [
      `  ${s.edge_id.padEnd(ew)}  ${s.from} → ${s.to.join(' | ')}: ${s.does}`,
      ...(s.checks ? [`  ${''.padEnd(ew)}  then checks: ${s.checks}`] : []),
    ]),
    `parameters (${summary.parameters.length}):`,
    ...summary.parameters.map(
      (p) =>
        `  ${p.name.padEnd(pw)}  ${p.secret ? '(secret)' : `default ${JSON.stringify(p.default)}`}  ${p.description}`,
    ),
  ];
  if (summary.choices.length)
    lines.push(
      `choices (${summary.choices.length}): which of several similar items a step acts on`,
      ...summary.choices.map(
        (c) =>
          `  ${c.edge_id.padEnd(ew)}  ${c.policy}: ${c.means}${c.set_by === 'person' ? ' (set by a person)' : ` (explains ${c.demonstrations} demonstration(s)${c.also_consistent.length ? `; also consistent, less specific: ${c.also_consistent.join(', ')}` : ''})`}`,
      ),
    );
  const unruled = summary.choices.filter((c) => c.policy === 'needs_rule').map((c) => c.edge_id);
  for (const need of summary.needs_person.filter((n) => n.kind === 'choice_rule' && unruled.includes(n.subject)))
    lines.push(`needs a rule: ${need.message.replace('WF.json', out)}`);
  const unnamed = summary.parameters.filter((p) => p.needs_name);
  if (unnamed.length)
    lines.push(
      `name ${unnamed.length === 1 ? 'this parameter' : 'these parameters'} (no label on the screen): rpa-vision learn --out ${out} ${unnamed.map((p) => `--param ${p.name}=NAME`).join(' ')}`,
    );
  return lines.join('\n') + '\n';
}
