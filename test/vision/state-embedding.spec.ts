/**
 * The state embedding sees what a user would call the same screen as the same (other data,
 * another resolution, 200 % scale) and tells different screens apart (a confirmation dialog
 * over the list, another form of the same application).
 */
import assert from 'assert';
import { cosineSimilarity, type StateEmbedding } from '../../lib/vision';
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
      otherData: renderInvoice({ number: '2025-0999', patient: 'BERNARD Luc', row1: 'PETIT Chloé', amount1: '980,10 €', row2: 'ROUX Hugo', amount2: '7,00 €' }),
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
      e[name] = await vision.embed(await vision.analyze(path, { scaleFactor }), { title: name === 'otherData' ? 'Facture 2025-0999 - Clinique Demo' : title });
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
