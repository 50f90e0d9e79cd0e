/**
 * Identifiers of workflows, chains and triggers. Workflow ids name files in the workflows
 * directory, so every id goes through the same pattern as the workflow schema's `workflow_id`:
 * no separators, no leading dot, hence no way out of the data directory.
 */
import crypto from 'crypto';
import { InvalidRequest } from './errors';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id);
}

/** Returns `id` when it is a valid identifier, else throws InvalidRequest naming `field`. */
export function checkId(id: unknown, field: string): string {
  if (!isValidId(id)) {
    throw new InvalidRequest(
      field,
      `must be 1-128 letters, digits, "_", "-" or "." starting with a letter or digit (got ${JSON.stringify(id)?.slice(0, 80)})`,
    );
  }
  return id;
}

/** A fresh id such as `chain_3f9a1c2b`. */
export function newId(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(4).toString('hex')}`;
}
