/**
 * The recorder's journal: everything it learns, as a stream of small entries, and the builder
 * that turns the stream into a rawsession_v1 document at any moment.
 *
 * The stream is what crosses the process boundary between the recording agent (which touches
 * the display and may die with it) and its supervisor (which keeps the session): whatever
 * entries reached the supervisor make a valid session, however the agent ended.
 */
import type { RawEvent, RawScreenshot, RawSession } from '../contracts/raw-session';

export type SessionHeader = Pick<
  RawSession,
  'session_id' | 'agent_version' | 'environment' | 'user' | 'context' | 'started_at' | 'privacy'
>;

export type JournalEntry =
  | { kind: 'started'; header: SessionHeader }
  | { kind: 'event'; seq: number; event: RawEvent }
  | { kind: 'update'; seq: number; patch: Partial<RawEvent> }
  | { kind: 'pending'; seq: number; event: RawEvent | null }
  | { kind: 'screenshot'; shot: RawScreenshot }
  | { kind: 'performance'; performance: NonNullable<RawSession['performance']> }
  | { kind: 'warning'; message: string }
  /** The agent cannot go on (disk full…); it stops after this. */
  | { kind: 'failed'; error: { name: string; message: string } }
  | { kind: 'stopped'; reason: string; ended_at: string };

export class SessionBuilder {
  header?: SessionHeader;
  private events = new Map<number, RawEvent>();
  private patches = new Map<number, Partial<RawEvent>>();
  private pendingText?: { seq: number; event: RawEvent };
  private shots: RawScreenshot[] = [];
  performance?: RawSession['performance'];
  endReason?: string;
  endedAt?: string;
  readonly warnings: string[] = [];
  failure?: { name: string; message: string };

  apply(entry: JournalEntry): void {
    switch (entry.kind) {
      case 'started':
        this.header = entry.header;
        break;
      case 'event':
        this.events.set(entry.seq, entry.event);
        break;
      case 'update':
        this.patches.set(entry.seq, { ...this.patches.get(entry.seq), ...entry.patch });
        break;
      case 'pending':
        this.pendingText = entry.event ? { seq: entry.seq, event: entry.event } : undefined;
        break;
      case 'screenshot':
        this.shots.push(entry.shot);
        break;
      case 'performance':
        this.performance = entry.performance;
        break;
      case 'warning':
        this.warnings.push(entry.message);
        break;
      case 'failed':
        this.failure = entry.error;
        break;
      case 'stopped':
        this.endReason ??= entry.reason;
        this.endedAt = entry.ended_at;
        break;
    }
  }

  get eventCount(): number {
    return this.events.size + (this.pendingText ? 1 : 0);
  }

  get screenshotCount(): number {
    return this.shots.length;
  }

  /**
   * The session as it stands. Text still being typed is included; a screenshot an event names
   * but that never reached the disk (the agent died while writing it) is left out, so the
   * document always validates.
   */
  build(overrides: { endedAt?: string | null; endReason?: string } = {}): RawSession {
    if (!this.header) throw new Error('the recording never started, so there is no session to write');
    const shotIds = new Set(this.shots.map((s) => s.screenshot_id));
    const entries = [...this.events.entries()];
    if (this.pendingText && !this.events.has(this.pendingText.seq))
      entries.push([this.pendingText.seq, this.pendingText.event]);
    const events = entries
      .map(([seq, event]) => ({ seq, event: { ...event, ...this.patches.get(seq) } }))
      .sort((a, b) => a.event.t - b.event.t || a.seq - b.seq)
      .map(({ event }) => {
        if (event.screenshot_id && !shotIds.has(event.screenshot_id)) event.screenshot_id = null;
        if (event.after_screenshot_id && !shotIds.has(event.after_screenshot_id)) event.after_screenshot_id = null;
        return event;
      });
    const endReason = overrides.endReason ?? this.endReason;
    const { privacy, ...header } = this.header;
    return {
      schema_version: 'rawsession_v1',
      ...header,
      ended_at: overrides.endedAt !== undefined ? overrides.endedAt : (this.endedAt ?? null),
      ...(endReason ? { end_reason: endReason } : {}),
      events,
      screenshots: [...this.shots].sort((a, b) => a.screenshot_id.localeCompare(b.screenshot_id)),
      ...(this.performance ? { performance: this.performance } : {}),
      ...(privacy ? { privacy } : {}),
    };
  }
}
