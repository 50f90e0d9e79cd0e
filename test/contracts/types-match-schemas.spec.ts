/**
 * The TypeScript types are checked against the JSON Schemas at every object level: same
 * property names, every object closed in the schema (or, for a map such as
 * `Record<string, number>`, open on purpose), and every property the schema requires required in
 * the type. Uses the TypeScript compiler on the sources, so a field added to one side and
 * forgotten on the other fails here, however deep it is.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import ts from 'typescript';
import type { JsonObject } from '../helpers/json';

const root = path.resolve(__dirname, '..', '..', '..');
const schemaFile = (file: string): Schema => JSON.parse(fs.readFileSync(path.join(root, 'schemas', file), 'utf8'));

type Schema = JsonObject;

/** Compares the type of interface `name` in `file` with `schema`; returns one line per difference. */
function differences(
  program: ts.Program,
  file: string,
  name: string,
  schema: Schema,
  schemaBase = path.join(root, 'schemas'),
): string[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  let found: ts.InterfaceDeclaration | ts.TypeAliasDeclaration | undefined;
  source.forEachChild((n) => {
    if ((ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) && n.name.text === name) found = n;
  });
  assert.ok(found, `${name} in ${file}`);
  const problems: string[] = [];
  const seen = new Map<object, Set<ts.Type>>();

  /** Follows $ref (inside the document or to a sibling schema file) and picks the object branch of an anyOf. */
  const resolve = (s: Schema, doc: Schema): [Schema, Schema] => {
    if (s.$ref) {
      const [fileRef, pointer] = String(s.$ref).split('#');
      const target = fileRef ? JSON.parse(fs.readFileSync(path.join(schemaBase, fileRef), 'utf8')) : doc;
      const inner = (pointer ?? '')
        .split('/')
        .filter(Boolean)
        .reduce((o: Schema, k) => o[k], target);
      return resolve(inner, target);
    }
    const branch = (s.anyOf as Schema[] | undefined)?.find((b) => b.type === 'object' || b.properties);
    return branch ? resolve(branch, doc) : [s, doc];
  };

  const isObjectLike = (t: ts.Type) =>
    !!(t.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) && !checker.isTupleType(t);

  const compare = (type: ts.Type, raw: Schema, doc: Schema, at: string): void => {
    const [s, sdoc] = resolve(raw, doc);
    type = checker.getNonNullableType(type);
    if (type.isUnion()) {
      const objects = type.types.filter(isObjectLike);
      if (objects.length !== 1) return; // literals and primitives: no properties to compare
      type = objects[0];
    }
    if (checker.isArrayType(type)) {
      if (s.items) compare(checker.getTypeArguments(type as ts.TypeReference)[0], s.items, sdoc, `${at}[]`);
      return;
    }
    if (!isObjectLike(type)) return;
    const known = seen.get(s) ?? new Set<ts.Type>();
    if (known.has(type)) return;
    seen.set(s, known.add(type));
    const where = at || '(document)';
    const props = type.getProperties();
    const map = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    if (props.length === 0 && map && map.type.flags & ts.TypeFlags.Never) {
      // `{ [key: string]: never }`: an object that holds nothing.
      if (s.additionalProperties !== false || Object.keys(s.properties ?? {}).length)
        problems.push(`${where}: empty in the type, but the schema allows properties`);
      return;
    }
    if (props.length === 0 && map) {
      // A map keyed by data (node ids, strategy names): open on purpose, its values checked.
      if (s.additionalProperties === false || s.additionalProperties === undefined)
        problems.push(`${where}: a map in the type, but the schema does not say additionalProperties`);
      else if (typeof s.additionalProperties === 'object') compare(map.type, s.additionalProperties, sdoc, `${at}.*`);
      return;
    }
    if (map) problems.push(`${where}: the type has an index signature beside its properties (an open object)`);
    if (s.additionalProperties !== false && s.unevaluatedProperties !== false)
      problems.push(`${where}: the schema is open (no additionalProperties: false)`);
    const schemaProps: Schema = s.properties ?? {};
    const named = new Map(props.map((p) => [p.name, p]));
    const join = (k: string) => (at ? `${at}.${k}` : k);
    for (const k of Object.keys(schemaProps))
      if (!named.has(k)) problems.push(`${join(k)}: in the schema, not in the type`);
    for (const [k, p] of named) {
      if (!(k in schemaProps)) {
        problems.push(`${join(k)}: in the type, not in the schema`);
        continue;
      }
      if ((s.required ?? []).includes(k) && p.flags & ts.SymbolFlags.Optional)
        problems.push(`${join(k)}: required by the schema, optional in the type`);
      compare(checker.getTypeOfSymbolAtLocation(p, found!), schemaProps[k], sdoc, join(k));
    }
  };
  compare(checker.getTypeAtLocation(found!), schema, schema, '');
  return problems;
}

const contracts = (f: string) => path.join(root, 'lib', 'contracts', f);
/** File, type, schema file and, for a part of a schema, its $defs entry. */
const pairs: Array<[string, string, string, string?]> = [
  [contracts('raw-session.ts'), 'RawSession', 'rawsession_v1.schema.json'],
  [contracts('workflow.ts'), 'Workflow', 'workflow.schema.json'],
  [contracts('screen-state.ts'), 'UIElement', 'ui-element.schema.json'],
  [contracts('screen-state.ts'), 'ScreenState', 'screen-state.schema.json'],
  [contracts('automation-requests.ts'), 'TriggerRequest', 'trigger.schema.json'],
  // The trigger's config is one of three, chosen by trigger_type: each is compared on its own.
  [contracts('automation-requests.ts'), 'ScheduleConfigRequest', 'trigger.schema.json', 'schedule_config'],
  [contracts('automation-requests.ts'), 'FileConfigRequest', 'trigger.schema.json', 'file_config'],
  [contracts('automation-requests.ts'), 'ManualConfigRequest', 'trigger.schema.json', 'manual_config'],
  [contracts('automation-requests.ts'), 'TriggerToggleRequest', 'trigger.schema.json', 'toggle'],
  [contracts('automation-requests.ts'), 'TriggerFireRequest', 'trigger.schema.json', 'fire'],
  [contracts('automation-requests.ts'), 'ChainRequest', 'chain.schema.json'],
  [contracts('automation-requests.ts'), 'ChainExecuteRequest', 'chain.schema.json', 'execute'],
];

describe('TypeScript contract types agree with the JSON Schemas', () => {
  const program = ts.createProgram([...new Set(pairs.map(([f]) => f))], {
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });

  for (const [file, name, schemaName, def] of pairs) {
    it(`${name} ↔ ${schemaName}${def ? `#/$defs/${def}` : ''}, at every level`, () => {
      const whole = schemaFile(schemaName);
      assert.deepStrictEqual(
        differences(program, file, name, def ? { ...whole.$defs[def], $defs: whole.$defs } : whole),
        [],
      );
    });
  }

  it('the comparison finds a field on one side only, deep down, and an open object', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-types-'));
    const file = path.join(dir, 'doc.ts');
    fs.writeFileSync(file, 'export interface Doc { a: string; b?: { c: number; d: string }[]; e?: { f: string } }\n');
    const schema = {
      type: 'object',
      additionalProperties: false,
      required: ['a', 'e'],
      properties: {
        a: { type: 'string' },
        b: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: { c: { type: 'number' }, x: { type: 'string' } },
          },
        },
        e: { type: 'object', properties: { f: { type: 'string' } } },
      },
    };
    const found = differences(ts.createProgram([file], { strict: true, noEmit: true }), file, 'Doc', schema);
    assert.deepStrictEqual(
      found.sort(),
      [
        'b[].d: in the type, not in the schema',
        'b[].x: in the schema, not in the type',
        'e: required by the schema, optional in the type',
        'e: the schema is open (no additionalProperties: false)',
      ].sort(),
    );
  });
});
