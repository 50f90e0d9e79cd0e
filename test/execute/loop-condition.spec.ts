/**
 * Loop conditions (`condition: {type: "while"|"until", expression, max_iterations}`): the tiny
 * expression language over screen facts, parameters and the pass count — evaluated without
 * eval, checked when a workflow is loaded (errors say where and what is known), and read by the
 * runner before any action. The loops on the real invoice application are in
 * invoice-replay.spec.ts.
 */
import assert from 'assert';
import {
  checkCondition,
  evaluateCondition,
  loopContinues,
  parseCondition,
  type ConditionFacts,
} from '../../lib/contracts/condition';
import { ContractError, validateWorkflow } from '../../lib/contracts/validate';
import { WorkflowRunner, type ScreenObserver } from '../../lib/execute';
import { invoiceWorkflow } from './helpers';

function facts(screen: string[], iteration = 0, parameters: Record<string, string> = {}): ConditionFacts {
  return {
    iteration,
    parameters,
    visible: (t) => screen.some((line) => line.includes(t)),
    count: (t) => screen.filter((line) => line.includes(t)).length,
    targetVisible: async () => screen.includes('[target]'),
  };
}

const evaluate = (expr: string, f: ConditionFacts) => evaluateCondition(parseCondition(expr), f);

describe('loop conditions', () => {
  const list = [
    'Liste des factures',
    'F-1002 Durand Paul 85,50 € À valider',
    'F-1003 Bernard Lucie 240,00 € À valider',
    'F-1004 Petit Marc 60,00 € Bloquée',
  ];

  it('reads screen facts, parameters and the pass count', async () => {
    assert.strictEqual(await evaluate('visible("À valider")', facts(list)), true);
    assert.strictEqual(await evaluate('count("À valider") >= 2 and iteration < 3', facts(list, 2)), true);
    assert.strictEqual(await evaluate('count("À valider") >= 2 && iteration < 3', facts(list, 3)), false);
    assert.strictEqual(
      await evaluate('not found_target_invoice', facts(list, 0, { target_invoice: 'F-1003' })),
      false,
      "the seed's example: the invoice looked for is on the screen",
    );
    assert.strictEqual(await evaluate('not found_target_invoice', facts(list, 0, { target_invoice: 'F-2000' })), true);
    assert.strictEqual(
      await evaluate('visible("{{patient}}") or target_visible', facts(list, 0, { patient: 'Durand Paul' })),
      true,
    );
    assert.strictEqual(await evaluate("!(target_visible) && lot == 'B2'", facts(list, 0, { lot: 'B2' })), true);
    assert.strictEqual(
      await evaluate('seuil > 99.5 and seuil <= "1 250,00"', facts(list, 0, { seuil: '1200' })),
      true,
      'numbers compare as numbers, French ones too',
    );
  });

  it('"until" goes round while its expression does not hold yet', async () => {
    const e = parseCondition('count("À valider") == 0');
    assert.strictEqual(await loopContinues('until', e, facts(list)), true);
    assert.strictEqual(await loopContinues('until', e, facts(['Liste des factures'])), false);
    assert.strictEqual(await loopContinues('while', e, facts(list)), false);
  });

  it('refuses bad expressions, saying where and what is wrong', () => {
    const problem = (expr: string, params: string[] = []) => {
      try {
        checkCondition(expr, params);
      } catch (err) {
        return (err as Error).message;
      }
      return assert.fail(`"${expr}" was accepted`);
    };
    assert.match(
      problem('a pending invoice is listed'),
      /unexpected word "pending": .*put texts in quotes, e.g. visible\("a pending invoice is listed"\) at character 3/,
    );
    assert.match(
      problem('pending_invoice'),
      /unknown name "pending_invoice" \(known: iteration, target_visible; texts go in quotes/,
    );
    assert.match(problem('visible("À valider"'), /expected "\)" after the arguments at character 20/);
    assert.match(problem('count("x") > '), /ends too early/);
    assert.match(problem('iteration < 3 < 4'), /cannot be chained/);
    assert.match(problem('process.exit(1)'), /unexpected "\."|unknown/);
    assert.match(problem('eval("1")'), /unknown function "eval" \(known: visible, count\)/);
    assert.match(
      problem('not found_invoice', ['target_invoice']),
      /"found_invoice" needs a parameter named "invoice" \(parameters: target_invoice\)/,
    );
    assert.match(problem('visible("x) and iteration < 2'), /a text is not closed at character 9/);
    assert.match(problem(''), /empty/);
  });

  it('a workflow with a bad loop expression is refused when loaded, naming the edge', () => {
    const wf = invoiceWorkflow();
    wf.edges.push({
      ...wf.edges[0],
      edge_id: 'E5_boucle',
      from_node: 'N5_liste_factures_maj',
      condition: { type: 'while', expression: 'a pending invoice is listed', max_iterations: 3 },
    });
    assert.throws(
      () => validateWorkflow(wf, 'wf.json'),
      (err: Error) =>
        err instanceof ContractError &&
        /edges\[4\]\.condition\.expression: unexpected word "pending"/.test(err.message),
    );
    wf.edges[4].condition!.expression = 'visible("À valider") and commentaire != ""';
    assert.doesNotThrow(() => validateWorkflow(wf, 'wf.json'));
  });

  it('a runner given a bad loop expression stops before it looks at the screen or acts: invalid_condition', async () => {
    const wf = invoiceWorkflow();
    wf.edges.push({
      ...wf.edges[0],
      edge_id: 'E5_boucle',
      from_node: 'N5_liste_factures_maj',
      condition: { type: 'until', expression: 'count("À valider") = 0', max_iterations: 3 },
    });
    // An observer that fails the test if the runner touches it.
    const untouchable = new Proxy(
      {},
      {
        get: (_t, key) =>
          key === 'latest' || key === 'vision' ? null : assert.fail(`the runner used the screen (${String(key)})`),
      },
    ) as ScreenObserver;
    const record = await new WorkflowRunner(wf, untouchable).run();
    assert.strictEqual(record.status, 'failed');
    assert.strictEqual(record.failure?.kind, 'invalid_condition');
    assert.match(
      record.failure!.message,
      /the loop E5_boucle has an invalid condition: unexpected "=" at character 20/,
    );
    assert.deepStrictEqual(record.steps, []);
  });
});
