/**
 * The editor as a French and as an English user sees our nodes: `npm start`'s runtime (in the
 * language of its LANG, as a server installed for those users runs) and headless Chromium with
 * the browser's language. For every rpa node type: its palette label, its help text and its
 * status on the canvas are in the browser's language; an edit dialog's labels too.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { NodeRedRuntime } from '../helpers/runtime';
import { VirtualDesktop } from '../helpers/desktop';
import { launchChromium } from '../monitoring/helpers';

/** The parts of the editor's RED the tests call. */
interface EditorWindow {
  RED: {
    sidebar: { help: { show(type: string): void } };
    editor: { edit(node: unknown): void };
    nodes: { node(id: string): unknown };
  };
}

const root = path.resolve(__dirname, '..', '..', '..');
const TYPES = Object.keys(
  (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { 'node-red': { nodes: object } })[
    'node-red'
  ].nodes,
);

/** Config nodes (a workflow config) have no place in the palette nor a status on the canvas. */
const CONFIG_TYPES = TYPES.filter((type) =>
  /category:\s*'config'/.test(fs.readFileSync(path.join(root, 'nodes', type, `${type}.html`), 'utf8')),
);
const PALETTE_TYPES = TYPES.filter((type) => !CONFIG_TYPES.includes(type));

/** One node of each type on one tab, configured so each shows a status of its own at deploy. */
const FLOW = [
  { id: 'tab_i18n', type: 'tab', label: 'i18n' },
  ...PALETTE_TYPES.map((type, i) => ({
    id: `n_${type.replace(/-/g, '_')}`,
    type,
    z: 'tab_i18n',
    x: 200 + (i % 3) * 300,
    y: 80 + Math.floor(i / 3) * 100,
    wires: [],
    ...{
      'rpa-capture': { mode: 'snapshot' },
      'rpa-chain': { chain: 'chain_demo', priority: 0 },
      'rpa-log': { event: 'workflow_start', level: 'auto', component: 'flow' },
      'rpa-match-node': { workflow: 'WF_demo', node: 'N1_demo' },
      'rpa-monitor': { view: 'overview', windowHours: 24, limit: 20 },
      'rpa-trigger': { triggerType: 'manual', interval: 3600, filePattern: '*', priority: 0 },
    }[type],
  })),
];

function catalog(type: string, lang: string): Record<string, unknown> {
  const file = path.join(root, 'nodes', type, 'locales', lang, `${type}.json`);
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>)[type];
}

/** What a run node without a workflow says it needs, before any message. */
function noWorkflow(lang: string): string {
  const run = catalog('rpa-workflow', lang).run as { errors: Record<string, string> };
  return run.errors.noWorkflow;
}

/** The first paragraph of a node's help in one language, as text. */
function helpLead(type: string, lang: string): string {
  const html = fs.readFileSync(path.join(root, 'nodes', type, 'locales', lang, `${type}.html`), 'utf8');
  const p = /<p>([\s\S]*?)<\/p>/.exec(html)![1];
  return p
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60);
}

const CASES = {
  fr: {
    locale: 'fr-FR',
    lang: 'fr_FR.UTF-8',
    statuses: (display: string): Record<string, string> => ({
      'rpa-capture': `prêt (${display})`,
      'rpa-chain': 'chaîne chain_demo',
      'rpa-detect': 'prêt',
      'rpa-embed': 'prêt',
      'rpa-execute-edge': noWorkflow('fr'),
      'rpa-health': 'prêt',
      'rpa-learn': 'prêt',
      'rpa-log': 'début de workflow',
      'rpa-match-node':
        'pas encore de workflow WF_demo : apprenez-le (rpa-learn) ou choisissez une configuration de workflow',
      'rpa-monitor': 'exécutions',
      'rpa-robot': String((catalog('rpa-robot', 'fr').errors as Record<string, string>)['no-broker']),
      'rpa-trigger': 'manuel : envoyez un message pour déclencher',
      'rpa-workflow': noWorkflow('fr'),
    }),
    trigger: { palette: 'déclencheur rpa', every: 'Toutes les', type: 'planifié (toutes les N secondes)' },
  },
  en: {
    locale: 'en-US',
    lang: 'en_US.UTF-8',
    statuses: (display: string): Record<string, string> => ({
      'rpa-capture': `ready (${display})`,
      'rpa-chain': 'chain chain_demo',
      'rpa-detect': 'ready',
      'rpa-embed': 'ready',
      'rpa-execute-edge': noWorkflow('en-US'),
      'rpa-health': 'ready',
      'rpa-learn': 'ready',
      'rpa-log': 'workflow start',
      'rpa-match-node': 'no workflow WF_demo yet: learn it (rpa-learn) or pick a workflow config',
      'rpa-monitor': 'executions',
      'rpa-robot': String((catalog('rpa-robot', 'en-US').errors as Record<string, string>)['no-broker']),
      'rpa-trigger': 'manual: send a message to fire',
      'rpa-workflow': noWorkflow('en-US'),
    }),
    trigger: { palette: 'rpa trigger', every: 'Every', type: 'schedule (every N seconds)' },
  },
};

for (const [lang, c] of Object.entries(CASES)) {
  const catalogLang = lang === 'fr' ? 'fr' : 'en-US';
  describe(`the editor in ${c.locale}: rpa nodes in ${lang === 'fr' ? 'French' : 'English'}`, function () {
    this.timeout(120_000);
    let desktop: VirtualDesktop;
    let rt: NodeRedRuntime;
    let browser: Browser;
    let page: Page;

    before(async () => {
      desktop = await VirtualDesktop.start({ width: 800, height: 600, windowManager: false });
      rt = await NodeRedRuntime.start({
        flows: FLOW,
        env: { DISPLAY: desktop.display, LANG: c.lang, LC_ALL: c.lang, RPA_VISION_RESOURCE_INTERVAL_S: '0' },
      });
      // The capture node probes the display once at start, while the vision models load; on a busy
      // machine that probe can time out. Restarting that node alone probes again on a quiet runtime.
      const flows = await rt.json<{ flows: Array<{ id: string; name?: string }>; rev: string }>('/flows', {
        headers: { 'Node-RED-API-Version': 'v2' },
      });
      flows.body.flows.find((n) => n.id === 'n_rpa_capture')!.name = 'capture';
      const redeploy = await rt.json('/flows', {
        method: 'POST',
        headers: { 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': 'nodes' },
        body: JSON.stringify(flows.body),
      });
      assert.strictEqual(redeploy.status, 200, JSON.stringify(redeploy.body));
      browser = await launchChromium();
      page = await browser.newPage({ locale: c.locale, viewport: { width: 1600, height: 1000 } });
      await page.goto(rt.url);
      await page.waitForSelector('.red-ui-palette-node[data-palette-type="rpa-health"]', { timeout: 60_000 });
    });
    after(async () => {
      await browser?.close();
      await rt?.stop();
      await desktop?.stop();
    });

    it('labels every rpa node in the palette in the browser language, our trigger apart from the core one', async () => {
      const labels = await page.$$eval('.red-ui-palette-node', (els) =>
        Object.fromEntries(
          els.map(
            (e) =>
              [e.getAttribute('data-palette-type'), (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim()] as const,
          ),
        ),
      );
      for (const type of PALETTE_TYPES) assert.strictEqual(labels[type], catalog(type, catalogLang).paletteLabel, type);
      assert.strictEqual(labels['rpa-trigger'], c.trigger.palette);
      assert.notStrictEqual(labels['rpa-trigger'], labels.trigger);
    });

    it('shows every rpa node help in the browser language', async () => {
      for (const type of TYPES) {
        await page.evaluate((t) => (window as unknown as EditorWindow).RED.sidebar.help.show(t), type);
        const lead = helpLead(type, catalogLang);
        await page.waitForFunction(
          (s) =>
            (document.querySelector('.red-ui-sidebar-help-stack') as HTMLElement | null)?.innerText
              .replace(/\s+/g, ' ')
              .includes(s) ?? false,
          lead,
          { timeout: 5000 },
        );
      }
    });

    it('shows every rpa node status on the canvas in the browser language', async () => {
      const expected = c.statuses(desktop.display);
      assert.deepStrictEqual(Object.keys(expected).sort(), [...PALETTE_TYPES].sort());
      const seen = async () =>
        page.evaluate(
          (ids) =>
            Object.fromEntries(
              ids.map(([type, id]) => [
                type,
                document.querySelector(`[id="${id}"] .red-ui-flow-node-status-label`)?.textContent ?? '',
              ]),
            ),
          PALETTE_TYPES.map((t) => [t, `n_${t.replace(/-/g, '_')}`] as [string, string]),
        );
      const deadline = Date.now() + 60_000;
      let last: Record<string, string> = await seen();
      while (JSON.stringify(last) !== JSON.stringify({ ...last, ...expected }) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        last = await seen();
      }
      assert.deepStrictEqual(last, { ...last, ...expected });
    });

    it('opens an edit dialog with its labels and choices in the browser language', async () => {
      await page.evaluate(() => {
        const RED = (window as unknown as EditorWindow).RED;
        RED.editor.edit(RED.nodes.node('n_rpa_trigger'));
      });
      await page.waitForSelector('#node-input-interval', { state: 'attached' });
      const row = await page.innerText('label[for="node-input-interval"]');
      assert.strictEqual(row.trim(), c.trigger.every);
      const option = await page.$eval('#node-input-triggerType option[value="schedule"]', (o) => o.textContent);
      assert.strictEqual(option, c.trigger.type);
    });
  });
}
