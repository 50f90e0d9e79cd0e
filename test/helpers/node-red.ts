/**
 * What the node specs share around node-red-node-test-helper: Node-RED's own core nodes they wire
 * in (Catch, Status, Function, …), a typed view of a node of the test flow, and waiting for the
 * next message a helper node receives.
 */
import type { NodeInitializer } from 'node-red';
import helper from 'node-red-node-test-helper';

import type { JsonObject } from './json';

export type { JsonObject };

/** A message as the flow delivered it. */
export type FlowMessage = JsonObject;

export interface TestNode {
  id: string;
  on(event: 'input', cb: (msg: FlowMessage) => void): void;
  receive(msg: object): void;
  status(...args: unknown[]): void;
}

/** A node of the loaded test flow. */
export function testNode(id: string): TestNode {
  return helper.getNode(id) as unknown as TestNode;
}

/** The next message node `id` receives; rejects after `timeoutMs` when given (else mocha's timeout rules). */
export function nextMessage(id: string, timeoutMs?: number): Promise<FlowMessage> {
  return new Promise((resolve, reject) => {
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => reject(new Error(`no message on ${id} within ${timeoutMs} ms`)), timeoutMs);
    testNode(id).on('input', (msg) => {
      clearTimeout(timer);
      resolve(msg);
    });
  });
}

/** Node-RED's core nodes, by the file Node-RED registers them from. */
export function coreNode(file: string): NodeInitializer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the core nodes are CommonJS modules found at run time
  return require(require.resolve(`@node-red/nodes/core/${file}`));
}

/** The flow argument of helper.load: its typings want Node-RED's full node definitions. */
export function flowOf(nodes: object[]): helper.TestFlows {
  return nodes as helper.TestFlows;
}
