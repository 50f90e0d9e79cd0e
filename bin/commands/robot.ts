import { UsageError, positiveNumber } from '../../lib/cli/args';
import {
  BrokerConfigError,
  brokerConnection,
  brokerUrlFromEnv,
  redactBrokerUrl,
} from '../../lib/robots/broker-connection';
import { LabelError, parseLabelList } from '../../lib/robots/labels';
import { Robot, ROBOT_NAME_PATTERN } from '../../lib/robots/robot';
import { WorkflowJobRunner } from '../../lib/robots/workflow-job-runner';
import type { Command } from './command';

const say = (line: string) => process.stderr.write(`robot: ${line}\n`);

/** `robot --broker redis://H:P --name N [--labels a,b] [--concurrency 1] [--lease S]` */
export const robot: Command = {
  name: 'robot',
  summary: 'Take jobs from the broker and run them on this desktop, until stopped',
  usage: 'robot --broker redis://HOST:PORT --name NAME [--labels a,b] [--concurrency 1] [--lease S]',
  flags: {
    broker: {
      type: 'string',
      value: 'URL',
      description: 'redis://[user:password@]HOST:PORT or rediss:// for TLS (default: $RPA_VISION_BROKER)',
    },
    name: { type: 'string', value: 'NAME', description: 'this robot, as the dashboard and /api/robots show it' },
    labels: {
      type: 'string',
      value: 'a,b',
      description: 'what this desktop can do: it takes jobs whose labels it covers',
    },
    concurrency: { type: 'string', value: 'N', description: 'jobs at once, one per desktop (default 1)' },
    lease: {
      type: 'string',
      value: 'S',
      description: 'seconds without a heartbeat before this robot counts as lost (default 30)',
    },
  },
  async run(args) {
    const url = (args.flags.broker as string | undefined) ?? brokerUrlFromEnv();
    if (!url) throw new UsageError('give the broker: --broker redis://HOST:PORT (or set RPA_VISION_BROKER)');
    const name = args.flags.name as string | undefined;
    if (!name) throw new UsageError('give the robot a name: --name PC-ACCUEIL');
    if (!ROBOT_NAME_PATTERN.test(name))
      throw new UsageError(`--name must be 1-64 letters, digits, "_", "-" or ".", got "${name}"`);
    const concurrency = positiveNumber('concurrency', args.flags.concurrency as string | undefined) ?? 1;
    if (!Number.isInteger(concurrency)) throw new UsageError('--concurrency must be a whole number');
    const leaseS = positiveNumber('lease', args.flags.lease as string | undefined) ?? 30;
    let labels: string[];
    let connection;
    try {
      labels = parseLabelList(args.flags.labels as string | undefined);
      connection = brokerConnection(url);
    } catch (err) {
      if (err instanceof LabelError || err instanceof BrokerConfigError) throw new UsageError(err.message);
      throw err;
    }
    const runner = new WorkflowJobRunner({ log: say });
    await runner.open();
    const robot = new Robot({
      connection,
      name,
      labels,
      concurrency,
      leaseMs: leaseS * 1000,
      runner,
      logger: { info: say, warn: say, error: say },
    });
    say(`connecting to ${redactBrokerUrl(url)}`);
    await robot.start();
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        say(`${signal}: finishing the running job, then stopping`);
        void robot.stop().then(resolve);
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    return 0;
  },
};
