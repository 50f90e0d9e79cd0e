/**
 * Bounds on what a request may store or queue: below the 5 MB body limit a single chain or
 * trigger could otherwise hold megabytes that every listing, dashboard refresh and run reads.
 */
import { InvalidRequest } from './errors';

/** Run parameters of a trigger or a chain run, serialised. */
export const MAX_PARAMS_BYTES = 64 * 1024;
export const MAX_DESCRIPTION_LENGTH = 2_000;
export const MAX_CHAIN_WORKFLOWS = 200;
/** Queue priorities, higher first; the same range for triggers and direct runs. */
export const PRIORITY_MIN = -100;
export const PRIORITY_MAX = 100;

/** `params` when it is a plain object of at most MAX_PARAMS_BYTES as JSON; InvalidRequest naming `field` otherwise. */
export function checkParams(params: unknown, field = 'params'): Record<string, unknown> {
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw new InvalidRequest(field, 'must be an object of workflow parameters');
  const size = Buffer.byteLength(JSON.stringify(params) ?? '');
  if (size > MAX_PARAMS_BYTES)
    throw new InvalidRequest(field, `must be at most ${MAX_PARAMS_BYTES} bytes as JSON (got ${size})`);
  return params as Record<string, unknown>;
}

export function isPriority(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= PRIORITY_MIN && value <= PRIORITY_MAX;
}
