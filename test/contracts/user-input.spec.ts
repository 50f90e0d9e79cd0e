/**
 * What users write into workflows and requests: "{{name}}" references resolve only the run's
 * own parameters, title patterns that could backtrack are refused (and never run), and a full
 * disk is recognised in the forms the store and the file system report it.
 */
import assert from 'assert';
import { isStorageFull, StorageFullError, testUserPattern, unsafePatternProblem } from '../../lib/contracts';
import { fillKnownParameters } from '../../lib/contracts/parameter-references';
import type { Workflow } from '../../lib/contracts';
import { PrivacyRules } from '../../lib/capture/privacy';
import { MissingParameterError, resolveParameters, substituteParameters } from '../../lib/execute';

describe('user input in workflows', () => {
  const workflow = {
    workflow_id: 'wf',
    name: 'wf',
    nodes: [],
    edges: [],
    parameters: [{ name: 'montant', default: '12,50' }],
  } as unknown as Workflow;

  it('resolves only declared or given parameters: {{constructor}} and {{__proto__}} are missing', () => {
    const values = resolveParameters(workflow, { client: 'Durand', __proto__: 'x' } as Record<string, unknown>);
    assert.strictEqual(substituteParameters('{{montant}} {{client}}', values), '12,50 Durand');
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      assert.throws(
        () => substituteParameters(`{{${name}}}`, values),
        (err: Error) => err instanceof MissingParameterError && err.message.includes(`"${name}"`),
      );
      assert.strictEqual(fillKnownParameters(`{{${name}}}`, values), `{{${name}}}`);
    }
  });

  it('accepts plain title patterns and refuses those that can backtrack, naming why', () => {
    for (const ok of ['Factures.*Clinique', '^\\*note', '(?:Facture|Invoice) [0-9]+', 'a{2,5}b', '[(|)*]+x'])
      assert.strictEqual(unsafePatternProblem(ok), undefined, ok);
    const refused: Array<[string, RegExp]> = [
      ['^(a|a)*$', /repeats a group/],
      ['(a+)+b', /repeats a group/],
      ['((ab)*c)+', /repeats a group/],
      ['(x\\d?){2,}', /repeats a group/],
      ['(', /not a valid regular expression/],
      ['(a)\\1', /backreference/],
      ['(?<n>a)\\k<n>', /backreference/],
      ['(?<!a)b', /lookahead or lookbehind/],
      ['.*a.*a.*a.*b', /4 unbounded quantifiers/],
      ['x'.repeat(501), /at most 500/],
    ];
    for (const [pattern, why] of refused) assert.match(unsafePatternProblem(pattern) ?? '', why, pattern);
  });

  it('applies the same rule to the window privacy patterns of the recorder', () => {
    assert.doesNotThrow(() => new PrivacyRules({ exclude: ['/banque|bank/i'] }));
    assert.throws(
      () => new PrivacyRules({ exclude: ['/^(a|a)*$/'] }),
      /window pattern \/\^\(a\|a\)\*\$\/ repeats a group/,
    );
  });

  it('never runs a refused pattern: the probe case returns at once and matches nothing', () => {
    const start = Date.now();
    assert.strictEqual(testUserPattern('^(a|a)*$', `${'a'.repeat(40)}b`), false);
    assert.ok(Date.now() - start < 100);
    assert.strictEqual(testUserPattern('Factures.*Clinique', 'Factures – Clinique du Parc'), true);
  });

  it('recognises a full disk from fs and from LevelDB, wrapped or not', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const level = new Error('IO error: /data/store/000003.log: No space left on device');
    assert.ok(isStorageFull(enospc));
    assert.ok(isStorageFull(new Error('write failed', { cause: level })));
    assert.ok(!isStorageFull(new Error('IO error: lock /data/store/LOCK: already held by process')));
    const full = new StorageFullError('wf.json', { cause: level });
    assert.strictEqual(full.status, 507);
    assert.ok(!full.message.includes('/data'));
  });
});
