/**
 * Buttons drawn as a 1-pixel rounded border round a gradient face (xp.css, as Windows XP's Luna
 * draws them; captured in the web corpus). The border's antialiased corners join none of its
 * sides and the gradient has no flat fill, so no box stood for the buttons: a toolbar's captions
 * were taken for links or text, their glyphs for fields, and a key's glyph was read on no key.
 * The four sides are one box, a glyph over a caption in it is an icon button, and the sides of
 * four keys round the gap between them are no box.
 */
import assert from 'assert';
import { inside, locateOnCapture } from './helpers/render';

type Box = [number, number, number, number];

describe('vision: toolbar buttons framed by a rounded border round a gradient face', function () {
  this.timeout(120_000);

  const toolbar: Array<{ caption: string; frame: Box }> = [
    { caption: 'Imprimer', frame: [45, 80, 125, 137] },
    { caption: 'Enregistrer', frame: [140, 80, 223, 137] },
    { caption: 'Exporter', frame: [238, 80, 318, 137] },
    { caption: 'Actualiser', frame: [333, 80, 415, 137] },
  ];
  const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 3);

  it('takes each button of the toolbar for one icon, its box the whole frame', async () => {
    const { analysis } = await locateOnCapture('web-xpcss/list-125', 1.25, { text: 'Imprimer' });
    for (const t of toolbar) {
      const icon = analysis.elements.find((e) => e.type === 'icon' && near(e.bbox, t.frame));
      assert.ok(
        icon && icon.label.slice(0, 5) === t.caption.slice(0, 5),
        `${t.caption}: ${JSON.stringify(analysis.elements.filter((e) => inside([e.bbox[0] + 1, e.bbox[1] + 1], [t.frame[0] - 5, t.frame[1] - 5, t.frame[2], t.frame[3]])).map((e) => [e.type, e.label, e.bbox]))}`,
      );
    }
  });

  for (const caption of ['Imprimer', 'Exporter', 'Actualiser']) {
    it(`clicks the toolbar's "${caption}" asked for as an icon`, async () => {
      const frame = toolbar.find((t) => t.caption === caption)!.frame;
      const { hit } = await locateOnCapture('web-xpcss/list-125', 1.25, { text: caption, type: 'icon' });
      assert.ok(
        hit.found && inside(hit.center, frame),
        JSON.stringify({ ...hit, candidates: hit.candidates.slice(0, 3) }),
      );
    });
  }
  it("reads the caption at the frame's foot whole: \"Enregistrer\" as an icon is the toolbar's, as a button the form's", async () => {
    const icon = await locateOnCapture('web-xpcss/list-125', 1.25, { text: 'Enregistrer', type: 'icon' });
    assert.ok(icon.hit.found && inside(icon.hit.center, [140, 80, 223, 137]), JSON.stringify(icon.hit.center));
    const button = await locateOnCapture('web-xpcss/list-125', 1.25, { text: 'Enregistrer', type: 'button' });
    assert.ok(button.hit.found && inside(button.hit.center, [548, 175, 642, 204]), JSON.stringify(button.hit.center));
  });
});

describe('vision: keys framed by a rounded border, side by side', function () {
  this.timeout(120_000);
  const keypad: [number, number, number, number] = [100, 270, 645, 690];

  it('clicks the "0" key of xp.css\'s keypad at 200 %, read on its own frame', async () => {
    const { hit } = await locateOnCapture('web-xpcss/keypad-200', 2, { text: '0', type: 'button' });
    assert.ok(hit.found && inside(hit.center, [104, 530, 228, 601]), JSON.stringify({ ...hit, element: undefined }));
  });

  it('takes no box round the gap between four keys for a key', async () => {
    const { analysis } = await locateOnCapture('web-xpcss/keypad-200', 2, { text: '5', type: 'button' });
    const keys = analysis.elements.filter((e) => inside([e.bbox[0] + 1, e.bbox[1] + 1], keypad));
    assert.ok(keys.length >= 12, JSON.stringify(keys.map((e) => [e.type, e.label, e.bbox])));
    const wide = keys.filter((e) => e.bbox[2] - e.bbox[0] > 130 || e.bbox[3] - e.bbox[1] > 80);
    assert.deepStrictEqual(
      wide.map((e) => [e.type, e.label, e.bbox]),
      [],
    );
  });
});
