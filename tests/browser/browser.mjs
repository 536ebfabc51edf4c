// Debian's Chromium (/usr/bin/chromium, installed by `make deps`) driven by playwright-core, which
// never downloads a browser of its own. Each browser gets a fresh profile directory, so no test
// sees another's cookies, and the flags keep Chromium off the network it cannot reach here.

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { buildDir } from './stack.mjs';

const require = createRequire(import.meta.url);

export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

// The two sizes every page is looked at in: a phone held upright and a laptop screen.
export const viewports = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
};

let chromium = null;
let axeSource = null;
let loadProblem = null;
try {
  ({ chromium } = await import('playwright-core'));
  axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
} catch (e) {
  loadProblem =
    `cannot load playwright-core or axe-core from tests/browser/node_modules (${e.code ?? e.message}).` +
    ' Run `make deps` (it runs `npm ci` in tests/browser) and try again.';
}

// Why no browser can start here, or null: each is a failure that says what to do.
export function browserProblem() {
  if (loadProblem) return loadProblem;
  if (!existsSync(chromiumPath)) return `${chromiumPath} does not exist; run \`make deps\` (Debian package chromium).`;
  return null;
}

// A browser with its own fresh profile: { context, page, close() }.
export async function openBrowser({ viewport = viewports.desktop } = {}) {
  const problem = browserProblem();
  if (problem) throw new Error(problem);
  const profileDir = await mkdtemp(join(tmpdir(), 'userdesk-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    viewport,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}

// Signs in on mini-okta's form, which the browser must be showing (after /login or a protected
// page sent it there), and waits until the browser is back on userdesk.
export async function signInOnForm(page, stack, username, password) {
  await page.waitForURL((u) => u.href.startsWith(stack.oktaUrl + '/'));
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await Promise.all([
    page.waitForURL((u) => u.href.startsWith(stack.baseUrl + '/') && !u.pathname.startsWith('/authorization-code/')),
    page.getByRole('button', { name: 'Sign In' }).click(),
  ]);
}

// The page's one <h1>, as the person reads it.
export async function heading(page) {
  const h1 = page.locator('main h1');
  assert.equal(await h1.count(), 1, 'one <h1> in <main>');
  return (await h1.innerText()).trim();
}

// Submits the form whose button is named button (novalidate: lets a form with empty required
// fields reach the server, as a browser without constraint validation would send it) and
// returns the answer to the post once the page it brought has loaded. The answer often has the
// same URL and heading as the form, so the old document is marked to tell the two apart.
export async function submit(page, button, { novalidate = false } = {}) {
  const form = page.locator('main form').filter({ has: page.getByRole('button', { name: button }) });
  if (novalidate) await form.evaluate((f) => (f.noValidate = true));
  await page.evaluate(() => (window.beforeSubmit = true));
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
    form.getByRole('button', { name: button }).click(),
  ]);
  await page.waitForFunction(() => window.beforeSubmit === undefined);
  await page.waitForLoadState('load');
  return response;
}

// axe-core on the page as it is now. Fails on any violation, whatever its impact (the issue asks
// for no serious or critical one; every page is clean of the others too, so a new one is a
// regression), and on any form field without a <label> the browser ties to it.
export async function checkAccessibility(page, what) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ content: axeSource });
  }
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  assert.deepEqual(violations, [], `${what}: axe-core found violations`);
  // Every visible field has a label the browser ties to it (not only an aria-label).
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter((f) => f.labels === null || f.labels.length === 0)
      .map((f) => f.name || f.id || f.outerHTML),
  );
  assert.deepEqual(unlabelled, [], `${what}: form fields without a <label>`);
}

// Layout sanity at the page's viewport: nothing wider than the screen (no sideways scrolling),
// and every button and link in the main content at least 24 CSS pixels tall (WCAG 2.2 target
// size, minimum).
export async function checkLayout(page, what) {
  const problems = await page.evaluate(() => {
    const out = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) {
      out.push(`page is ${document.documentElement.scrollWidth}px wide in a ${width}px viewport`);
    }
    for (const el of document.querySelectorAll('main a, main button, main input:not([type=hidden]), header a, header button')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right > width + 1) out.push(`${el.outerHTML.slice(0, 60)} ends at ${Math.round(r.right)}px`);
      if (el.matches('button, input, a.button') && r.height < 24) {
        out.push(`${el.outerHTML.slice(0, 60)} is ${Math.round(r.height)}px tall`);
      }
    }
    return out;
  });
  assert.deepEqual(problems, [], `${what}: layout problems`);
}

export const screenshotDir = process.env.USERDESK_SCREENSHOT_DIR ?? join(buildDir, 'screenshots');

// A full-page PNG under build/screenshots/<name>-<viewport>.png.
export async function screenshot(page, name, viewportName) {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}-${viewportName}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}
