/**
 * The platform keyboard types French text (é, è, ç, à, ô, œ, €, « ») into real programs of two
 * toolkits, checked in what they save: mousepad (GTK 3) and the Swing form of ours (issue 15:
 * the runner typed "Chlo" for "Chloé" into Swing).
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { openDesktop, type Desktop } from '../../lib/platform';
import { keysymName, parseKeymap } from '../../lib/platform/x11/x11-spare-keys';
import { sharedDesktop, type VirtualDesktop } from '../helpers/desktop';
import { launchMousepad, sleep, writeAndSaveNote } from '../execute/debian-apps';
import { compileRecordForm, enterRecord, launchRecordForm, records } from '../execute/swing-form';
import { tempDir } from '../execute/helpers';

const FRENCH = 'Chloé çà œ € « » où Noël';

describe('keys for the characters the keyboard map lacks', () => {
  it('reads which key symbols the map has and which keycodes are spare, and names characters as key symbols', () => {
    const map = parseKeymap(
      [
        'There are 7 KeySyms per KeyCode; KeyCodes range from 8 to 255.',
        '',
        '      8    \t',
        '     38    \t0x0061 (a)\t0x0041 (A)\t0x0061 (a)\t0x0041 (A)\t',
        '     93    \t',
        '     97    \t0x1000153 (U0153)\t0x0000 (NoSymbol)\t',
      ].join('\n'),
    );
    assert.deepStrictEqual(map.spare, [8, 93]);
    assert.deepStrictEqual([...map.symbols].sort(), [0x41, 0x61, 0x1000153].sort());
    assert.deepStrictEqual(['é', 'œ', '€', '«'].map(keysymName), ['U00E9', 'U0153', 'U20AC', 'U00AB']);
  });
});

describe('typing French text through the platform keyboard (mousepad, Swing; Xvfb)', function () {
  this.timeout(90_000);
  let vd: VirtualDesktop;
  let desktop: Desktop;

  before(async () => {
    vd = await sharedDesktop();
    desktop = await openDesktop();
  });

  it('types it into mousepad (GTK 3): the saved file holds it', async () => {
    const dir = tempDir('rpa-french-gtk-');
    const app = await launchMousepad(vd, dir);
    try {
      await desktop.keyboard.type(FRENCH);
      await sleep(300);
      await writeAndSaveNote(vd, app, '', 'note.txt');
      const file = path.join(dir, 'note.txt');
      assert.strictEqual(fs.readFileSync(file, 'utf8').trim(), FRENCH);
    } finally {
      app.close();
    }
  });

  it('types it into the Swing form: the record holds it', async () => {
    const classes = await compileRecordForm();
    const file = path.join(tempDir('rpa-french-swing-'), 'records.txt');
    const app = await launchRecordForm(vd, classes, 'metal', file);
    try {
      await enterRecord(vd, app, FRENCH, 'Zoé', (text) => desktop.keyboard.type(text));
      await vd.waitFor(() => records(file).length > 0, 10_000, 'the form to save the record');
      assert.deepStrictEqual(records(file), [`${FRENCH};Zoé;urgent`]);
    } finally {
      app.close();
    }
  });
});
