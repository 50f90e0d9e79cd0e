/**
 * rawsession_v1: the recorder's on-disk format (seeds/vision-architecture.md, layer 0), with
 * the seed's proposals adopted: performance metadata, multi-screen environment, event_version.
 * schemas/rawsession_v1.schema.json is the contract; test/contracts checks this type against it.
 */
import type { Point2 } from './screen-state';

export type RawEventType =
  | 'mouse_click'
  | 'mouse_move'
  | 'mouse_scroll'
  | 'key_press'
  | 'key_release'
  | 'text_input'
  | 'window_change'
  | 'screen_change';

export interface RawWindowRef {
  title: string;
  app_name: string;
  /** [x1, y1, x2, y2] of the window, when known. */
  bounds?: [number, number, number, number];
}

export interface RawEvent {
  event_version?: string;
  /** Seconds since the session started. */
  t: number;
  type: RawEventType;
  window?: RawWindowRef | null;
  screenshot_id: string | null;
  /** mouse_click */
  button?: 'left' | 'right' | 'middle';
  /** mouse_click: 2 for a double click. */
  click_count?: number;
  /** mouse_click: where the button was released, when that is away from `pos` (a drag). */
  drag_to?: Point2;
  /** mouse_click, mouse_move, mouse_scroll */
  pos?: Point2;
  /** mouse_scroll: negative is up (the seed's -120 = one notch up). */
  delta?: number;
  /** mouse_scroll: true for a horizontal scroll. */
  horizontal?: boolean;
  /** key_press, key_release: readable names, modifiers first, e.g. ["CTRL", "F"]. */
  keys?: string[];
  /** text_input: the text as it stood when the field was left (backspace applied). */
  text?: string;
  /** text_input: true when the text was typed in a sensitive field and is stored masked. */
  masked?: boolean;
  /** window_change */
  from_window?: RawWindowRef | null;
  to_window?: RawWindowRef | null;
  /** screen_change */
  similarity_score?: number;
  /** The screenshot taken after the screen settled, when there is one. */
  after_screenshot_id?: string | null;
}

export interface RawScreenshot {
  screenshot_id: string;
  relative_path: string;
  captured_at: string;
  /** Why it was taken: before/after an event, a screen change, a periodic frame. */
  reason?: string;
  width?: number;
  height?: number;
  capture_latency_ms?: number;
}

export interface RawSession {
  schema_version: 'rawsession_v1';
  session_id: string;
  agent_version: string;
  environment: {
    platform: string;
    hostname: string;
    screen: { primary_resolution: Point2; display_scale: number };
    screens?: Array<{ id: number; resolution: Point2; is_primary: boolean; scale?: number }>;
  };
  user: { id: string; label?: string };
  context: { customer?: string; training_label?: string; notes?: string };
  started_at: string;
  ended_at: string | null;
  events: RawEvent[];
  screenshots: RawScreenshot[];
  performance?: {
    cpu_usage_percent: number;
    memory_usage_mb: number;
    capture_latency_ms: number;
    capture_latency_p95_ms?: number;
  };
  /** How the recording ended, e.g. "stopped", "duration", "signal SIGTERM", "display lost". */
  end_reason?: string;
  privacy?: { excluded_windows: string[]; sensitive_windows: string[] };
}
