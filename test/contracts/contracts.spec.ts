/**
 * The on-disk contracts: the seed's own examples are valid, broken documents are rejected with
 * errors that name the field and the problem, and the TypeScript types agree with the schemas.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { JsonObject } from '../helpers/json';
import {
  ContractError,
  readJsonFile,
  validateRawSession,
  validateScreenState,
  validateUIElement,
  validateWorkflow,
  writeJsonFileAtomic,
  type RawSession,
  type UIElement,
  type Workflow,
} from '../../lib/contracts';

const fixtures = path.resolve(__dirname, '..', 'fixtures', 'contracts');
const load = (name: string): JsonObject => JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8'));

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ContractError, `a ContractError, got ${(err as Error).message}`);
    return err.problems;
  }
  assert.fail('expected the document to be rejected');
}

describe('contracts', () => {
  describe('rawsession_v1', () => {
    it('accepts the seed example', () => {
      const session: RawSession = validateRawSession(load('seed-rawsession.json'));
      assert.strictEqual(session.events.length, 3);
    });

    it('names every bad field: a click without a position, an unknown event type, a dangling screenshot', () => {
      const s = load('seed-rawsession.json');
      delete s.events[0].pos;
      s.events[1].type = 'telepathy';
      s.events[2].screenshot_id = 'shot_9999';
      s.started_at = 'yesterday';
      const p = problems(() => validateRawSession(s));
      assert.ok(p.includes('events[0].pos: is required'), p.join('\n'));
      assert.ok(
        p.some((x) => x.startsWith('events[1].type: must be one of "mouse_click"')),
        p.join('\n'),
      );
      assert.ok(
        p.some((x) => x.startsWith('started_at: must be a date-time')),
        p.join('\n'),
      );
      const s2 = load('seed-rawsession.json');
      s2.events[2].screenshot_id = 'shot_9999';
      assert.deepStrictEqual(
        problems(() => validateRawSession(s2)),
        ['events[2].screenshot_id: no screenshot "shot_9999" in screenshots'],
      );
    });

    it('refuses a misspelt key in an event or its window, naming it', () => {
      const s = load('seed-rawsession.json');
      s.events[0].positon = [1, 2];
      s.events[0].window = { ...s.events[0].window, tilte: 'x' };
      assert.deepStrictEqual(problems(() => validateRawSession(s)).sort(), [
        'events[0].positon: unknown property',
        'events[0].window.tilte: unknown property',
      ]);
    });
  });

  describe('workflow', () => {
    it('accepts the seed example with parameters and learning', () => {
      const wf: Workflow = validateWorkflow(load('seed-workflow.json'));
      assert.strictEqual(wf.learning?.state, 'OBSERVATION');
      assert.deepStrictEqual(
        wf.parameters?.map((p) => p.name),
        ['patient'],
      );
    });

    it('accepts a workflow with one node and no edges', () => {
      validateWorkflow({
        workflow_id: 'wf_min',
        name: 'Minimal',
        nodes: [{ node_id: 'N1', label: 'Start', screen_template: {} }],
        edges: [],
      });
    });

    it('rejects edges between unknown nodes, duplicate ids and unsafe workflow ids, naming each', () => {
      const wf = load('seed-workflow.json');
      wf.workflow_id = '../../etc/passwd';
      wf.edges[0].to_node = 'N9_nowhere';
      wf.nodes[1].node_id = 'N1_liste_factures';
      wf.learning.state = 'AUTOPILOT';
      const p = problems(() => validateWorkflow(wf));
      assert.ok(
        p.some((x) => x.startsWith('workflow_id: has characters that are not allowed')),
        p.join('\n'),
      );
      assert.ok(
        p.some((x) => x.startsWith('learning.state: must be one of')),
        p.join('\n'),
      );
      const wf2 = load('seed-workflow.json');
      wf2.edges[0].to_node = 'N9_nowhere';
      wf2.nodes[2].node_id = 'N1_liste_factures';
      const p2 = problems(() => validateWorkflow(wf2));
      assert.ok(p2.includes('edges[0].to_node: no node "N9_nowhere"'), p2.join('\n'));
      assert.ok(p2.includes('nodes[2].node_id: "N1_liste_factures" is used by two nodes'), p2.join('\n'));
    });

    it('loads a workflow file written by an earlier version (the one the invoice test application runs)', () => {
      const file = path.resolve(__dirname, '..', 'fixtures', 'invoice-app', 'validate-invoice.workflow.json');
      const wf = readJsonFile(file, validateWorkflow);
      assert.deepStrictEqual(wf.nodes[0].screen_template.absent_text, ['validée avec succès']);
      assert.strictEqual(wf.edges[0].action.secondary_target?.text, 'Ouvrir');
    });

    it('refuses a misspelt key, naming it, at any depth', () => {
      const wf = load('seed-workflow.json');
      wf.nodes[2].screen_template.requried_text_any = ['Contrôle'];
      wf.edges[0].action.target.selection_polcy = 'first';
      wf.learning.tresholds = {};
      assert.deepStrictEqual(problems(() => validateWorkflow(wf)).sort(), [
        'edges[0].action.target.selection_polcy: unknown property',
        'learning.tresholds: unknown property',
        'nodes[2].screen_template.requried_text_any: unknown property',
      ]);
    });

    it('requires a destination on every edge and text on every type_text action', () => {
      const p = problems(() =>
        validateWorkflow({
          workflow_id: 'w',
          name: 'w',
          nodes: [{ node_id: 'A', label: 'A', screen_template: {} }],
          edges: [{ edge_id: 'e', from_node: 'A', action: { type: 'type_text' } }],
        }),
      );
      assert.deepStrictEqual(
        p.sort(),
        ['edges[0]: needs to_node or to_node_candidates', 'edges[0].action.text: is required'].sort(),
      );
    });
  });

  describe('UIElement and ScreenState', () => {
    const element: UIElement = {
      element_id: 'el_btn_valider_001',
      type: 'button',
      role: 'validate_invoice',
      label: 'Valider la facture',
      bbox: [1500, 900, 1600, 940],
      center: [1550, 920],
      confidence: 0.94,
      visual_features: { dominant_color: '#4CAF50', has_icon: false, shape: 'rectangle', size_category: 'medium' },
      state: { enabled: true, visible: true, focused: false },
      relationships: [],
      tags: ['primary_action'],
    };

    it('accepts the seed element and a ScreenState holding it', () => {
      validateUIElement(element);
      validateScreenState({
        screen_state_id: 'screen_1',
        timestamp: '2025-11-21T10:15:32.123Z',
        session_id: null,
        window: {
          app_name: 'logiciel_facturation',
          window_title: 'Factures - Clinique Demo',
          screen_resolution: [1920, 1080],
          workspace: 'main',
        },
        raw: { screenshot_path: 'a.png', capture_method: 'x11', file_size_bytes: 1, scale_factor: 1 },
        perception: { detected_text: ['Factures'], text_regions: [] },
        ui_elements: [element],
        context: {},
        metadata: { processing_time_ms: 245 },
      });
    });

    it('names the bad element inside a ScreenState', () => {
      const p = problems(() =>
        validateScreenState({
          screen_state_id: 's',
          timestamp: '2025-11-21T10:15:32Z',
          window: { app_name: '', window_title: '', screen_resolution: [1, 1] },
          raw: { capture_method: 'x11' },
          perception: { detected_text: [] },
          ui_elements: [{ ...element, type: 'hologram', confidence: 3 }],
          context: {},
          metadata: { processing_time_ms: 1 },
        }),
      );
      assert.ok(
        p.some((x) => x.startsWith('ui_elements[0].type: must be one of')),
        p.join('\n'),
      );
      assert.ok(p.includes('ui_elements[0].confidence: must be <= 1'), p.join('\n'));
    });
  });

  describe('files', () => {
    it('reads with the file name in the error, and writes atomically', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-contracts-'));
      const file = path.join(dir, 'wf.json');
      fs.writeFileSync(file, '{ not json');
      assert.throws(
        () => readJsonFile(file, validateWorkflow),
        (e: Error) => e instanceof ContractError && e.message.includes(file),
      );
      assert.throws(
        () => readJsonFile(path.join(dir, 'missing.json'), validateWorkflow),
        /missing\.json does not exist/,
      );
      writeJsonFileAtomic(file, load('seed-workflow.json'));
      assert.strictEqual(readJsonFile(file, validateWorkflow).workflow_id, 'WF_validation_facture');
      assert.deepStrictEqual(fs.readdirSync(dir), ['wf.json'], 'no temporary file left behind');
    });
  });
});
