/**
 * End to end on a real Debian application: mousepad. A workflow types a parameterised text and
 * saves with CTRL+S; it is replayed with another value after the window was moved and resized,
 * and the result is checked where the user would: the file on disk holds exactly the text.
 * Each step is verified on the screen (the typed text visible, the title's "*" gone).
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { sharedDesktop, type VirtualDesktop } from '../helpers/desktop';
import { createVisionEngine, type VisionEngine } from '../../lib/vision';
import { openDesktop, type Desktop } from '../../lib/platform';
import { ScreenObserver, WorkflowRunner } from '../../lib/execute';
import type { Workflow } from '../../lib/contracts/workflow';
import { tempDir } from './helpers';

function noteWorkflow(): Workflow {
  return {
    workflow_id: 'WF_note',
    name: 'Écrire une note',
    learning_state: 'AUTO_CONFIRMED',
    entry_nodes: ['M1_note_ouverte'],
    end_nodes: ['M3_note_enregistree'],
    parameters: [{ name: 'message', default: 'Note du jour' }],
    nodes: [
      {
        node_id: 'M1_note_ouverte',
        label: 'Note ouverte',
        screen_template: { window: { title_pattern: '^[^*].*note\\.txt' } },
      },
      {
        node_id: 'M2_note_modifiee',
        label: 'Note modifiée',
        screen_template: { window: { title_pattern: '^\\*.*note\\.txt' }, required_text_any: ['{{message}}'] },
      },
      {
        node_id: 'M3_note_enregistree',
        label: 'Note enregistrée',
        screen_template: { window: { title_pattern: '^[^*].*note\\.txt' }, required_text_any: ['{{message}}'] },
      },
    ],
    edges: [
      {
        edge_id: 'E1_ecrire',
        from_node: 'M1_note_ouverte',
        to_node: 'M2_note_modifiee',
        action: { type: 'type_text', text: '{{message}}' },
        post_conditions: { timeout_seconds: 5 },
      },
      {
        edge_id: 'E2_enregistrer',
        from_node: 'M2_note_modifiee',
        to_node: 'M3_note_enregistree',
        action: { type: 'key_press', keys: ['CTRL', 'S'] },
        post_conditions: { timeout_seconds: 5 },
      },
    ],
    learning: {
      state: 'AUTO_CONFIRMED',
      thresholds: {
        min_observed_runs_for_assist: 5,
        min_assist_runs_for_auto_candidate: 10,
        min_assist_success_rate_for_auto_candidate: 0.9,
        min_auto_candidate_runs_for_auto_confirmed: 20,
        min_auto_candidate_success_rate_for_auto_confirmed: 0.95,
      },
    },
  } as unknown as Workflow;
}

describe('replay on mousepad (Debian application, Xvfb)', function () {
  this.timeout(150_000);
  let vd: VirtualDesktop;
  let vision: VisionEngine;
  let desktop: Desktop;
  const dir = tempDir('rpa-exec-mousepad-');
  const pids: number[] = [];

  before(async () => {
    vd = await sharedDesktop();
    [vision, desktop] = await Promise.all([createVisionEngine(), openDesktop()]);
  });

  after(async () => {
    for (const pid of pids) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await vision?.close();
  });

  async function openNote(file: string): Promise<string> {
    fs.writeFileSync(file, '');
    const child = vd.launch('mousepad', ['--disable-server', file]);
    if (child.pid) pids.push(child.pid);
    const id = await vd.waitForWindow('note\\.txt - Mousepad', 30_000);
    await vd.activate(id);
    await new Promise((r) => setTimeout(r, 800));
    return id;
  }

  it('types the parameter and saves with CTRL+S; the file holds the text', async () => {
    const file = path.join(dir, 'note.txt');
    await openNote(file);
    const record = await new WorkflowRunner(noteWorkflow(), new ScreenObserver(desktop, vision), {
      params: { message: 'Bonjour depuis le runner 42' },
    }).run();
    assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
    assert.deepStrictEqual(
      record.steps.map((s) => s.verification?.node_id),
      ['M2_note_modifiee', 'M3_note_enregistree'],
    );
    assert.strictEqual(fs.readFileSync(file, 'utf8').trimEnd(), 'Bonjour depuis le runner 42');
    await vd.key('ctrl+q');
  });

  it('replays with another value after the window was moved and resized', async () => {
    const sub = path.join(dir, 'second');
    fs.mkdirSync(sub);
    const file = path.join(sub, 'note.txt');
    const id = await openNote(file);
    await vd.xdotool(['windowsize', '--sync', id, '900', '520']).catch(() => undefined);
    await vd.xdotool(['windowmove', '--sync', id, '700', '420']).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 600));
    const record = await new WorkflowRunner(noteWorkflow(), new ScreenObserver(desktop, vision), {
      params: { message: 'Deuxieme essai 7' },
    }).run();
    assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
    assert.strictEqual(fs.readFileSync(file, 'utf8').trimEnd(), 'Deuxieme essai 7');
    await vd.key('ctrl+q');
  });
});
