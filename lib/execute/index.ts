/**
 * Act: replay learned workflows (seeds/vision-architecture.md, layer 4 "Exécution"): the
 * runner, its locators with auto-wait and self-healing, the safety gate, learning-state
 * gating, the execution record, and the WorkflowExecutor the automation layer uses.
 */
export * from './errors';
export * from './autonomy';
export * from './parameters';
export * from './safety-gate';
export * from './screen-observer';
export * from './node-recognizer';
export * from '../vision/selection-policy';
export * from './locator';
export * from './actions';
export * from './edge-stats';
export * from './run-learning';
export * from './human-gate';
export type { PromptTexts } from './step-wording';
export * from './remote-gate';
export * from './execution-record';
export * from './runner';
export * from './workflow-run';
export * from './executor';
