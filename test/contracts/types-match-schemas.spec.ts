/**
 * The TypeScript types are checked against the JSON Schemas: same property names, and every
 * property the schema requires is required in the type. Uses the TypeScript compiler on the
 * sources, so a field added to one side and forgotten on the other fails here.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import ts from 'typescript';

const root = path.resolve(__dirname, '..', '..', '..');
const schema = (name: string): any =>
  JSON.parse(fs.readFileSync(path.join(root, 'schemas', `${name}.schema.json`), 'utf8'));

const program = ts.createProgram(
  ['raw-session.ts', 'workflow.ts', 'screen-state.ts'].map((f) => path.join(root, 'lib', 'contracts', f)),
  { strict: true, skipLibCheck: true, noEmit: true },
);
const checker = program.getTypeChecker();

function members(file: string, name: string): Map<string, boolean> {
  const source = program.getSourceFile(path.join(root, 'lib', 'contracts', file))!;
  let found: ts.InterfaceDeclaration | undefined;
  source.forEachChild((n) => {
    if (ts.isInterfaceDeclaration(n) && n.name.text === name) found = n;
  });
  assert.ok(found, `interface ${name} in ${file}`);
  const type = checker.getTypeAtLocation(found);
  const out = new Map<string, boolean>();
  for (const p of type.getProperties()) out.set(p.name, !(p.flags & ts.SymbolFlags.Optional));
  return out;
}

const pairs: Array<[string, string, string, (s: any) => any]> = [
  ['raw-session.ts', 'RawSession', 'rawsession_v1', (s) => s],
  ['raw-session.ts', 'RawEvent', 'rawsession_v1', (s) => s.$defs.event],
  ['workflow.ts', 'Workflow', 'workflow', (s) => s],
  ['workflow.ts', 'WorkflowNode', 'workflow', (s) => s.$defs.node],
  ['workflow.ts', 'WorkflowEdge', 'workflow', (s) => s.$defs.edge],
  ['workflow.ts', 'WorkflowAction', 'workflow', (s) => s.$defs.action],
  ['screen-state.ts', 'UIElement', 'ui-element', (s) => s],
  ['screen-state.ts', 'ScreenState', 'screen-state', (s) => s],
];

describe('TypeScript contract types agree with the JSON Schemas', () => {
  for (const [file, name, schemaName, pick] of pairs) {
    it(`${name} ↔ ${schemaName}.schema.json`, () => {
      const props = members(file, name);
      const s = pick(schema(schemaName));
      const schemaProps = Object.keys(s.properties);
      const missingInType = schemaProps.filter((p) => !props.has(p));
      const missingInSchema = [...props.keys()].filter((p) => !schemaProps.includes(p) && p !== '__index');
      assert.deepStrictEqual(missingInType, [], `schema properties missing from ${name}`);
      assert.deepStrictEqual(missingInSchema, [], `${name} properties missing from the schema`);
      const requiredButOptional = (s.required as string[]).filter((p) => props.get(p) === false);
      assert.deepStrictEqual(requiredButOptional, [], `required by the schema but optional in ${name}`);
    });
  }
});
