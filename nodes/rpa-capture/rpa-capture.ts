/**
 * rpa-capture: takes screenshots of the desktop ("snapshot") for the detect node and the
 * runner. Shows "no display (set DISPLAY)" instead of failing when there is no screen.
 */
import path from 'path';
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { openDesktop, probeDisplay, type Desktop } from '../../lib/platform';
import { takeSnapshot } from '../../lib/capture/snapshot';
import { dataDir, STATUS } from '../shared/runtime';

interface CaptureConfig extends NodeDef {
  mode: 'snapshot';
  outputDir: string;
}


export = function (RED: NodeAPI): void {
  function RpaCaptureNode(this: Node, config: CaptureConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const outDir = config.outputDir || path.join(dataDir(RED), 'snapshots');
    let desktop: Desktop | undefined;
    let closed = false;

    probeDisplay().then((probe) => {
      if (closed) return;
      node.status(probe.ok ? STATUS.idle(`ready (${probe.display})`) : STATUS.error(probe.reason));
    });

    node.on('input', async (msg: NodeMessageInFlow, send, done) => {
      const command = String((typeof msg.payload === 'string' && msg.payload) || msg.topic || 'snapshot').toLowerCase();
      if (command !== 'snapshot') {
        done(new Error(`rpa-capture: unknown command "${command}" (send "snapshot" in msg.payload or msg.topic)`));
        return;
      }
      try {
        desktop ??= await openDesktop();
        node.status(STATUS.busy('capturing…'));
        const shot = await takeSnapshot(desktop, { outDir });
        msg.payload = {
          type: 'snapshot',
          screenshot_path: shot.path,
          image: shot.png,
          width: shot.width,
          height: shot.height,
          scale_factor: shot.scale_factor,
          captured_at: shot.captured_at,
          capture_latency_ms: shot.capture_latency_ms,
          window: shot.window,
        };
        node.status(STATUS.ok(`snapshot ${shot.width}×${shot.height} in ${shot.capture_latency_ms} ms`));
        send(msg);
        done();
      } catch (err) {
        desktop = undefined;
        node.status(STATUS.error((err as Error).message));
        done(err as Error);
      }
    });

    node.on('close', (_removed: boolean, finished: () => void) => {
      closed = true;
      desktop = undefined;
      node.status({});
      finished();
    });
  }
  RED.nodes.registerType('rpa-capture', RpaCaptureNode as unknown as Parameters<NodeAPI['nodes']['registerType']>[1]);
};
