/**
 * rpa-chain: runs a chain of workflows (configured, or named by msg.chain_id) through the
 * desktop queue. Output 1 gets successful runs; a failed run (its result in msg.payload, with
 * the failure point in msg.payload.failed_at) and errors such as an unknown chain follow the
 * package's failure policy: output 2 when "send failures to an output" is ticked, else Catch.
 */
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { runtimeAutomation } from '../shared/automation';
import { STATUS } from '../shared/runtime';
import { statusText, translate } from '../shared/i18n';
import { failurePolicy, handleClose, handleInput, registerNode, type FailureConfig } from '../shared/handlers';

interface ChainConfig extends NodeDef, FailureConfig {
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

    // Flows made before the choice existed had the failure output.
    const failures = failurePolicy(node, config, { at: 1, count: 2, whenMissing: true });
    handleInput(node, failures, async (msg: ChainMsg) => {
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
        throw Object.assign(
          new Error(
            translate(RED, result.failed_at ? 'rpa-chain.status.failedAt' : 'rpa-chain.status.failed', {
              id: chainId,
              status: result.status,
              at: result.failed_at ?? '',
            }),
          ),
          { code: result.status },
        );
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
