/**
 * A recording as the CLI and the capture node see it: start, watch the event count, stop, get
 * a valid rawsession_v1 in DIR/session.json with DIR/shots/*.png.
 *
 * The display is touched only by the recording agent, a child process (record-agent.ts).
 * This side keeps the journal the agent streams, writes a checkpoint of session.json every
 * few seconds, and finishes the session however the agent ends: stopped, out of time, killed,
 * or gone with the display — then the session keeps everything received and says why it ended.
 */
import { ChildProcess, fork } from 'child_process';
import { EventEmitter } from 'events';
import fs from 'fs';
import path from 'path';
import { probeDisplay, requireDisplay, type DisplayProbe } from '../platform/display';
import type { RawSession } from '../contracts/raw-session';
import { validateRawSession } from '../contracts/validate';
import { writeJsonFileAtomic } from '../contracts/files';
import { dataKeyInUse, makeDataDir } from '../contracts/sealed-files';
import { SessionBuilder, type JournalEntry } from './journal';
import type { RecorderOptions } from './recorder';
import type { AgentCommand } from './record-agent';
import { OutputDirError, RecordingInterruptedError, SessionExistsError, outputError } from './errors';
import { SHOTS_DIR } from './shot-writer';

export const SESSION_FILE = 'session.json';

export interface RecordingOptions extends Omit<RecorderOptions, 'dir'> {
  /** The session directory: session.json and shots/ are written there. */
  outDir: string;
  /** Stop by itself after this many seconds. */
  durationS?: number;
  /** The X display to record; default $DISPLAY. */
  display?: string;
  /** How often session.json is rewritten while recording, so a crash loses little. */
  checkpointMs?: number;
}

export interface RecordingResult {
  dir: string;
  /** DIR/session.json, or null when it could not be written (see `error`). */
  file: string | null;
  session: RawSession;
  endReason: string;
  /** The recording ended on its own: display lost, agent crashed, disk full. */
  interrupted: boolean;
  /** Why it was interrupted, or why the session could not be written. */
  error?: Error;
  warnings: string[];
}

/** Checks that DIR can take a new session, before anything is recorded. */
export function prepareOutputDir(dir: string): void {
  if (fs.existsSync(path.join(dir, SESSION_FILE))) {
    throw new SessionExistsError(`${dir} already holds a recording (${SESSION_FILE}); choose a new or empty directory`);
  }
  try {
    makeDataDir(path.join(dir, SHOTS_DIR));
    const probe = path.join(dir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, 'x');
    fs.unlinkSync(probe);
  } catch (err) {
    throw outputError(dir, err, 'create the session folder and write');
  }
}

const AGENT = path.join(__dirname, 'record-agent.js');
/** What Xlib prints when the server goes away under a client. */
const X_CONNECTION_BROKEN = /X connection to \S+ broken[^\r\n]*|XIO: {2}fatal IO error[^\r\n]*/;

export class Recording extends EventEmitter {
  private readonly builder = new SessionBuilder();
  private stderr = '';
  private stopRequested?: string;
  private durationTimer?: NodeJS.Timeout;
  private checkpointTimer?: NodeJS.Timeout;
  private dirty = false;
  private checkpointAt = 0;
  private result?: RecordingResult;
  /** Settles once, however the recording ends. */
  readonly ended: Promise<RecordingResult>;
  private resolveEnded!: (r: RecordingResult) => void;

  private constructor(
    readonly dir: string,
    readonly display: string,
    private readonly agent: ChildProcess,
    private readonly options: RecordingOptions,
  ) {
    super();
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  /** Starts recording; resolves once the agent listens to the input and has a first frame. */
  static async start(options: RecordingOptions): Promise<Recording> {
    const dir = path.resolve(options.outDir);
    prepareOutputDir(dir);
    const display = await requireDisplay(options.display ?? process.env.DISPLAY);
    const agent = fork(AGENT, [], {
      env: { ...process.env, DISPLAY: display },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const recording = new Recording(dir, display, agent, options);
    await recording.launch();
    return recording;
  }

  get eventCount(): number {
    return this.builder.eventCount;
  }

  get screenshotCount(): number {
    return this.builder.screenshotCount;
  }

  get sessionId(): string | undefined {
    return this.builder.header?.session_id;
  }

  /** The recording agent's process id (to watch its CPU). */
  get agentPid(): number | undefined {
    return this.agent.pid;
  }

  get isEnded(): boolean {
    return this.result !== undefined;
  }

  private launch(): Promise<void> {
    const { outDir: _o, durationS: _d, display: _x, checkpointMs: _c, ...recorder } = this.options;
    this.agent.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString().replace(/\r/g, '')).slice(-4000);
    });
    return new Promise<void>((resolve, reject) => {
      let started = false;
      this.agent.on('message', (entry: JournalEntry) => {
        this.builder.apply(entry);
        // Only what the user did makes a checkpoint worth writing (not the periodic performance figures).
        if (
          entry.kind === 'event' ||
          entry.kind === 'update' ||
          entry.kind === 'pending' ||
          entry.kind === 'screenshot'
        )
          this.dirty = true;
        if (entry.kind === 'started' && !started) {
          started = true;
          this.armTimers();
          resolve();
        } else if (entry.kind === 'event') {
          this.emit('event', this.builder.eventCount, entry.event);
        }
      });
      this.agent.once('exit', (code, signal) => {
        if (!started) {
          const failure = this.builder.failure;
          reject(
            failure
              ? Object.assign(new Error(failure.message), { name: failure.name })
              : new RecordingInterruptedError(
                  `the recording agent ended before it started (${signal ?? `exit code ${code}`})${this.lastStderr()}`,
                ),
          );
          return;
        }
        void this.finish(code, signal);
      });
      this.agent.once('error', (err) =>
        reject(new RecordingInterruptedError(`cannot start the recording agent: ${err.message}`)),
      );
      this.agent.send({
        kind: 'start',
        options: { ...recorder, dir: this.dir },
        dataKey: dataKeyInUse()?.toString('base64') ?? null,
      } satisfies AgentCommand);
    });
  }

  private armTimers(): void {
    if (this.options.durationS)
      this.durationTimer = setTimeout(() => void this.stop('duration'), this.options.durationS * 1000);
    const everyMs = this.options.checkpointMs ?? 3000;
    let writeMs = 0;
    this.checkpointTimer = setInterval(() => {
      // A long session costs more to write: never spend more than a tenth of the time on it.
      if (!this.dirty || Date.now() - this.checkpointAt < Math.max(everyMs, writeMs * 10)) return;
      this.dirty = false;
      const started = Date.now();
      try {
        writeJsonFileAtomic(
          path.join(this.dir, SESSION_FILE),
          this.builder.build({ endedAt: null, endReason: 'recording' }),
        );
      } catch {
        /* the final write reports the problem */
      }
      this.checkpointAt = Date.now();
      writeMs = this.checkpointAt - started;
    }, everyMs);
  }

  /**
   * Whether the display is still there once the agent ended. An X server shutting down still
   * accepts connections for a moment, while the agent already heard that its connection broke.
   */
  private async probeAfterEnd(): Promise<DisplayProbe> {
    const broken = X_CONNECTION_BROKEN.exec(this.stderr);
    if (broken) return { ok: false, display: this.display, reason: broken[0] };
    return probeDisplay(this.display);
  }

  private lastStderr(): string {
    const line = this.stderr.trim().split('\n').filter(Boolean).pop();
    return line ? `: ${line}` : '';
  }

  /** Asks the agent to stop and finish the session; resolves with the result. */
  async stop(reason = 'stopped'): Promise<RecordingResult> {
    if (!this.result && !this.stopRequested) {
      this.stopRequested = reason;
      if (this.agent.connected) this.agent.send({ kind: 'stop', reason } satisfies AgentCommand);
      // An agent that hangs (a display that stopped answering) is not waited for forever.
      const kill = setTimeout(() => this.agent.kill('SIGKILL'), 15_000);
      void this.ended.finally(() => clearTimeout(kill));
    }
    return this.ended;
  }

  private async finish(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    clearTimeout(this.durationTimer);
    clearInterval(this.checkpointTimer);
    const b = this.builder;
    const cleanly = b.endedAt !== undefined;
    let interruption: Error | undefined;
    let endReason = b.endReason ?? this.stopRequested ?? 'stopped';
    if (b.failure) {
      interruption = new OutputDirError(this.dir, undefined, b.failure.message);
    } else if (!cleanly) {
      const probe = await this.probeAfterEnd();
      const how = signal ?? `exit code ${code}`;
      endReason = probe.ok ? `recording agent ended unexpectedly (${how})` : `display lost: ${probe.reason}`;
      interruption = new RecordingInterruptedError(
        `${probe.ok ? `the recording agent ended unexpectedly (${how}${this.lastStderr()})` : `the display ${this.display} was lost (${probe.reason})`}; ` +
          `the ${b.eventCount} events and ${b.screenshotCount} screenshots recorded before that are kept in ${path.join(this.dir, SESSION_FILE)}`,
      );
    }
    const session = b.build({ endedAt: b.endedAt ?? new Date().toISOString(), endReason });
    const warnings = [...b.warnings];
    try {
      validateRawSession(session);
    } catch (err) {
      warnings.push(`the session does not validate: ${(err as Error).message}`);
    }
    let file: string | null = path.join(this.dir, SESSION_FILE);
    let error = interruption;
    try {
      writeJsonFileAtomic(file, session);
    } catch (err) {
      file = null;
      error = outputError(this.dir, err, `write ${SESSION_FILE}`);
      if (interruption) error.message += `; before that: ${interruption.message}`;
    }
    this.result = { dir: this.dir, file, session, endReason, interrupted: !cleanly || !!b.failure, error, warnings };
    this.emit('ended', this.result);
    this.resolveEnded(this.result);
  }
}
