/**
 * The input and close handling every node of this package does the same way, as Node-RED's
 * core nodes do it: send what the work produced then done(); on failure a red status and
 * done(err), so Catch nodes see it; on close, the status cleared and resources released
 * before Node-RED is told the node has finished.
 */
import type { Node, NodeAPI, NodeMessage, NodeMessageInFlow } from 'node-red';
import { STATUS } from './runtime';

/** One message, or one per output (null where an output gets nothing), or nothing to send. */
export type NodeOutput = NodeMessage | Array<NodeMessage | null> | null | undefined | void;

export function handleInput<M extends NodeMessageInFlow>(
  node: Node,
  work: (msg: M) => Promise<NodeOutput> | NodeOutput,
): void {
  node.on('input', (msg: NodeMessageInFlow, send, done) => {
    Promise.resolve()
      .then(() => work(msg as M))
      .then(
        (out) => {
          if (out) send(out);
          done();
        },
        (err: Error) => {
          node.status(STATUS.error(err.message));
          done(nodeError(err));
        },
      );
  });
}

/**
 * A failure as the debug sidebar and Catch nodes show it: its sentence, without the error's class
 * name or stack trace. A `code` (a run's failure kind) stays for Catch nodes' msg.error.code.
 */
export function nodeError(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  // Node-RED shows a string as it is; an Error it shows with its name and stack.
  if (code === undefined) return message as unknown as Error;
  const sentence = Object.assign(new Error(message), { code });
  Object.defineProperty(sentence, 'name', { value: '' });
  delete sentence.stack;
  return sentence;
}

/** On close: clears the status, awaits `release` (its failure does not keep Node-RED waiting). */
export function handleClose(node: Node, release?: (removed: boolean) => unknown): void {
  node.on('close', (removed: boolean, finished: () => void) => {
    node.status({});
    void Promise.resolve()
      .then(() => release?.(removed))
      .catch(() => undefined)
      .then(() => finished());
  });
}

type NodeConstructor = Parameters<NodeAPI['nodes']['registerType']>[1];

/** registerType with the constructor's `this: Node` signature Node-RED's typings do not accept. */
export function registerNode(RED: NodeAPI, type: string, constructor: (this: Node, config: never) => void): void {
  RED.nodes.registerType(type, constructor as unknown as NodeConstructor);
}
