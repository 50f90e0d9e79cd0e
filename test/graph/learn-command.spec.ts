/**
 * `rpa-vision learn` and `rpa-vision flow` when the input is wrong: one line on stderr saying
 * which directory or file and why, the right exit code, no stack trace, nothing written; and
 * `learn --rule`, which a person uses to set a rule the learner could not find.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { spawnSync } from 'child_process';
import { tempDir } from './helpers/order-app';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');
const run = (args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, DISPLAY: '' } });

describe('rpa-vision learn and flow on wrong input', function () {
  this.timeout(30_000);
  const dir = tempDir('rpa-learn-cli-');

  it('learn names a directory that holds no session, before loading any model', () => {
    const t0 = Date.now();
    const r = run(['learn', dir, '--out', path.join(dir, 'wf.json')]);
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, new RegExp(`cannot learn from session ".*${path.basename(dir)}": no session.json in it`));
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
    assert.ok(!fs.existsSync(path.join(dir, 'wf.json')));
    assert.ok(Date.now() - t0 < 5000, 'fails fast');
  });

  it('learn names the broken session file', () => {
    const broken = path.join(dir, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(
      path.join(broken, 'session.json'),
      JSON.stringify({ schema_version: 'rawsession_v1', events: 'none' }),
    );
    const r = run(['learn', broken, '--out', path.join(dir, 'wf.json')]);
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /cannot learn from session .*broken.*session\.json/);
  });

  it('learn without a session or without --out is a usage error', () => {
    assert.strictEqual(run(['learn', '--out', path.join(dir, 'wf.json')]).status, 2);
    const r = run(['learn', dir]);
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /--out WF.json is required/);
  });

  it('learn --rule sets the rule of a step the learner could not explain, and refuses one it cannot apply', () => {
    const file = path.join(dir, 'choice.json');
    const seed = JSON.parse(
      fs.readFileSync(
        path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'contracts', 'seed-workflow.json'),
        'utf8',
      ),
    );
    const edge = seed.edges[0];
    edge.action = { type: 'mouse_click', target: { type: 'button', text: 'Ouvrir', selection_policy: 'needs_rule' } };
    edge.metadata = {
      ...(edge.metadata ?? {}),
      choice_rules: [{ step: 0, policy: 'needs_rule', also_consistent: [], demonstrations: 2, set_by: 'learner' }],
    };
    fs.writeFileSync(file, JSON.stringify(seed));
    const bad = run(['learn', '--out', file, '--rule', `${edge.edge_id}=the second one`]);
    assert.strictEqual(bad.status, 1, bad.stderr);
    assert.match(bad.stderr, /"the second one" is not a selection rule: use status:TEXT/);
    const r = run(['learn', '--out', file, '--rule', `${edge.edge_id}=status:À valider`]);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(
        `${edge.edge_id}\\s+status:À valider: the first item whose row shows "À valider" \\(set by a person\\)`,
      ),
    );
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.strictEqual(saved.edges[0].action.target.selection_policy, 'status:À valider');
    assert.strictEqual(saved.edges[0].metadata.choice_rules[0].set_by, 'person');
  });

  it('flow names a missing or invalid workflow file', () => {
    const missing = run(['flow', path.join(dir, 'none.json')]);
    assert.strictEqual(missing.status, 1);
    assert.match(missing.stderr, /none\.json does not exist/);
    const notWorkflow = path.join(dir, 'other.json');
    fs.writeFileSync(notWorkflow, '{"name": "x"}');
    const invalid = run(['flow', notWorkflow]);
    assert.strictEqual(invalid.status, 1);
    assert.match(invalid.stderr, /invalid workflow .*workflow_id: is required/);
    assert.strictEqual(invalid.stdout, '');
  });
});
