/**
 * rpa-chain: runs a chain of workflows (configured, or named by msg.chain_id) through the
 * desktop queue. Output 1 gets successful runs, output 2 failed ones with the failure point
 * (msg.payload.failed_at); errors such as an unknown chain go to Catch nodes via done(err).
 */
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { runtimeAutomation } from '../shared/automation';
import { STATUS } from '../shared/runtime';
import { statusText, translate } from '../shared/i18n';
import { handleClose, handleInput, registerNode } from '../shared/handlers';

interface ChainConfig extends NodeDef {
  chain: string;
  priority: string | number;
}

type ChainMsg = NodeMessageInFlow & { chain_id?: unknown; params?: unknown };

function chainIdOf(msg: ChainMsg, configured: string): unknown {
  const payload = msg.payload as { chain_id?: unknown } | undefined;
  return (
    msg.chain_id ?? (payload && typeof payload === 'object' ? payload.chain_id : undefined) ?? (configured || undefined)
  );
}

function paramsOf(msg: ChainMsg): Record<string, unknown> | undefined {
  const payload = msg.payload as { params?: unknown } | undefined;
  const params = msg.params ?? (payload && typeof payload === 'object' ? payload.params : undefined);
  return params && typeof params === 'object' && !Array.isArray(params)
    ? (params as Record<string, unknown>)
    : undefined;
}

export = function (RED: NodeAPI): void {
  function RpaChainNode(this: Node, config: ChainConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const priority = Number(config.priority) || 0;
    const closing = new AbortController();
    let running = 0;
    node.status(
      STATUS.idle(
        config.chain
          ? translate(RED, 'rpa-chain.status.idle', { id: config.chain })
          : statusText(RED, 'rpa-chain.status.ready'),
      ),
    );

    handleInput(node, async (msg: ChainMsg) => {
      const chainId = chainIdOf(msg, config.chain);
      if (typeof chainId !== 'string' || !chainId) throw new Error(translate(RED, 'rpa-chain.errors.noChain'));
      running++;
      node.status(STATUS.busy(translate(RED, 'rpa-chain.status.waiting', { id: chainId })));
      try {
        const automation = await runtimeAutomation(RED);
        const result = await automation.executeChain(chainId, {
          params: paramsOf(msg),
          priority,
          signal: closing.signal,
          onProgress: (p) =>
            node.status(
              STATUS.busy(
                translate(RED, p.state === 'failed' ? 'rpa-chain.status.progressFailed' : 'rpa-chain.status.progress', {
                  index: p.index + 1,
                  total: p.total,
                  workflow: p.workflow_id,
                }),
              ),
            ),
        });
        msg.payload = result;
        if (result.success) {
          node.status(
            STATUS.ok(
              translate(RED, 'rpa-chain.status.success', {
                id: chainId,
                count: result.steps.length,
                seconds: result.duration_s,
              }),
            ),
          );
          return [msg, null];
        }
        node.status(
          STATUS.error(
            translate(RED, result.failed_at ? 'rpa-chain.status.failedAt' : 'rpa-chain.status.failed', {
              id: chainId,
              status: result.status,
              at: result.failed_at ?? '',
            }),
          ),
        );
        return [null, msg];
      } finally {
        running--;
      }
    });

    handleClose(node, () => {
      // A chain still waiting for the desktop is withdrawn; a running one is told to stop.
      if (running) closing.abort();
    });
  }
  registerNode(RED, 'rpa-chain', RpaChainNode);
};
