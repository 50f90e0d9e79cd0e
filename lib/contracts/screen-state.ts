/**
 * ScreenState and UIElement: the seed's layer 1 and layer 2 formats (seeds/vision-architecture.md),
 * as TypeScript types. Boxes are [x1, y1, x2, y2] in physical screen pixels, origin top-left,
 * x2/y2 exclusive.
 */

export type BBox = [number, number, number, number];
export type Point2 = [number, number];

/** The element types a person acts on: the seed's table of element types. */
export const INTERACTIVE_ELEMENT_TYPES = [
  'button',
  'text_input',
  'checkbox',
  'radio',
  'dropdown',
  'tab',
  'link',
  'icon',
  'table_row',
  'menu_item',
] as const;

/** Every element type: those a person acts on, text, and the containers used for grouping. */
export const ELEMENT_TYPES = [...INTERACTIVE_ELEMENT_TYPES, 'text', 'table', 'form', 'dialog'] as const;
export type ElementType = (typeof ELEMENT_TYPES)[number];

export const INTERACTIVE_TYPES: ReadonlySet<ElementType> = new Set<ElementType>(INTERACTIVE_ELEMENT_TYPES);

export interface VisualFeatures {
  /** "#rrggbb" of the element's background. */
  dominant_color: string;
  has_icon: boolean;
  shape: 'rectangle' | 'rounded_rectangle' | 'circle' | 'square' | 'text';
  size_category: 'small' | 'medium' | 'large';
}

export interface ElementState {
  enabled: boolean;
  visible: boolean;
  focused: boolean;
  selected?: boolean;
  /** Checkboxes and radios only. */
  checked?: boolean;
  /** Text inputs and dropdowns: the text shown inside, when it is not a placeholder. */
  value?: string;
  /** Text inputs: the hint shown inside while empty. */
  placeholder?: string;
}

export interface ElementRelationship {
  type: 'label_for' | 'labelled_by' | 'part_of_group';
  target_element_id?: string;
  group_id?: string;
}

export interface UIElement {
  /** Stable: a hash of type, label and position relative to the screen, so the same element keeps its id across frames. */
  element_id: string;
  type: ElementType;
  /** What the element is for, when it can be inferred (e.g. "submit", "cancel", "form_input"). */
  role: string | null;
  /** Visible text, or for a field its label (left of or above it) or its placeholder. */
  label: string;
  label_confidence?: number;
  bbox: BBox;
  /** Where a click acts on the element. */
  center: Point2;
  confidence: number;
  visual_features: VisualFeatures;
  state: ElementState;
  relationships: ElementRelationship[];
  tags: string[];
  metadata?: { detection_method: string; detection_time_ms?: number };
}

/** One OCR line (or word) with its box. */
export interface TextRegion {
  text: string;
  bbox: BBox;
  confidence: number;
}

export interface TextLine extends TextRegion {
  words: TextRegion[];
}

export interface ChangedRegion {
  bbox: BBox;
  change_type: 'new_element' | 'removed_element' | 'content_changed';
}

export interface ScreenState {
  screen_state_id: string;
  timestamp: string;
  session_id: string | null;
  window: {
    app_name: string;
    window_title: string;
    screen_resolution: Point2;
    workspace: string;
  };
  raw: {
    screenshot_path: string | null;
    capture_method: string;
    file_size_bytes: number | null;
    scale_factor: number;
  };
  perception: {
    embedding: {
      provider: string;
      dimensions: number;
      fusion_method: 'weighted';
      vector: number[];
      /** @deprecated From the seed format: accepted, not written or read. */
      vector_id?: string;
    };
    detected_text: string[];
    text_regions: TextLine[];
    text_detection_method: string;
    confidence_avg: number;
    /** @deprecated From the seed format: accepted, not written or read. */
    regions_of_interest?: Array<{ roi_id?: string; bbox?: BBox; type?: string; importance?: number }>;
  };
  ui_elements: UIElement[];
  context: {
    current_workflow_candidate: string | null;
    workflow_step: string | null;
    user_id: string | null;
    tags: string[];
    business_variables: Record<string, unknown>;
  };
  change_detection: {
    previous_state_id: string | null;
    similarity_score: number | null;
    changed_regions: ChangedRegion[];
  };
  metadata: {
    processing_time_ms: number;
    ui_elements_count: number;
    text_regions_count: number;
    timings_ms: Record<string, number>;
  };
}
