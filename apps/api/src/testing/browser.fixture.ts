// Headless Chromium for the browser specs: Debian's `chromium` (apt-get,
// installed by tools/ci/ensure-services.sh when missing) driven by
// playwright-core, whose own browser download does not work here. The
// browser gets the switches that keep it off the network at start-up
// (background networking, component updates, sync, first run) and a fresh
// temporary profile: `launch` always gives Chromium a new temporary
// `--user-data-dir` of its own (and refuses one in `args`), removed when the
// browser closes. Each `newContext` is a separate cookie jar (a signed-in
// team, a JavaScript-less visitor). Screenshots go to
// tmp/artifacts/console/<name>.png (tmp/ is git-ignored).
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

/** Where Debian's package puts Chromium. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** The switches every launch gets (see ../shared/TOOLCHAIN.md, "Browser tests"). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The repository's root (this file is apps/api/src/testing/). */
const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');

/** Where `saveScreenshot` writes: <repo>/tmp/artifacts/console. */
export const SCREENSHOT_DIR = path.join(WORKSPACE_ROOT, 'tmp', 'artifacts', 'console');

/** The Chromium executable: CHROMIUM_PATH when set, else /usr/bin/chromium. */
export const chromiumPath = (environment: NodeJS.ProcessEnv = process.env): string => {
  const configured = environment['CHROMIUM_PATH'];
  return configured !== undefined && configured !== '' ? configured : DEFAULT_CHROMIUM_PATH;
};

/**
 * Throws, naming the path and how to install it, when `executable` is not an
 * executable file: a missing browser fails the browser specs, never skips
 * them.
 */
export const assertChromiumInstalled = (executable: string): void => {
  try {
    accessSync(executable, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium is not installed at ${executable}: the browser specs need Debian's chromium ` +
        `(npm run services installs it with apt-get, or: apt-get install chromium), ` +
        `or CHROMIUM_PATH set to a Chromium executable`,
    );
  }
};

export interface BrowserFixture {
  readonly browser: Browser;
  /**
   * A new browser context (its own cookies and storage); `baseURL` lets
   * pages go to paths. Action and navigation waits are bounded by 30 s
   * unless `options` or the call says otherwise. Closed by `close`.
   */
  readonly newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>;
  /** Closes every context it made, then the browser (which removes its temporary profile). */
  readonly close: () => Promise<void>;
}

/** Launches headless Chromium (see the file's header); throws when Chromium is missing. */
export const startBrowser = async (options: { readonly executablePath?: string } = {}): Promise<BrowserFixture> => {
  const executablePath = options.executablePath ?? chromiumPath();
  assertChromiumInstalled(executablePath);
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS],
    timeout: 60_000,
  });
  const contexts = new Set<BrowserContext>();
  return {
    browser,
    newContext: async (contextOptions = {}) => {
      const context = await browser.newContext(contextOptions);
      context.setDefaultTimeout(30_000);
      context.setDefaultNavigationTimeout(30_000);
      contexts.add(context);
      context.once('close', () => contexts.delete(context));
      return context;
    },
    close: async () => {
      await Promise.allSettled([...contexts].map((context) => context.close()));
      await browser.close();
    },
  };
};

const ARTIFACT_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Writes a full-page PNG screenshot of `page` to
 * tmp/artifacts/console/<name>.png (kebab-case name) and answers its path.
 * Prints nothing. Take it before typing a secret into a field that shows it:
 * the screenshot has what the page shows (a password field shows dots).
 */
export const saveScreenshot = async (page: Page, name: string, directory = SCREENSHOT_DIR): Promise<string> => {
  if (!ARTIFACT_NAME.test(name)) throw new Error(`a screenshot name is kebab-case: ${JSON.stringify(name)}`);
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
};

/**
 * Records what goes wrong inside the pages of `context` from now on:
 * uncaught script errors and console errors about the Content-Security-Policy
 * (a refused script, style or connection). Answers the live list.
 */
export const watchPageProblems = (context: BrowserContext): readonly string[] => {
  const problems: string[] = [];
  const watch = (page: Page): void => {
    page.on('pageerror', (error) => problems.push(`${page.url()}: uncaught ${error.name}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content[- ]Security[- ]Policy/i.test(message.text())) {
        problems.push(`${page.url()}: ${message.text()}`);
      }
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return problems;
};
