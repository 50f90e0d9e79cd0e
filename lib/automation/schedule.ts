/**
 * Schedule arithmetic, pure: when an interval trigger is due, whether a moment is inside its
 * daily window (in the trigger's time zone), and when it will fire next (for status displays).
 *
 * Semantics: a schedule trigger fires `interval_seconds` after it last fired (or after it was
 * enabled, for the first fire). With a daily window it fires only inside the window: at each
 * opening of the window (unless it already fired since), then every interval while the window
 * lasts. So "every 86400 s between 06:00 and 07:00" runs at 06:00 each day, and "every 1800 s
 * between 08:00 and 10:00" at 08:00, 08:30, 09:00 and 09:30. A window whose end is before its
 * start spans midnight (22:00–06:00).
 */
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export interface ScheduleConfig {
  interval_seconds: number;
  start_time?: string;
  end_time?: string;
  timezone?: string;
}

/** "08:30" → 510; undefined when not a valid 24-hour HH:MM ("24:00" is accepted as an end). */
export function parseClockTime(value: string, allowEndOfDay = false): number | undefined {
  if (allowEndOfDay && value === '24:00') return 1440;
  const m = HHMM.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const formatters = new Map<string, Intl.DateTimeFormat>();
let lastMinutes: { at: number; tz: string; minutes: number } | undefined;

/** Minutes since local midnight (with fractions) of `epochMs` in `tz`. */
export function localMinutes(epochMs: number, tz: string): number {
  // One scheduler check asks this for many triggers with the same tz and time: answer from memory.
  if (lastMinutes && lastMinutes.at === epochMs && lastMinutes.tz === tz) return lastMinutes.minutes;
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  let h = 0;
  let m = 0;
  let s = 0;
  for (const p of f.formatToParts(epochMs)) {
    if (p.type === 'hour') h = Number(p.value) % 24;
    else if (p.type === 'minute') m = Number(p.value);
    else if (p.type === 'second') s = Number(p.value);
  }
  const minutes = h * 60 + m + (s + (epochMs % 1000) / 1000) / 60;
  lastMinutes = { at: epochMs, tz, minutes };
  return minutes;
}

function windowOf(config: ScheduleConfig): { start: number; end: number } | undefined {
  if (config.start_time === undefined && config.end_time === undefined) return undefined;
  return {
    start: config.start_time === undefined ? 0 : parseClockTime(config.start_time)!,
    end: config.end_time === undefined ? 1440 : parseClockTime(config.end_time, true)!,
  };
}

export function inDailyWindow(config: ScheduleConfig, epochMs: number): boolean {
  const w = windowOf(config);
  if (!w) return true;
  const m = localMinutes(epochMs, config.timezone || systemTimeZone());
  return w.start < w.end ? m >= w.start && m < w.end : m >= w.start || m < w.end;
}

/** The next opening of the daily window strictly after `epochMs`. */
function nextOpeningAfter(config: ScheduleConfig, w: { start: number }, epochMs: number): number {
  const m = localMinutes(epochMs, config.timezone || systemTimeZone());
  const minutesUntil = (w.start - m + 1440) % 1440 || 1440;
  // Lands on the opening minute; a DST jump can shift it by an hour, which the next check corrects.
  return epochMs + Math.ceil(minutesUntil * 60_000);
}

/** When the window that contains `epochMs` opened (call only inside the window). */
function currentOpening(config: ScheduleConfig, w: { start: number }, epochMs: number): number {
  const m = localMinutes(epochMs, config.timezone || systemTimeZone());
  return epochMs - Math.round(((m - w.start + 1440) % 1440) * 60_000);
}

/** When the interval has elapsed since `anchorMs` (last fire, else the moment it was enabled). */
export function intervalDue(config: ScheduleConfig, anchorMs: number): number {
  return anchorMs + config.interval_seconds * 1000;
}

export function isScheduleDue(config: ScheduleConfig, anchorMs: number, nowMs: number): boolean {
  const w = windowOf(config);
  if (!w) return nowMs >= intervalDue(config, anchorMs);
  if (!inDailyWindow(config, nowMs)) return false;
  return nowMs >= intervalDue(config, anchorMs) || anchorMs < currentOpening(config, w, nowMs);
}

/** When it will fire next, as far as the clock can tell now (the scheduler must be running). */
export function nextScheduledFire(config: ScheduleConfig, anchorMs: number, nowMs: number): number {
  if (isScheduleDue(config, anchorMs, nowMs)) return nowMs;
  const byInterval = Math.max(intervalDue(config, anchorMs), nowMs);
  const w = windowOf(config);
  if (!w) return byInterval;
  const opening = nextOpeningAfter(config, w, nowMs);
  return inDailyWindow(config, byInterval) && byInterval < opening ? byInterval : opening;
}

/**
 * The "skip" missed-run policy: the anchor moved forward by whole intervals so that the next
 * fire is the first slot after `nowMs` instead of one catch-up run now.
 */
export function skipMissedSlots(config: ScheduleConfig, anchorMs: number, nowMs: number): number {
  const step = config.interval_seconds * 1000;
  const due = intervalDue(config, anchorMs);
  if (due > nowMs) return anchorMs;
  return anchorMs + Math.floor((nowMs - anchorMs) / step) * step;
}
