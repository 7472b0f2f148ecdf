// POST /v1/topups with a callback URL the request's checks accept but the
// top_up_requests.callback_url column refuses. checkCallbackUrl measures the
// URL as sent (at most 2048 UTF-16 code units) and keeps the parsed URL
// (`new URL(text).toString()`), in which every non-ASCII character and every
// space is percent-encoded (`é` is 2 bytes in UTF-8, 6 characters as
// `%C3%A9`; a space is `%20`); the column's CHECK is `octet_length(...) <=
// 2048` of the URL kept. Such a request must be refused naming the field
// (400 INVALID_REQUEST on callback_url, as a URL over 2048 characters is),
// with nothing written — never a storage failure answered as 503.
import { startApiHarness, type ApiHarness } from '../../testing/api-harness.fixture';

type Json = Record<string, unknown>;

const errorOf = (answer: { readonly body: unknown }) => (answer.body as { error?: Json }).error;

const WRITTEN = ['top_ups', 'top_up_requests', 'ledger_holds', 'ledger_journal', 'outbox'] as const;

describe('POST /v1/topups: a callback URL longer than its column once percent-encoded', () => {
  let api: ApiHarness;
  let key: string;

  const request = (callbackUrl: string): Json => ({
    external_id: `order-${Math.random().toString(36).slice(2, 10)}`,
    phone_number: '+639171234100',
    currency: 'PHP',
    max_amount: '30',
    callback_url: callbackUrl,
  });

  const counts = async (): Promise<Record<string, number>> =>
    Object.fromEntries(await Promise.all(WRITTEN.map(async (table) => [table, await api.count(table)] as const)));

  beforeAll(async () => {
    api = await startApiHarness({ label: 'api-topups-column-limits' });
    await api.openAccount('team-growth');
    key = await api.issueKey('team-growth');
  });

  afterAll(async () => {
    await api?.close();
  });

  it.each([
    // 1 020 characters sent; 6 020 bytes once each é is %C3%A9
    ['non-ASCII path characters', `https://example.com/${'\u00e9'.repeat(1000)}`],
    // 2 021 characters sent; 4 021 once each space is %20
    ['spaces in the path', `https://example.com/${' x'.repeat(1000)}y`],
    // 520 characters sent; 3 020 bytes once the fragment is encoded
    ['non-ASCII fragment characters', `https://example.com/#${'\u00e9'.repeat(500)}`],
  ])('%s: 400 INVALID_REQUEST on callback_url, nothing written', async (_name, callbackUrl) => {
    expect(callbackUrl.length).toBeLessThanOrEqual(2048);
    expect(Buffer.byteLength(new URL(callbackUrl).toString(), 'utf8')).toBeGreaterThan(2048);
    const before = await counts();

    const answer = await api.request('POST', '/v1/topups', { key, body: request(callbackUrl) });

    expect({ status: answer.status, error: errorOf(answer) }).toEqual({
      status: 400,
      error: expect.objectContaining({ code: 'INVALID_REQUEST', field: 'callback_url' }),
    });
    expect(await counts()).toEqual(before);
  });

  it('still takes a URL whose encoded form fits the column (the boundary is the encoded URL)', async () => {
    // 20 + 338 × 6 = 2 048 bytes once encoded: exactly the column's limit
    const callbackUrl = `https://example.com/${'\u00e9'.repeat(338)}`;
    expect(Buffer.byteLength(new URL(callbackUrl).toString(), 'utf8')).toBe(2048);
    const requests = await api.count('top_up_requests');

    const answer = await api.request('POST', '/v1/topups', { key, body: request(callbackUrl) });

    expect(answer.status).toBe(202);
    expect(await api.count('top_up_requests')).toBe(requests + 1);
  });
});
