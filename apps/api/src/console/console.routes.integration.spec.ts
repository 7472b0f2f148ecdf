// The console over HTTP (no browser): sign-in and its cookie, the headers of
// every page (CSP, no-store), CSRF on posted forms, scoping to the key's
// accounts, the phone and external id filters, escaping of what callers
// sent, and sessions ended by sign-out or by revoking the key.
import { type ApiHarness, startApiHarness } from '../testing/api-harness.fixture';

interface Page {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

let api: ApiHarness;
let keyA: string;
let keyB: string;

const get = async (path: string, cookie?: string): Promise<Page> => {
  const response = await fetch(`${api.url}${path}`, {
    redirect: 'manual',
    headers: cookie === undefined ? {} : { cookie },
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

const post = async (path: string, form: Record<string, string>, cookie?: string): Promise<Page> => {
  const response = await fetch(`${api.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie === undefined ? {} : { cookie }) },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

/** Signs in with the key: the session cookie (name=value) to send back. */
const signIn = async (key: string): Promise<string> => {
  const answer = await post('/console/sign-in', { api_key: key });
  expect(answer.status).toBe(303);
  expect(answer.headers.get('location')).toBe('/console/topups');
  const setCookie = answer.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/^airtime_console=[A-Za-z0-9_-]{43};/);
  expect(setCookie).toContain('HttpOnly');
  expect(setCookie).toContain('Secure');
  expect(setCookie).toContain('SameSite=Strict');
  expect(setCookie).toContain('Path=/console');
  // a browser-session cookie: gone with the browser, never written to disk with a date
  expect(setCookie).not.toMatch(/expires=|max-age=/i);
  return setCookie.split(';')[0] ?? '';
};

const csrfOf = (page: Page): string => /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';

const requestTopUp = async (key: string, externalId: string, phone: string): Promise<string> => {
  const answer = await api.request('POST', '/v1/topups', {
    key,
    body: { external_id: externalId, phone_number: phone, currency: 'PHP', max_amount: '30' },
  });
  expect(answer.status).toBe(202);
  return (answer.body as { id: string }).id;
};

beforeAll(async () => {
  api = await startApiHarness({ label: 'console-http' });
  await api.openAccount('team-a');
  await api.openAccount('team-b');
  keyA = await api.issueKey('team-a');
  keyB = await api.issueKey('team-b');
}, 120_000);

afterAll(async () => {
  await api?.close();
});

describe('the console over HTTP', () => {
  it('sends a visitor without a session to the sign-in page, which sets a strict policy', async () => {
    const list = await get('/console/topups');
    expect(list.status).toBe(303);
    expect(list.headers.get('location')).toBe('/console/sign-in');
    const signInPage = await get('/console/sign-in');
    expect(signInPage.status).toBe(200);
    expect(signInPage.headers.get('content-type')).toContain('text/html');
    const csp = signInPage.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(signInPage.headers.get('cache-control')).toBe('no-store');
    expect(signInPage.text).not.toMatch(/<script>|<style>|style="/);
  });

  it('refuses a wrong key with the form again (401), never echoing it', async () => {
    const wrong = `${keyA.slice(0, -4)}AAAA`;
    const answer = await post('/console/sign-in', { api_key: wrong });
    expect(answer.status).toBe(401);
    expect(answer.text).toContain('role="alert"');
    expect(answer.text).not.toContain(wrong);
    expect(answer.headers.get('set-cookie')).toBeNull();
  });

  it('shows a team only its own top-ups, filtered by phone and external id, with phones masked', async () => {
    const id = await requestTopUp(keyA, 'console-a-1', '+639171234100');
    await requestTopUp(keyA, 'console-a-2', '+639171234200');
    const cookieA = await signIn(keyA);
    const all = await get('/console/topups', cookieA);
    expect(all.status).toBe(200);
    expect(all.text).toContain('console-a-1');
    expect(all.text).toContain('console-a-2');
    expect(all.text).not.toContain('+639171234100');
    expect(all.text).toContain('+63 ••••••4100');
    const byPhone = await get(`/console/topups?phone_number=${encodeURIComponent('+63 917 123 4100')}`, cookieA);
    expect(byPhone.text).toContain('console-a-1');
    expect(byPhone.text).not.toContain('console-a-2');
    const byExternalId = await get('/console/topups?external_id=console-a-2', cookieA);
    expect(byExternalId.text).toContain('console-a-2');
    expect(byExternalId.text).not.toContain('console-a-1');
    const detail = await get(`/console/topups/${id}`, cookieA);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('Top-up console-a-1');

    const cookieB = await signIn(keyB);
    const listB = await get('/console/topups', cookieB);
    expect(listB.text).not.toContain('console-a-1');
    const detailB = await get(`/console/topups/${id}`, cookieB);
    expect(detailB.status).toBe(404);
    expect(detailB.text).toContain('Not found');
    const liveB = await get(`/console/topups/live?ids=${id}`, cookieB);
    expect(JSON.parse(liveB.text)).toEqual({ top_ups: [] });
  });

  it('names a bad filter in an alert (400) instead of failing', async () => {
    const cookie = await signIn(keyA);
    const answer = await get('/console/topups?phone_number=12ab', cookie);
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/role="alert"[^>]*>Phone number:/);
  });

  it('escapes what a caller sent', async () => {
    await requestTopUp(keyA, '<b>x</b>&"q"', '+639171234100');
    const cookie = await signIn(keyA);
    const list = await get('/console/topups', cookie);
    expect(list.text).toContain('&lt;b&gt;x&lt;/b&gt;&amp;&quot;q&quot;');
    expect(list.text).not.toContain('<b>x</b>');
  });

  it('refuses a form without the session CSRF token, and signs out with it', async () => {
    const cookie = await signIn(keyA);
    const refused = await post('/console/sign-out', { csrf: 'forged' }, cookie);
    expect(refused.status).toBe(403);
    const list = await get('/console/topups', cookie);
    expect(list.status).toBe(200);
    const out = await post('/console/sign-out', { csrf: csrfOf(list) }, cookie);
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/console/sign-in');
    expect((await get('/console/topups', cookie)).status).toBe(303);
  });

  it('refuses a form posted from another site (login CSRF) before reading it', async () => {
    for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }]) {
      const response = await fetch(`${api.url}/console/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ api_key: keyA }).toString(),
      });
      expect(response.status).toBe(403);
      expect(response.headers.get('set-cookie')).toBeNull();
    }
  });

  it('answers a URL the router cannot read with a console page and its headers', async () => {
    const cookie = await signIn(keyA);
    for (const path of ['/console/topups/%ZZ', `/console/topups/${'x'.repeat(600)}`]) {
      const answer = await get(path, cookie);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.headers.get('content-type')).toContain('text/html');
      expect(answer.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('signing in again ends the session this browser had', async () => {
    const first = await signIn(keyA);
    const response = await fetch(`${api.url}/console/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: first },
      body: new URLSearchParams({ api_key: keyA }).toString(),
    });
    expect(response.status).toBe(303);
    expect((await get('/console/topups', first)).status).toBe(303);
  });

  it('ends the sessions of a revoked key at once', async () => {
    const key = await api.issueKey('team-a');
    const cookie = await signIn(key);
    expect((await get('/console/topups', cookie)).status).toBe(200);
    await api.revokeKey(key);
    const after = await get('/console/topups', cookie);
    expect(after.status).toBe(303);
    expect(after.headers.get('set-cookie') ?? '').toMatch(/^airtime_console=;/);
  });
});

describe('failed sign-ins behind a proxy (API_TRUST_PROXY)', () => {
  let proxied: ApiHarness;

  beforeAll(async () => {
    proxied = await startApiHarness({
      label: 'console-proxy',
      environment: { API_TRUST_PROXY: '127.0.0.1', API_AUTH_FAILURES_PER_MINUTE: '3' },
    });
  }, 120_000);

  afterAll(async () => {
    await proxied?.close();
  });

  const signInFrom = async (client: string, key: string): Promise<number> => {
    const response = await fetch(`${proxied.url}/console/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client },
      body: new URLSearchParams({ api_key: key }).toString(),
    });
    await response.text();
    return response.status;
  };

  it("counts them per client, as the proxy names it: one client's failures never lock another out", async () => {
    await proxied.openAccount('team-p');
    const key = await proxied.issueKey('team-p');
    const wrong = `${key.slice(0, -4)}AAAA`;
    for (let attempt = 0; attempt < 3; attempt += 1) expect(await signInFrom('203.0.113.7', wrong)).toBe(401);
    expect(await signInFrom('203.0.113.7', key)).toBe(429);
    expect(await signInFrom('198.51.100.9', key)).toBe(303);
  });
});

describe('resending a declined top-up over HTTP (the workers send in the API process, the simulator calls back)', () => {
  let sending: ApiHarness;
  let key: string;

  beforeAll(async () => {
    sending = await startApiHarness({
      label: 'console-resend',
      providerCallbacks: true,
      environment: { API_WORKERS: 'true' },
    });
    await sending.openAccount('team-r');
    key = await sending.issueKey('team-r');
  }, 120_000);

  afterAll(async () => {
    await sending?.close();
  });

  const pageOf = async (path: string, cookie: string, form?: Record<string, string>): Promise<Page> => {
    const response = await fetch(`${sending.url}${path}`, {
      method: form === undefined ? 'GET' : 'POST',
      redirect: 'manual',
      headers: { cookie, ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(form === undefined ? {} : { body: new URLSearchParams(form).toString() }),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  /** Requests a top-up and waits until it is final (the sandbox declines a number ending 102 at once). */
  const declined = async (externalId: string, phone: string, metadata?: Record<string, string>): Promise<string> => {
    const answer = await sending.request('POST', '/v1/topups', {
      key,
      body: { external_id: externalId, phone_number: phone, currency: 'PHP', max_amount: '30', metadata },
    });
    expect(answer.status).toBe(202);
    const id = (answer.body as { id: string }).id;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = await sending.request('GET', `/v1/topups/${id}`, { key });
      const status = (found.body as { status: { class: string } }).status.class;
      if (status === 'DECLINED') return id;
      if (Date.now() > deadline) throw new Error(`top-up ${externalId} is ${status}, not DECLINED`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const hidden = (page: Page, name: string): string =>
    new RegExp(`name="${name}" value="([^"]*)"`).exec(page.text)?.[1] ?? '';

  it('confirms with the cost shown, shows a moved plan again, answers a second click with the same top-up', async () => {
    const id = await declined('resend-me', '+639171234102');
    const signInAnswer = await fetch(`${sending.url}/console/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: key }).toString(),
    });
    const cookie = (signInAnswer.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const confirmation = await pageOf(`/console/topups/${id}/resend`, cookie);
    expect(confirmation.status).toBe(200);
    // declined for the number itself: the confirmation warns that a resend is likely declined again
    expect(confirmation.text).toContain('DECLINED-INVALID-CREDIT-PARTY): a resend to the same number');
    const form = { csrf: hidden(confirmation, 'csrf'), external_id: hidden(confirmation, 'external_id') };
    expect(form.external_id).toBe('resend-me~r1');
    expect(hidden(confirmation, 'cost')).toBe('USD 0.55');
    const topUpsBefore = await sending.count('top_ups');

    const moved = await pageOf(`/console/topups/${id}/resend`, cookie, { ...form, cost: 'USD 0.54' });
    expect(moved.status).toBe(303);
    expect(moved.headers.get('location')).toBe(`/console/topups/${id}/resend?changed=1`);
    expect(await sending.count('top_ups')).toBe(topUpsBefore);
    expect((await pageOf(`/console/topups/${id}/resend?changed=1`, cookie)).text).toContain('The resend changed');

    const first = await pageOf(`/console/topups/${id}/resend`, cookie, { ...form, cost: 'USD 0.55' });
    expect(first.status).toBe(303);
    const second = await pageOf(`/console/topups/${id}/resend`, cookie, { ...form, cost: 'USD 0.55' });
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await sending.count('top_ups')).toBe(topUpsBefore + 1);
  });

  it('refuses to resend from a top-up whose named original went to another number', async () => {
    const original = await declined('original-1', '+639171234102');
    const other = await declined('other-number-1', '+639171235102', { resend_of: original });
    const signInAnswer = await fetch(`${sending.url}/console/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: key }).toString(),
    });
    const cookie = (signInAnswer.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const refused = await pageOf(`/console/topups/${other}/resend`, cookie);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Cannot be resent from here');
    expect(refused.text).toContain(`/console/topups/${original}`);
    expect(refused.text).not.toContain('name="external_id"');
  });
});
