/**
 * What the editor would flag as "not properly configured" on deploy, checked without a browser:
 * our nodes' editor definitions are run from their .html files as the editor registers them, and
 * each node of a flow is held against its defaults (required, validate, config node type).
 */
import fs from 'fs';
import path from 'path';
import vm from 'vm';

const NODES_DIR = path.resolve(__dirname, '..', '..', 'nodes');

/** A node of a flow as exported. */
export type EditorNode = { id: string; type: string } & Record<string, unknown>;

interface EditorDefault {
  value: unknown;
  required?: boolean;
  type?: string;
  validate?: (this: EditorNode, v: unknown) => boolean;
}

/** The editor definitions of these node types of ours, from their .html files, as the editor registers them. */
function editorDefinitions(types: string[]): Map<string, { defaults: Record<string, EditorDefault> }> {
  const defs = new Map<string, { defaults: Record<string, EditorDefault> }>();
  const RED = {
    nodes: { registerType: (type: string, def: never) => defs.set(type, def), node: () => null },
    comms: { subscribe: () => undefined },
    // As the editor's own: a number (given as one or as text), a string the pattern matches.
    validators: {
      number: () => (v: unknown) => v !== '' && v !== null && !isNaN(Number(v)),
      regex: (re: RegExp) => (v: unknown) => re.test(String(v)),
    },
    _: (k: string) => k,
  };
  for (const dir of types) {
    const html = path.join(NODES_DIR, dir, `${dir}.html`);
    if (!fs.existsSync(html)) continue;
    for (const [, code] of fs
      .readFileSync(html, 'utf8')
      .matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g))
      vm.runInNewContext(code, { RED, window: {}, $: () => undefined });
  }
  return defs;
}

/** What the editor would flag on deploy: a default that fails its validation or is missing. */
export function editorProblems(flow: EditorNode[]): string[] {
  const defs = editorDefinitions([...new Set(flow.map((n) => n.type))]);
  const problems: string[] = [];
  for (const node of flow) {
    const def = defs.get(node.type);
    if (!def) continue;
    for (const [key, d] of Object.entries(def.defaults)) {
      const v = node[key];
      if (d.required && (v === undefined || v === '' || v === null)) problems.push(`${node.type}.${key} is required`);
      if (d.validate && !d.validate.call(node, v)) problems.push(`${node.type}.${key}=${JSON.stringify(v)} is invalid`);
      if (d.type && v && !flow.some((n) => n.id === v && n.type === d.type))
        problems.push(`${node.type}.${key} names a missing ${d.type}`);
    }
  }
  return problems;
}
