/**
 * The nodes' texts through Node-RED's i18n: each node's catalog is locales/<lang>/<type>.json,
 * keys start with the node type. A status without values is sent as its key, which the editor
 * translates in the browser's language; Node-RED's editor cannot fill values into a status key,
 * so a text with values is translated here, in the runtime's language (settings.lang, else LANG).
 */
import fs from 'fs';
import path from 'path';
import type { NodeAPI } from 'node-red';

export type Values = Record<string, string | number>;

const PACKAGE = 'node-red-contrib-rpa-vision';
const english = new Map<string, unknown>();

/** A key of another node type's catalog: the run nodes share rpa-workflow's texts. */
export function catalogKey(type: string, key: string): string {
  return `${PACKAGE}/${type}:${type}.${key}`;
}

/** The text of `key` in the runtime's language, its `__name__` placeholders filled from `values`. */
export function translate(RED: NodeAPI, key: string, values?: Values): string {
  const text = RED._(key, values);
  // Node-RED answers the key itself when it has no catalog loaded (node-red-node-test-helper does
  // not load any): English then, rather than a key in a status or an error.
  return text && text !== key ? text : englishText(key, values);
}

/** A status text: the key alone (translated by the editor) unless values must be filled in. */
export function statusText(RED: NodeAPI, key: string, values?: Values): string {
  return values ? translate(RED, key, values) : key;
}

function englishText(key: string, values?: Values): string {
  const bare = key.slice(key.indexOf(':') + 1);
  const type = bare.split('.')[0];
  if (!english.has(type)) {
    const file = path.join(__dirname, '..', type, 'locales', 'en-US', `${type}.json`);
    english.set(type, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {});
  }
  const found = bare
    .split('.')
    .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], english.get(type));
  if (typeof found !== 'string') return key;
  return found.replace(/__(\w+)__/g, (all, name: string) =>
    values?.[name] !== undefined ? String(values[name]) : all,
  );
}
