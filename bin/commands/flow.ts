import path from 'path';
import { UsageError } from '../../lib/cli/args';
import { readJsonFile } from '../../lib/contracts/files';
import { validateWorkflow } from '../../lib/contracts/validate';
import { workflowToFlow } from '../../lib/graph';
import type { Command } from './command';

/** `flow WF.json`: the workflow as an importable Node-RED flow on stdout. */
export const flow: Command = {
  name: 'flow',
  summary: 'Print a workflow as an importable Node-RED flow (one match-node per screen, one execute-edge per action)',
  usage: 'flow WF.json [--ref PATH_OR_ID]',
  flags: {
    ref: {
      type: 'string',
      value: 'PATH_OR_ID',
      description: "how the flow's nodes name the workflow (default: the absolute path of WF.json)",
    },
  },
  async run(args) {
    if (args.positional.length !== 1) throw new UsageError('give exactly one WF.json');
    const file = args.positional[0];
    const workflow = readJsonFile(file, validateWorkflow);
    const flowJson = workflowToFlow(workflow, {
      workflowRef: (args.flags.ref as string | undefined) ?? path.resolve(file),
    });
    process.stdout.write(JSON.stringify(flowJson, null, 2) + '\n');
    return 0;
  },
};
