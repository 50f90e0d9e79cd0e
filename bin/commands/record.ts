import { positiveNumber, UsageError } from '../../lib/cli/args';
import { Recording, type RecordingResult } from '../../lib/capture/recording';
import { patternList } from '../../lib/capture/privacy';
import type { Command } from './command';

function summary(result: RecordingResult, seconds: number): Record<string, unknown> {
  const s = result.session;
  return {
    session_file: result.file,
    session_id: s.session_id,
    events: s.events.length,
    screenshots: s.screenshots.length,
    duration_s: Math.round(seconds * 10) / 10,
    end_reason: result.endReason,
    interrupted: result.interrupted,
    ...(result.error ? { error: result.error.message } : {}),
    performance: s.performance,
    warnings: result.warnings,
  };
}

export const record: Command = {
  name: 'record',
  summary: 'Record what you do on the display (input events and screenshots) as a rawsession_v1 session',
  usage: 'record --out DIR [--duration S] [--user ID] [--exclude PATTERN]... [--sensitive PATTERN]... [--json]',
  flags: {
    out: {
      type: 'string',
      value: 'DIR',
      description: 'session directory: DIR/session.json and DIR/shots/ (must not hold a session yet)',
    },
    duration: { type: 'string', value: 'S', description: 'stop after S seconds (default: until Ctrl+C or SIGTERM)' },
    user: { type: 'string', value: 'ID', description: 'who is recording (default: the login name)' },
    label: { type: 'string', value: 'TEXT', description: 'what the session shows, e.g. "Facturation T2A demo"' },
    exclude: {
      type: 'list',
      value: 'PATTERN',
      description:
        'never screenshot or capture text in windows whose title or app matches (repeatable; /regex/ allowed)',
    },
    sensitive: {
      type: 'list',
      value: 'PATTERN',
      description: 'mask text typed in matching windows (repeatable; default: password and login prompts)',
    },
    json: { type: 'boolean', description: 'print a summary of the session as one JSON document' },
  },
  async run(args) {
    const outDir = args.flags.out as string | undefined;
    if (!outDir) throw new UsageError('--out DIR is required');
    const durationS = positiveNumber('duration', args.flags.duration as string | undefined);
    const sensitive = args.flags.sensitive ? patternList(args.flags.sensitive as string[]) : undefined;
    const label = args.flags.label as string | undefined;
    const recording = await Recording.start({
      outDir,
      durationS,
      user: args.flags.user ? { id: args.flags.user as string, ...(label ? { label } : {}) } : undefined,
      context: label ? { training_label: label } : {},
      privacy: { exclude: patternList(args.flags.exclude as string[] | undefined), sensitive },
    });
    const started = Date.now();
    const onSignal = (signal: NodeJS.Signals) => void recording.stop(`signal ${signal}`);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.stderr.write(
      `recording ${recording.display} to ${recording.dir}${durationS ? ` for ${durationS} s` : ''}; press Ctrl+C to stop\n`,
    );
    let result: RecordingResult;
    try {
      result = await recording.ended;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    const seconds = (Date.now() - started) / 1000;
    for (const w of result.warnings) process.stderr.write(`rpa-vision record: warning: ${w}\n`);
    if (result.error) process.stderr.write(`rpa-vision record: ${result.error.message}\n`);
    if (args.flags.json) {
      process.stdout.write(JSON.stringify(summary(result, seconds), null, 2) + '\n');
    } else if (result.file) {
      const s = result.session;
      process.stderr.write(
        `recorded ${s.events.length} events and ${s.screenshots.length} screenshots in ${seconds.toFixed(1)} s (${result.endReason}) → ${result.file}\n`,
      );
    }
    return result.error ? 1 : 0;
  },
};
