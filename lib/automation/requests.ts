/**
 * The automation API's request bodies checked against their JSON Schemas (lib/contracts), the
 * problems turned into the error the API answers with: 400, naming the field.
 */
import {
  ContractError,
  validateChainExecuteRequest,
  validateChainRequest,
  validateJobCloseRequest,
  validateJobRetryRequest,
  validateJobSubmitRequest,
  validateTriggerFireRequest,
  validateTriggerRequest,
  validateTriggerToggleRequest,
  UNKNOWN_PROPERTY,
  WHOLE_DOCUMENT,
  type ContractIssue,
} from '../contracts/validate';
import { InvalidRequest, InvalidTriggerConfig } from './errors';

/** A misspelt key explains the "is required" that comes with it, so it is named first. */
function mainIssue(issues: ContractIssue[]): ContractIssue {
  return issues.find((i) => i.problem === UNKNOWN_PROPERTY) ?? issues[0];
}

function checked<T>(
  validate: (body: unknown) => T,
  refuse: (field: string, problem: string) => Error,
): (body: unknown) => T {
  return (body) => {
    try {
      return validate(body);
    } catch (err) {
      if (!(err instanceof ContractError)) throw err;
      const main = mainIssue(err.issues);
      const others = err.issues.filter((i) => i !== main).map((i) => `${i.field}: ${i.problem}`);
      const problem = main.problem === UNKNOWN_PROPERTY ? 'is not a known property' : main.problem;
      throw refuse(
        main.field === WHOLE_DOCUMENT ? 'body' : main.field,
        `${problem}${others.length ? ` (also ${others.join('; ')})` : ''}`,
      );
    }
  };
}

const invalidTrigger = (field: string, problem: string) => new InvalidTriggerConfig(field, problem);
const invalidRequest = (field: string, problem: string) => new InvalidRequest(field, problem);

export const checkTriggerRequest = checked(validateTriggerRequest, invalidTrigger);
export const checkTriggerToggleRequest = checked(validateTriggerToggleRequest, invalidRequest);
export const checkTriggerFireRequest = checked(validateTriggerFireRequest, invalidRequest);
export const checkChainRequest = checked(validateChainRequest, invalidRequest);
export const checkChainExecuteRequest = checked(validateChainExecuteRequest, invalidRequest);
export const checkJobSubmitRequest = checked(validateJobSubmitRequest, invalidRequest);
export const checkJobRetryRequest = checked(validateJobRetryRequest, invalidRequest);
export const checkJobCloseRequest = checked(validateJobCloseRequest, invalidRequest);
