/**
 * rpa-embed: the state embedding of a screenshot (or of a ScreenState from rpa-detect, which
 * already carries it), for matching screens and storing prototypes.
 */
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { acquireVisionEngine, releaseVisionEngine } from '../../lib/vision/shared-engine';
import { isScreenState, screenshotFrom } from '../../lib/vision/screenshot-input';
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

interface EmbedConfig extends NodeDef, FailureConfig {
  title: string;
}

export = function (RED: NodeAPI): void {
  function RpaEmbedNode(this: Node, config: EmbedConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const engine = acquireVisionEngine();
    node.status(STATUS.busy(statusText(RED, 'rpa-embed.status.loading')));
    engine.then(
      () => node.status(STATUS.idle(statusText(RED, 'rpa-embed.status.ready'))),
      (err: Error) => node.status(STATUS.error(err.message)),
    );

    const failures = failurePolicy(node, config, ONE_OUTPUT_THEN_FAILURE);
    handleInput(node, failures, async (msg: NodeMessageInFlow & { title?: string }) => {
      const t0 = performance.now();
      if (isScreenState(msg.payload)) {
        const e = msg.payload.perception.embedding;
        msg.payload = {
          dimensions: e.dimensions,
          vector: e.vector,
          provider: e.provider,
          fusion_method: e.fusion_method,
          source: msg.payload.screen_state_id,
        };
      } else {
        const shot = screenshotFrom(msg.payload);
        const vision = await engine;
        node.status(STATUS.busy(statusText(RED, 'rpa-embed.status.embedding')));
        const title = msg.title ?? (config.title || shot.window.title);
        const analysis = await vision.analyze(shot.image, { scaleFactor: shot.scaleFactor });
        const e = await vision.embed(analysis, { title });
        msg.payload = {
          dimensions: e.dimensions,
          vector: Array.from(e.vector),
          provider: e.provider,
          fusion_method: e.fusion_method,
          weights: e.weights,
          source_text: e.source_text,
        };
      }
      node.status(
        STATUS.ok(
          translate(RED, 'rpa-embed.status.done', {
            dimensions: (msg.payload as { dimensions: number }).dimensions,
            ms: Math.round(performance.now() - t0),
          }),
        ),
      );
      return msg;
    });

    handleClose(node, releaseVisionEngine);
  }
  registerNode(RED, 'rpa-embed', RpaEmbedNode);
};
