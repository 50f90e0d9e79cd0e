/**
 * Learning which of several similar items a step acts on (issue 15), on screens described as
 * the vision engine reads them: a list whose every row ends with an "Ouvrir" button. The rule
 * must explain every demonstration; among several, the most specific wins; none: a person
 * must set one, and the runner will not act on that step alone meanwhile.
 */
import assert from 'assert';
import type { BBox, ScreenAnalysis, TextLine, UIElement } from '../../lib/vision';
import type { Workflow, WorkflowEdge } from '../../lib/contracts/workflow';
import {
  choiceAt,
  inferRule,
  learnedSummary,
  sameItemCell,
  setChoiceRule,
  type ChoiceDemonstration,
} from '../../lib/graph';
import { applyChoiceRules } from '../../lib/graph/choice-rules';
import { applyPolicy, NEEDS_RULE } from '../../lib/execute';
import type { Observation } from '../../lib/graph/observation';
import { line } from '../helpers/screen-parts';

function button(x: number, y: number, enabled = true): UIElement {
  return {
    element_id: `b${x}_${y}`,
    type: 'button',
    role: null,
    label: 'Ouvrir',
    bbox: [x, y - 8, x + 90, y + 28],
    center: [x + 45, y + 10],
    confidence: 1,
    visual_features: { dominant_color: '#ffffff', has_icon: false, shape: 'rectangle', size_category: 'small' },
    state: { enabled, visible: true, focused: false },
    relationships: [],
    tags: [],
  };
}

const analysis = (text: TextLine[], elements: UIElement[]): ScreenAnalysis => ({
  width: 900,
  height: 600,
  scaleFactor: 1,
  imageHash: 'h',
  text,
  elements,
  timings: {},
});

/** A list screen: one row per [number, patient, status], each with its "Ouvrir" (disabled ones listed). */
function list(rows: Array<[string, string, string]>, disabled: number[] = []): ScreenAnalysis {
  const text: TextLine[] = [line('Numéro', 20, 40), line('Patient', 200, 40), line('Statut', 460, 40)];
  const elements: UIElement[] = [];
  rows.forEach(([id, patient, status], i) => {
    const y = 100 + 60 * i;
    text.push(line(id, 20, y), line(patient, 200, y), line(status, 460, y), line('Ouvrir', 730, y));
    elements.push(button(720, y, !disabled.includes(i)));
  });
  return analysis(text, elements);
}

/** The detail screen of one invoice. */
function detail(id: string, patient: string): Observation {
  return {
    key: id,
    sessionIndex: 0,
    screenshotId: id,
    analysis: analysis([line(`Détail de la facture ${id}`, 20, 40), line(patient, 250, 120)], []),
    vector: new Float32Array(0),
    provider: 'test',
    title: `Facture ${id}`,
    titleKnown: true,
    appName: 'chromium',
    frame: [0, 0, 900, 600],
  };
}

/** The person clicked "Ouvrir" on `row` (0 = top) of `screen`. */
function demo(
  screen: ScreenAnalysis,
  row: number,
  values: Record<string, string> = {},
  next: Observation | null = null,
): ChoiceDemonstration {
  const buttons = screen.elements.filter((e) => e.type === 'button');
  return { choice: choiceAt(screen, buttons[row])!, values, next };
}

const P = 'À valider';
const V = 'Validée';

describe('graph: learning which of several similar items a step acts on', () => {
  it('finds "the first row showing À valider" when the demonstrations chose it at different positions', () => {
    const a = list([
      ['F-1001', 'Martin Claire', V],
      ['F-1002', 'Durand Paul', V],
      ['F-1003', 'Bernard Lucie', P],
      ['F-1004', 'Petit Marc', P],
    ]);
    const b = list([
      ['F-1005', 'Roux Nina', P],
      ['F-1006', 'Girard Paul', V],
      ['F-1007', 'Lambert Zoé', P],
    ]);
    assert.deepStrictEqual(inferRule([demo(a, 2), demo(b, 0)]), { policy: `status:${P}`, also_consistent: [] });
  });

  it('keeps the most specific of several consistent rules and names the others', () => {
    const a = list([
      ['F-1002', 'Durand Paul', P],
      ['F-1003', 'Bernard Lucie', P],
    ]);
    const b = list([
      ['F-1005', 'Roux Nina', P],
      ['F-1006', 'Girard Paul', V],
    ]);
    assert.deepStrictEqual(inferRule([demo(a, 0), demo(b, 0)]), { policy: `status:${P}`, also_consistent: ['first'] });
  });

  it('finds "the row showing the parameter" when the chosen row holds the value the run was given', () => {
    const rows: Array<[string, string, string]> = [
      ['F-1002', 'Durand Paul', P],
      ['F-1003', 'Bernard Lucie', P],
      ['F-1004', 'Petit Marc', P],
    ];
    const rule = inferRule([
      demo(list(rows), 1, { patient: 'Bernard Lucie' }),
      demo(list(rows), 2, { patient: 'Petit Marc' }),
      demo(list(rows), 0, { patient: 'Durand Paul' }),
    ]);
    assert.deepStrictEqual(rule, { policy: 'row_with:{{patient}}', also_consistent: [] });
  });

  it('finds "the only enabled one"', () => {
    const rows: Array<[string, string, string]> = [
      ['F-1002', 'Durand Paul', P],
      ['F-1003', 'Bernard Lucie', P],
      ['F-1004', 'Petit Marc', P],
    ];
    const rule = inferRule([demo(list(rows, [0, 2]), 1), demo(list(rows, [1, 2]), 0)]);
    assert.deepStrictEqual(rule, { policy: 'enabled', also_consistent: [] });
  });

  it('takes a row name that only the chosen row showed, in a single demonstration, for data, not a rule', () => {
    const a = list([
      ['F-1002', 'Durand Paul', V],
      ['F-1003', 'Bernard Lucie', V],
    ]);
    assert.deepStrictEqual(inferRule([demo(a, 1)]), { policy: 'last', also_consistent: ['nth:1'] });
  });

  it('marks the step as needing a rule when none explains the choices, and the summary says so', () => {
    const rows: Array<[string, string, string]> = [
      ['F-1002', 'Durand Paul', P],
      ['F-1003', 'Bernard Lucie', P],
      ['F-1004', 'Petit Marc', P],
      ['F-1005', 'Roux Nina', P],
    ];
    const demos = [demo(list(rows), 1), demo(list(rows), 2)];
    assert.deepStrictEqual(inferRule(demos), { policy: NEEDS_RULE, also_consistent: [] });

    const edge: WorkflowEdge = {
      edge_id: 'E1_ouvrir',
      from_node: 'N1_liste',
      to_node: 'N2_detail',
      action: { type: 'mouse_click', target: { type: 'button', text: 'Ouvrir', near: 'Bernard Lucie' } },
    };
    applyChoiceRules(edge, [edge.action], [demos]);
    assert.strictEqual(edge.action.target!.selection_policy, NEEDS_RULE);
    assert.strictEqual(edge.action.target!.near, undefined, 'the demonstration row was not a rule either');
    const workflow = { workflow_id: 'WF_t', name: 't', nodes: [], edges: [edge] } as unknown as Workflow;
    const need = learnedSummary(workflow).needs_person.find((n) => n.kind === 'choice_rule');
    assert.ok(need, JSON.stringify(learnedSummary(workflow).needs_person));
    assert.match(need.message, /no rule explains the 2 demonstration\(s\)' choices/);
    assert.match(need.message, /--rule E1_ouvrir=status:TEXT/);
    // Until a person sets one, the runner ties every candidate, even a single one: nothing is acted on.
    const one = [{ point: [765, 110] as [number, number], bbox: [720, 92, 810, 128] as BBox }];
    assert.deepStrictEqual(applyPolicy(NEEDS_RULE, one, list(rows)), { tied: one });

    setChoiceRule(workflow, 'E1_ouvrir', 'nth:1');
    assert.strictEqual(edge.action.target!.selection_policy, 'nth:1');
    assert.deepStrictEqual(edge.metadata?.choice_rules, [
      { step: 0, policy: 'nth:1', also_consistent: [], demonstrations: 2, set_by: 'person' },
    ]);
    assert.deepStrictEqual(learnedSummary(workflow).needs_person, []);
    // A later learning keeps what the person set.
    applyChoiceRules(edge, [edge.action], [demos]);
    assert.strictEqual(edge.action.target!.selection_policy, 'nth:1');
  });

  it('extending a workflow, keeps a learned rule only while the new demonstrations follow it too', () => {
    const edge: WorkflowEdge = {
      edge_id: 'E1_ouvrir',
      from_node: 'N1_liste',
      to_node: 'N2_detail',
      action: { type: 'mouse_click', target: { type: 'button', text: 'Ouvrir', selection_policy: 'first' } },
      metadata: {
        choice_rules: [
          { step: 0, policy: 'first', also_consistent: [`status:${P}`], demonstrations: 2, set_by: 'learner' },
        ],
      },
    };
    // The new demonstration chose the first pending row, not the first row: the rule that explains all of them.
    const pendingSecond = list([
      ['F-1002', 'Durand Paul', V],
      ['F-1003', 'Bernard Lucie', P],
    ]);
    applyChoiceRules(edge, [edge.action], [[demo(pendingSecond, 1)]]);
    assert.strictEqual(edge.action.target!.selection_policy, `status:${P}`);
    assert.deepStrictEqual(edge.metadata!.choice_rules![0], {
      step: 0,
      policy: `status:${P}`,
      also_consistent: [],
      demonstrations: 3,
      set_by: 'learner',
    });
    // Then one that chose a row no rule known from the earlier ones explains: a person must say.
    applyChoiceRules(edge, [edge.action], [[demo(pendingSecond, 0)]]);
    assert.strictEqual(edge.action.target!.selection_policy, NEEDS_RULE);
  });

  it('refuses a rule it cannot apply, naming the forms it takes', () => {
    const workflow = {
      workflow_id: 'WF_t',
      name: 't',
      nodes: [],
      parameters: [{ name: 'patient', default: '' }],
      edges: [{ edge_id: 'E1', from_node: 'A', to_node: 'B', action: { type: 'mouse_click', target: { text: 'x' } } }],
    } as unknown as Workflow;
    assert.throws(() => setChoiceRule(workflow, 'E1', 'the second'), /not a selection rule: use status:TEXT/);
    assert.throws(() => setChoiceRule(workflow, 'E1', 'row_with:{{nom}}'), /parameter nom, which the workflow/);
    assert.throws(() => setChoiceRule(workflow, 'E9', 'first'), /no step "E9"/);
    setChoiceRule(workflow, 'E1', 'row_with:{{patient}}');
    assert.strictEqual(workflow.edges[0].action.target!.selection_policy, 'row_with:{{patient}}');
  });

  it('learns that the next screen shows the invoice number of the row clicked', () => {
    const a = list([
      ['F-1002', 'Durand Paul', V],
      ['F-1003', 'Bernard Lucie', P],
    ]);
    const b = list([
      ['F-1005', 'Roux Nina', P],
      ['F-1006', 'Girard Paul', P],
    ]);
    const demos = [demo(a, 1, {}, detail('F-1003', 'Bernard Lucie')), demo(b, 0, {}, detail('F-1005', 'Roux Nina'))];
    // The number is in the title: preferred to the patient's name, which only the page shows.
    assert.strictEqual(sameItemCell(demos), 0);
    // A next screen that does not show the row's values: no post-condition.
    assert.strictEqual(sameItemCell([demo(a, 1, {}, detail('F-9999', 'X')), demo(b, 0, {}, null)]), null);
  });
});
