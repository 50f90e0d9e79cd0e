/**
 * "{{name}}" references to workflow parameters, in typed texts, screen templates and loop
 * conditions: one grammar for all of them.
 */

/** A reference; the name is group 1. Global: use with replace/matchAll. */
export const PARAMETER_REFERENCE = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/**
 * The value of parameter `name`, only if `values` holds it as its own: "{{constructor}}" or
 * "{{__proto__}}" must not reach Object's internals (and type "function Object() …").
 */
export function parameterValue(values: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}

/** The text with the references that have a value replaced; the others are left as written. */
export function fillKnownParameters(text: string, values: Record<string, string>): string {
  return text.replace(PARAMETER_REFERENCE, (whole, name: string) => parameterValue(values, name) ?? whole);
}

/** The names the text refers to, in order. */
export function referencedParameters(text: string): string[] {
  return [...text.matchAll(PARAMETER_REFERENCE)].map((m) => m[1]);
}
