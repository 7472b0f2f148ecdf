// Africa's Talking's immediate answer is never final (reference: "Arrow 1b
// should NOT be treated as the final response"): over real HTTP, on the API
// with PostgreSQL, a send AT answers "Success" at once stays SUBMITTED with
// its hold, and AT's validation callback for it is answered Validated (a
// COMPLETED attempt is settled: its validation was Failed, so AT would not
// release the airtime the top-up had been charged for).
import { sendAttempt } from '@airtime/application';
import {
  AFRICASTALKING_PROVIDER_ID,
  africasTalkingProviderLayer,
  parseAmountRanges,
} from '@airtime/provider-africastalking';
import {
  FAKE_AT_API_KEY,
  FAKE_AT_USERNAME,
  type FakeAfricasTalking,
  startFakeAfricasTalking,
} from '@airtime/provider-africastalking/testing';
import { Effect, Either, Redacted } from 'effect';
import { type ApiHarness, startApiHarness } from '../../testing/api-harness.fixture';

const KE_NUMBER = '254711000444';

describe("Africa's Talking immediate Success (an acceptance, never final)", () => {
  let api: ApiHarness;
  let fakeAt: FakeAfricasTalking;
  let key: string;

  beforeAll(async () => {
    [api, fakeAt] = await Promise.all([startApiHarness({ label: 'api-at-success' }), startFakeAfricasTalking()]);
    await api.openAccount('team-at');
    key = await api.issueKey('team-at');
  });

  afterAll(async () => {
    await Promise.all([api?.close(), fakeAt?.close()]);
  });

  it('keeps the top-up SUBMITTED with its hold, and validates the send AT asks to release', async () => {
    const query = new URLSearchParams({ phone: KE_NUMBER, amount: '100', currency: 'KES', idempotencyKey: 'at-ok-1' });
    const requested = await api.request('GET', `/airtime/invoke-send-airtime?${query.toString()}`, { key });
    const topUpId = (requested.body as { top_up: { id: string } }).top_up.id;
    const at = africasTalkingProviderLayer({
      username: FAKE_AT_USERNAME,
      apiKey: Redacted.make(FAKE_AT_API_KEY),
      baseUrl: fakeAt.baseUrl,
      timeoutMs: 5_000,
      amountRanges: Either.getOrThrow(parseAmountRanges('KE:KES:10:10000')),
    });
    fakeAt.enqueue({ kind: 'recipient-status', status: 'Success' });
    const journal = await api.count('ledger_journal');
    const sent = await api.runtime.runPromise(sendAttempt(topUpId).pipe(Effect.provide(at)));
    const attempt = sent.attempts[0];
    expect(attempt).toMatchObject({ providerId: AFRICASTALKING_PROVIDER_ID, state: 'Pending' });
    const found = await api.request('GET', `/v1/topups/${topUpId}`, { key });
    expect(found.body).toMatchObject({ status: { class: 'SUBMITTED' } });
    expect(await api.count('ledger_journal')).toBe(journal);
    const validation = await api.request('POST', '/callbacks/africastalking/validation', {
      body: {
        transactionId: attempt?.providerTransactionId,
        phoneNumber: `+${KE_NUMBER}`,
        currencyCode: 'KES',
        amount: 100,
      },
    });
    expect(validation.body).toEqual({ status: 'Validated' });
  });
});
