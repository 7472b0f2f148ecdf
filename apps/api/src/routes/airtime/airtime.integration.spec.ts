// The airtime service endpoints over real HTTP, on the API with PostgreSQL,
// RabbitMQ and the DVS simulator: GET /airtime/, the documented error codes
// of invoke-send-airtime (400 for a missing phone or a non-positive amount,
// and the API key it needs), a send and its repeat; and Africa's Talking's
// callbacks backed by the top-up store: a top-up sent to a fake AT server is
// Validated for its own id, number, amount and currency and Failed when any
// of them is tampered with, its status callback only a hint (404 here: this
// API sends with another provider, which cannot answer for an AT attempt),
// 404 for a requestId or a number of no send of ours, 400 for missing fields.
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

type Json = Record<string, unknown>;

const errorOf = (answer: { readonly body: unknown }) => (answer.body as { error: Json }).error;

const KE_NUMBER = '254711000111';

describe('the airtime service endpoints', () => {
  let api: ApiHarness;
  let fakeAt: FakeAfricasTalking;
  let key: string;
  let twoAccountsKey: string;
  let sends = 0;

  beforeAll(async () => {
    [api, fakeAt] = await Promise.all([startApiHarness({ label: 'api-airtime' }), startFakeAfricasTalking()]);
    await api.openAccount('team-airtime');
    await api.openAccount('team-other');
    key = await api.issueKey('team-airtime');
    twoAccountsKey = await api.issueKey('team-airtime', 'team-other');
  });

  afterAll(async () => {
    await Promise.all([api?.close(), fakeAt?.close()]);
  });

  /** The send with the API key `withKey` (null: none). */
  const send = (query: Readonly<Record<string, string>>, withKey: string | null = key) =>
    api.request('GET', `/airtime/invoke-send-airtime?${new URLSearchParams(query).toString()}`, {
      key: withKey ?? undefined,
    });

  const nextKey = () => {
    sends += 1;
    return `airtime-${sends}`;
  };

  describe('GET /airtime/', () => {
    it('answers the service and its status, with no API key', async () => {
      for (const path of ['/airtime/', '/airtime']) {
        const answer = await api.request('GET', path);
        expect({ status: answer.status, body: answer.body }).toEqual({
          status: 200,
          body: { service: 'airtime', status: 'ready' },
        });
      }
    });
  });

  describe('GET /airtime/invoke-send-airtime', () => {
    it("requests a top-up of exactly the amount for the key's account; the same key again answers the same top-up", async () => {
      const query = { phone: KE_NUMBER, amount: '100', currency: 'KES', idempotencyKey: nextKey() };
      const first = await send(query);
      expect(first.status).toBe(200);
      const body = first.body as { message: string; top_up: Json & { id: string } };
      expect(body.message).toBe('airtime request accepted: the top-up is being sent');
      expect(body.top_up).toMatchObject({
        external_id: query.idempotencyKey,
        account_id: 'team-airtime',
        phone_number: `+${KE_NUMBER}`,
        status: { class: 'CREATED' },
        quote: { receive: { amount: '100.00', currency: 'KES' } },
      });
      const again = await send(query);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({
        message: 'airtime request already accepted under this idempotencyKey: the same top-up',
        top_up: { id: body.top_up.id },
      });
      expect(await api.count('top_ups')).toBeGreaterThanOrEqual(1);

      const changed = await send({ ...query, amount: '50' });
      // the parameter sent, not the request field it is mapped to (max_amount)
      expect({ status: changed.status, code: errorOf(changed)['code'], field: errorOf(changed)['field'] }).toEqual({
        status: 409,
        code: 'EXTERNAL_ID_CONFLICT',
        field: 'amount',
      });
      expect(errorOf(changed)['message']).not.toContain('max_amount');
    });

    it('answers 400 naming the parameter for a missing phone or a non-positive or invalid amount, writing nothing', async () => {
      const valid = { phone: KE_NUMBER, amount: '100', currency: 'KES', idempotencyKey: 'never-used' };
      const before = await api.count('top_ups');
      const cases: readonly [Readonly<Record<string, string>>, string][] = [
        [{ amount: '100', currency: 'KES', idempotencyKey: 'never-used' }, 'phone'],
        [{ ...valid, phone: '' }, 'phone'],
        [{ ...valid, phone: `+${KE_NUMBER}` }, 'phone'],
        [{ ...valid, phone: '12345' }, 'phone'],
        [{ phone: KE_NUMBER, currency: 'KES', idempotencyKey: 'never-used' }, 'amount'],
        [{ ...valid, amount: '0' }, 'amount'],
        [{ ...valid, amount: '0.00' }, 'amount'],
        [{ ...valid, amount: '-5' }, 'amount'],
        [{ ...valid, amount: 'ten' }, 'amount'],
        [{ ...valid, amount: '1e3' }, 'amount'],
        // read by the query, refused by the request's rules (cents of KES): named as sent, not max_amount
        [{ ...valid, amount: '100.123' }, 'amount'],
        [{ ...valid, currency: '' }, 'currency'],
        [{ ...valid, currency: 'QQZ' }, 'currency'],
        [{ phone: KE_NUMBER, amount: '100', currency: 'KES' }, 'idempotencyKey'],
        [{ ...valid, extra: 'x' }, 'extra'],
      ];
      for (const [query, field] of cases) {
        const answer = await send(query);
        expect({ query, status: answer.status, error: errorOf(answer) }).toEqual({
          query,
          status: 400,
          error: expect.objectContaining({ code: 'INVALID_REQUEST', field }),
        });
        expect(JSON.stringify(answer.body)).not.toMatch(/12345|QQZ/);
        expect(JSON.stringify(answer.body)).not.toMatch(/max_amount|phone_number|external_id/);
      }
      expect(await api.count('top_ups')).toBe(before);
    });

    it('needs the API key (401), asks for accountId when the key has several, and hides other accounts (404)', async () => {
      const query = { phone: KE_NUMBER, amount: '100', currency: 'KES', idempotencyKey: nextKey() };
      expect((await send(query, null)).status).toBe(401);
      expect(errorOf(await send(query, 'atk_000000000000_nope'))).toMatchObject({ code: 'UNAUTHENTICATED' });
      const several = await send(query, twoAccountsKey);
      expect({ status: several.status, error: errorOf(several) }).toEqual({
        status: 400,
        error: expect.objectContaining({ code: 'INVALID_REQUEST', field: 'accountId' }),
      });
      const chosen = await send({ ...query, accountId: 'team-other' }, twoAccountsKey);
      expect(chosen.body).toMatchObject({ top_up: { account_id: 'team-other' } });
      const hidden = await send({ ...query, idempotencyKey: nextKey(), accountId: 'team-other' }, key);
      expect({ status: hidden.status, code: errorOf(hidden)['code'] }).toEqual({
        status: 404,
        code: 'ACCOUNT_NOT_FOUND',
      });
    });

    it('answers 422 when no product gives exactly the amount', async () => {
      const answer = await send({ phone: KE_NUMBER, amount: '5', currency: 'KES', idempotencyKey: nextKey() });
      expect(answer.status).toBe(422);
    });
  });

  describe("Africa's Talking callbacks (POST /airtime/validation and /airtime/status, and under /callbacks/africastalking)", () => {
    /** A top-up requested here and sent to the fake AT server: its id and AT's requestId. */
    const sentThroughAt = async () => {
      const requested = await send({ phone: KE_NUMBER, amount: '100', currency: 'KES', idempotencyKey: nextKey() });
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

    const validation = (body: unknown, base = '/airtime') => api.request('POST', `${base}/validation`, { body });

    it('validates only a send of ours with the same id, number, amount and currency', async () => {
      const { requestId } = await sentThroughAt();
      const claim = {
        transactionId: requestId,
        phoneNumber: `+${KE_NUMBER}`,
        sourceIpAddress: '196.201.214.200',
        currencyCode: 'KES',
        amount: 100,
      };
      for (const [body, base] of [
        [claim, '/airtime'],
        [claim, '/callbacks/africastalking'],
        [{ ...claim, phoneNumber: KE_NUMBER, amount: '100.00' }, '/airtime'],
      ] as const) {
        const answer = await validation(body, base);
        expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { status: 'Validated' } });
      }
      for (const tampered of [
        { ...claim, amount: 1000 },
        { ...claim, amount: 99.99 },
        { ...claim, phoneNumber: '+254711000222' },
        { ...claim, currencyCode: 'UGX' },
        { ...claim, transactionId: 'ATQid_not_ours' },
      ]) {
        const answer = await validation(tampered);
        expect({ tampered, status: answer.status, body: answer.body }).toEqual({
          tampered,
          status: 200,
          body: { status: 'Failed' },
        });
      }
    });

    it('answers 400 for a validation missing a field', async () => {
      const claim = { transactionId: 'ATQid_x', phoneNumber: `+${KE_NUMBER}`, currencyCode: 'KES', amount: 100 };
      for (const missing of ['transactionId', 'phoneNumber', 'currencyCode', 'amount'] as const) {
        const { [missing]: _dropped, ...body } = claim;
        const answer = await validation(body);
        expect({ missing, status: answer.status, error: errorOf(answer) }).toEqual({
          missing,
          status: 400,
          error: expect.objectContaining({ code: 'INVALID_REQUEST', field: missing }),
        });
      }
      expect(
        (
          await api.request('POST', '/airtime/validation', {
            rawBody: 'nope',
            headers: { 'content-type': 'application/json' },
          })
        ).status,
      ).toBe(400);
    });

    it('takes a status callback as a hint only: this process sends with another provider, so 404 and nothing changes', async () => {
      const { topUpId, requestId } = await sentThroughAt();
      const notice = {
        phoneNumber: `+${KE_NUMBER}`,
        description: 'Airtime Delivered Successfully',
        status: 'Success',
        requestId,
        discount: 'KES 4.0000',
        value: 'KES 100.0000',
      };
      const journal = await api.count('ledger_journal');
      for (const path of ['/airtime/status', '/callbacks/africastalking/status']) {
        const answer = await api.request('POST', path, { body: notice });
        expect({ path, status: answer.status, code: errorOf(answer)['code'] }).toEqual({
          path,
          status: 404,
          code: 'UNKNOWN_CALLBACK',
        });
      }
      const found = await api.request('GET', `/v1/topups/${topUpId}`, { key });
      expect(found.body).toMatchObject({ status: { class: 'SUBMITTED' } });
      expect(await api.count('ledger_journal')).toBe(journal);
      const still = await validation({
        transactionId: requestId,
        phoneNumber: notice.phoneNumber,
        currencyCode: 'KES',
        amount: 100,
      });
      expect(still.body).toEqual({ status: 'Validated' });
    });

    it('answers 404 for a requestId or a number of no send of ours, 400 for missing fields or an unknown status', async () => {
      const { topUpId, requestId } = await sentThroughAt();
      const notice = { phoneNumber: `+${KE_NUMBER}`, status: 'Failed', requestId };
      for (const unknown of [
        { ...notice, requestId: 'ATQid_not_ours' },
        { ...notice, phoneNumber: '+254711000222' },
      ]) {
        const answer = await api.request('POST', '/airtime/status', { body: unknown });
        expect({ status: answer.status, code: errorOf(answer)['code'] }).toEqual({
          status: 404,
          code: 'UNKNOWN_CALLBACK',
        });
      }
      for (const [body, field] of [
        [{ status: 'Failed', requestId }, 'phoneNumber'],
        [{ phoneNumber: notice.phoneNumber, requestId }, 'status'],
        [{ phoneNumber: notice.phoneNumber, status: 'Failed' }, 'requestId'],
        [{ ...notice, status: 'Delivered' }, 'status'],
        [{ ...notice, phoneNumber: 'not a number' }, 'phoneNumber'],
      ] as const) {
        const answer = await api.request('POST', '/airtime/status', { body });
        expect({ field, status: answer.status, error: errorOf(answer) }).toEqual({
          field,
          status: 400,
          error: expect.objectContaining({ code: 'INVALID_REQUEST', field }),
        });
      }
      const found = await api.request('GET', `/v1/topups/${topUpId}`, { key });
      expect(found.body).toMatchObject({ status: { class: 'SUBMITTED' } });
    });
  });
});
