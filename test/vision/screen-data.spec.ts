/**
 * Data is not the screen: the Save As dialog of a Win32 program (Wine's Notepad) opened in
 * another folder, listing other files, is the same screen; the Open dialog, listing the very
 * same files, is another one. Three real captures of Wine's file dialogs, cropped to the dialog.
 */
import assert from 'assert';
import path from 'path';
import { cosineSimilarity, createVisionEngine, type ScreenAnalysis, type StateEmbedding } from '../../lib/vision';
import { screenData } from '../../lib/vision/screen-data';
import { NodeRecognizer } from '../../lib/execute/node-recognizer';
import { CAPTURED } from './helpers/render';
import type { Workflow } from '../../lib/contracts/workflow';

const DIR = path.join(CAPTURED, 'wine-file-dialogs');
/** The learned threshold never goes over the seed's 0.85 (lib/graph/node-templates.ts). */
const SAME_SCREEN = 0.85;

describe('vision: data is not the screen (Wine file dialogs)', function () {
  this.timeout(120_000);
  const seen: Record<string, { analysis: ScreenAnalysis; embedding: StateEmbedding }> = {};

  before(async () => {
    // Each capture read whole, as the learner reads screenshots (no reuse of the previous one's reading).
    const vision = await createVisionEngine({ frameReuse: false });
    for (const [name, title] of [
      ['save-as-two-files', 'Save As'],
      ['save-as-other-folder', 'Save As'],
      ['open-other-folder', 'Open'],
    ]) {
      const analysis = await vision.analyze(path.join(DIR, `${name}.png`), { windowTitle: title });
      seen[name] = { analysis, embedding: await vision.embed(analysis, { title }) };
    }
    await vision.close();
  });

  const sim = (a: string, b: string) => cosineSimilarity(seen[a].embedding.vector, seen[b].embedding.vector);

  it("takes the list's files for data, and the labels, fields and buttons for the screen", () => {
    const { analysis } = seen['save-as-other-folder'];
    // The list's lines are read as a list's rows, or as plain text data by where they stand.
    const data = screenData(analysis, analysis.image);
    const items = data.elements.filter((e) => e.type === 'table_row' || data.listItems.has(e)).map((e) => e.label);
    // Six files and a folder, as OCR reads them (a letter may go missing).
    assert.ok(items.filter((t) => /\.txt|t$/.test(t)).length >= 5, JSON.stringify(items));
    for (const label of ['Save in', 'name:', 'Files of type', 'Encoding', 'Save', 'Cancel'])
      assert.ok(
        !items.some((t) => t.includes(label)),
        `"${label}" is the screen's, not data: ${JSON.stringify(items)}`,
      );
    const words = seen['save-as-other-folder'].embedding.source_text ?? '';
    assert.ok(!/budget|courses|toiture/.test(words), words);
    assert.match(words, /cancel/);
  });

  it('the Save As dialog listing two files and the one listing seven others are the same screen', () => {
    assert.ok(
      sim('save-as-two-files', 'save-as-other-folder') >= 0.95,
      String(sim('save-as-two-files', 'save-as-other-folder')),
    );
  });

  it('the Open dialog is another screen than the Save As dialog, even listing the same files', () => {
    assert.ok(
      sim('save-as-other-folder', 'open-other-folder') < SAME_SCREEN,
      String(sim('save-as-other-folder', 'open-other-folder')),
    );
    assert.ok(
      sim('save-as-two-files', 'open-other-folder') < SAME_SCREEN,
      String(sim('save-as-two-files', 'open-other-folder')),
    );
  });

  it("the runner's recogniser takes the dialog in another folder for the learned Save As, never the Open dialog", async () => {
    const learned = seen['save-as-two-files'];
    const workflow = {
      workflow_id: 'WF_save_as',
      name: 'save as',
      version: 1,
      entry_nodes: ['N_save_as'],
      end_nodes: [],
      edges: [],
      nodes: [
        {
          node_id: 'N_save_as',
          label: 'Save As',
          screen_template: {
            window: { title_contains_any_of: ['Save As'] },
            required_text_any: ['Save in:', 'Files of type:'],
            embedding_prototype: {
              vector: Array.from(learned.embedding.vector),
              min_cosine_similarity: SAME_SCREEN,
              sample_count: 2,
            },
          },
        },
      ],
    } as unknown as Workflow;
    const recognizer = new NodeRecognizer(workflow, null);
    const read = (name: string, title: string) =>
      recognizer.recognise({
        analysis: seen[name].analysis,
        window: { title },
        embedding: seen[name].embedding.vector,
      });
    assert.strictEqual((await read('save-as-other-folder', 'Save As')).node_id, 'N_save_as');
    // Even were its title hidden (a reading without one), the Open dialog's own look keeps it apart.
    const open = await recognizer.recognise({
      analysis: seen['open-other-folder'].analysis,
      window: null,
      embedding: seen['open-other-folder'].embedding.vector,
    });
    assert.strictEqual(open.node_id, null, JSON.stringify(open.scores));
  });
});
