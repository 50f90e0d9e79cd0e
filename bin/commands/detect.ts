import type { Command } from './command';
import { analyseEachImage, SCALE_FLAG } from './each-image';

/** `detect IMAGE... [--json]`: UI elements and text of each screenshot, models loaded once. */
export const detect: Command = {
  name: 'detect',
  summary: 'UI elements and text of each screenshot (many images in one process)',
  usage: 'detect IMAGE... [--json] [--scale S]',
  flags: {
    json: { type: 'boolean', description: 'print one JSON array, one entry per image' },
    scale: SCALE_FLAG,
  },
  run: (args) =>
    analyseEachImage(args, async (_vision, image, a, t0) => {
      const result = {
        image,
        width: a.width,
        height: a.height,
        elements: a.elements.map(
          ({ element_id, type, role, label, bbox, center, confidence, state, relationships }) => ({
            element_id,
            type,
            role,
            label,
            bbox,
            center,
            confidence,
            state,
            relationships,
          }),
        ),
        text: a.text.map(({ text, bbox, confidence }) => ({
          text,
          bbox,
          confidence: Math.round(confidence * 1000) / 1000,
        })),
        timing_ms: Math.round(performance.now() - t0),
      };
      return {
        json: result,
        text: [
          `${image}: ${result.elements.length} elements, ${result.text.length} text lines, ${result.timing_ms} ms`,
          ...result.elements.map((e) => `  ${e.type.padEnd(10)} [${e.bbox.join(',')}] ${JSON.stringify(e.label)}`),
        ],
      };
    }),
};
