// Africa's Talking's validation callback (POST /airtime/validation and the
// same handler under /callbacks/africastalking) with a transactionId the
// body's checks accept but PostgreSQL cannot take as a text parameter: one
// holding a NUL (U+0000; JSON.parse accepts "\u0000", the adapter's schema
// only asks for a non-blank trimmed text). The look-up by that id
// (findByProviderTransactionId) failed with database error 22021 and the
// route answered 503 'try again later', so AT retries a callback that can
// never be validated. Such an id is no send of ours: the documented answer
// is {"status":"Failed"} (as for an unknown id, or one with an unpaired
// surrogate), never a storage failure.
import { startApiHarness, type ApiHarness } from '../../testing/api-harness.fixture';

describe('POST /airtime/validation: a transactionId PostgreSQL cannot take (a NUL)', () => {
  let api: ApiHarness;

  const claim = (transactionId: string) => ({
    transactionId,
    phoneNumber: '+254711000111',
    sourceIpAddress: '196.201.214.200',
    currencyCode: 'KES',
    amount: 100,
  });

  beforeAll(async () => {
    api = await startApiHarness({ label: 'api-airtime-column-limits' });
  });

  afterAll(async () => {
    await api?.close();
  });

  it.each([
    ['/airtime', 'ATQid_\u0000abc'],
    ['/airtime', '\u0000'],
    ['/callbacks/africastalking', 'ATQid_abc\u0000'],
  ])('%s/validation with %j: 200 Failed, not a storage failure', async (base, transactionId) => {
    const answer = await api.request('POST', `${base}/validation`, { body: claim(transactionId) });

    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { status: 'Failed' } });
  });

  it('answers an id of no send of ours, unpaired surrogate or not, Failed (the answer above)', async () => {
    for (const transactionId of ['ATQid_not_ours', 'ATQid_\uD800']) {
      const answer = await api.request('POST', '/airtime/validation', { body: claim(transactionId) });
      expect({ transactionId, status: answer.status, body: answer.body }).toEqual({
        transactionId,
        status: 200,
        body: { status: 'Failed' },
      });
    }
  });
});
