/**
 * A robot's runner clicks by an anchor image that was a file on the orchestrator's side: the
 * workflow names "seven.png" beside it; the job carries it as a data URL (withAnchorsInline, as
 * the orchestrator sends it); the real WorkflowJobRunner, with no such file anywhere it looks,
 * finds galculator's 7 key by that image alone and clicks it (Xvfb).
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { sharedDesktop } from '../helpers/desktop';
import { calculatorValue, launchGalculator, type AppWindow } from '../execute/debian-apps';
import { invoiceWorkflow } from '../execute/helpers';
import { openDesktop } from '../../lib/platform';
import { encodePng } from '../../lib/image/codec';
import { acquireVisionEngine, releaseVisionEngine } from '../../lib/vision/shared-engine';
import { withAnchorsInline } from '../../lib/graph/flow-export';
import { WorkflowJobRunner } from '../../lib/robots/workflow-job-runner';
import type { JobRecord } from '../../lib/robots/job-records';
import type { Workflow } from '../../lib/contracts/workflow';

/** Clicks the calculator key the anchor image shows. */
function clickByAnchor(): Workflow {
  const base = invoiceWorkflow();
  return {
    ...base,
    workflow_id: 'WF_calc_anchor',
    name: 'Seven by its picture',
    entry_nodes: ['N_calc'],
    end_nodes: ['N_calc'],
    parameters: [],
    nodes: [
      {
        node_id: 'N_calc',
        label: 'Calculator',
        screen_template: { window: { title_contains_any_of: ['galculator'] } },
      },
    ],
    edges: [
      {
        edge_id: 'E_seven',
        from_node: 'N_calc',
        to_node: 'N_calc',
        action: { type: 'mouse_click', target: { anchor_image: 'seven.png' } },
        post_conditions: { expected_node: 'N_calc', min_similarity: 0.5, timeout_seconds: 8 },
      },
    ],
  } as Workflow;
}

describe('robot runner: an anchor image carried in the job (galculator, Xvfb)', function () {
  this.timeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-anchor-job-'));
  let calc: AppWindow;

  after(async () => {
    calc?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('clicks the key the data URL shows, with no anchor file on the robot', async () => {
    const vd = await sharedDesktop();
    calc = await launchGalculator(vd);
    // The anchor: the 7 key as the screen shows it, cropped into a file beside the workflow.
    const desktop = await openDesktop();
    const vision = await acquireVisionEngine();
    try {
      const frame = await desktop.screen.grab();
      const seven = await vision.locate(frame, { text: '7', type: 'button' });
      assert.ok(seven.found && seven.bbox, JSON.stringify(seven));
      const [x1, y1, x2, y2] = seven.bbox;
      fs.writeFileSync(
        path.join(dir, 'seven.png'),
        await encodePng(await desktop.screen.grab({ x: x1, y: y1, width: x2 - x1, height: y2 - y1 })),
      );
    } finally {
      await releaseVisionEngine();
    }
    const { workflow, missing } = withAnchorsInline(clickByAnchor(), dir);
    assert.deepStrictEqual(missing, []);
    fs.rmSync(path.join(dir, 'seven.png'));

    const job = {
      job_id: 'job-anchor-00000000',
      kind: 'workflow',
      target_id: workflow.workflow_id,
      resume_from: null,
      payload: { kind: 'workflow', target_id: workflow.workflow_id, workflows: [workflow], params: {}, mode: 'auto' },
    } as unknown as JobRecord;
    const acted: string[] = [];
    const runner = new WorkflowJobRunner();
    const outcome = await runner.run(job, {
      signal: new AbortController().signal,
      beforeAction: async (step) => void acted.push(step),
    });
    await runner.close();
    assert.strictEqual(outcome.state, 'succeeded', outcome.error);
    assert.deepStrictEqual(acted, ['WF_calc_anchor/E_seven']);
    assert.strictEqual(await calculatorValue(vd, calc), '7');
  });
});
