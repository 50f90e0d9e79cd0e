/**
 * The one failure policy, in a real Node-RED (node-red-node-test-helper), with failures that need
 * no display (an unknown workflow, chain or workflow file): with "send failures to an output"
 * ticked, a failure reaches the failure output only, with msg.error as a Catch node would get it;
 * unticked, Catch nodes only, the node having no failure output. A flow saved before the setting
 * keeps what the node did then (run and chain nodes: the output; the others: Catch), and a ticked
 * box with nothing wired to the failure output still reaches Catch nodes.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import helper from 'node-red-node-test-helper';
import workflowNode from '../../nodes/rpa-workflow/rpa-workflow';
import chainNode from '../../nodes/rpa-chain/rpa-chain';
import matchNode from '../../nodes/rpa-match-node/rpa-match-node';
import logNode from '../../nodes/rpa-log/rpa-log';
import { coreNode, flowOf, testNode, type FlowMessage } from '../helpers/node-red';

helper.init(require.resolve('node-red'));
const catchNode = coreNode('common/25-catch.js');

describe('failure policy: a failure output or Catch nodes, never both', function () {
  this.timeout(60_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-failure-policy-'));
  const missing = path.join(dataDir, 'nope.json');
  /** Every message each helper node received. */
  const received = new Map<string, FlowMessage[]>();
  const helpers = [
    'ran',
    'runFailed',
    'asked',
    'caught',
    'chainFailed',
    'matchFailed',
    'matched',
    'logged',
    'logFailed',
  ];

  before(async () => {
    helper.settings({ rpaVision: { dataDir } } as object);
    await new Promise<void>((r) => helper.startServer(() => r()));
    const run = { z: 'f1', type: 'rpa-workflow', workflow: missing, mode: '', timeout: '' };
    await helper.load(
      [workflowNode, chainNode, matchNode, logNode, catchNode],
      flowOf([
        { id: 'f1', type: 'tab' },
        // Saved before the setting existed: the failure output, as then.
        { ...run, id: 'runLegacy', wires: [['ran'], ['runFailed'], ['asked']] },
        { ...run, id: 'runToCatch', errorOutput: false, wires: [['ran'], ['asked']] },
        { ...run, id: 'runUnwired', errorOutput: true, wires: [['ran'], [], ['asked']] },
        {
          id: 'chainOut',
          z: 'f1',
          type: 'rpa-chain',
          chain: 'chain_missing',
          errorOutput: true,
          wires: [[], ['chainFailed']],
        },
        { id: 'chainToCatch', z: 'f1', type: 'rpa-chain', chain: 'chain_missing', errorOutput: false, wires: [[]] },
        {
          id: 'matchOut',
          z: 'f1',
          type: 'rpa-match-node',
          workflow: missing,
          errorOutput: true,
          wires: [['matched'], ['matched'], ['matchFailed']],
        },
        // One output, and the failure output after it when ticked.
        {
          id: 'logOut',
          z: 'f1',
          type: 'rpa-log',
          event: 'step',
          errorOutput: true,
          wires: [['logged'], ['logFailed']],
        },
        // Saved before the setting existed: Catch nodes, as then.
        { id: 'matchLegacy', z: 'f1', type: 'rpa-match-node', workflow: missing, wires: [['matched'], ['matched']] },
        { id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        ...helpers.map((id) => ({ id, z: 'f1', type: 'helper' })),
      ]),
    );
    for (const id of helpers) {
      received.set(id, []);
      testNode(id).on('input', (m) => received.get(id)!.push(m));
    }
    for (const id of ['runLegacy', 'runToCatch', 'runUnwired', 'chainOut', 'chainToCatch'])
      testNode(id).receive({ payload: { who: id } });
    testNode('logOut').receive({ payload: 'a step without its run' });
    for (const id of ['matchOut', 'matchLegacy']) testNode(id).receive({ payload: { vector: [1, 2, 3] } });
    // Every failure has reached its one place (and nothing more arrives).
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (received.get('caught')!.length < 4 || received.get('runFailed')!.length < 1))
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
  });
  after(async () => {
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(() => r()));
    helper.settings({});
  });

  const caughtFrom = () =>
    received
      .get('caught')!
      .map((m) => m.error.source.id)
      .sort();

  it('ticked: the failure output only, with msg.error as a Catch node would get it, as a sentence', () => {
    const [run] = received.get('runFailed')!;
    assert.ok(run, 'the run node sent its failure');
    assert.deepStrictEqual(run.payload, { who: 'runLegacy' });
    assert.match(run.error.message, /no workflow "/);
    assert.doesNotMatch(run.error.message, /^Error|\n\s+at /);
    assert.deepStrictEqual(run.error.source, { id: 'runLegacy', type: 'rpa-workflow' });
    assert.match(received.get('chainFailed')![0]?.error.message, /chain not found: chain_missing/);
    assert.match(received.get('matchFailed')![0]?.error.message, /no workflow "/);
    assert.strictEqual(received.get('matchFailed')!.length, 1);
    assert.strictEqual(received.get('logFailed')![0]?.payload, 'a step without its run');
    assert.strictEqual(received.get('logFailed')![0]?.error.source.id, 'logOut');
    assert.deepStrictEqual(received.get('logged'), []);
    for (const id of ['runLegacy', 'chainOut', 'matchOut', 'logOut'])
      assert.ok(!caughtFrom().includes(id), `${id}'s failure reached a Catch node too: ${caughtFrom()}`);
  });

  it('unticked (or nothing wired to the failure output): Catch nodes only', () => {
    assert.deepStrictEqual(caughtFrom(), ['chainToCatch', 'matchLegacy', 'runToCatch', 'runUnwired']);
    for (const m of received.get('caught')!) assert.doesNotMatch(m.error.message, /^Error|\n\s+at /);
    assert.strictEqual(received.get('runFailed')!.length, 1, 'only the ticked run node used its failure output');
    // Without a failure output nothing else came out: not on the success output, nor on questions.
    assert.deepStrictEqual(received.get('ran'), []);
    assert.deepStrictEqual(received.get('asked'), []);
    assert.deepStrictEqual(received.get('matched'), []);
  });
});
