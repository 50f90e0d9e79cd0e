/**
 * Secret run parameters (named like a password, PIN or IBAN, or marked `secret: true`) reach
 * the run but nothing the run leaves behind: the execution record, the analytics' execution
 * metadata, the run's log lines and its error messages hold "••••" instead. Runs the real
 * runner on a virtual desktop, cancelled at once with a reason that quotes the secrets.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { sharedDesktop } from '../helpers/desktop';
import { openDesktop } from '../../lib/platform';
import { createVisionEngine, type VisionEngine } from '../../lib/vision';
import { runWorkflow, type LoadedWorkflow } from '../../lib/execute';
import { getMonitoring, releaseMonitoring } from '../../lib/monitoring';
import { openStore } from '../../lib/store/store';
import { isSecretName, redactInlineSecrets, SECRET_MASK } from '../../lib/contracts/secrets';
import type { Workflow } from '../../lib/contracts/workflow';

const PASSWORD = 'S3cret-P@ss!';
const REFERENCE = 'REF-778899-XYZ';

describe('secret run parameters', function () {
  this.timeout(120_000);
  let vision: VisionEngine;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-secret-'));

  before(async () => {
    await sharedDesktop();
    vision = await createVisionEngine();
  });
  after(async () => {
    await vision?.close();
    await releaseMonitoring(dataDir).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('knows a secret by its name, in French and English, and not by a word that merely contains one', () => {
    for (const name of [
      'password',
      'Password',
      'passwd',
      'mot_de_passe',
      'motDePasse',
      'mdp',
      'code_pin',
      'PIN',
      'iban',
      'IBAN_client',
      'secret',
      'api_key',
      'apiKey',
      'access_token',
      'Mot de passe',
    ])
      assert.ok(isSecretName(name), name);
    for (const name of [
      'montant',
      'pinned',
      'spinner',
      'tokens_count',
      'reference',
      'username',
      'description',
      'opinion',
    ])
      assert.ok(!isSecretName(name), name);
  });

  it('masks the value after a secret name in free text, not the words around it', () => {
    assert.strictEqual(
      redactInlineSecrets('login failed for user marie with password Hunter2!'),
      'login failed for user marie with password ••••',
    );
    assert.strictEqual(redactInlineSecrets('mot de passe: azerty, code_pin=1234'), 'mot de passe: ••••, code_pin=••••');
    assert.strictEqual(redactInlineSecrets('the password field was not found'), 'the password field was not found');
    assert.strictEqual(redactInlineSecrets('invalid token'), 'invalid token');
  });

  it('gives the run the real values and keeps "••••" in the record, the analytics, the log and the error', async () => {
    const workflow: Workflow = {
      workflow_id: 'wf_secret_login',
      name: 'login',
      nodes: [{ node_id: 'N1', label: 'login screen', screen_template: {} }],
      edges: [],
      parameters: [
        { name: 'password', default: '' },
        { name: 'reference', default: '', secret: true },
        { name: 'montant', default: '' },
      ],
    };
    const file = path.join(dataDir, 'wf_secret_login.json');
    fs.writeFileSync(file, JSON.stringify(workflow));
    const loaded: LoadedWorkflow = { workflow, file } as LoadedWorkflow;
    const monitoring = getMonitoring(dataDir, () => openStore(dataDir), {
      resourceIntervalSeconds: 0,
      processMetrics: false,
    });
    const controller = new AbortController();
    controller.abort(new Error(`the operator typed ${PASSWORD} for ${REFERENCE}`));
    const lines: string[] = [];
    const record = await runWorkflow(loaded, {
      params: { password: PASSWORD, reference: REFERENCE, montant: '1250,50' },
      desktop: await openDesktop(),
      vision,
      analytics: monitoring.analytics,
      signal: controller.signal,
      persist: false,
      log: (l) => lines.push(l),
    });
    assert.notStrictEqual(record.status, 'success');
    assert.deepStrictEqual(record.parameters, { password: SECRET_MASK, reference: SECRET_MASK, montant: '1250,50' });
    assert.ok(record.failure?.message.includes(SECRET_MASK), record.failure?.message);
    await monitoring.flush();
    const executions = await monitoring.analytics.executions({});
    const mine = executions.find((e) => e.execution_id === record.execution_id);
    assert.ok(mine, 'the run is in the analytics');
    assert.deepStrictEqual((mine.metadata as { parameters: unknown }).parameters, {
      password: SECRET_MASK,
      reference: SECRET_MASK,
      montant: '1250,50',
    });
    const everything = JSON.stringify({ record, executions, lines });
    for (const secret of [PASSWORD, REFERENCE]) assert.ok(!everything.includes(secret), `${secret} leaked`);
  });
});
