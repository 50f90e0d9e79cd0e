/**
 * rpa-detect: turns a screenshot into a ScreenState (OCR text, UI elements, state embedding,
 * change detection against the previous screen this node saw).
 */
import type { Node, NodeAPI, NodeDef } from 'node-red';
import type { ScreenState } from '../../lib/contracts/screen-state';
import { buildScreenState } from '../../lib/state';
import { acquireVisionEngine, releaseVisionEngine } from '../../lib/vision/shared-engine';
import { screenshotFrom, windowBounds } from '../../lib/vision/screenshot-input';
import { embedWindowScreen } from '../../lib/graph/screen-embedding';
import { STATUS } from '../shared/runtime';
import { statusText, translate } from '../shared/i18n';
import {
  failurePolicy,
  handleClose,
  handleInput,
  registerNode,
  ONE_OUTPUT_THEN_FAILURE,
  type FailureConfig,
} from '../shared/handlers';

interface DetectConfig extends NodeDef, FailureConfig {
  scale: string;
}

export = function (RED: NodeAPI): void {
  function RpaDetectNode(this: Node, config: DetectConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const configuredScale = Number(config.scale) > 0 ? Number(config.scale) : undefined;
    let previous: ScreenState | null = null;
    const engine = acquireVisionEngine();
    node.status(STATUS.busy(statusText(RED, 'rpa-detect.status.loading')));
    engine.then(
      () => node.status(STATUS.idle(statusText(RED, 'rpa-detect.status.ready'))),
      (err: Error) => node.status(STATUS.error(err.message)),
    );

    const failures = failurePolicy(node, config, ONE_OUTPUT_THEN_FAILURE);
    handleInput(node, failures, async (msg) => {
      const shot = screenshotFrom(msg.payload);
      const vision = await engine;
      node.status(STATUS.busy(statusText(RED, 'rpa-detect.status.analysing')));
      const t0 = performance.now();
      const title = (msg as { title?: string }).title ?? shot.window.title;
      // Read as learning and replay read a screen: the active window's part of it, so the
      // state matches the learned prototypes in rpa-match-node (issue 15).
      const { analysis, embedding } = await embedWindowScreen(
        vision,
        shot.image,
        { title, bounds: windowBounds(msg.payload) },
        { scaleFactor: configuredScale ?? shot.scaleFactor },
      );
      const state = buildScreenState({
        analysis,
        embedding,
        window: { title, appName: shot.window.appName },
        screenshotPath: shot.path,
        fileSizeBytes: shot.fileSizeBytes,
        captureMethod: shot.path ? 'file' : 'buffer',
        previous,
      });
      previous = state;
      msg.payload = state;
      node.status(
        STATUS.ok(
          translate(RED, 'rpa-detect.status.done', {
            elements: state.ui_elements.length,
            lines: state.perception.text_regions.length,
            ms: Math.round(performance.now() - t0),
          }),
        ),
      );
      return msg;
    });

    handleClose(node, () => {
      previous = null;
      return releaseVisionEngine();
    });
  }
  registerNode(RED, 'rpa-detect', RpaDetectNode);
};
