/**
 * Layouts the element detector used to miss, on real rendered screens: a window's title bar with
 * its glyph-only buttons, a menu bar, toolbar icons with a caption under them, a table whose rows
 * are drawn only by lines between them (and one drawn only by zebra stripes), links side by side,
 * a dropdown's chevron, round radios next to rounded checkboxes.
 */
import assert from 'assert';
import { textSimilarity, type ScreenAnalysis, type UIElement } from '../../lib/vision';
import { renderHtml, sharedEngine } from './helpers/render';

type Box = [number, number, number, number];

const ICON = (d: string) =>
  `<svg viewBox="0 0 24 24" width="20" height="20"><path d="${d}" fill="none" stroke="#3c4a5a" stroke-width="1.8"/></svg>`;
const GLYPH = (d: string) =>
  `<svg viewBox="0 0 16 16" width="12" height="12"><path d="${d}" fill="none" stroke="#fff" stroke-width="2"/></svg>`;

/** Everything at absolute positions, so the expected boxes are known. */
const RULED_PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; font: 14px "Liberation Sans", sans-serif; color: #1f2933; background: #f4f6f9; }
  .abs { position: absolute; }
  #title { left: 0; top: 0; width: 1280px; height: 30px; background: #1a4f9c; color: #fff; font-weight: bold; }
  #title span { position: absolute; left: 10px; top: 7px; }
  .win { position: absolute; top: 5px; width: 22px; height: 20px; display: flex; align-items: center; justify-content: center; }
  #menubar { left: 0; top: 30px; width: 1280px; height: 24px; background: #fff; border-bottom: 1px solid #d8dee6; }
  .menu { position: absolute; top: 4px; }
  #toolbar { left: 0; top: 55px; width: 1280px; height: 50px; background: #fff; border-bottom: 1px solid #d8dee6; }
  .tool { position: absolute; top: 4px; display: flex; flex-direction: column; align-items: center; gap: 2px; font-size: 12px; }
  table { position: absolute; left: 40px; top: 150px; width: 900px; border-collapse: collapse; background: #fff; }
  th { text-align: left; padding: 8px 10px; background: #eef2f7; border-bottom: 1px solid #b8c2cf; }
  td { padding: 6px 10px; border-bottom: 1px solid #d8dee6; }
  a { color: #1a5fc4; text-decoration: underline; }
  select { position: absolute; left: 1000px; top: 150px; width: 200px; height: 32px; font: inherit; appearance: none; border: 1px solid #b7c1cd; border-radius: 4px; background: #fff url("data:image/svg+xml;utf8,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 12 12'%3E%3Cpath d='M1 4l5 5 5-5' fill='none' stroke='%234a5563' stroke-width='2'/%3E%3C/svg%3E") no-repeat right 8px center / 12px 12px; padding: 0 28px 0 8px; }
  .choice { position: absolute; display: flex; align-items: center; gap: 7px; }
  .choice input { appearance: none; margin: 0; width: 16px; height: 16px; border: 1px solid #8a96a5; background: #fff; }
  .choice input[type=radio] { border-radius: 50%; }
  .choice input[type=checkbox] { border-radius: 4px; }
</style></head><body>
  <div id="title" class="abs"><span>Clinique Saint-Michel - Gestion - Factures</span>
    <div class="win" style="left:1178px">${GLYPH('M3 10h10')}</div>
    <div class="win" style="left:1204px">${GLYPH('M3 3h10v10H3z')}</div>
    <div class="win" style="left:1230px">${GLYPH('M3 3l10 10 M13 3L3 13')}</div></div>
  <div id="menubar" class="abs">${['Fichier', 'Édition', 'Affichage', 'Outils', 'Aide'].map((m, i) => `<span class="menu" style="left:${16 + i * 80}px">${m}</span>`).join('')}</div>
  <div id="toolbar" class="abs">
    <div class="tool" style="left:20px">${ICON('M6 9V3h12v6 M4 9h16v8H4z M7 14h10v7H7z')}<span>Imprimer</span></div>
    <div class="tool" style="left:100px">${ICON('M12 15V3 M7 8l5-5 5 5 M4 14v7h16v-7')}<span>Exporter</span></div>
    <div class="tool" style="left:180px">${ICON('M20 12a8 8 0 1 1-3-6.2 M20 3v6h-6')}<span>Actualiser</span></div></div>
  <table><thead><tr><th>N°</th><th>Patient</th><th>Date</th><th>Montant</th></tr></thead><tbody>
    <tr><td>FAC-2024-0101</td><td>Hélène Dupont</td><td>03/02/2024</td><td>120,00</td></tr>
    <tr><td>FAC-2024-0102</td><td>Jérôme Martin</td><td>11/03/2024</td><td>45,50</td></tr>
    <tr><td>FAC-2024-0103</td><td>Amélie Bernard</td><td>27/04/2024</td><td>310,20</td></tr>
    <tr><td>FAC-2024-0104</td><td>Zoé Petit</td><td>05/06/2024</td><td>88,10</td></tr>
  </tbody></table>
  <p class="abs" style="left:40px; top:420px; margin:0"><a>Sign out</a> <a>Help</a></p>
  <select><option>Harmonie Mutuelle</option></select>
  <span class="choice" style="left:1000px; top:220px"><input type="radio" checked><label>Homme</label></span>
  <span class="choice" style="left:1000px; top:250px"><input type="radio"><label>Femme</label></span>
  <span class="choice" style="left:1000px; top:280px"><input type="checkbox"><label>Patient mineur</label></span>
</body></html>`;

/** A table with no lines at all: only every other row is shaded. */
const ZEBRA_PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; font: 14px "DejaVu Sans", sans-serif; color: #222; background: #fff; }
  table { position: absolute; left: 60px; top: 80px; width: 800px; border-collapse: collapse; }
  th { text-align: left; padding: 8px 10px; background: #d0d7e2; }
  td { padding: 7px 10px; }
  tr.alt td { background: #e8edf3; }
</style></head><body><table><thead><tr><th>Code</th><th>Libellé</th><th>Quantité</th></tr></thead><tbody>
  ${['Compresses stériles', 'Seringues 5 ml', 'Gants nitrile', 'Sparadrap', 'Alcool modifié', 'Bandes Velpeau']
    .map(
      (name, i) =>
        `<tr class="${i % 2 ? 'alt' : ''}"><td>ART-${100 + i}</td><td>${name}</td><td>${(i + 2) * 12}</td></tr>`,
    )
    .join('')}
</tbody></table></body></html>`;

function centre(b: Box): [number, number] {
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
}
const within = ([x, y]: [number, number], b: Box) => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];

describe('vision: detection of title bars, menu bars, captioned icons, ruled and striped tables', function () {
  this.timeout(120_000);
  let ruled: ScreenAnalysis;
  let zebra: ScreenAnalysis;

  before(async () => {
    const vision = await sharedEngine();
    ruled = await vision.analyze(await renderHtml(RULED_PAGE, { width: 1280, height: 720 }));
    zebra = await vision.analyze(await renderHtml(ZEBRA_PAGE, { width: 1000, height: 400 }));
  });

  const all = (screen: ScreenAnalysis, type: UIElement['type']) => screen.elements.filter((e) => e.type === type);
  const list = (screen: ScreenAnalysis) =>
    screen.elements.map((e) => `${e.type}:${e.label}@${e.bbox.join(',')}`).join('\n  ');

  it('finds the three window buttons at the right of the title bar, each on its glyph', () => {
    const icons = all(ruled, 'icon').filter((e) => e.bbox[1] < 30);
    assert.strictEqual(icons.length, 3, `window buttons:\n  ${list(ruled)}`);
    const glyphs: Box[] = [1178, 1204, 1230].map((x) => [x, 5, x + 22, 25]);
    for (const g of glyphs)
      assert.ok(
        icons.some((i) => within(centre(i.bbox as Box), g)),
        `no icon on [${g}] among ${icons.map((i) => i.bbox).join(' | ')}`,
      );
  });

  it('finds each menu bar title as one menu item, even the ones text detection joins', () => {
    const titles = all(ruled, 'menu_item');
    ['Fichier', 'Édition', 'Affichage', 'Outils', 'Aide'].forEach((name, i) => {
      const hit = titles.find((t) => textSimilarity(name, t.label) >= 0.8);
      assert.ok(hit, `no menu item "${name}":\n  ${list(ruled)}`);
      const x = 16 + i * 80;
      assert.ok(hit.bbox[0] >= x - 4 && hit.bbox[2] <= x + 90, `"${name}" box ${hit.bbox} is not the title at x=${x}`);
    });
  });

  it('finds toolbar icons with their caption as one icon labelled by the caption', () => {
    for (const caption of ['Imprimer', 'Exporter', 'Actualiser']) {
      const icon = all(ruled, 'icon').find((e) => textSimilarity(caption, e.label) >= 0.8);
      assert.ok(icon, `no icon "${caption}":\n  ${list(ruled)}`);
      assert.ok(
        icon.bbox[1] <= 62 && icon.bbox[3] >= 85,
        `"${caption}" icon ${icon.bbox} does not take in glyph and caption`,
      );
    }
  });

  it('finds each row of a table ruled only by horizontal lines, across the whole table, and not its header', () => {
    const rows = all(ruled, 'table_row');
    assert.strictEqual(rows.length, 4, `rows:\n  ${list(ruled)}`);
    for (const r of rows)
      assert.ok(r.bbox[0] <= 44 && r.bbox[2] >= 935, `row ${r.label} ${r.bbox} does not span the table (40..940)`);
    assert.match(rows[0].label, /FAC-2024-0101/);
    assert.ok(!rows.some((r) => /Patient|Montant/.test(r.label)), 'the header is not a row');
    assert.strictEqual(
      new Set(rows.map((r) => r.relationships.find((x) => x.type === 'part_of_group')?.group_id)).size,
      1,
      'one table',
    );
  });

  it('finds the rows of a table drawn only by zebra stripes', () => {
    const rows = all(zebra, 'table_row');
    assert.strictEqual(rows.length, 6, `rows:\n  ${list(zebra)}`);
    for (const r of rows)
      assert.ok(r.bbox[0] <= 64 && r.bbox[2] >= 855, `row ${r.label} ${r.bbox} does not span the table (60..860)`);
  });

  it('tells apart two links on one line', () => {
    for (const name of ['Sign out', 'Help'])
      assert.ok(
        all(ruled, 'link').some((l) => textSimilarity(name, l.label) >= 0.8),
        `no link "${name}":\n  ${list(ruled)}`,
      );
  });

  it('types a dropdown by its chevron, radios as round and a rounded checkbox as a checkbox', () => {
    assert.ok(
      all(ruled, 'dropdown').some((d) => d.bbox[0] >= 995 && d.bbox[0] <= 1005),
      `no dropdown:\n  ${list(ruled)}`,
    );
    const radios = all(ruled, 'radio').map((r) => r.label);
    assert.ok(radios.some((l) => /Homme/.test(l)) && radios.some((l) => /Femme/.test(l)), `radios: ${radios}`);
    assert.ok(
      all(ruled, 'checkbox').some((c) => /mineur/.test(c.label)),
      `no checkbox:\n  ${list(ruled)}`,
    );
  });
});
