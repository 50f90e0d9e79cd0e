/**
 * The Node-RED editor in Chromium, used the way a person uses it: log in, import a flow through
 * Menu → Import, deploy with the Deploy button, press an inject node's button, read a node's
 * status under it on the canvas.
 */
import type { Page } from 'playwright-core';

/** Opens the editor, logs in through its login dialog when given a user, and waits for the palette. */
export async function openEditor(
  page: Page,
  url: string,
  login?: { username: string; password: string },
): Promise<void> {
  await page.goto(url);
  if (login) {
    await page.locator('#node-dialog-login-username').fill(login.username);
    await page.locator('#node-dialog-login-password').fill(login.password);
    await page.locator('#node-dialog-login-submit').click();
  }
  await page.locator('.red-ui-palette-node[data-palette-type="inject"]').waitFor({ timeout: 60_000 });
}

/** Menu → Import, the flow pasted as JSON, Import; then shows the tab named `tab` (one the flow holds). */
export async function importFlow(page: Page, flow: object[], tab: string): Promise<void> {
  await page.locator('#red-ui-header-button-sidemenu').click();
  await page.locator('#menu-item-import').click();
  const text = page.locator('#red-ui-clipboard-dialog-import-text');
  await text.fill(JSON.stringify(flow));
  // The dialog checks the JSON on a key press (or a paste), as a person's typing makes.
  await text.press('End');
  await page.locator('#red-ui-clipboard-dialog-ok').click();
  await page.locator('#red-ui-workspace-tabs .red-ui-tab', { hasText: tab }).click();
}

/**
 * Presses Deploy and waits until the runtime took the flows: the editor has nothing left to
 * deploy. The button alone is no sign, since it is also disabled while the deploy is under way.
 * A dialog instead is an error.
 */
export async function deploy(page: Page): Promise<void> {
  await page.locator('#red-ui-header-button-deploy:not(.disabled)').click();
  await page
    .waitForFunction(
      () =>
        !(window as unknown as { RED: { nodes: { dirty(): boolean } } }).RED.nodes.dirty() &&
        document.querySelector('#red-ui-header-button-deploy.disabled') !== null,
      undefined,
      { timeout: 20_000 },
    )
    .catch(async (err: Error) => {
      const dialogs = await page.locator('.ui-dialog:visible').allInnerTexts();
      throw new Error(`${err.message}\nthe editor shows: ${dialogs.join(' | ') || 'no dialog'}`, { cause: err });
    });
}

/** Presses the button on the left of an inject node. */
export async function pressInject(page: Page, id: string): Promise<void> {
  await page.locator(`[id="${id}"] .red-ui-flow-node-button-button`).click();
}

/** Waits until the status under node `id` matches `pattern`; returns it. Times out naming the last one seen. */
export async function statusOf(page: Page, id: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const label = page.locator(`[id="${id}"] .red-ui-flow-node-status-label`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = (await label.textContent().catch(() => null)) ?? '';
    if (pattern.test(text)) return text;
    if (Date.now() > deadline)
      throw new Error(`the status of node ${id} did not match ${pattern} within ${timeoutMs} ms; it shows "${text}"`);
    await page.waitForTimeout(100);
  }
}
