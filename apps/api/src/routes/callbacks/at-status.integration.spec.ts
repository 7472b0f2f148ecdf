// Africa's Talking's status callback is unsigned, so it is only a hint: over
// real HTTP, on the API with PostgreSQL and the DVS simulator as its
// provider, a top-up sent to a fake AT server (pending there) is not moved
// by a posted status, forged or not. This process sends with another
// provider, which cannot answer for an AT attempt: the callback is 404
// UNKNOWN_CALLBACK, the top-up stays SUBMITTED with its hold, no journal
// entry is written, and the send still validates (left to reconciliation).
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

const KE_NUMBER = '254711000333';

describe("Africa's Talking status callback (a hint, never applied as posted)", () => {
  let api: ApiHarness;
  let fakeAt: FakeAfricasTalking;
  let key: string;

  beforeAll(async () => {
    [api, fakeAt] = await Promise.all([startApiHarness({ label: 'api-at-status' }), startFakeAfricasTalking()]);
    await api.openAccount('team-at');
    key = await api.issueKey('team-at');
  });

  afterAll(async () => {
    await Promise.all([api?.close(), fakeAt?.close()]);
  });

  /** A top-up requested here and sent to the fake AT server: its id and AT's requestId. */
  const sentThroughAt = async (idempotencyKey: string) => {
    const query = new URLSearchParams({ phone: KE_NUMBER, amount: '100', currency: 'KES', idempotencyKey });
    const requested = await api.request('GET', `/airtime/invoke-send-airtime?${query.toString()}`, { key });
    const topUpId = (requested.body as { top_up: { id: string } }).top_up.id;
    const at = africasTalkingProviderLayer({
      username: FAKE_AT_USERNAME,
      apiKey: Redacted.make(FAKE_AT_API_KEY),
      baseUrl: fakeAt.baseUrl,
      timeoutMs: 5_000,
      amountRanges: Either.getOrThrow(parseAmountRanges('KE:KES:10:10000')),
    });
    const sent = await api.runtime.runPromise(sendAttempt(topUpId).pipe(Effect.provide(at)));
    const attempt = sent.attempts[0];
    expect(attempt).toMatchObject({ providerId: AFRICASTALKING_PROVIDER_ID, state: 'Pending' });
    return { topUpId, requestId: attempt?.providerTransactionId ?? '' };
  };

  it('changes nothing for a forged Failed or Success: 404, the top-up SUBMITTED, no journal entry', async () => {
    const { topUpId, requestId } = await sentThroughAt('at-status-1');
    const journal = await api.count('ledger_journal');
    for (const status of ['Failed', 'Success']) {
      const answer = await api.request('POST', '/callbacks/africastalking/status', {
        body: { phoneNumber: `+${KE_NUMBER}`, status, requestId, value: 'KES 100.0000' },
      });
      expect({ status, answer: answer.status, code: (answer.body as { error: { code: string } }).error.code }).toEqual({
        status,
        answer: 404,
        code: 'UNKNOWN_CALLBACK',
      });
    }
    const found = await api.request('GET', `/v1/topups/${topUpId}`, { key });
    expect(found.body).toMatchObject({ status: { class: 'SUBMITTED' } });
    expect(await api.count('ledger_journal')).toBe(journal);
    const validation = await api.request('POST', '/callbacks/africastalking/validation', {
      body: { transactionId: requestId, phoneNumber: `+${KE_NUMBER}`, currencyCode: 'KES', amount: 100 },
    });
    expect(validation.body).toEqual({ status: 'Validated' });
  });
});
