#!/usr/bin/env node
/**
 * `rpa-vision`: the command-line face of the engine. Each sub-command lives in
 * bin/commands/<name>.ts and calls lib/; this file only dispatches and prints help.
 */
import { parseArgs, UsageError } from '../lib/cli/args';
import { loadDataKey, useDataKey } from '../lib/contracts/sealed-files';
import { resolveDataDir } from '../lib/store/store';
import { commands } from './commands';
import type { Command } from './commands/command';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- read at run time: package.json lies outside the compiled tree
const pkg = require('../../package.json') as { version: string };

function commandHelp(cmd: Command): string {
  const lines = [`Usage: rpa-vision ${cmd.usage}`, '', cmd.summary];
  const flags = Object.entries(cmd.flags);
  if (flags.length) {
    lines.push('', 'Options:');
    for (const [name, spec] of flags) {
      const left = `  --${name}${spec.value ? ' ' + spec.value : ''}`;
      lines.push(`${left.padEnd(28)} ${spec.description}`);
    }
  }
  return lines.join('\n');
}

function mainHelp(): string {
  const lines = [
    `rpa-vision ${pkg.version} — vision-based desktop automation`,
    '',
    'Usage: rpa-vision <command> [options]',
    '',
    'Commands:',
  ];
  for (const cmd of commands) lines.push(`  ${cmd.name.padEnd(10)} ${cmd.summary}`);
  lines.push('', 'Run "rpa-vision <command> --help" for the options of a command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp() + '\n');
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(pkg.version + '\n');
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`rpa-vision: unknown command "${name}"\n\n${mainHelp()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(cmd) + '\n');
    return 0;
  }
  try {
    const args = parseArgs(rest, cmd.flags);
    // Files are sealed only when a key is configured; the CLI never creates one (the runtime does).
    const dataDir = (args.flags['data-dir'] ?? args.flags.data) as string | undefined;
    useDataKey(loadDataKey(resolveDataDir(dataDir)));
    return await cmd.run(args);
  } catch (err) {
    const e = err as Error;
    if (e instanceof UsageError) {
      process.stderr.write(`rpa-vision ${cmd.name}: ${e.message}\n\n${commandHelp(cmd)}\n`);
      return 2;
    }
    process.stderr.write(`rpa-vision ${cmd.name}: ${e?.message ?? String(err)}\n`);
    if (process.env.RPA_VISION_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`rpa-vision: ${(err as Error)?.message ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
