/**
 * `rpa-vision detect | locate | embed` print exactly the JSON documents DESIGN.md promises, for
 * many images in one process, and `locate --batch` answers one line per query in order.
 */
import assert from 'assert';
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { INVOICE_BOXES, inside, renderInvoice } from './helpers/render';

const run = promisify(execFile);
const cli = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');

async function rpaVision(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('vision: rpa-vision detect / locate / embed', function () {
  this.timeout(180_000);
  let form: string;
  let other: string;

  before(async () => {
    [form, other] = await Promise.all([renderInvoice(), renderInvoice({ patient: 'BERNARD Luc' })]);
  });

  it('detect --json prints one entry per image with elements and text', async () => {
    const { stdout, code } = await rpaVision(['detect', form, other, '--json']);
    assert.strictEqual(code, 0);
    const doc = JSON.parse(stdout);
    assert.strictEqual(doc.length, 2);
    for (const [i, entry] of doc.entries()) {
      assert.strictEqual(entry.image, [form, other][i]);
      assert.ok(entry.timing_ms > 0);
      assert.ok(entry.elements.length > 10);
      for (const e of entry.elements) {
        for (const key of ['element_id', 'type', 'role', 'label', 'bbox', 'center', 'confidence'])
          assert.ok(key in e, `${key} in ${JSON.stringify(e)}`);
        assert.strictEqual(e.bbox.length, 4);
        assert.strictEqual(e.center.length, 2);
      }
      assert.ok(
        entry.text.some(
          (t: { text: string; bbox: number[]; confidence: number }) =>
            /Annuler/.test(t.text) && t.bbox.length === 4 && t.confidence > 0,
        ),
      );
    }
  });

  it('locate --json prints where to click', async () => {
    const { stdout, code } = await rpaVision([
      'locate',
      form,
      '--text',
      'Nom du patient',
      '--type',
      'text_input',
      '--json',
    ]);
    assert.strictEqual(code, 0);
    const r = JSON.parse(stdout);
    assert.deepStrictEqual(
      Object.keys(r).sort(),
      ['bbox', 'center', 'found', 'image', 'score', 'strategy', 'text', 'timing_ms', 'type'].sort(),
    );
    assert.strictEqual(r.found, true);
    assert.ok(inside(r.center, INVOICE_BOXES.nom), `click ${r.center}`);
  });

  it('locate exits 1 and says so when the text is not on the screen', async () => {
    const { stdout, code } = await rpaVision(['locate', form, '--text', 'Bouton qui n existe pas', '--json']);
    assert.strictEqual(code, 1);
    assert.strictEqual(JSON.parse(stdout).found, false);
  });

  it('locate --batch answers every query in order, the first query on an image paying for its analysis', async () => {
    const queries = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-queries-')), 'q.jsonl');
    fs.writeFileSync(
      queries,
      [
        { image: form, text: 'Valider la facture' },
        { image: form, text: 'Annuler', type: 'button' },
        { image: other, text: 'Catégorie', type: 'dropdown' },
      ]
        .map((q) => JSON.stringify(q))
        .join('\n') + '\n',
    );
    const { stdout, stderr, code } = await rpaVision(['locate', '--batch', queries, '--json']);
    assert.strictEqual(code, 0, stderr);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepStrictEqual(
      lines.map((l) => l.text),
      ['Valider la facture', 'Annuler', 'Catégorie'],
    );
    assert.ok(lines.every((l) => l.found));
    assert.ok(
      inside(lines[0].center, INVOICE_BOXES.valider) &&
        inside(lines[1].center, INVOICE_BOXES.annuler) &&
        inside(lines[2].center, INVOICE_BOXES.categorie),
    );
    assert.ok(
      lines[1].timing_ms < lines[0].timing_ms,
      `second query on the same image reuses its analysis: ${lines[0].timing_ms} then ${lines[1].timing_ms} ms`,
    );
  });

  it('embed --json prints a JSON array of unit vectors', async () => {
    const { stdout, code } = await rpaVision(['embed', form, other, '--title', 'Factures', '--json']);
    assert.strictEqual(code, 0);
    const doc = JSON.parse(stdout);
    assert.strictEqual(doc.length, 2);
    for (const e of doc) {
      assert.strictEqual(e.vector.length, e.dimensions);
      assert.ok(Math.abs(Math.hypot(...e.vector) - 1) < 1e-3);
    }
  });

  it('says what is wrong with a missing image, on stderr, without a stack trace', async () => {
    const { stderr, code } = await rpaVision(['detect', '/nonexistent/shot.png']);
    assert.strictEqual(code, 1);
    assert.match(stderr, /could not decode "\/nonexistent\/shot\.png"/);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });
});
