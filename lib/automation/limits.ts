/**
 * Bounds on what a request may store or queue that a JSON Schema cannot say (the others are in
 * schemas/chain.schema.json and trigger.schema.json): below the 5 MB body limit a single chain or
 * trigger could otherwise hold megabytes that every listing, dashboard refresh and run reads.
 */
import { InvalidRequest } from './errors';

/** Run parameters of a trigger or a chain run, serialised. */
export const MAX_PARAMS_BYTES = 64 * 1024;

/** `params` when it is a plain object of at most MAX_PARAMS_BYTES as JSON; InvalidRequest naming `field` otherwise. */
export function checkParams(params: unknown, field = 'params'): Record<string, unknown> {
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw new InvalidRequest(field, 'must be an object of workflow parameters');
  const size = Buffer.byteLength(JSON.stringify(params) ?? '');
  if (size > MAX_PARAMS_BYTES)
    throw new InvalidRequest(field, `must be at most ${MAX_PARAMS_BYTES} bytes as JSON (got ${size})`);
  return params as Record<string, unknown>;
}
