// The console end to end in a real browser (issue 13): headless Chromium
// (Debian's package, through playwright-core) against the API on real
// PostgreSQL and RabbitMQ with its workers in the process (API_WORKERS) and
// the DVS simulator over HTTP, its callbacks coming back to the API.
//
// Team A sends three top-ups: two to Smart complete; one to Globe, under an
// operator outage at the simulator, is declined
// (DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE), retried by the platform on its
// schedule (1, 2, 5, 30, 60, 120 minutes: an unavailable operator is a
// retryable failure) and DECLINED for good once the attempts run out. In the
// browser, team A signs in (a wrong key is refused first), finds that top-up
// by its external id, opens it (its attempts and provider exchanges), and
// once the outage is over resends it: the confirmation shows the new quote,
// the new top-up completes and links back to the original. Signed out and
// back in with team B's key, none of team A's top-ups is listed and their
// pages are "Not found" (404). Without JavaScript the list and a top-up are
// readable. Every page is screenshotted to tmp/artifacts/console/ and
// checked by axe-core (no serious or critical violation; not in the
// JavaScript-less context, where axe cannot run).
//
// Time: the API's clock runs CLOCK_SCALE times faster, so the retry schedule
// (218 minutes) takes about 20 s; the console's sessions are set to their
// longest (30 days on that clock, over an hour of real time), so that they
// outlive the spec. Waits for a final status are bounded by generous
// deadlines; nothing asserts how long anything took.
//
// Chromium missing (CHROMIUM_PATH, default /usr/bin/chromium): the spec fails
// in beforeAll, naming the path and how to install it (npm run services
// installs it with apt-get); it is never skipped.
import { type BrowserContext, type Page } from 'playwright-core';
import { assertAccessible } from '../testing/browser-axe.fixture';
import { type BrowserFixture, saveScreenshot, startBrowser, watchPageProblems } from '../testing/browser.fixture';
import { type ApiHarness, startApiHarness } from '../testing/api-harness.fixture';

/** Simulated ms per real ms of the API's clock (see the header). */
const CLOCK_SCALE = 600;
const THIRTY_DAYS_MS = String(30 * 86_400_000);
/** The simulator catalogue's Globe Telecom (the Philippines, +63917...). */
const GLOBE_OPERATOR_ID = 1;

/** Real ms a top-up may take to become final (the declined one goes through its whole retry schedule). */
const FINAL_DEADLINE_MS = 180_000;

const FINAL_CLASSES = ['COMPLETED', 'DECLINED', 'REJECTED', 'CANCELLED', 'REVERSED'];

interface TopUpJson {
  readonly id: string;
  readonly external_id: string;
  readonly status: { readonly id: string; readonly class: string };
  readonly attempts: readonly unknown[];
  readonly failure: { readonly reason: string; readonly attempts_exhausted: boolean } | null;
}

interface SentTopUp {
  readonly id: string;
  readonly externalId: string;
  readonly phoneNumber: string;
}

const A_SMART_1 = { externalId: 'console-a-smart-1', phoneNumber: '+639181230100' };
const A_SMART_2 = { externalId: 'console-a-smart-2', phoneNumber: '+639181231100' };
const A_GLOBE_DOWN = { externalId: 'console-a-globe-down', phoneNumber: '+639171230100' };
const B_SMART = { externalId: 'console-b-smart-1', phoneNumber: '+639181232100' };

let api: ApiHarness;
let browser: BrowserFixture;
let keyA: string;
let keyB: string;
const sentA: SentTopUp[] = [];
let declined: SentTopUp;
let sentB: SentTopUp;
/** Set by the resend test. */
let resent: { readonly id: string; readonly externalId: string } | undefined;
/** Script errors and CSP refusals of every page of every context. */
const pageProblems: (readonly string[])[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const sendTopUp = async (key: string, input: { externalId: string; phoneNumber: string }): Promise<SentTopUp> => {
  const answer = await api.request('POST', '/v1/topups', {
    key,
    body: { external_id: input.externalId, phone_number: input.phoneNumber, currency: 'PHP', max_amount: '30' },
  });
  expect(answer.status).toBe(202);
  return { id: (answer.body as TopUpJson).id, ...input };
};

/** Reads the top-up over the API until its status class is final, or as it is at the deadline. */
const untilFinal = async (key: string, id: string): Promise<TopUpJson> => {
  const deadline = Date.now() + FINAL_DEADLINE_MS;
  for (;;) {
    const answer = await api.request('GET', `/v1/topups/${id}`, { key });
    expect(answer.status).toBe(200);
    const topUp = answer.body as TopUpJson;
    if (FINAL_CLASSES.includes(topUp.status.class) || Date.now() > deadline) return topUp;
    await sleep(500);
  }
};

/** A screenshot of the page as it is (tmp/artifacts/console/<name>.png), then axe's check. */
const record = async (page: Page, name: string, options: { readonly axe?: boolean } = {}): Promise<void> => {
  await saveScreenshot(page, name);
  if (options.axe !== false) await assertAccessible(page, name);
};

const newContext = async (options: { readonly javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> => {
  const context = await browser.newContext({ baseURL: api.url, ...options });
  pageProblems.push(watchPageProblems(context));
  return context;
};

const heading1 = (page: Page) => page.getByRole('heading', { level: 1 });

/** The top-ups table (its caption is "Top-ups", with the count when there are some). */
const topUpTable = (page: Page) => page.getByRole('table', { name: /^Top-ups\b/ });

/** The external ids linked from the top-ups table, in order. */
const listedExternalIds = async (page: Page): Promise<string[]> =>
  (await topUpTable(page).getByRole('link').allInnerTexts()).map((text) => text.trim());

/** Signs in through the form; answers once the list is shown. */
const signIn = async (page: Page, key: string): Promise<void> => {
  await page.goto('/console/sign-in');
  await page.getByLabel('API key').fill(key);
  await Promise.all([page.waitForURL('**/console/topups'), page.getByRole('button', { name: 'Sign in' }).click()]);
  expect(await heading1(page).innerText()).toBe('Top-ups');
};

/** Waits for the status shown to be `status` (the page updates itself; else it is reloaded), bounded by a deadline. */
const untilStatusShown = async (page: Page, status: string): Promise<string> => {
  const shown = page.getByTestId('top-up-status');
  const deadline = Date.now() + FINAL_DEADLINE_MS;
  for (;;) {
    try {
      await shown.filter({ hasText: new RegExp(`^\\s*${status}\\s*$`) }).waitFor({ timeout: 10_000 });
    } catch {
      if (Date.now() <= deadline) {
        await page.reload();
        continue;
      }
    }
    return (await shown.innerText()).trim();
  }
};

/** The link named `name` in the fact (a `dd`) whose term (`dt`) is `term`. */
const linkUnder = (page: Page, term: string, name: string) =>
  page
    .locator('dt', { hasText: term })
    .locator('xpath=following-sibling::dd[1]')
    .getByRole('link', { name, exact: true });

beforeAll(async () => {
  // the browser first: a missing Chromium fails here, before anything else starts
  browser = await startBrowser();
  api = await startApiHarness({
    label: 'console-browser',
    providerCallbacks: true,
    environment: {
      API_WORKERS: 'true',
      SCHEDULER_INTERVAL_MS: '100',
      API_RATE_LIMIT_PER_MINUTE: '100000',
      CLOCK_SCALE: String(CLOCK_SCALE),
      CONSOLE_IDLE_TIMEOUT_MS: THIRTY_DAYS_MS,
      CONSOLE_SESSION_LIFETIME_MS: THIRTY_DAYS_MS,
    },
  });
  await api.openAccount('team-a');
  await api.openAccount('team-b');
  keyA = await api.issueKey('team-a');
  keyB = await api.issueKey('team-b');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
}, 60_000);

describe('the console in a browser', () => {
  it('team A: two top-ups complete, the one to an operator under an outage is declined once its retries run out', async () => {
    api.simulator.setOperatorOutage(GLOBE_OPERATOR_ID, true);
    sentA.push(await sendTopUp(keyA, A_SMART_1), await sendTopUp(keyA, A_SMART_2));
    declined = await sendTopUp(keyA, A_GLOBE_DOWN);
    sentA.push(declined);
    sentB = await sendTopUp(keyB, B_SMART);
    const finals = await Promise.all([...sentA.map((topUp) => untilFinal(keyA, topUp.id)), untilFinal(keyB, sentB.id)]);
    expect(finals.map((topUp) => [topUp.external_id, topUp.status.class])).toEqual([
      [A_SMART_1.externalId, 'COMPLETED'],
      [A_SMART_2.externalId, 'COMPLETED'],
      [A_GLOBE_DOWN.externalId, 'DECLINED'],
      [B_SMART.externalId, 'COMPLETED'],
    ]);
    const declinedTopUp = finals[2];
    expect(declinedTopUp?.status.id).toBe('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE');
    expect(declinedTopUp?.failure).toMatchObject({ reason: 'OPERATOR_UNAVAILABLE', attempts_exhausted: true });
    expect(declinedTopUp?.attempts.length).toBeGreaterThan(1);
  }, 300_000);

  it('team A signs in (a wrong key is refused), finds the declined top-up by external id and opens it', async () => {
    const context = await newContext();
    const page = await context.newPage();

    await page.goto('/console/sign-in');
    expect(await heading1(page).innerText()).toBe('Sign in');
    await record(page, '01-sign-in');
    await page.getByLabel('API key').fill(`${keyA}x`);
    const [refusal] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST' && response.url().endsWith('/sign-in')),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    expect(refusal.status()).toBe(401);
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('API key').inputValue()).toBe('');
    await record(page, '02-sign-in-refused');

    await signIn(page, keyA);
    const listed = await listedExternalIds(page);
    expect([...listed].sort()).toEqual(sentA.map((topUp) => topUp.externalId).sort());
    expect(await page.getByRole('heading', { level: 2, name: 'Balance' }).count()).toBe(1);
    expect(await page.getByRole('heading', { level: 2, name: 'Last 24 hours' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    const pageText = await page.locator('body').innerText();
    // phone numbers are shown masked, never in full; no key is shown
    for (const topUp of sentA) expect(pageText).not.toContain(topUp.phoneNumber);
    expect(await page.content()).not.toContain(keyA);
    await record(page, '03-topups');
    // the chart: an image with a name, and the same figures as a table (folded until asked for)
    const lastDay = page.getByRole('region', { name: 'Last 24 hours' });
    expect(await lastDay.getByRole('img', { name: /\S/ }).count()).toBe(1);
    await lastDay.getByText('Per hour, as a table').click();
    expect(await lastDay.getByRole('table').count()).toBeGreaterThan(0);

    const filters = page.getByRole('search', { name: 'Filter top-ups' });
    for (const label of ['Status', 'From', 'To', 'Phone number', 'External id']) {
      expect(await filters.getByLabel(label, { exact: true }).count()).toBe(1);
    }
    await filters.getByLabel('External id', { exact: true }).fill(declined.externalId);
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('external_id') === declined.externalId),
      filters.getByRole('button', { name: 'Filter' }).click(),
    ]);
    expect(await listedExternalIds(page)).toEqual([declined.externalId]);
    await record(page, '04-topups-filtered');

    await Promise.all([
      page.waitForURL(`**/console/topups/${declined.id}`),
      topUpTable(page).getByRole('link', { name: declined.externalId, exact: true }).click(),
    ]);
    expect(await heading1(page).innerText()).toBe(`Top-up ${declined.externalId}`);
    for (const name of ['Quote', 'Attempts', 'Provider exchanges', 'Ledger movements', 'Events']) {
      expect(await page.getByRole('heading', { level: 2, name, exact: true }).count()).toBe(1);
    }
    expect((await page.getByTestId('top-up-status').innerText()).trim()).toBe(
      'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE',
    );
    const attempts = page.getByRole('region', { name: 'Attempts' });
    // a header row and one row per attempt, each declined by the operator's outage
    expect(await attempts.getByRole('row').count()).toBeGreaterThan(2);
    expect(await attempts.innerText()).toContain('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE');
    const exchanges = page.getByRole('region', { name: 'Provider exchanges' });
    const exchangesText = await exchanges.innerText();
    expect(exchangesText).toMatch(/Attempt 1\b/);
    expect(exchangesText).toMatch(/\bPOST\b/);
    // redacted: neither the DVS credentials nor the team's key
    const html = await page.content();
    for (const secret of [api.simulator.apiSecret, api.simulator.authorization, keyA])
      expect(html).not.toContain(secret);
    expect(await page.getByRole('link', { name: 'Resend', exact: true }).getAttribute('href')).toBe(
      `/console/topups/${declined.id}/resend`,
    );
    await record(page, '05-topup-declined');
    await context.close();
  }, 180_000);

  it('once the operator is back, team A resends the declined top-up: the new quote, then the new top-up completing, linked to the original', async () => {
    api.simulator.setOperatorOutage(GLOBE_OPERATOR_ID, false);
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, keyA);
    await page.goto(`/console/topups/${declined.id}`);

    await Promise.all([
      page.waitForURL(`**/console/topups/${declined.id}/resend`),
      page.getByRole('link', { name: 'Resend', exact: true }).click(),
    ]);
    expect(await heading1(page).innerText()).toBe('Resend top-up');
    const confirmation = await page.locator('main').innerText();
    for (const term of ['New external id', 'Receives', 'Cost', 'Exchange rate']) {
      expect(await page.getByRole('term').filter({ hasText: term }).count()).toBe(1);
    }
    expect(confirmation).toContain('PHP');
    expect(confirmation).toContain('USD');
    await record(page, '06-resend');

    await Promise.all([
      page.waitForURL(
        (url) => /^\/console\/topups\/[^/]+$/.test(url.pathname) && url.pathname !== `/console/topups/${declined.id}`,
      ),
      page.getByRole('button', { name: 'Confirm resend' }).click(),
    ]);
    const newId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1) ?? '');
    const title = await heading1(page).innerText();
    expect(title).toMatch(/^Top-up /);
    const newExternalId = title.replace(/^Top-up /, '');
    resent = { id: newId, externalId: newExternalId };
    expect(newExternalId).not.toBe(declined.externalId);
    expect(newExternalId.startsWith(declined.externalId)).toBe(true);
    // the confirmation named the external id the new top-up got
    expect(confirmation).toContain(newExternalId);
    expect(await linkUnder(page, 'Resend of', declined.externalId).getAttribute('href')).toBe(
      `/console/topups/${declined.id}`,
    );

    expect(await untilStatusShown(page, 'COMPLETED')).toBe('COMPLETED');
    // never offered for a completed top-up
    expect(await page.getByRole('link', { name: 'Resend', exact: true }).count()).toBe(0);
    await record(page, '07-topup-resent');
    expect((await untilFinal(keyA, newId)).status.class).toBe('COMPLETED');

    await page.goto(`/console/topups/${declined.id}`);
    expect(await linkUnder(page, 'Resent as', newExternalId).getAttribute('href')).toBe(`/console/topups/${newId}`);
    await record(page, '08-topup-declined-resent');

    await Promise.all([page.waitForURL('**/console/sign-in'), page.getByRole('button', { name: 'Sign out' }).click()]);
    // signed out: the list asks for a key again
    await page.goto('/console/topups');
    expect(await page.getByLabel('API key').count()).toBe(1);
    expect(await page.locator('body').innerText()).not.toContain(declined.externalId);

    // the same browser, team B's key
    await signIn(page, keyB);
    expect(await listedExternalIds(page)).toEqual([sentB.externalId]);
    await record(page, '09-topups-team-b');
    const aPages = [
      ...sentA.map((topUp) => `/console/topups/${topUp.id}`),
      `/console/topups/${declined.id}/resend`,
      `/console/topups/${newId}`,
    ];
    for (const path of aPages) {
      const response = await page.goto(path);
      expect([path, response?.status()]).toEqual([path, 404]);
      expect(await heading1(page).innerText()).toBe('Not found');
      expect(await page.locator('body').innerText()).not.toContain(declined.externalId);
    }
    await record(page, '10-not-found');
    await page.goto(`/console/topups?external_id=${encodeURIComponent(declined.externalId)}`);
    expect(await listedExternalIds(page)).toEqual([]);
    await context.close();
  }, 300_000);

  it('without JavaScript, the list and a top-up are readable', async () => {
    const context = await newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, keyA);
    const listed = await listedExternalIds(page);
    expect([...listed].sort()).toEqual(
      [...sentA.map((topUp) => topUp.externalId), ...(resent ? [resent.externalId] : [])].sort(),
    );
    expect(await topUpTable(page).innerText()).toContain('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE');
    await record(page, '11-topups-no-js', { axe: false });

    await page.goto(`/console/topups/${declined.id}`);
    expect(await heading1(page).innerText()).toBe(`Top-up ${declined.externalId}`);
    expect((await page.getByTestId('top-up-status').innerText()).trim()).toBe(
      'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE',
    );
    expect(await page.getByRole('region', { name: 'Attempts' }).getByRole('row').count()).toBeGreaterThan(2);
    expect(await page.getByRole('region', { name: 'Provider exchanges' }).innerText()).toMatch(/Attempt 1\b/);
    await record(page, '12-topup-no-js', { axe: false });
    await context.close();
  }, 120_000);

  it('no page had a script error or a Content-Security-Policy refusal', () => {
    expect(pageProblems.flat()).toEqual([]);
  });
});
