/**
 * Issue 17, points 3 and 5, on the real runtime (npm start's script) behind adminAuth, with the
 * journal executor: every admin action through the HTTP API, every login, run and trigger fire
 * is in the hash-chained audit log naming who did it; an imported workflow cannot claim a
 * learning state above OBSERVATION unless an admin approves it; promotion goes through the
 * product's rules and is recorded with who and why; a `password` run parameter and secret log
 * metadata never come back from the logs, the analytics, the log ZIP or the audit log.
 */
import assert from 'assert';
import { execFile } from 'child_process';
import fs from 'fs';
import path from 'path';
import { NodeRedRuntime } from '../helpers/runtime';
import { readJournal, workflowDoc } from '../automation/helpers/journal-executor';
import { readZip, until } from '../monitoring/helpers';
import { auditFile, type AuditEntry } from '../../lib/audit/audit-log';

const EXECUTOR = path.join(__dirname, '..', 'automation', 'helpers', 'journal-executor.js');
const cli = path.resolve(__dirname, '..', '..', 'bin', 'rpa-vision.js');
const SECRET = 'S3cret-P@ss!';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bcrypt = require('bcryptjs') as { hashSync(password: string, rounds: number): string };

describe('audit trail, approval and secrets on the real runtime', function () {
  this.timeout(120_000);
  let rt: NodeRedRuntime;
  let admin: Record<string, string>;

  async function token(scope: string, password = 'adm1n-pw'): Promise<{ status: number; token?: string }> {
    const res = await rt.fetch('/auth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope, username: 'admin', password }),
    });
    const body = (await res.json().catch(() => ({}))) as { access_token?: string };
    return { status: res.status, token: body.access_token };
  }

  function call(pathname: string, method = 'GET', body?: unknown, headers = admin) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
    return rt.json<any>(pathname, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  function audit(): AuditEntry[] {
    return fs
      .readFileSync(auditFile(rt.dataDir), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditEntry);
  }

  /** The entries appended while `fn` ran. */
  async function appended(fn: () => Promise<void>): Promise<AuditEntry[]> {
    const before = audit().length;
    await fn();
    return audit().slice(before);
  }

  before(async () => {
    rt = await NodeRedRuntime.start({
      flows: [],
      env: {
        RPA_VISION_EXECUTOR_MODULE: EXECUTOR,
        RPA_VISION_RESOURCE_INTERVAL_S: '0',
        NODE_RED_ADMIN_USER: 'admin',
        NODE_RED_ADMIN_PASSWORD_HASH: bcrypt.hashSync('adm1n-pw', 8),
      },
    });
    const t = await token('*');
    assert.strictEqual(t.status, 200);
    admin = { Authorization: `Bearer ${t.token}` };
  });
  after(async () => {
    await rt?.stop();
    if (rt) fs.rmSync(rt.userDir, { recursive: true, force: true });
  });

  it('records logins and failed logins with the user name', async () => {
    const entries = await appended(async () => {
      assert.strictEqual((await token('*', 'wrong')).status, 403);
      assert.strictEqual((await token('read')).status, 200);
    });
    assert.deepStrictEqual(
      entries.map((e) => [e.actor, e.action, e.object]),
      [
        ['admin', 'auth.login.fail.credentials', 'user:admin'],
        ['admin', 'auth.login', 'user:admin'],
      ],
    );
  });

  it('appends one entry naming the admin for each change through the API', async () => {
    const entries = await appended(async () => {
      assert.strictEqual((await call('/api/workflows', 'POST', workflowDoc('wf_audit'))).status, 201);
      const chain = await call('/api/chains', 'POST', { name: 'audited', workflows: ['wf_audit'] });
      assert.strictEqual(chain.status, 201);
      const trigger = await call('/api/triggers', 'POST', {
        trigger_type: 'manual',
        workflow_id: 'wf_audit',
        enabled: true,
        config: {},
      });
      assert.strictEqual(trigger.status, 201, JSON.stringify(trigger.body));
      const tid = trigger.body.trigger_id as string;
      assert.strictEqual((await call(`/api/triggers/${tid}/toggle`, 'POST', { enabled: false })).status, 200);
      assert.strictEqual((await call(`/api/triggers/${tid}`, 'DELETE')).status, 200);
      assert.strictEqual((await call(`/api/chains/${chain.body.chain_id}`, 'DELETE')).status, 200);
      assert.strictEqual((await call('/api/workflows', 'POST', workflowDoc('wf_audit'), admin)).status, 409);
      assert.strictEqual(
        (await call('/api/workflows?replace=true', 'POST', workflowDoc('wf_audit', {}, 'v2'))).status,
        201,
      );
      assert.strictEqual((await call('/api/workflows/wf_audit', 'DELETE')).status, 200);
      assert.strictEqual((await call('/api/automation/stop', 'POST')).status, 200);
      assert.strictEqual((await call('/api/automation/start', 'POST')).status, 200);
      assert.strictEqual((await call('/api/analytics/archive', 'POST', { older_than_days: 365 })).status, 200);
    });
    const mine = entries.filter((e) => e.actor === 'admin');
    assert.deepStrictEqual(
      mine.map((e) => e.action),
      [
        'workflow.import',
        'chain.create',
        'trigger.create',
        'trigger.disable',
        'trigger.delete',
        'chain.delete',
        'workflow.replace',
        'workflow.delete',
        'scheduler.stop',
        'scheduler.start',
        'logs.archive',
      ],
    );
    const replace = mine.find((e) => e.action === 'workflow.replace')!;
    assert.ok(replace.before_digest && replace.after_digest && replace.before_digest !== replace.after_digest);
    assert.ok(mine.find((e) => e.action === 'workflow.delete')!.before_digest);
    // What the scheduler did by itself is there too, under its own name.
    assert.deepStrictEqual(
      entries.filter((e) => e.actor === 'scheduler').map((e) => e.action),
      ['scheduler.stopped', 'scheduler.started'],
    );
  });

  it('records run start and end, trigger fires, and the request that caused them', async () => {
    assert.strictEqual((await call('/api/workflows', 'POST', workflowDoc('wf_run'))).status, 201);
    const chain = (await call('/api/chains', 'POST', { name: 'run', workflows: ['wf_run'] })).body.chain_id as string;
    const tid = (
      await call('/api/triggers', 'POST', { trigger_type: 'manual', workflow_id: 'wf_run', enabled: true, config: {} })
    ).body.trigger_id as string;
    const entries = await appended(async () => {
      assert.strictEqual((await call(`/api/chains/${chain}/execute`, 'POST', {})).status, 200);
      assert.strictEqual((await call(`/api/triggers/${tid}/fire`, 'POST', {})).status, 202);
      await until(
        async () => readJournal(rt.dataDir).length,
        (n) => n >= 2,
        10_000,
      );
      await until(
        async () => audit().filter((e) => e.action === 'workflow.run.end').length,
        (n) => n >= 2,
        10_000,
      );
    });
    const seen = entries.map((e) => `${e.actor} ${e.action} ${e.object}`);
    for (const line of [
      `admin chain.execute chain:${chain}`,
      `scheduler chain.run.start chain:${chain}`,
      `scheduler chain.run.end chain:${chain}`,
      `admin trigger.fire trigger:${tid}`,
      `scheduler trigger.fired trigger:${tid}`,
      'scheduler workflow.run.start workflow:wf_run',
      'scheduler workflow.run.end workflow:wf_run',
    ])
      assert.ok(seen.includes(line), `${line} in\n${seen.join('\n')}`);
  });

  it('stores an imported AUTO_CONFIRMED workflow at OBSERVATION and shows its safety rules for review', async () => {
    const forged = {
      ...workflowDoc('wf_forged'),
      learning_state: 'AUTO_CONFIRMED',
      learning: {
        state: 'AUTO_CONFIRMED',
        thresholds: {
          min_observed_runs_for_assist: 0,
          min_assist_runs_for_auto_candidate: 0,
          min_assist_success_rate_for_auto_candidate: 0,
          min_auto_candidate_runs_for_auto_confirmed: 0,
          min_auto_candidate_success_rate_for_auto_confirmed: 0,
        },
        history: [
          {
            at: '2026-01-01T00:00:00Z',
            from: 'AUTO_CANDIDATE',
            to: 'AUTO_CONFIRMED',
            reason: 'approved by alice (forged)',
          },
        ],
      },
      safety_rules: {
        forbidden_text_clicks: ['Supprimer', 'Delete'],
        forbidden_roles: [],
        require_confirmation_for: [],
        allowed_text_clicks: ['Supprimer', 'Delete'],
      },
    };
    const r = await call('/api/workflows', 'POST', forged);
    assert.strictEqual(r.status, 201, JSON.stringify(r.body));
    assert.deepStrictEqual(r.body.learning, {
      state: 'OBSERVATION',
      claimed: 'AUTO_CONFIRMED',
      approval_required: true,
    });
    assert.deepStrictEqual(r.body.safety_rules.allowed_text_clicks, ['Supprimer', 'Delete']);
    const stored = (await call('/api/workflows/wf_forged')).body;
    assert.strictEqual(stored.learning_state, 'OBSERVATION');
    assert.strictEqual(stored.learning.state, 'OBSERVATION');
    assert.strictEqual(stored.learning.history.at(-1).reason, 'imported; was AUTO_CONFIRMED, needs approval');
    assert.strictEqual(
      stored.learning.thresholds.min_observed_runs_for_assist,
      5,
      'thresholds no lower than the defaults',
    );
    const entry = audit().at(-1)!;
    assert.deepStrictEqual(
      [entry.actor, entry.action, entry.object],
      ['admin', 'workflow.import', 'workflow:wf_forged'],
    );
    assert.match(entry.detail!, /AUTO_CONFIRMED lowered to OBSERVATION; needs approval/);
  });

  it('keeps the claimed state only when an admin approves the import, and never for a read-only token', async () => {
    const doc = { ...workflowDoc('wf_approved'), learning_state: 'AUTO_CONFIRMED' };
    const reader = { Authorization: `Bearer ${(await token('read')).token}` };
    assert.strictEqual((await call('/api/workflows?approve=true', 'POST', doc, reader)).status, 401);
    const r = await call('/api/workflows?approve=true', 'POST', doc);
    assert.strictEqual(r.status, 201, JSON.stringify(r.body));
    assert.deepStrictEqual(r.body.learning, {
      state: 'AUTO_CONFIRMED',
      claimed: 'AUTO_CONFIRMED',
      approval_required: false,
      approved_by: 'admin',
    });
    const stored = (await call('/api/workflows/wf_approved')).body;
    assert.strictEqual(stored.learning.state, 'AUTO_CONFIRMED');
    assert.strictEqual(stored.learning.history.at(-1).reason, 'imported at AUTO_CONFIRMED, approved by admin');
  });

  it('promotes and demotes through the learning rules, recording who and why in the history and the audit log', async () => {
    const doc = {
      ...workflowDoc('wf_promote'),
      stats: {
        observed_runs: 5,
        assist_runs: 0,
        auto_candidate_runs: 0,
        auto_confirmed_runs: 0,
        success_rate_overall: 1,
        avg_duration_seconds: 1,
        total_executions: 5,
      },
    };
    assert.strictEqual((await call('/api/workflows', 'POST', doc)).status, 201);
    const reader = { Authorization: `Bearer ${(await token('read')).token}` };
    const route = '/api/workflows/wf_promote/learning-state';
    assert.strictEqual((await call(route, 'POST', { state: 'COACHING', reason: 'x' }, reader)).status, 401);
    assert.strictEqual((await call(route, 'POST', { state: 'COACHING' })).status, 400);

    const up = await call(route, 'POST', { state: 'COACHING', reason: 'five clean observed runs' });
    assert.strictEqual(up.status, 200, JSON.stringify(up.body));
    assert.deepStrictEqual([up.body.from, up.body.to], ['OBSERVATION', 'COACHING']);
    const stored = (await call('/api/workflows/wf_promote')).body;
    assert.strictEqual(stored.learning.state, 'COACHING');
    assert.match(stored.learning.history.at(-1).reason, /^approved by admin \(five clean observed runs\)/);
    let entry = audit().at(-1)!;
    assert.deepStrictEqual(
      [entry.actor, entry.action, entry.object, entry.detail],
      ['admin', 'workflow.promote', 'workflow:wf_promote', 'OBSERVATION → COACHING: five clean observed runs'],
    );

    const refused = await call(route, 'POST', { state: 'AUTO_CANDIDATE', reason: 'trust me' });
    assert.strictEqual(refused.status, 409);
    assert.ok(
      refused.body.unmet.some((u: string) => u.startsWith('assisted runs: 0/10')),
      JSON.stringify(refused.body),
    );
    assert.strictEqual((await call(route, 'POST', { state: 'AUTO_CONFIRMED', reason: 'skip' })).status, 409);

    const down = await call(route, 'POST', { state: 'OBSERVATION', reason: 'the application changed' });
    assert.strictEqual(down.status, 200);
    entry = audit().at(-1)!;
    assert.deepStrictEqual(
      [entry.actor, entry.action, entry.detail],
      ['admin', 'workflow.demote', 'COACHING → OBSERVATION: the application changed'],
    );
  });

  it('never returns a secret run parameter or secret log metadata from logs, analytics, the ZIP or the audit log', async () => {
    const wf = {
      ...workflowDoc('wf_login'),
      parameters: [
        { name: 'password', default: '' },
        { name: 'reference', default: 'Def4ult-REF', secret: true },
        { name: 'montant', default: '' },
      ],
    };
    const imported = await call('/api/workflows', 'POST', wf);
    assert.strictEqual(imported.status, 201);
    const shown = [imported.body, (await call('/api/workflows')).body, (await call('/api/workflows/wf_login')).body];
    for (const body of shown) assert.ok(!JSON.stringify(body).includes('Def4ult-REF'), JSON.stringify(body));
    assert.deepStrictEqual(shown[2].parameters[1], { name: 'reference', default: '••••', secret: true });
    const chain = (await call('/api/chains', 'POST', { name: 'login', workflows: ['wf_login'] })).body
      .chain_id as string;
    const run = await call(`/api/chains/${chain}/execute`, 'POST', {
      params: { password: SECRET, montant: '1250,50' },
    });
    assert.strictEqual(run.status, 200, JSON.stringify(run.body));
    assert.ok(
      readJournal(rt.dataDir).some((l) => l.params.password === SECRET),
      'the run itself got the real value',
    );

    const logged = await call('/api/logs', 'POST', {
      message: 'login failed for user marie with password Hunter2!',
      metadata: {
        user: 'marie',
        password: 'hunter2',
        mot_de_passe: 'hunter3',
        details: { iban: 'FR7630006000011234567890189', code_pin: '1234' },
      },
    });
    assert.strictEqual(logged.status, 201);
    assert.deepStrictEqual(logged.body.metadata, {
      user: 'marie',
      password: '••••',
      mot_de_passe: '••••',
      details: { iban: '••••', code_pin: '••••' },
    });
    const texts = [
      JSON.stringify((await call('/api/logs?limit=10000')).body),
      JSON.stringify((await call('/api/analytics/executions?limit=10000')).body),
      await (await rt.fetch('/metrics', { headers: admin })).text(),
      fs.readFileSync(auditFile(rt.dataDir), 'utf8'),
    ];
    const zip = await rt.fetch('/api/logs/download', { headers: admin });
    assert.strictEqual(zip.status, 200);
    for (const f of readZip(Buffer.from(await zip.arrayBuffer()))) texts.push(f.data.toString('utf8'));
    assert.strictEqual(logged.body.message, 'login failed for user marie with password ••••');
    for (const secret of [SECRET, 'hunter2', 'hunter3', 'Hunter2!', 'FR7630006000011234567890189'])
      for (const text of texts) assert.ok(!text.includes(secret), `"${secret}" leaked into ${text.slice(0, 200)}`);
    assert.ok(texts[0].includes('marie'), 'the rest of the metadata is kept');
  });

  it("`rpa-vision audit verify` finds the runtime's log intact, and GET /api/audit serves it newest first", async () => {
    const r = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(process.execPath, [cli, 'audit', 'verify', '--data-dir', rt.dataDir], (err, stdout) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
      ),
    );
    assert.strictEqual(r.code, 0, r.stdout);
    const n = audit().length;
    assert.match(r.stdout, new RegExp(`${n} entries, intact`));
    const served = await call('/api/audit?limit=5');
    assert.strictEqual(served.status, 200);
    assert.strictEqual(served.body.count, 5);
    assert.strictEqual(served.body.entries[0].seq, audit().at(-1)!.seq);
    assert.strictEqual(served.body.verification.intact, true);
    assert.strictEqual((await rt.fetch('/api/audit')).status, 401);
  });
});
