/**
 * The state embedding sees what a user would call the same screen as the same (other data,
 * another resolution, 200 % scale) and tells different screens apart (a confirmation dialog
 * over the list, another form of the same application).
 */
import assert from 'assert';
import { cosineSimilarity, type StateEmbedding } from '../../lib/vision';
import { pageHtml } from '../../bench/screens/generate';
import { CONFIRM_DIALOG, renderHtml, renderInvoice, sharedEngine } from './helpers/render';

/** Node matching threshold of the seed (vision-architecture.md: "Node Matching > 0.85"). */
const SAME_STATE = 0.85;

describe('vision: state embedding', function () {
  this.timeout(180_000);
  const e: Record<string, StateEmbedding> = {};

  before(async () => {
    const vision = await sharedEngine();
    const title = 'Facture 2024-0153 - Clinique Demo';
    const shots: Record<string, Promise<string>> = {
      form: renderInvoice(),
      otherData: renderInvoice({
        number: '2025-0999',
        patient: 'BERNARD Luc',
        row1: 'PETIT Chloé',
        amount1: '980,10 €',
        row2: 'ROUX Hugo',
        amount2: '7,00 €',
      }),
      withDialog: renderInvoice({ dialog: CONFIRM_DIALOG }),
      bigger: renderInvoice({}, { width: 1440, height: 810 }),
      hiDpi: renderInvoice({}, { width: 1280, height: 720, scale: 2 }),
      otherForm: renderHtml(`<body style="margin:0;font:14px 'DejaVu Sans';background:#f0f0f0;color:#222">
        <h1 style="position:absolute;left:40px;top:10px;font-size:20px;font-weight:normal">Fiche fournisseur</h1>
        <div style="position:absolute;left:40px;top:80px;width:1150px;height:500px;background:#fff;border:1px solid #aaa"></div>
        <label style="position:absolute;left:70px;top:110px">Raison sociale</label><input style="position:absolute;left:300px;top:105px;width:500px">
        <label style="position:absolute;left:70px;top:160px">SIRET</label><input style="position:absolute;left:300px;top:155px;width:300px">
        <label style="position:absolute;left:70px;top:210px">Adresse de livraison</label><textarea style="position:absolute;left:300px;top:205px;width:700px;height:200px"></textarea>
        <button style="position:absolute;left:1000px;top:620px;font:14px 'DejaVu Sans';height:32px">Enregistrer</button></body>`),
    };
    for (const [name, shot] of Object.entries(shots)) {
      const path = await shot;
      const scaleFactor = name === 'hiDpi' ? 2 : 1;
      e[name] = await vision.embed(await vision.analyze(path, { scaleFactor }), {
        title: name === 'otherData' ? 'Facture 2025-0999 - Clinique Demo' : title,
      });
    }
  });

  const sim = (a: string, b: string): number => cosineSimilarity(e[a].vector, e[b].vector);

  it('is a unit vector of fixed size', () => {
    for (const v of Object.values(e)) {
      assert.strictEqual(v.vector.length, v.dimensions);
      assert.ok(Math.abs(Math.hypot(...v.vector) - 1) < 1e-4);
    }
    assert.strictEqual(new Set(Object.values(e).map((v) => v.dimensions)).size, 1);
  });

  it('sees the same screen with other data as the same state', () => {
    assert.ok(sim('form', 'otherData') > 0.95, `similarity ${sim('form', 'otherData')}`);
  });

  it('sees the same screen at another resolution and at 200 % as the same state', () => {
    assert.ok(sim('form', 'bigger') > SAME_STATE, `bigger window: ${sim('form', 'bigger')}`);
    assert.ok(sim('form', 'hiDpi') > 0.95, `200 %: ${sim('form', 'hiDpi')}`);
  });

  it('tells the list from the same list with a confirmation dialog on top', () => {
    assert.ok(sim('form', 'withDialog') < SAME_STATE, `similarity ${sim('form', 'withDialog')}`);
    assert.ok(sim('form', 'withDialog') < sim('form', 'otherData') - 0.1);
  });

  it('tells two different forms of the application apart', () => {
    assert.ok(sim('form', 'otherForm') < SAME_STATE - 0.1, `similarity ${sim('form', 'otherForm')}`);
  });

  it('masks numbers in the text it embeds', () => {
    assert.ok(!/\d/.test(e.form.source_text), e.form.source_text);
  });
});

/**
 * The benchmark's billing application in the classic grey theme, where a confirmation dialog
 * dims nothing behind it: only the dialog's own frame and text tell the two screens apart.
 */
describe('vision: state embedding, a dialog without a dimmed backdrop (classic grey)', function () {
  this.timeout(240_000);
  const e: Record<string, StateEmbedding> = {};

  before(async () => {
    const vision = await sharedEngine();
    const screens: Record<string, { template: string; seed: number; width: number; height: number; scale: number }> = {
      // The same seed renders the same rows: the two screens differ by the dialog alone.
      list: { template: 'invoice_list', seed: 41, width: 1600, height: 900, scale: 1 },
      confirm: { template: 'invoice_confirm', seed: 41, width: 1600, height: 900, scale: 1 },
      listOther: { template: 'invoice_list', seed: 97, width: 1280, height: 720, scale: 1.5 },
      confirmOther: { template: 'invoice_confirm', seed: 97, width: 1280, height: 720, scale: 1.5 },
      patientForm: { template: 'patient_form', seed: 5, width: 1600, height: 900, scale: 1 },
      invoiceForm: { template: 'invoice_form', seed: 5, width: 1600, height: 900, scale: 1 },
    };
    for (const [name, s] of Object.entries(screens)) {
      const { html, title } = pageHtml({
        template: s.template,
        theme: 'classic-grey',
        display: { width: s.width * s.scale, height: s.height * s.scale, scale: s.scale },
        seed: s.seed,
      });
      const png = await renderHtml(html, { width: s.width, height: s.height, scale: s.scale });
      e[name] = await vision.embed(await vision.analyze(png, { scaleFactor: s.scale }), { title });
    }
  });

  const sim = (a: string, b: string): number => cosineSimilarity(e[a].vector, e[b].vector);

  it('finds the confirmation dialog over the list, with its title and buttons, and none on the list', () => {
    assert.strictEqual(e.list.modal, null);
    assert.strictEqual(e.listOther.modal, null);
    for (const name of ['confirm', 'confirmOther']) {
      const modal = e[name].modal;
      assert.ok(modal, `no dialog found on ${name}`);
      assert.match(modal.title, /Confirmation/);
      assert.ok(
        modal.buttons.some((b) => /Confirmer/.test(b)) && modal.buttons.some((b) => /Annuler/.test(b)),
        JSON.stringify(modal.buttons),
      );
    }
  });

  it('tells the list from the same list with the dialog on top', () => {
    assert.ok(sim('list', 'confirm') < SAME_STATE, `similarity ${sim('list', 'confirm')}`);
  });

  it('sees each screen with other data at 150 % as the same state, nearer to it than to the other screen', () => {
    assert.ok(sim('list', 'listOther') > SAME_STATE, `list: ${sim('list', 'listOther')}`);
    assert.ok(sim('confirm', 'confirmOther') > SAME_STATE, `confirmation: ${sim('confirm', 'confirmOther')}`);
    assert.ok(
      sim('listOther', 'list') > sim('listOther', 'confirm') + 0.1,
      `list at 150 %: ${sim('listOther', 'list')} vs ${sim('listOther', 'confirm')}`,
    );
    assert.ok(
      sim('confirmOther', 'confirm') > sim('confirmOther', 'list') + 0.1,
      `confirmation at 150 %: ${sim('confirmOther', 'confirm')} vs ${sim('confirmOther', 'list')}`,
    );
  });

  it('tells the patient form from the invoice form of the same application', () => {
    assert.ok(sim('patientForm', 'invoiceForm') < SAME_STATE - 0.1, `similarity ${sim('patientForm', 'invoiceForm')}`);
  });
});
