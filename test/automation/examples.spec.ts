/**
 * The example flows of Import > Examples (examples/*.json) on a fresh install: one real Node-RED
 * runtime (empty user dir, no workflow learned, no broker, no display) deploys each example in
 * turn through the admin API; each deploys with every node valid for the editor, and without an
 * error or a warning in the runtime log during the deploy and the 2 s after, and no red status
 * (what an example still needs, it says in a yellow or grey status; only a missing display, which
 * is this machine's, is red). Every node type of
 * the package appears in at least one example, so a new node without one fails here.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import WebSocket from 'ws';
import { NodeRedRuntime } from '../helpers/runtime';
import { editorProblems, type EditorNode } from '../helpers/editor-validation';

const root = path.resolve(__dirname, '..', '..', '..');
const examplesDir = path.join(root, 'examples');
const examples = fs
  .readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const ourTypes = Object.keys(
  (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { 'node-red': { nodes: object } })[
    'node-red'
  ].nodes,
);

function exampleNodes(file: string): EditorNode[] {
  return JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8')) as EditorNode[];
}

/** An example as the editor imports it: its nodes (not its config nodes) onto a tab of its own when it brings none. */
function onATab(nodes: EditorNode[]): EditorNode[] {
  if (nodes.some((n) => n.type === 'tab')) return nodes;
  const tab = { id: 'examples_tab', type: 'tab', label: 'example' };
  return [tab, ...nodes.map((n) => (n.z || n.x === undefined ? n : { ...n, z: tab.id }))];
}

describe('example flows: each deploys on a fresh install without an error or a warning', function () {
  this.timeout(120_000);
  let runtime: NodeRedRuntime;
  let ws: WebSocket;
  /** The last status of each node, as the editor gets them. */
  const statuses = new Map<string, { fill?: string; text?: string }>();

  before(async () => {
    runtime = await NodeRedRuntime.start({ flows: [] });
    ws = new WebSocket(`ws://127.0.0.1:${runtime.port}/comms`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ subscribe: 'status/#' }));
    ws.on('message', (data) => {
      for (const m of JSON.parse(String(data)) as Array<{ topic: string; data: { fill?: string; text?: string } }>)
        statuses.set(m.topic.replace(/^status\//, ''), m.data);
    });
  });
  after(async () => {
    ws?.close();
    await runtime?.stop();
  });

  it('every node type of the package appears in an example', () => {
    const used = new Set(examples.flatMap((f) => exampleNodes(f).map((n) => n.type)));
    assert.deepStrictEqual(
      ourTypes.filter((t) => !used.has(t)),
      [],
      'node types without an example in examples/',
    );
  });

  for (const file of examples) {
    it(`${file}: every node valid, deployed with nothing in the log but information`, async () => {
      const nodes = exampleNodes(file);
      assert.deepStrictEqual(editorProblems(nodes), [], 'what the editor would call "not properly configured"');
      const logStart = runtime.log.length;
      const deploy = await runtime.json('/flows', {
        method: 'POST',
        headers: { 'Node-RED-API-Version': 'v1', 'Node-RED-Deployment-Type': 'full' },
        body: JSON.stringify(onATab(nodes)),
      });
      assert.ok(deploy.status === 200 || deploy.status === 204, `deploy answered ${deploy.status}`);
      const deadline = Date.now() + 20_000;
      while (!/Started flows|Flux démarrés/.test(runtime.log.slice(logStart)) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 2000));
      const log = runtime.log.slice(logStart);
      assert.match(log, /Started flows|Flux démarrés/);
      const problems = log.split('\n').filter((l) => /\[(warn|error)\]|Waiting for missing types/.test(l));
      assert.deepStrictEqual(problems, [], `${file}:\n${log}`);
      const red = nodes
        .map((n) => ({ node: `${n.type} ${n.id}`, status: statuses.get(n.id) }))
        .filter(({ status }) => status?.fill === 'red' && !/display/i.test(status.text ?? ''));
      assert.deepStrictEqual(red, [], 'a red status where the node should say what to do');
    });
  }
});
