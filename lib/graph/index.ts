/**
 * The workflow graph layer (Learn): learning graphs from recorded sessions, matching a screen
 * to a node, learning states, safety rules, and the export as a Node-RED flow.
 *
 *   const wf = await learnWorkflow(['rec/demo1', 'rec/demo2'], { name: 'Saisie commande' });
 *   const seen = await embedWindowScreen(vision, png, { title, bounds });  // prototypes are window crops
 *   const m = matchNode(wf, seen.vector, { windowTitle: title });       // {node_id, similarity, runner_up, unknown}
 *   recordExecution(wf, { mode: 'coach', success: true });              // counts, promotes, demotes
 *   promote(wf, { approvedBy: 'alice' });                               // AUTO_CANDIDATE → AUTO_CONFIRMED
 *   checkSafety(wf, { text: 'Supprimer', action: 'mouse_click' });      // {allowed: false, rule}
 *   const flow = workflowToFlow(wf, { mode: 'auto' });                  // self-contained Node-RED flow JSON
 *   learnedSummary(wf); renameParameter(wf, 'text_1', 'note');         // what learn made; a person's name for a parameter
 *   setChoiceRule(wf, 'E1_ouvrir', 'status:À valider');               // a person's rule for a choice the learner could not explain
 *   entryNodes(wf); endNodes(wf); destinations(edge);                  // where runs start and end, where an edge leads
 */
export { learnWorkflow, lastLearnReport, type LearnOptions, type LearnReport } from './learn';
export {
  matchNode,
  matchScreenState,
  templateMismatch,
  DEFAULT_MIN_SIMILARITY,
  type MatchOptions,
  type NodeMatch,
} from './match';
export {
  evaluateLearning,
  promote,
  demote,
  recordExecution,
  unmetRequirements,
  learningOf,
  DEMOTION_MIN_CONFIDENCE,
  type ExecutionMode,
  type ExecutionRecord,
} from './learning-state';
export { checkSafety, safetyRulesOf, allowTextClick, type SafetyQuery, type SafetyVerdict } from './safety';
export {
  workflowToFlow,
  selfContainedWorkflow,
  FLOW_WIDTH,
  type FlowExportOptions,
  type FlowNode,
} from './flow-export';
export { entryNodes, endNodes, outgoingEdges, destinations } from './workflow-queries';
export {
  embedWindowScreen,
  windowFrame,
  EMBEDDING_FRAME,
  type ScreenWindow,
  type WindowScreen,
} from './screen-embedding';
export { actionSignature } from './action-steps';
export {
  learnedSummary,
  renameParameter,
  describeAction,
  type LearnedSummary,
  type NeedsPerson,
} from './learned-summary';
export { setChoiceRule, inferRule, sameItemCell, choiceAt, type ChoiceDemonstration } from './choice-rules';
export { SessionLearnError, LearningTransitionError, WorkflowGraphError } from './errors';
export { resolveWorkflow, readWorkflowFile, type WorkflowLookup } from './workflow-source';
