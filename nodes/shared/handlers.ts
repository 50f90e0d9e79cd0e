/**
 * The input and close handling every node of this package does the same way, as Node-RED's
 * core nodes do it: send what the work produced then done(); on failure a red status and the
 * failure reported by the node's failure policy (below); on close, the status cleared and
 * resources released before Node-RED is told the node has finished.
 *
 * The one failure policy of this package's nodes, chosen per node by its "send failures to an
 * output" checkbox (config.errorOutput):
 * - ticked: a failure goes to the node's failure output only, with msg.error as a Catch node would
 *   give it ({message, code?, source}), and done() is called without error;
 * - not ticked: the failure goes to Catch nodes only (done(err), a sentence without stack), and the
 *   failure output does not exist, so the outputs after it move up by one.
 * A flow saved before the checkbox existed has no errorOutput: the node keeps what it did then
 * (`whenMissing`): the run and chain nodes had their failure output, the others reported to Catch.
 * A ticked box with nothing wired to the failure output still reports to Catch: a failure is
 * never silently lost.
 */
import type { Node, NodeAPI, NodeMessage, NodeMessageInFlow } from 'node-red';
import { STATUS } from './runtime';

/** One message, or one per output (null where an output gets nothing), or nothing to send. */
export type NodeOutput = NodeMessage | Array<NodeMessage | null> | null | undefined | void;

/**
 * `work` answers one message per output counted with the failure output (or one message for the
 * first output); with a policy, a failure follows it, else it goes to Catch nodes.
 */
export function handleInput<M extends NodeMessageInFlow>(
  node: Node,
  work: (msg: M) => Promise<NodeOutput> | NodeOutput,
): void;
export function handleInput<M extends NodeMessageInFlow>(
  node: Node,
  policy: FailurePolicy,
  work: (msg: M) => Promise<NodeOutput> | NodeOutput,
): void;
export function handleInput<M extends NodeMessageInFlow>(
  node: Node,
  policyOrWork: FailurePolicy | ((msg: M) => Promise<NodeOutput> | NodeOutput),
  maybeWork?: (msg: M) => Promise<NodeOutput> | NodeOutput,
): void {
  const policy = typeof policyOrWork === 'function' ? undefined : policyOrWork;
  const work = typeof policyOrWork === 'function' ? policyOrWork : maybeWork!;
  node.on('input', (msg: NodeMessageInFlow, send, done) => {
    Promise.resolve()
      .then(() => work(msg as M))
      .then(
        (out) => {
          if (out) send(policy && Array.isArray(out) ? policy.outputs(out) : out);
          done();
        },
        (err: Error) => {
          node.status(STATUS.error(err instanceof Error ? err.message : String(err)));
          if (policy) policy.fail(msg, err, send, done);
          else done(nodeError(err));
        },
      );
  });
}

export interface FailureConfig {
  errorOutput?: boolean | string;
}

type Out = NodeMessage | null;

export interface FailurePolicy {
  /** Whether failures go to the failure output (else to Catch nodes). */
  readonly toOutput: boolean;
  /** The messages to send, one per output as if the failure output existed; without it, its slot goes. */
  outputs(logical: Out[]): Out[];
  /** Reports a failure of `msg` according to the policy. */
  fail(msg: NodeMessage, err: unknown, send: (out: Out[]) => void, done: (err?: Error) => void): void;
}

/** A node with one output: the failure output, when it has one, is the second; its flows made before the choice reported to Catch. */
export const ONE_OUTPUT_THEN_FAILURE = { at: 1, count: 2, whenMissing: false } as const;

/**
 * The policy of a node whose failure output, when it has one, is output `at` (0-based) of
 * `count` outputs counted with it.
 */
export function failurePolicy(
  node: Node,
  config: FailureConfig,
  ports: { at: number; count: number; whenMissing: boolean },
): FailurePolicy {
  const setting = config.errorOutput;
  const toOutput = setting === undefined || setting === '' ? ports.whenMissing : setting === true || setting === 'true';
  const outputs = (logical: Out[]): Out[] => {
    const all = Array.from({ length: ports.count }, (_, i) => logical[i] ?? null);
    if (!toOutput) all.splice(ports.at, 1);
    return all;
  };
  const wired = () => ((node as unknown as { wires?: string[][] }).wires?.[ports.at]?.length ?? 0) > 0;
  return {
    toOutput,
    outputs,
    fail(msg, err, send, done) {
      const error = nodeError(err);
      if (!toOutput || !wired()) {
        done(error);
        return;
      }
      const code = (error as { code?: unknown }).code;
      (msg as NodeMessage & { error?: unknown }).error = {
        message: typeof error === 'string' ? error : error.message,
        ...(code !== undefined ? { code } : {}),
        source: { id: node.id, type: node.type, ...(node.name ? { name: node.name } : {}) },
      };
      const logical: Out[] = [];
      logical[ports.at] = msg;
      send(outputs(logical));
      done();
    },
  };
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
