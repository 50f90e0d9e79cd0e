/**
 * Learning as a user does it: three demonstrations of a multi-screen order task (a check screen
 * appears only for large amounts) recorded with
 * the real recorder on Xvfb (Chromium --app), `rpa-vision learn` turning them into one graph,
 * a session with the task done three times and notes typed in another application in between
 * segmented into three instances and folded into the same graph, the live screens recognised
 * by matchNode, and `rpa-vision flow` exported and deployed into the real Node-RED runtime.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { VirtualDesktop } from '../helpers/desktop';
import { NodeRedRuntime } from '../helpers/runtime';
import type { JsonObject } from '../helpers/json';
import type { RawSession } from '../../lib/contracts/raw-session';
import type { Workflow, WorkflowAction } from '../../lib/contracts/workflow';
import { embedWindowScreen, matchNode } from '../../lib/graph';
import { createVisionEngine, type VisionEngine } from '../../lib/vision';
import {
  clickPage,
  fillOrder,
  launchApp,
  launchNotes,
  PAGE,
  recordWith,
  serveApp,
  sleep,
  tempDir,
  unrelatedActivity,
  type AppWindow,
} from './helpers/order-app';
import { learn, replay } from '../execute/cli-learn-replay';
import { cliIn } from '../execute/debian-apps';

const DEMOS = [
  { nom: 'Martin Dupont', ville: 'Paris', montant: '1250' },
  { nom: 'Claire Petit', ville: 'Paris', montant: '87,50' },
  { nom: 'Jean Moreau', ville: 'Paris', montant: '310' },
];
const REPEATS = [
  { nom: 'Sophie Bernard', ville: 'Lille', montant: '42' },
  { nom: 'Paul Girard', ville: 'Brest', montant: '990' },
  { nom: 'Nina Roux', ville: 'Dijon', montant: '15' },
];

function stepsOf(action: WorkflowAction): WorkflowAction[] {
  return action.type === 'compound' ? (action.steps ?? []) : [action];
}

describe('learn: from recorded demonstrations to one workflow graph', function () {
  this.timeout(240_000);
  let vd: VirtualDesktop;
  let server: { url: string; close(): Promise<void> };
  let app: AppWindow;
  let vision: VisionEngine;
  const demoDirs: string[] = [];
  let repeatedDir: string;
  const wfFile = path.join(tempDir('rpa-graph-wf-'), 'order.json');
  let workflow: Workflow;

  before(async () => {
    vd = await VirtualDesktop.start({ width: 1280, height: 800 });
    server = await serveApp();
    const [window, engine] = await Promise.all([launchApp(vd, server.url), createVisionEngine()]);
    app = window;
    vision = engine;
    const notes = await launchNotes(vd);
    await vd.activate(app.id);
    for (const data of DEMOS) {
      demoDirs.push(await recordWith(vd, () => fillOrder(vd, app, data)));
      await clickPage(vd, app, PAGE.nouvelle); // back to the first screen, between recordings
    }
    repeatedDir = await recordWith(vd, async () => {
      for (const [i, data] of REPEATS.entries()) {
        await fillOrder(vd, app, data);
        if (i < REPEATS.length - 1) {
          await clickPage(vd, app, PAGE.nouvelle);
          await unrelatedActivity(vd, notes, app, `note ${i + 1}: rappeler le client`);
        }
      }
    });
  });

  after(async () => {
    await vision?.close();
    await server?.close();
    await vd?.stop();
  });

  it('learns one graph from three demonstrations: one node per screen, the edges between them, the differing texts as parameters', async () => {
    const learned = await learn(demoDirs, { out: wfFile, name: 'Saisie commande', json: true });
    assert.match(learned.stderr, /learn: session 1\/3/, 'progress goes to stderr');
    const summary = JSON.parse(learned.stdout);
    assert.strictEqual(summary.instances, 3);
    workflow = learned.workflow;
    assert.strictEqual(workflow.name, 'Saisie commande');
    assert.strictEqual(workflow.nodes.length, 4, workflow.nodes.map((n) => n.label).join(', '));
    assert.strictEqual(workflow.nodes[0].label, 'Coordonnées du client');
    assert.match(workflow.nodes[1].label, /tails de la commande/);
    assert.match(workflow.nodes[2].label, /Montant .*rifier/);
    assert.match(workflow.nodes[3].label, /Commande enregistr/);
    const [client, details, check, done] = workflow.nodes.map((n) => n.node_id);
    assert.deepStrictEqual(workflow.entry_nodes, [client]);
    assert.deepStrictEqual(workflow.end_nodes, [done]);
    for (const n of workflow.nodes) {
      const p = n.screen_template.embedding_prototype!;
      assert.ok(p.vector && p.vector.length > 100, `${n.node_id} carries its mean vector`);
      assert.ok(
        p.min_cosine_similarity >= 0.75 && p.min_cosine_similarity <= 0.95,
        `${n.node_id} threshold ${p.min_cosine_similarity}`,
      );
      assert.ok(
        p.sample_count >= (n.node_id === check ? 1 : 3),
        `${n.node_id} was seen in every demonstration that shows it (${p.sample_count} samples)`,
      );
      assert.ok(n.screen_template.window?.title_contains_any_of?.length, `${n.node_id} knows its window title`);
      assert.ok(n.screen_template.required_text_any?.length, `${n.node_id} has required texts`);
    }
    assert.deepStrictEqual(workflow.nodes[0].screen_template.window?.title_contains_any_of, [
      'Saisie commande - Client',
    ]);
    assert.deepStrictEqual(workflow.nodes[3].screen_template.window?.title_contains_any_of, [
      'Saisie commande - Confirmation',
    ]);

    // The confirmation of a large amount appeared in one demonstration of three: a branch.
    assert.deepStrictEqual(
      workflow.edges.map((e) => [e.from_node, e.to_node ?? e.to_node_candidates]),
      [
        [client, details],
        [details, [done, check]],
        [check, done],
      ],
    );
    assert.deepStrictEqual(workflow.edges[1].branching?.learned_probability, { [done]: 0.667, [check]: 0.333 });
    assert.strictEqual(stepsOf(workflow.edges[2].action)[0].target?.text, 'Confirmer');
    const [fill, validate] = workflow.edges;
    assert.deepStrictEqual(
      workflow.edges.map((e) => e.stats?.manual_executions),
      [3, 3, 1],
    );
    const fillSteps = stepsOf(fill.action);
    assert.deepStrictEqual(
      fillSteps.map((s) => [s.type, s.target?.label ?? s.target?.text, s.text]),
      [
        ['type_text', 'Nom du client', '{{nom_du_client}}'],
        ['type_text', fillSteps[1].target?.label, 'Paris'],
        ['mouse_click', 'Suivant', undefined],
      ],
    );
    assert.match(String(fillSteps[1].target?.label), /^ville$/i);
    assert.deepStrictEqual(
      stepsOf(validate.action).map((s) => [s.type, s.target?.label ?? s.target?.text, s.text]),
      [
        ['type_text', 'Montant', '{{montant}}'],
        ['mouse_click', 'Valider', undefined],
      ],
    );
    assert.deepStrictEqual(
      workflow.parameters?.map((p) => [p.name, p.default]),
      [
        ['nom_du_client', 'Martin Dupont'],
        ['montant', '1250'],
      ],
    );
    // Targets by meaning: type, role, label, a neighbour, an anchor crop; the position only as a hint.
    const button = fillSteps[2].target!;
    assert.strictEqual(button.type, 'button');
    assert.match(String(button.anchor_image), /^data:image\/png;base64,/);
    assert.ok(button.near, 'the button has an anchor text');
    assert.ok(button.relative_position!.every((x) => x >= 0 && x <= 1));
    assert.strictEqual(workflow.learning?.state, 'OBSERVATION');
    assert.strictEqual(workflow.stats?.observed_runs, 3);
    assert.strictEqual(workflow.learning?.progression?.next_phase, 'COACHING');
  });

  it('recognises each screen of a new recording as its node, with the runner-up', async () => {
    const session = JSON.parse(fs.readFileSync(path.join(repeatedDir, 'session.json'), 'utf8')) as RawSession;
    const clicks = session.events.filter(
      (e) => e.type === 'mouse_click' && e.window?.title.startsWith('Saisie commande'),
    );
    const expected = new Map([
      ['Saisie commande - Client', workflow.nodes[0].node_id],
      ['Saisie commande - Montant', workflow.nodes[1].node_id],
      ['Saisie commande - Confirmation', workflow.nodes[3].node_id],
    ]);
    const seenTitles = new Set<string>();
    for (const click of clicks) {
      if (seenTitles.has(click.window!.title)) continue;
      seenTitles.add(click.window!.title);
      const shot = session.screenshots.find((s) => s.screenshot_id === click.screenshot_id)!;
      const screen = await embedWindowScreen(vision, path.join(repeatedDir, shot.relative_path), {
        title: click.window!.title,
        bounds: click.window!.bounds,
      });
      const match = matchNode(workflow, screen.vector, {
        windowTitle: click.window!.title,
        texts: screen.analysis.text.map((l) => l.text),
      });
      assert.strictEqual(
        match.node_id,
        expected.get(click.window!.title),
        `${click.window!.title}: ${JSON.stringify(match)}`,
      );
      assert.ok(
        !match.unknown && match.runner_up && match.runner_up.similarity < match.similarity,
        JSON.stringify(match),
      );
    }
    assert.strictEqual(seenTitles.size, 3);
    // The notes window is none of the task's screens.
    const note = session.events.find(
      (e) => e.type === 'text_input' && /mousepad/i.test(e.window?.app_name ?? e.window?.title ?? ''),
    )!;
    assert.ok(note, 'the session holds the notes typed in between');
    const shot = session.screenshots.find((s) => s.screenshot_id === note.screenshot_id)!;
    const screen = await embedWindowScreen(vision, path.join(repeatedDir, shot.relative_path), {
      title: note.window!.title,
      bounds: note.window!.bounds,
    });
    const match = matchNode(workflow, screen.vector, { windowTitle: note.window!.title });
    assert.strictEqual(match.unknown, true, JSON.stringify(match));
    assert.strictEqual(match.node_id, null);
  });

  it('segments a session with the task done three times and unrelated notes in between into three instances, merged into the same graph', async () => {
    const { stdout, workflow: extended } = await learn([repeatedDir], { out: wfFile, json: true, demonstrations: 3 });
    const summary = JSON.parse(stdout);
    assert.strictEqual(summary.instances, 3, stdout);
    assert.deepStrictEqual(
      extended.nodes.map((n) => n.node_id),
      workflow.nodes.map((n) => n.node_id),
      'same screens, same nodes; the notes window is not one of them',
    );
    assert.deepStrictEqual(
      extended.edges.map((e) => e.edge_id),
      workflow.edges.map((e) => e.edge_id),
    );
    assert.strictEqual(extended.version, 2);
    assert.strictEqual(extended.stats?.observed_runs, 6);
    assert.deepStrictEqual(
      extended.edges.map((e) => e.stats?.manual_executions),
      [6, 6, 1],
    );
    const [, details, check, done] = extended.nodes.map((n) => n.node_id);
    assert.deepStrictEqual(
      extended.edges[1].branching?.learned_probability,
      { [done]: 0.833, [check]: 0.167 },
      'no large amount this time',
    );
    assert.ok(
      extended.nodes
        .filter((n) => n.node_id !== check)
        .every(
          (n) =>
            n.screen_template.embedding_prototype!.sample_count >
            workflow.nodes.find((o) => o.node_id === n.node_id)!.screen_template.embedding_prototype!.sample_count,
        ),
    );
    assert.strictEqual(extended.edges[1].from_node, details);
    // The town differed this time: it became a parameter, its default the first recorded town.
    const town = stepsOf(extended.edges[0].action)[1];
    assert.match(String(town.text), /^\{\{ville\}\}$/i);
    assert.deepStrictEqual(
      extended.parameters?.map((p) => [p.name, p.default]),
      [
        ['nom_du_client', 'Martin Dupont'],
        ['montant', '1250'],
        [String(town.text).slice(2, -2), 'Paris'],
      ],
    );
    assert.strictEqual(extended.learning?.state, 'COACHING', 'six observed runs reach the seed threshold of five');
    assert.match(extended.learning!.history![0].reason, /observed runs: 6\/5/);
    workflow = extended;
  });

  it('replays the learned graph with new data after the window moved (rpa-vision run)', async () => {
    await clickPage(vd, app, PAGE.nouvelle); // the recording ended on the confirmation screen
    await vd.xdotool(['windowmove', app.id, '320', '150']);
    await sleep(800);
    const record = await replay(vd, wfFile, { nom_du_client: 'Zoé Lambert', montant: '42' });
    assert.strictEqual(record.status, 'success', JSON.stringify(record.failure));
    assert.strictEqual(record.start_node, workflow.nodes[0].node_id);
    assert.strictEqual(record.end_node, workflow.nodes[3].node_id);
    assert.strictEqual(record.parameters.nom_du_client, 'Zoé Lambert');
    const typed = record.steps[0].targets[0];
    assert.strictEqual(typed.label, 'Nom du client');
    assert.ok(typed.point[0] > 320 && typed.point[1] > 150, `found where the window is now: ${typed.point}`);
    assert.match(await vd.xdotool(['getwindowname', app.id]), /Confirmation/);
  });

  it('exports the graph as a Node-RED flow that the real runtime deploys without errors', async () => {
    const { stdout } = await cliIn({ ...process.env, DISPLAY: '' }, ['flow', wfFile]);
    const flow = JSON.parse(stdout) as JsonObject[];
    const matches = flow.filter((n) => n.type === 'rpa-match-node');
    const edges = flow.filter((n) => n.type === 'rpa-execute-edge');
    const ends = workflow.end_nodes ?? [];
    // A match node per screen a step starts from; the last step's own check ends the run.
    assert.deepStrictEqual(
      matches.map((m) => m.node),
      workflow.nodes.filter((n) => workflow.edges.some((e) => e.from_node === n.node_id)).map((n) => n.node_id),
    );
    assert.deepStrictEqual(
      edges.map((e) => e.edgeId),
      workflow.edges.map((e) => e.edge_id),
    );
    const config = flow.find((n) => n.type === 'rpa-vision-workflow')!;
    assert.strictEqual(config.graph.workflow_id, workflow.workflow_id, 'the flow carries the workflow');
    assert.ok([...matches, ...edges].every((n) => n.workflowConfig === config.id && n.workflow === ''));
    const matchOf = (nodeId: string) => matches.find((m) => m.node === nodeId)!.id;
    for (const e of workflow.edges) {
      const exec = edges.find((x) => x.edgeId === e.edge_id)!;
      assert.ok(
        matches.find((m) => m.node === e.from_node)!.wires[0].includes(exec.id),
        `${e.from_node} → ${e.edge_id}`,
      );
      const targets = (e.to_node_candidates ?? [e.to_node!]).filter((t) => !ends.includes(t));
      assert.deepStrictEqual(
        [...exec.wires[0]].sort(),
        targets.map(matchOf).sort(),
        `${e.edge_id} → ${targets.join(' | ')}`,
      );
    }
    const runtime = await NodeRedRuntime.start({ flows: flow });
    try {
      const deployed = await runtime.json<Array<Record<string, unknown>>>('/flows');
      assert.strictEqual(deployed.status, 200);
      assert.strictEqual(deployed.body.filter((n) => n.type === 'rpa-match-node').length, matches.length);
      await sleep(500);
      assert.doesNotMatch(runtime.log, /missing types|\[error\]|Error:/i, runtime.log);
    } finally {
      await runtime.stop();
    }
  });
});
