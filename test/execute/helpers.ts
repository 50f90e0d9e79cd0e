/**
 * Shared set-up of the replay specs: the invoice application served on 127.0.0.1 and shown in
 * Chromium --app on the process's shared Xvfb desktop, the hand-authored workflow that
 * describes its targets by meaning, and small xdotool helpers to move, resize and navigate.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { ChildProcess } from 'child_process';
import { sharedDesktop, type VirtualDesktop } from '../helpers/desktop';
import { InvoiceApp } from '../fixtures/invoice-app/server';
import type { Workflow } from '../../lib/contracts/workflow';
import { createVisionEngine, type VisionEngine } from '../../lib/vision';
import { openDesktop, type Desktop } from '../../lib/platform';

export const FIXTURE_DIR = path.resolve(__dirname, '..', 'fixtures', 'invoice-app');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fresh copy of the invoice workflow (tests change its state or edges). */
export function invoiceWorkflow(): Workflow {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, 'validate-invoice.workflow.json'), 'utf8')) as Workflow;
}

/** Writes a workflow to a temporary file and returns its path. */
export function writeWorkflow(workflow: Workflow, dir = tempDir('rpa-exec-wf-')): string {
  const file = path.join(dir, `${workflow.workflow_id}.json`);
  fs.writeFileSync(file, JSON.stringify(workflow, null, 1));
  return file;
}

export interface InvoiceDesktop {
  vd: VirtualDesktop;
  app: InvoiceApp;
  windowId: string;
  browser: ChildProcess;
  /** Loads a page of the app (a path such as "/" or "/facture/F-1004") and waits for its title. */
  open(pathname: string, title: RegExp | string): Promise<void>;
  moveResize(x: number, y: number, width: number, height: number): Promise<void>;
  mouse(): Promise<{ x: number; y: number }>;
  stop(): Promise<void>;
}

export async function startInvoiceDesktop(): Promise<InvoiceDesktop> {
  const vd = await sharedDesktop();
  const app = new InvoiceApp();
  const url = await app.start();
  const profile = tempDir('rpa-exec-chromium-');
  const browser = vd.launch('/usr/bin/chromium', [
    `--app=${url}/`,
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    '--disable-dev-shm-usage',
    '--test-type',
    '--disable-features=Translate',
    '--lang=fr',
    '--window-position=60,40',
    '--window-size=1300,860',
  ]);
  const windowId = await vd.waitForWindow('Factures', 40_000);
  await vd.activate(windowId);
  const desktop: InvoiceDesktop = {
    vd,
    app,
    windowId,
    browser,
    async open(pathname, title) {
      app.navigate(pathname);
      await vd.waitFor(
        async () => {
          if (app.servedSeq !== app.navSeq) return false;
          const name = await vd.xdotool(['getwindowname', windowId]);
          return typeof title === 'string' ? name.includes(title) : title.test(name);
        },
        15_000,
        `the page ${pathname} to load`,
      );
      await new Promise((r) => setTimeout(r, 500));
    },
    async moveResize(x, y, width, height) {
      await vd.xdotool(['windowsize', '--sync', windowId, String(width), String(height)]).catch(() => undefined);
      await vd.xdotool(['windowmove', '--sync', windowId, String(x), String(y)]).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 600));
    },
    async mouse() {
      const out = await vd.xdotool(['getmouselocation', '--shell']);
      return { x: Number(/X=(\d+)/.exec(out)?.[1]), y: Number(/Y=(\d+)/.exec(out)?.[1]) };
    },
    async stop() {
      try {
        if (browser.pid) process.kill(-browser.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      await app.stop();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
  return desktop;
}

export interface ReplayContext {
  inv: InvoiceDesktop;
  /** One vision engine per spec file (models load once; OCR is the slow part on 2 cores). */
  vision: VisionEngine;
  desktop: Desktop;
}

/** Registers the spec file's before/after hooks: the invoice app in Chromium, the vision engine, the desktop. */
export function useInvoiceReplay(): ReplayContext {
  const ctx = {} as ReplayContext;
  before(async () => {
    ctx.inv = await startInvoiceDesktop();
    [ctx.vision, ctx.desktop] = await Promise.all([createVisionEngine(), openDesktop()]);
  });
  after(async () => {
    await ctx.vision?.close();
    await ctx.inv?.stop();
  });
  return ctx;
}
