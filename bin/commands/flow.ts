import path from 'path';
import { UsageError } from '../../lib/cli/args';
import { readJsonFile } from '../../lib/contracts/files';
import { validateWorkflow } from '../../lib/contracts/validate';
import { MODES, isRunMode } from '../../lib/execute/autonomy';
import { workflowToFlow } from '../../lib/graph';
import type { Command } from './command';

/** `flow WF.json [--mode M]`: the workflow as an importable, self-contained Node-RED flow on stdout. */
export const flow: Command = {
  name: 'flow',
  summary:
    'Print a workflow as an importable Node-RED flow that carries it (a workflow config node, one match-node per screen, one execute-edge per step)',
  usage: 'flow WF.json [--mode observe|coach|confirm|auto]',
  flags: {
    mode: {
      type: 'string',
      value: 'MODE',
      description:
        'the run nodes\' mode, as "run --mode": observe, coach, confirm or auto (the operator\'s explicit, logged override); default: the learned state decides',
    },
  },
  async run(args) {
    if (args.positional.length !== 1) throw new UsageError('give exactly one WF.json');
    const mode = args.flags.mode as string | undefined;
    if (mode !== undefined && !isRunMode(mode))
      throw new UsageError(`--mode must be one of ${MODES.join(', ')}, got "${mode}"`);
    const file = args.positional[0];
    const workflow = readJsonFile(file, validateWorkflow);
    const flowJson = workflowToFlow(workflow, { baseDir: path.dirname(path.resolve(file)), mode: mode ?? '' });
    process.stdout.write(JSON.stringify(flowJson, null, 2) + '\n');
    return 0;
  },
};
