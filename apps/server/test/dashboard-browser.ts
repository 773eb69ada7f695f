import { existsSync } from 'node:fs';
import { chromium as playwright, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`.ci/run` installs it); undefined where there is none. */
export const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export const launchChromium = (): Promise<Browser> => {
  if (chromiumPath === undefined)
    throw new Error('Chromium is required for the dashboard tests in CI (.ci/run installs the Debian package)');
  return playwright.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
};

/**
 * A tab on the dashboard with what went wrong in it: console errors, uncaught exceptions, and
 * Content-Security-Policy violations (reported by the page's own `securitypolicyviolation` event,
 * which the init script, injected by the browser and not subject to the CSP, turns into a console line).
 */
export interface DashboardTab {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly cspViolations: string[];
  /** Every confirm() the page asked, accepted. */
  readonly dialogs: string[];
  close(): Promise<void>;
}

const CSP_PREFIX = 'csp-violation:';
const REPORT_CSP = `document.addEventListener('securitypolicyviolation', (e) => console.error(
  '${CSP_PREFIX} ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));`;

export const openTab = async (
  browser: Browser,
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
): Promise<DashboardTab> => {
  // A context of its own per tab: its own sessionStorage, so each test connects with its own key.
  const context = await browser.newContext({ viewport });
  await context.addInitScript({ content: REPORT_CSP });
  const page = await context.newPage();
  const tab: DashboardTab = {
    context,
    page,
    consoleErrors: [],
    pageErrors: [],
    cspViolations: [],
    dialogs: [],
    close: () => context.close(),
  };
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (text.startsWith(CSP_PREFIX) || text.includes('Content Security Policy')) tab.cspViolations.push(text);
    else tab.consoleErrors.push(text);
  });
  page.on('pageerror', (error) => tab.pageErrors.push(String(error)));
  page.on('dialog', (dialog) => {
    tab.dialogs.push(dialog.message());
    void dialog.accept();
  });
  return tab;
};

/** Opens /dashboard and connects with `key` through the form, as a person would. */
export const connect = async (tab: DashboardTab, url: string, key: string): Promise<void> => {
  await tab.page.goto(`${url}/dashboard`);
  await tab.page.getByRole('textbox', { name: 'API key', exact: true }).fill(key);
  await tab.page.locator('form#connect button[type=submit]').click();
};

/**
 * Polls `read` until `done` holds or `timeoutMs` passes; returns the milliseconds it took, or throws
 * with the last value read (so a failure says what the page showed instead).
 */
export const waitUntil = async <T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  since: number = performance.now(),
): Promise<number> => {
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (done(last)) return performance.now() - since;
    } catch (error) {
      last = `(${String(error)})` as T;
    }
    if (performance.now() - since > timeoutMs)
      throw new Error(`${what}: not within ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** The text of a locator now, without waiting for it to exist ('' when absent). */
export const textNow = async (page: Page, selector: string): Promise<string> => {
  const found = page.locator(selector);
  return (await found.count()) === 0 ? '' : ((await found.first().textContent()) ?? '').trim();
};
