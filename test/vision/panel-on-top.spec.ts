/**
 * A modal dialog over its window, both with an "Annuler" button: the window behind takes no
 * input, so the dialog's button is the answer. The same dialog laid beside the window, hiding
 * nothing, is not "on top" of anything: the two buttons stay a tie (ambiguous), never a choice
 * by position.
 */
import assert from 'assert';
import * as path from 'path';
import { CAPTURED, inside, renderHtml, sharedEngine } from './helpers/render';

const FONT = "font:16px 'DejaVu Sans'";
const BUTTON = `position:absolute;width:110px;height:32px;${FONT};background:#e8e8e8;border:1px solid #777`;
const field = (y: number, text: string): string =>
  `<div style="position:absolute;left:30px;top:${y + 6}px">${text}</div>
   <input style="position:absolute;left:150px;top:${y}px;width:560px;height:30px;box-sizing:border-box;border:1px solid #777;${FONT}">`;

/** A window with fields and its own buttons, and a dialog at (left, top). */
function screen(dialogLeft: number, dialogTop: number): string {
  return `<body style="margin:0;background:#3a3a3a;${FONT};color:#222">
  <div style="position:absolute;left:20px;top:20px;width:740px;height:460px;background:#f0f0f0;border:1px solid #555">
    <div style="background:#b8c4d0;color:#555;padding:6px 10px">Fiche client</div>
    ${field(60, 'Nom')}${field(110, 'Prénom')}${field(160, 'Courriel')}${field(210, 'Ville')}${field(260, 'Pays')}
    <button style="${BUTTON};left:360px;top:400px">Supprimer</button>
    <button style="${BUTTON};left:485px;top:400px">Annuler</button>
    <button style="${BUTTON};left:610px;top:400px">Enregistrer</button>
  </div>
  <div style="position:absolute;left:${dialogLeft}px;top:${dialogTop}px;width:380px;height:170px;background:#f0f0f0;border:1px solid #222;box-shadow:3px 3px 8px #000">
    <div style="background:#2c5d9e;color:#fff;padding:6px 10px">Confirmer</div>
    <div style="position:absolute;left:20px;top:50px">Supprimer le client Dupont ?</div>
    <button style="${BUTTON};left:20px;top:115px">Oui</button>
    <button style="${BUTTON};left:140px;top:115px">Non</button>
    <button style="${BUTTON};left:255px;top:115px">Annuler</button>
  </div>
</body>`;
}

describe('vision: a modal dialog over its window', function () {
  this.timeout(120_000);

  it("clicks the dialog's Annuler, not the one of the window behind it", async () => {
    const vision = await sharedEngine();
    const analysis = await vision.analyze(await renderHtml(screen(230, 110), { width: 1100, height: 520 }));
    const hit = await vision.locate(analysis, { text: 'Annuler', type: 'button' });
    // The dialog's Annuler: left 230 + 1 + 255, top 110 + 1 + 115, 110 × 32.
    assert.ok(hit.found, `not found (${hit.strategy}): ${JSON.stringify(hit.candidates)}`);
    assert.ok(inside(hit.center, [486, 226, 596, 258]), `click ${hit.center} outside the dialog's Annuler`);
  });

  it('keeps two Annuler a tie when the dialog beside the window hides nothing', async () => {
    const vision = await sharedEngine();
    const analysis = await vision.analyze(await renderHtml(screen(780, 110), { width: 1180, height: 520 }));
    const hit = await vision.locate(analysis, { text: 'Annuler', type: 'button' });
    assert.ok(!hit.found && hit.ambiguous, `clicked ${hit.center} by ${hit.strategy}`);
  });

  it('keeps two Print a tie when one sits in a band of the window, not in a dialog (98.css, 150 %)', async () => {
    // A captured page of the web corpus: "Print" in the toolbar above a tabbed page (framed by
    // the window's sides and the tabs' line, which the page's own lines run into) and "Print"
    // under the form. Neither is over the other.
    const page = path.join(CAPTURED, 'web-98css', 'form-150.png');
    const vision = await sharedEngine();
    const analysis = await vision.analyze(page, { scaleFactor: 1.5 });
    const hit = await vision.locate(analysis, { text: 'Print', type: 'button' });
    assert.ok(!hit.found && hit.ambiguous, `clicked ${hit.center} by ${hit.strategy}`);
  });
});
