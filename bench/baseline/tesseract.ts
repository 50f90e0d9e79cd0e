/**
 * The baseline the product must beat: an OCR-word locator of the kind TagUI, SikuliX and
 * Robocorp use. Debian's `tesseract` (French + English) reads the whole screenshot once (one
 * child process per screen); a target is the first sequence of words equal to the asked text
 * (accent-, case- and punctuation-insensitive), clicked at its centre. It knows nothing of
 * element types, so a field is "found" on its label text, where a click does nothing useful.
 * With a `near` text it takes the occurrence closest to that text, which is more than those
 * tools do and keeps the comparison generous.
 */
import { execFile } from 'child_process';
import { Box, TargetQuery, queryText } from '../screens/types';
import { words } from '../screens/text';

export interface OcrWord {
  text: string;
  confidence: number;
  bbox: Box;
  /** block/paragraph/line number: words of one line share it. */
  line: string;
}

export interface TesseractRead {
  words: OcrWord[];
  elapsedMs: number;
}

export class TesseractError extends Error {
  override name = 'TesseractError';
}

/** Runs `tesseract IMAGE stdout -l fra+eng tsv` and parses its words. */
export function readWithTesseract(pngPath: string, languages = 'fra+eng'): Promise<TesseractRead> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    execFile('tesseract', [pngPath, 'stdout', '-l', languages, 'tsv'], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (error) {
        reject(new TesseractError(`tesseract could not read ${pngPath} (is tesseract-ocr with -fra and -eng installed?): ${stderr.trim() || error.message}`));
        return;
      }
      resolve({ words: parseTsv(stdout), elapsedMs });
    });
  });
}

/** Tesseract's TSV: level 5 rows are words with left, top, width, height, conf, text. */
export function parseTsv(tsv: string): OcrWord[] {
  const out: OcrWord[] = [];
  for (const row of tsv.split('\n').slice(1)) {
    const c = row.split('\t');
    if (c.length < 12 || c[0] !== '5') continue;
    const text = c.slice(11).join('\t').trim();
    if (text === '') continue;
    const [left, top, width, height] = c.slice(6, 10).map(Number);
    out.push({ text, confidence: Number(c[10]), bbox: [left, top, left + width - 1, top + height - 1], line: `${c[2]}/${c[3]}/${c[4]}` });
  }
  return out;
}

export interface BaselineResult {
  found: boolean;
  center: [number, number] | null;
  bbox: Box | null;
  strategy: string;
}

interface Occurrence {
  bbox: Box;
  center: [number, number];
}

/** Every place the words of `text` appear in a row on one OCR line, in Tesseract's reading order. */
export function findOccurrences(ocr: OcrWord[], text: string): Occurrence[] {
  const wanted = words(text);
  if (wanted.length === 0) return [];
  // One OCR word may hold several tokens ("FAC-2024-0042"), and one token several words never.
  const tokens: Array<{ token: string; word: OcrWord }> = [];
  for (const w of ocr) for (const token of words(w.text)) tokens.push({ token, word: w });
  const found: Occurrence[] = [];
  for (let i = 0; i + wanted.length <= tokens.length; i++) {
    const run = tokens.slice(i, i + wanted.length);
    if (!run.every((t, k) => t.token === wanted[k] && t.word.line === run[0].word.line)) continue;
    const bbox: Box = [
      Math.min(...run.map((t) => t.word.bbox[0])),
      Math.min(...run.map((t) => t.word.bbox[1])),
      Math.max(...run.map((t) => t.word.bbox[2])),
      Math.max(...run.map((t) => t.word.bbox[3])),
    ];
    found.push({ bbox, center: [Math.round((bbox[0] + bbox[2]) / 2), Math.round((bbox[1] + bbox[3]) / 2)] });
  }
  return found;
}

/** Where the word locator would click for `query`. */
export function locateWithTesseract(ocr: OcrWord[], query: TargetQuery): BaselineResult {
  const occurrences = findOccurrences(ocr, queryText(query));
  if (occurrences.length === 0) return { found: false, center: null, bbox: null, strategy: 'ocr-words' };
  let best = occurrences[0];
  let strategy = 'ocr-words';
  const anchors = query.near ? findOccurrences(ocr, query.near) : [];
  if (anchors.length > 0) {
    const distance = (o: Occurrence) => Math.min(...anchors.map((a) => Math.hypot(a.center[0] - o.center[0], a.center[1] - o.center[1])));
    best = occurrences.reduce((a, b) => (distance(b) < distance(a) ? b : a));
    strategy = 'ocr-words+near';
  }
  return { found: true, center: best.center, bbox: best.bbox, strategy };
}
