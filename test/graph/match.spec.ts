/**
 * matchNode on its own: the closest prototype above its learned threshold wins, the runner-up
 * is reported, a screen below every threshold is unknown (with the closest node and why), the
 * template evidence (window title, required texts) vetoes look-alikes, and an embedding from
 * another provider is an error rather than a silent miss.
 */
import assert from 'assert';
import type { Workflow } from '../../lib/contracts/workflow';
import { matchNode, WorkflowGraphError } from '../../lib/graph';

/** A unit vector pointing mostly along axis `i`, with a little of axis `j`. */
function vec(dims: number, i: number, j = (i + 1) % dims, mix = 0.2): number[] {
  const v = new Array<number>(dims).fill(0);
  v[i] = 1;
  v[j] += mix;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function workflow(): Workflow {
  const node = (id: string, axis: number, min: number, titles: string[], texts: string[]) => ({
    node_id: id,
    label: id,
    screen_template: {
      window: { title_contains_any_of: titles },
      required_text_any: texts,
      embedding_prototype: { provider: 'p', vector: vec(16, axis), min_cosine_similarity: min, sample_count: 3 },
    },
  });
  return {
    workflow_id: 'WF_m',
    name: 'M',
    nodes: [
      node('N1', 0, 0.85, ['Factures'], ['Liste des factures']),
      node('N2', 1, 0.85, ['Facture n°'], ['Montant']),
      node('N3', 5, 0.95, [], []),
    ],
    edges: [],
  };
}

describe('matchNode', () => {
  it('returns the closest node with its similarity and the runner-up', () => {
    const m = matchNode(workflow(), vec(16, 0, 1, 0.25));
    assert.strictEqual(m.node_id, 'N1');
    assert.strictEqual(m.unknown, false);
    assert.ok(m.similarity > 0.99);
    assert.strictEqual(m.runner_up?.node_id, 'N2');
    assert.ok(m.runner_up!.similarity < m.similarity);
  });

  it('says unknown when no node reaches its own threshold, naming the closest', () => {
    const m = matchNode(workflow(), vec(16, 5, 9, 0.45)); // 0.894 to N3, whose learned threshold is 0.95
    assert.strictEqual(m.unknown, true);
    assert.strictEqual(m.node_id, null);
    assert.strictEqual(m.closest?.node_id, 'N3');
    assert.match(m.closest!.rejected_because!, /< 0.95/);
    assert.strictEqual(
      matchNode(workflow(), vec(16, 5, 9, 0.45), { minSimilarity: 0.88 }).node_id,
      'N3',
      'a caller threshold overrides',
    );
  });

  it('lets the window title and the required texts veto a look-alike', () => {
    const wf = workflow();
    const v = vec(16, 0, 1, 0.25);
    assert.strictEqual(matchNode(wf, v, { windowTitle: 'Factures - Clinique' }).node_id, 'N1');
    const vetoed = matchNode(wf, v, { windowTitle: 'Paramètres' });
    assert.strictEqual(vetoed.unknown, true);
    assert.match(vetoed.closest!.rejected_because!, /window title "Paramètres" contains none of/);
    assert.strictEqual(matchNode(wf, v, { texts: ['Nom', 'Prénom'] }).unknown, true);
    assert.strictEqual(
      matchNode(wf, v, { texts: ['LISTE DES FACTURES', 'Patient'] }).node_id,
      'N1',
      'case and accents do not matter',
    );
  });

  it('judges each node by its own threshold: a less similar node with a looser threshold can still be the answer', () => {
    const wf = workflow();
    wf.nodes[0].screen_template.embedding_prototype!.min_cosine_similarity = 0.999;
    wf.nodes[1].screen_template.embedding_prototype!.min_cosine_similarity = 0.1;
    const m = matchNode(wf, vec(16, 0, 1, 0.25));
    assert.strictEqual(m.node_id, 'N2');
    assert.strictEqual(m.runner_up?.node_id, 'N1', 'the more similar but rejected node is the runner-up');
    assert.match(m.closest!.rejected_because!, /< 0.999/);
  });

  it('restricts the search to candidate nodes (the expected next screens)', () => {
    const m = matchNode(workflow(), vec(16, 0, 1, 0.25), { candidates: ['N2', 'N3'] });
    assert.strictEqual(m.unknown, true);
    assert.strictEqual(m.closest?.node_id, 'N2');
  });

  it('sees a replaced prototype (the index follows the workflow as it learns)', () => {
    const wf = workflow();
    assert.strictEqual(matchNode(wf, vec(16, 7)).unknown, true);
    wf.nodes[2].screen_template.embedding_prototype = {
      provider: 'p',
      vector: vec(16, 7),
      min_cosine_similarity: 0.9,
      sample_count: 4,
    };
    assert.strictEqual(matchNode(wf, vec(16, 7)).node_id, 'N3');
  });

  it('refuses an embedding of another size, and a workflow without prototypes', () => {
    assert.throws(
      () => matchNode(workflow(), [1, 0, 0]),
      (e: Error) => e instanceof WorkflowGraphError && /3 dimensions but the prototypes .* have 16/.test(e.message),
    );
    assert.throws(
      () =>
        matchNode(
          { workflow_id: 'WF_x', name: 'x', nodes: [{ node_id: 'N', label: 'N', screen_template: {} }], edges: [] },
          [1],
        ),
      /no node with an embedding prototype/,
    );
  });
});
