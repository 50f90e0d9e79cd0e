/**
 * The recording agent: a child process that holds the X display, runs the Recorder and sends
 * every journal entry to its parent over IPC. Xlib ends the whole process when the display
 * goes away, so the display lives here and the session lives in the parent (recording.ts),
 * which finishes it whatever happens to this process.
 *
 * Parent → agent: {kind:'start', options, dataKey} once, then {kind:'stop', reason}. The data
 * key (base64, or null) travels over IPC so the screenshots are sealed like the parent's files.
 * Agent → parent: journal entries; the last one is 'stopped'.
 */
import { useDataKey } from '../contracts/sealed-files';
import { openDesktop } from '../platform';
import { Recorder, type RecorderOptions } from './recorder';
import type { JournalEntry } from './journal';

export type AgentCommand =
  { kind: 'start'; options: RecorderOptions; dataKey: string | null } | { kind: 'stop'; reason: string };

let recorder: Recorder | undefined;
let stopping: Promise<void> | undefined;

/** Every entry sent so far has been handed to the parent once this resolves. */
let delivered: Promise<void> = Promise.resolve();

function send(entry: JournalEntry): Promise<void> {
  const sent = new Promise<void>((resolve) => {
    if (!process.connected) return resolve();
    process.send!(entry, undefined, {}, () => resolve());
  });
  delivered = delivered.then(() => sent);
  return delivered;
}

async function finish(code: number): Promise<never> {
  await delivered;
  if (process.connected) process.disconnect();
  process.exit(code);
}

function stop(reason: string): Promise<void> {
  stopping ??= (async () => {
    try {
      if (recorder) await recorder.stop(reason);
      else await send({ kind: 'stopped', reason, ended_at: new Date().toISOString() });
    } finally {
      await finish(0);
    }
  })();
  return stopping;
}

async function start(options: RecorderOptions): Promise<void> {
  try {
    const desktop = await openDesktop();
    recorder = new Recorder(desktop, options, (entry) => void send(entry));
    recorder.onFailed(() => void stop('output failed'));
    await recorder.start();
  } catch (err) {
    const e = err as Error;
    await send({ kind: 'failed', error: { name: e.name, message: e.message } });
    await finish(1);
  }
}

process.on('message', (command: AgentCommand) => {
  if (command.kind === 'start' && !recorder) {
    useDataKey(command.dataKey ? Buffer.from(command.dataKey, 'base64') : null);
    void start(command.options);
  } else if (command.kind === 'stop') void stop(command.reason);
});
// Ctrl+C in a terminal reaches the whole process group: stop cleanly, the parent stops too.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(`signal ${signal}`));
// The parent is gone (killed): nobody will keep the session, but leave the display tidy.
process.on('disconnect', () => void stop('supervisor gone'));
