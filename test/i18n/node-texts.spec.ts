/**
 * Statuses and errors of the nodes through Node-RED's own i18n (@node-red/util) with the
 * package's catalogs, in a real Node-RED (node-red-node-test-helper, whose RED._ returns keys
 * untranslated, is given the runtime's translation): French texts in French, English texts
 * otherwise, and errors reaching Catch nodes as sentences without class name or stack trace.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { NodeAPI, NodeInitializer } from 'node-red';
import helper from 'node-red-node-test-helper';
import { i18n as nodeRedI18n } from '@node-red/util';
import chainNode from '../../nodes/rpa-chain/rpa-chain';
import healthNode from '../../nodes/rpa-health/rpa-health';
import { nodeError } from '../../nodes/shared/handlers';
import { testNode, nextMessage, coreNode, flowOf } from '../helpers/node-red';

helper.init(require.resolve('node-red'));
const root = path.resolve(__dirname, '..', '..', '..');
const PACKAGE = 'node-red-contrib-rpa-vision';
/** The parts of Node-RED's runtime i18n its typings leave out. */
const i18n = nodeRedI18n as unknown as {
  init(settings: object): Promise<void>;
  registerMessageCatalog(namespace: string, dir: string, file: string): Promise<void>;
  _(key: string, options?: object): string;
  i: { loadLanguages(languages: string[]): Promise<unknown> };
};

/** The node module with the runtime's RED._ in `lang`, as Node-RED's loader gives it to a node set. */
function inLanguage(init: NodeInitializer, type: string, lang: string): NodeInitializer {
  // Each node set gets its own RED whose _ prefixes the set's namespace, as Node-RED's loader does.
  const translate = (key: string, values?: object) =>
    i18n._(key.includes(':') ? key : `${PACKAGE}/${type}:${key}`, { ...values, lng: lang });
  return (RED: NodeAPI) => init(Object.create(RED, { _: { value: translate } }) as NodeAPI);
}

describe('node statuses and errors in the runtime language', function () {
  this.timeout(30_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-i18n-'));

  before(async () => {
    await i18n.init({});
    for (const type of ['rpa-chain', 'rpa-health'])
      await i18n.registerMessageCatalog(
        `${PACKAGE}/${type}`,
        path.join(root, 'dist', 'nodes', type, 'locales'),
        `${type}.json`,
      );
    await i18n.i.loadLanguages(['fr', 'en-US']);
    helper.settings({ rpaVision: { dataDir } } as object);
  });
  beforeEach((done) => {
    helper.startServer(done);
  });
  afterEach(async () => {
    await helper.unload();
    await new Promise<void>((r) => helper.stopServer(() => r()));
  });
  after(() => helper.settings({}));

  async function load(lang: string): Promise<Array<{ source: string; text?: string }>> {
    const statuses: Array<{ source: string; text?: string }> = [];
    await helper.load(
      [
        inLanguage(chainNode, 'rpa-chain', lang),
        inLanguage(healthNode, 'rpa-health', lang),
        coreNode('common/25-catch.js'),
        coreNode('common/25-status.js'),
      ],
      flowOf([
        { id: 'f1', type: 'tab' },
        { id: 'watcher', z: 'f1', type: 'status', scope: null, wires: [['statuses']] },
        { id: 'statuses', z: 'f1', type: 'helper' },
        { id: 'no_chain', z: 'f1', type: 'rpa-chain', chain: '', wires: [[], []] },
        { id: 'health', z: 'f1', type: 'rpa-health', wires: [['checked']] },
        { id: 'checked', z: 'f1', type: 'helper' },
        { id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', z: 'f1', type: 'helper' },
      ]),
    );
    testNode('statuses').on('input', (m) =>
      statuses.push({
        source: (m.status as { source: { id: string } }).source.id,
        text: (m.status as { text?: string }).text,
      }),
    );
    return statuses;
  }

  for (const [lang, expected] of Object.entries({
    fr: {
      error: 'Aucune chaîne : indiquez-en une dans le nœud, ou envoyez msg.chain_id.',
      health: /^score \d+ · (bon|dégradé|critique)$/,
    },
    'en-US': {
      error: 'No chain given: set one in the node, or send msg.chain_id.',
      health: /^score \d+ · (healthy|degraded|unhealthy)$/,
    },
  })) {
    it(`in ${lang}: statuses with values, and an error as a sentence to Catch nodes and the status`, async () => {
      const statuses = await load(lang);
      const caught = nextMessage('caught', 5000);
      const checked = nextMessage('checked', 10_000);
      testNode('no_chain').receive({ payload: 'go' });
      testNode('health').receive({ payload: 'go' });
      const error = (await caught).error as { message: string; stack?: string; source: { id: string } };
      assert.strictEqual(error.source.id, 'no_chain');
      assert.strictEqual(error.message, expected.error);
      assert.strictEqual(error.stack, undefined);
      await checked;
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(
        statuses.some((s) => s.source === 'no_chain' && s.text === expected.error),
        JSON.stringify(statuses),
      );
      assert.ok(
        statuses.some((s) => s.source === 'health' && expected.health.test(s.text ?? '')),
        JSON.stringify(statuses),
      );
    });
  }

  it('a failure with a code (a run failure kind) keeps it for Catch nodes, still without class name or stack', () => {
    class RunFailedError extends Error {
      code = 'timeout';
    }
    const failure = nodeError(new RunFailedError('workflow WF_a timeout at E1_open: the run took longer than 1 s'));
    assert.strictEqual(String(failure), 'workflow WF_a timeout at E1_open: the run took longer than 1 s');
    assert.strictEqual((failure as Error & { code?: string }).code, 'timeout');
    assert.ok(!Object.hasOwn(failure, 'stack'));
    assert.strictEqual(nodeError(new TypeError('no workflow "x"')), 'no workflow "x"' as unknown as Error);
  });
});
