import {
  AirtimeProvider,
  currencyOf,
  formatPrecise,
  money,
  parsePhoneNumber,
  preciseOf,
  type PhoneNumber,
  type Product,
  type ProviderError,
  type SendRequest,
  transactionStatus,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import { pollUntil, unusedBaseUrl } from '@airtime/provider-http-kit/testing';
import { FAKE_ES_ORG_ID, FAKE_ES_TOKEN, type FakeEngageSpark, startFakeEngageSpark } from '../../testing';
import { type EngageSparkConfig, engageSparkConfigFrom } from '../config/engagespark.config';
import { MAX_ANSWER_BYTES, MAX_RETRY_AFTER_MS, type TransferLogRecord } from '@airtime/provider-http-kit';
import type { TopupClientOptions } from '../topup/topup.client';
import {
  ES_STATUS_QUERY_UNSUPPORTED,
  ES_TRANSACTION_LIST_UNSUPPORTED,
  engageSparkProviderLayer,
  makeEngageSparkProvider,
} from './engagespark.adapter';

const PHP = Either.getOrThrow(currencyOf('PHP'));
const IDR = Either.getOrThrow(currencyOf('IDR'));
const USD = Either.getOrThrow(currencyOf('USD'));
const PH_PHONE = Either.getOrThrow(parsePhoneNumber('+639171234567'));
const ID_PHONE = Either.getOrThrow(parsePhoneNumber('+6281234567890'));
const KE_PHONE = Either.getOrThrow(parsePhoneNumber('+254711000111'));

/** A timeout a loaded CI machine's local answers stay well within; the tests that wait for no answer pass their own. */
const TIMEOUT_MS = 5_000;

const configFor = (baseUrl: string, timeoutMs = TIMEOUT_MS, token = FAKE_ES_TOKEN): EngageSparkConfig =>
  Either.getOrThrow(
    engageSparkConfigFrom({
      ENGAGESPARK_ORG_ID: FAKE_ES_ORG_ID,
      ENGAGESPARK_TOKEN: token,
      ENGAGESPARK_BASE_URL: baseUrl,
      ENGAGESPARK_TIMEOUT_MS: String(timeoutMs),
      ENGAGESPARK_AMOUNT_RANGES: 'PH:PHP:10:100,ID:IDR:5000:25000:5000',
    }),
  );

let fake: FakeEngageSpark;
let products: readonly Product[];
let counter = 0;

beforeEach(async () => {
  fake = await startFakeEngageSpark();
  products = await Effect.runPromise(makeEngageSparkProvider(configFor(fake.baseUrl)).listProducts({}));
});
afterEach(() => fake.close());

const request = (
  receive = money(2_500n, PHP),
  destination: PhoneNumber = receive.currency.code === 'IDR' ? ID_PHONE : PH_PHONE,
  providerExternalId = `topup-${++counter}-a1b2c3d4-1`,
): SendRequest => ({
  providerExternalId,
  product: products[0] as Product,
  destination,
  receive,
});

const sendWith = (options: TopupClientOptions = {}, config = configFor(fake.baseUrl)) => {
  const provider = makeEngageSparkProvider(config, options);
  return (sendRequest: SendRequest = request()) => Effect.runPromise(Effect.either(provider.send(sendRequest)));
};

const failure = (result: Either.Either<unknown, ProviderError>): ProviderError => {
  if (Either.isRight(result)) throw new Error('expected a failure, got a success');
  return result.left;
};

describe('engageSPARK top-up, over HTTP', () => {
  it('posts to the organization with Token auth, the number without "+", string amounts and the clientRef', async () => {
    await sendWith()(request(money(2_500n, PHP), PH_PHONE, 'order-9-a1b2c3d4-1'));
    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe(`/v1/organizations/${FAKE_ES_ORG_ID}/topup/`);
    expect(sent?.headers).toMatchObject({
      authorization: `Token ${FAKE_ES_TOKEN}`,
      'content-type': 'application/json',
    });
    expect(sent?.json).toEqual({
      phoneNumber: '639171234567',
      fullPhoneNumber: '639171234567',
      maxAmount: '25',
      desiredAmount: '25',
      clientRef: 'order-9-a1b2c3d4-1',
    });
    expect(sent?.bodyText).not.toContain('+');
  });

  it('writes cents only when there are some', async () => {
    await sendWith()(request(money(2_550n, PHP)));
    expect(fake.requests[0]?.json).toMatchObject({ maxAmount: '25.5', desiredAmount: '25.5' });
  });

  it('maps a success to COMPLETED with the exact amount sent', async () => {
    const result = await sendWith()(request(money(2_500n, PHP), PH_PHONE, 'order-10-1'));
    expect(Either.getOrThrow(result)).toEqual({
      providerTransactionId: expect.stringMatching(/^\d+$/),
      providerExternalId: 'order-10-1',
      status: transactionStatus('COMPLETED'),
      receive: preciseOf(money(2_500n, PHP)),
    });
  });

  it('reads amounts of a currency with minor units exactly (IDR 5000 = 500000 minor)', async () => {
    expect(Either.getOrThrow(await sendWith()(request(money(500_000n, IDR)))).receive).toEqual(
      preciseOf(money(500_000n, IDR)),
    );
  });

  it('reports the smaller amount engageSPARK chose', async () => {
    // 22 PHP is not a denomination: engageSPARK sends 20, never more than maxAmount
    expect(Either.getOrThrow(await sendWith()(request(money(2_200n, PHP)))).receive).toEqual(
      preciseOf(money(2_000n, PHP)),
    );
  });

  it('refuses "no matching product found" as a non-retryable ProviderRejected', async () => {
    // below the smallest denomination (10 PHP); the configured range would not offer it, the fake refuses it anyway
    const error = failure(await sendWith()(request(money(500n, PHP))));
    expect(error).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: 'NO_MATCHING_PRODUCT',
      retryable: false,
      reason: 'no product of the operator matches the amounts asked for',
    });
  });

  it.each([400, 200])(
    'refuses "invalid phone number" (HTTP %s) as a non-retryable ProviderRejected',
    async (status) => {
      fake.enqueue({ kind: 'error', error: 'invalid phone number', status });
      expect(failure(await sendWith()())).toMatchObject({
        _tag: 'ProviderRejected',
        providerCode: 'INVALID_PHONE_NUMBER',
        retryable: false,
      });
    },
  );

  it('reads an unrecognized error without a transaction as an unknown outcome, never a refusal, never quoting it', async () => {
    fake.enqueue({ kind: 'error', error: 'number 639171234567 is blocked', status: 200 });
    const error = failure(await sendWith()());
    expect(error).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      kind: 'UNPROVEN_REFUSAL',
      retryable: false,
      reason: 'error is not a documented refusal (without a transaction id)',
    });
    expect(error.message).not.toMatch(/639171234567|567|blocked/);
  });

  it('reads an unrecognized error on a recorded transaction as an unknown outcome (engageSPARK retries it itself)', async () => {
    fake.enqueue({
      kind: 'reply',
      status: 200,
      body: JSON.stringify({ id: '777', clientRef: 'x', error: 'operator timeout' }),
    });
    expect(failure(await sendWith()())).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      kind: 'UNPROVEN_REFUSAL',
      reason: 'error is not a documented refusal (with a transaction id)',
    });
  });

  it('reads a 401 as a non-retryable refusal that does not echo the token', async () => {
    const error = failure(await sendWith({}, configFor(fake.baseUrl, TIMEOUT_MS, 'es_pat_wrong_token_123'))());
    expect(error).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: 'HTTP_401',
      retryable: false,
      reason: 'refused with HTTP 401 (detail given)',
    });
    expect(error.message).not.toContain('es_pat_wrong_token_123');
  });

  it('honours 429 and Retry-After, and sends nothing more until the wait is over', async () => {
    const send = sendWith();
    fake.enqueue({ kind: 'rate-limited', retryAfter: '3' });
    expect(failure(await send())).toMatchObject({ _tag: 'ProviderRateLimited', retryAfterMs: 3_000, retryable: true });
    expect(failure(await send())._tag).toBe('ProviderRateLimited');
    expect(fake.requests).toHaveLength(1);
  });

  it('caps a huge Retry-After (99999999999 s) at one hour', async () => {
    fake.enqueue({ kind: 'rate-limited', retryAfter: '99999999999' });
    expect(failure(await sendWith()())).toMatchObject({
      _tag: 'ProviderRateLimited',
      retryAfterMs: MAX_RETRY_AFTER_MS,
    });
  });

  it.each([301, 302, 303, 307, 308])(
    'reads a redirect (HTTP %s) to a top-up as an unknown outcome, never followed, never a failure',
    async (status) => {
      fake.enqueue({ kind: 'reply', status, body: '', headers: { Location: `${fake.baseUrl}/elsewhere` } });
      expect(failure(await sendWith()())).toMatchObject({
        _tag: 'ProviderOutcomeUnknown',
        kind: 'REDIRECT',
        reason: expect.stringContaining('ENGAGESPARK_BASE_URL'),
      });
      expect(fake.requests).toHaveLength(1);
    },
  );

  it('names a currency it cannot read as a field, never quoting the value', async () => {
    fake.enqueue({
      kind: 'reply',
      status: 200,
      body: JSON.stringify({ id: 9001, error: '', amountSent: 25, currency: '254711000111' }),
    });
    const error = failure(await sendWith()());
    expect(error).toMatchObject({ _tag: 'ProviderAnswerMismatch', field: 'currency' });
    expect(error.message).not.toContain('254711000111');
  });

  it.each([
    ['a negative amountSent (-100 PHP)', { amountSent: -100, currency: 'PHP' }, 'amountSent', 'not a positive amount'],
    ['a zero amountSent', { amountSent: 0, currency: 'PHP' }, 'amountSent', 'not a positive amount'],
    ['an amountSent above maxAmount', { amountSent: 26, currency: 'PHP' }, 'amountSent', 'above the requested amount'],
    [
      'another currency (USD for PHP)',
      { amountSent: 25, currency: 'USD' },
      'currency',
      'a currency other than the requested one',
    ],
    [
      'an unreadable amountSent',
      { amountSent: '25,00', currency: 'PHP' },
      'amountSent',
      'not an exact amount of its currency',
    ],
    ['an unknown currency', { amountSent: 25, currency: 'ABC' }, 'currency', 'not a currency of ISO 4217'],
    [
      'another clientRef',
      { amountSent: 25, currency: 'PHP', clientRef: 'not-ours' },
      'clientRef',
      'an answer about another transaction',
    ],
  ])(
    'reads a 200 with %s as a mismatch (an unknown outcome), naming the field',
    async (_case, answer, field, reason) => {
      fake.enqueue({ kind: 'reply', status: 200, body: JSON.stringify({ id: 9001, error: '', ...answer }) });
      const error = failure(await sendWith()(request(money(2_500n, PHP))));
      expect(error).toMatchObject({
        _tag: 'ProviderAnswerMismatch',
        provider: 'engagespark',
        field,
        reason,
        retryable: false,
      });
      expect(error.message).not.toMatch(/-100|26|USD|25,00|ABC|not-ours/);
    },
  );

  it('keeps an amountSent with sub-unit precision exactly (PHP 24.995)', async () => {
    fake.enqueue({
      kind: 'reply',
      status: 200,
      body: JSON.stringify({ id: 9001, error: '', amountSent: 24.995, currency: 'PHP' }),
    });
    const sent = Either.getOrThrow(await sendWith()(request(money(2_500n, PHP))));
    expect(sent.receive && formatPrecise(sent.receive)).toBe('24.995');
  });

  it('waits a default time after a 429 without Retry-After', async () => {
    fake.enqueue({ kind: 'rate-limited' });
    expect(failure(await sendWith()())).toMatchObject({ _tag: 'ProviderRateLimited', retryAfterMs: 30_000 });
  });

  it.each([500, 502, 504])('reads a %s after sending as an unknown outcome, never a failure', async (status) => {
    fake.enqueue({ kind: 'server-error', status });
    expect(failure(await sendWith()())).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      kind: 'SERVER_ERROR',
      retryable: false,
    });
  });

  it('reads a 408 after sending as an unknown outcome, never a refusal', async () => {
    fake.enqueue({ kind: 'reply', status: 408, body: JSON.stringify({ detail: 'Request Timeout' }) });
    expect(failure(await sendWith()())).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      kind: 'TIMEOUT',
      reason: 'HTTP 408 after the request was sent',
    });
  });

  it('reads a 409 to a send as an unknown outcome, never "already used" (no status query to fetch it by)', async () => {
    fake.enqueue({ kind: 'reply', status: 409, body: JSON.stringify({ detail: 'Conflict' }) });
    expect(failure(await sendWith()())).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      kind: 'CONFLICT',
      retryable: false,
    });
  });

  it('reads a timeout after sending as an unknown outcome', async () => {
    // The answer is held 60 s (the fake's close drops it): a TIMEOUT with the 5 s reason says the send gave up at its
    // own timeout, before that answer. The timeout is the file's 5 s, not less: the request must reach the fake before
    // the send gives up, and a loaded CI machine's first exchange of a fresh worker took over 1 s to get there.
    fake.enqueue({ kind: 'slow', delayMs: 60_000 });
    expect(failure(await sendWith({}, configFor(fake.baseUrl, TIMEOUT_MS))())).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      kind: 'TIMEOUT',
      reason: 'the request was sent: no answer within 5000 ms',
    });
    // the fake records a request once it has read the whole body, which can come just after the send gave up
    await pollUntil(() => fake.requests.length > 0);
    expect(fake.requests).toHaveLength(1);
  });

  it('reads a dropped connection after sending as an unknown outcome', async () => {
    fake.enqueue({ kind: 'hang-up' });
    expect(failure(await sendWith()())).toMatchObject({ _tag: 'ProviderOutcomeUnknown', kind: 'CONNECTION_LOST' });
  });

  it('reads a refused connection as ProviderUnavailable (nothing was sent: retryable)', async () => {
    expect(failure(await sendWith({}, configFor(await unusedBaseUrl()))())).toMatchObject({
      _tag: 'ProviderUnavailable',
      retryable: true,
    });
  });

  it.each([
    ['not JSON', 'OK'],
    ['a success without id', JSON.stringify({ amountSent: 25, currency: 'PHP', error: '' })],
    ['a success without amountSent', JSON.stringify({ id: '1', currency: 'PHP', error: '' })],
  ])('reads %s in a 2xx answer to a send as an unknown outcome, never a failure', async (_case, body) => {
    fake.enqueue({ kind: 'reply', status: 200, body });
    expect(failure(await sendWith()())).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      kind: 'UNREADABLE_ANSWER',
      retryable: false,
      reason: expect.stringContaining('accepted but its answer could not be read'),
    });
  });

  it('does not send to a country without a configured range, nor in another currency', async () => {
    const send = sendWith();
    expect(failure(await send(request(money(10_000n, Either.getOrThrow(currencyOf('KES'))), KE_PHONE)))).toMatchObject({
      providerCode: 'COUNTRY_NOT_CONFIGURED',
      retryable: false,
    });
    expect(failure(await send(request(money(100n, USD), PH_PHONE)))).toMatchObject({
      providerCode: 'CURRENCY_NOT_SUPPORTED',
    });
    expect(fake.requests).toHaveLength(0);
  });

  it("hands every exchange to the transfer log, redacted, as the kit's one record type", async () => {
    const records: TransferLogRecord[] = [];
    await sendWith({ onExchange: (record) => Effect.sync(() => void records.push(record)) })(
      request(money(2_500n, PHP), PH_PHONE, 'log-1'),
    );
    expect(records).toEqual([
      {
        provider: 'engagespark',
        reference: 'log-1',
        method: 'POST',
        url: `${fake.baseUrl}/v1/organizations/${FAKE_ES_ORG_ID}/topup/`,
        startedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        status: 200,
        requestBody: expect.stringContaining('"maxAmount":"25"'),
        responseBody: expect.stringContaining('"amountSent":25'),
        durationMs: expect.any(Number),
      },
    ]);
    const logged = JSON.stringify(records);
    expect(logged).not.toContain(FAKE_ES_TOKEN);
    expect(logged).not.toContain('639171234567');
  });

  it('files every exchange of an attempt under its external id, failed ones too; a status query or cancel adds none (they send nothing)', async () => {
    const records: TransferLogRecord[] = [];
    const options = { onExchange: (record: TransferLogRecord) => Effect.sync(() => void records.push(record)) };
    fake.enqueue({ kind: 'slow', delayMs: 3_000 });
    await sendWith(options, configFor(fake.baseUrl, 200))(request(money(2_500n, PHP), PH_PHONE, 'log-2'));
    fake.enqueue({ kind: 'server-error', status: 503 });
    await sendWith(options)(request(money(2_500n, PHP), PH_PHONE, 'log-3'));
    const provider = makeEngageSparkProvider(configFor(fake.baseUrl), options);
    await Effect.runPromise(Effect.either(provider.statusByExternalId('log-3')));
    await Effect.runPromise(Effect.either(provider.cancel('log-3')));
    expect(records.map((record) => [record.reference, record.status, record.failure])).toEqual([
      ['log-2', null, 'no answer within 200 ms'],
      ['log-3', 503, undefined],
    ]);
    const logged = JSON.stringify(records);
    expect(logged).not.toContain(FAKE_ES_TOKEN);
    expect(logged).not.toContain('639171234567');
  });

  it('has no transaction list and says how to reconcile instead, asking engageSPARK nothing', async () => {
    const window = { from: new Date('2026-03-14T00:00:00Z'), to: new Date('2026-03-15T00:00:00Z') };
    const result = await Effect.runPromise(
      Effect.either(makeEngageSparkProvider(configFor(fake.baseUrl)).listTransactions(window)),
    );
    expect(result).toEqual(
      Either.left(
        expect.objectContaining({
          _tag: 'TransactionListUnsupported',
          code: 'TRANSACTION_LIST_UNSUPPORTED',
          provider: 'engagespark',
          howToReconcile: ES_TRANSACTION_LIST_UNSUPPORTED,
          retryable: false,
        }),
      ),
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('has no status query and says so, never claiming the external id unknown', async () => {
    const result = await Effect.runPromise(
      Effect.either(makeEngageSparkProvider(configFor(fake.baseUrl)).statusByExternalId('topup-1-1')),
    );
    expect(result).toEqual(
      Either.left(
        expect.objectContaining({
          _tag: 'StatusQueryUnsupported',
          provider: 'engagespark',
          howToSettle: ES_STATUS_QUERY_UNSUPPORTED,
          retryable: false,
        }),
      ),
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('takes no callbacks', async () => {
    const result = await Effect.runPromise(
      Effect.either(makeEngageSparkProvider(configFor(fake.baseUrl)).parseCallback({ id: '1' })),
    );
    expect(Either.isLeft(result) && result.left._tag).toBe('InvalidProviderCallback');
  });

  it('lists the configured ranges as products and the country operator, unidentified', async () => {
    const provider = makeEngageSparkProvider(configFor(fake.baseUrl));
    expect(await Effect.runPromise(provider.listProducts({ countryIso: 'ID' }))).toEqual([
      expect.objectContaining({
        destinationMin: money(500_000n, IDR),
        destinationMax: money(2_500_000n, IDR),
        stepMinor: 500_000n,
      }),
    ]);
    expect(await Effect.runPromise(provider.lookupOperators(PH_PHONE))).toEqual([
      { operator: expect.objectContaining({ id: 'engagespark-PH', countryIso: 'PH' }), identified: false },
    ]);
    expect(await Effect.runPromise(provider.lookupOperators(KE_PHONE))).toEqual([]);
  });

  it('serves the AirtimeProvider tag through its layer', async () => {
    const id = await Effect.runPromise(
      Effect.map(AirtimeProvider, (provider) => provider.id).pipe(
        Effect.provide(engageSparkProviderLayer(configFor(fake.baseUrl))),
      ),
    );
    expect(id).toBe('engagespark');
  });
});

describe('engageSPARK answers about another number, and refusals naming a transaction (adversarial review)', () => {
  const success = (fields: Record<string, unknown>) =>
    JSON.stringify({ id: '12345', error: '', amountSent: 25, currency: 'PHP', clientRef: null, ...fields });

  it.each([
    ['fullPhoneNumber', '639170000999'],
    ['fullPhoneNumber', 'someone'],
    ['fullPhoneNumber', 639170000999],
    ['phoneNumber', '+639170000999'],
  ])('reads a success whose %s names another number (%s) as a mismatch (an unknown outcome)', async (field, value) => {
    fake.enqueue({ kind: 'reply', status: 200, body: success({ [field]: value }) });
    const error = failure(await sendWith()(request(money(2_500n, PHP), PH_PHONE)));
    expect(error).toMatchObject({
      _tag: 'ProviderAnswerMismatch',
      provider: 'engagespark',
      field,
      reason: 'another number than the one sent to',
      retryable: false,
    });
    expect(error.message).not.toMatch(/639170000999|639171234567|someone/);
  });

  it.each(['639171234567', '+639171234567', '09171234567', ' 639171234567 ', 639171234567])(
    'still reads a success naming our number as %p as COMPLETED',
    async (fullPhoneNumber) => {
      fake.enqueue({ kind: 'reply', status: 200, body: success({ fullPhoneNumber }) });
      const sent = Either.getOrThrow(await sendWith()(request(money(2_500n, PHP), PH_PHONE)));
      expect(sent).toMatchObject({ providerTransactionId: '12345', status: transactionStatus('COMPLETED') });
    },
  );

  it.each([
    ['an undocumented error', { id: '12345', error: 'insufficient balance, will retry' }],
    ['a success body', { id: 12345, error: '', amountSent: 25, currency: 'PHP' }],
  ])(
    'reads a 4xx whose body names a transaction (%s) as an unknown outcome: engageSPARK may still deliver it',
    async (_case, body) => {
      fake.enqueue({ kind: 'reply', status: 400, body: JSON.stringify(body) });
      const error = failure(await sendWith()());
      expect(error).toMatchObject({ _tag: 'ProviderOutcomeUnknown', kind: 'UNPROVEN_REFUSAL', retryable: false });
      expect(error.message).not.toMatch(/12345|insufficient/);
    },
  );

  it.each([
    [200, { id: '12345', error: 'no matching product found', amountSent: 25, currency: 'PHP' }],
    [400, { error: 'invalid phone number', amountSent: '25.00', currency: 'PHP' }],
  ])(
    'reads a documented error (HTTP %s) whose answer says an amount was sent as an unknown outcome, never a refusal',
    async (status, body) => {
      fake.enqueue({ kind: 'reply', status, body: JSON.stringify(body) });
      expect(failure(await sendWith()())).toMatchObject({
        _tag: 'ProviderOutcomeUnknown',
        kind: 'UNPROVEN_REFUSAL',
        retryable: false,
      });
    },
  );

  it('still refuses a documented error whose amountSent is zero', async () => {
    fake.enqueue({
      kind: 'reply',
      status: 200,
      body: JSON.stringify({ error: 'no matching product found', amountSent: 0, currency: 'PHP' }),
    });
    expect(failure(await sendWith()())).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: 'NO_MATCHING_PRODUCT',
    });
  });
});

describe('engageSPARK refusals its own answer contradicts (second review): one rule for every answer to a top-up', () => {
  const OURS = 'order-77-a1b2c3d4-1';
  const ours = () => request(money(2_500n, PHP), PH_PHONE, OURS);
  /** No value of the answer in the error: ids, amounts, texts, our clientRef. */
  const VALUES = /12345|operator|timeout|insufficient|queued|retry|order-77|25\.00|PHP 25/;

  const unproven = async (status: number, body: string, field: string) => {
    fake.enqueue({ kind: 'reply', status, body });
    const error = failure(await sendWith()(ours()));
    expect(error).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      provider: 'engagespark',
      kind: 'UNPROVEN_REFUSAL',
      retryable: false,
      reason: expect.stringContaining(field),
    });
    expect(error.message).not.toMatch(VALUES);
  };

  // 1. a 4xx body the strict schema cannot read still shows a transaction, or proves nothing
  it.each([
    ['error as a list, with an id', { id: '12345', error: ['operator timeout'] }, 'id'],
    [
      'detail as an object, with an id',
      { id: '12345', error: 'insufficient balance, will retry', detail: { code: 7 } },
      'id',
    ],
    ['amountSent true, with an id', { id: '12345', error: 'operator timeout', amountSent: true }, 'id'],
    ['a numeric id and amountSent as an object', { id: 12345, error: '', amountSent: { value: 25 } }, 'id'],
    ['id as an object', { id: { value: '12345' }, error: 'operator timeout' }, 'id'],
    ['a top-level array naming a transaction', [{ id: '12345', error: 'operator timeout' }], 'id'],
    ['a documented error with amountSent true', { error: 'invalid phone number', amountSent: true }, 'amountSent'],
    ['a documented error as a list', { error: ['invalid phone number'] }, 'HTTP 400'],
    ['detail as an object', { detail: { code: 7 } }, 'HTTP 400'],
    ['a top-level array naming nothing', [{ error: 'invalid phone number' }], 'HTTP 400'],
  ])('reads a 4xx with %s as an unknown outcome, never a refusal', async (_case, body, field) => {
    await unproven(400, JSON.stringify(body), field);
  });

  // 2. whatever the error, an amount said sent, a transaction id or our clientRef proves no refusal
  it.each([
    [
      'an undocumented error with amountSent',
      { error: 'operator timeout', amountSent: 25, currency: 'PHP' },
      'amountSent',
    ],
    [
      'no error, with amountSent and our clientRef',
      { error: '', amountSent: 25, currency: 'PHP', clientRef: OURS },
      'amountSent',
    ],
    ['our clientRef and an undocumented error', { clientRef: OURS, error: 'queued for retry' }, 'clientRef'],
    ['our clientRef and a documented error', { clientRef: OURS, error: 'no matching product found' }, 'clientRef'],
    ['a numeric id and a documented error', { id: 12345, error: 'invalid phone number' }, 'id'],
    ['a text id and a documented error', { id: '12345', error: 'invalid phone number' }, 'id'],
    [
      'a documented error with amountSent "PHP 25"',
      { error: 'no matching product found', amountSent: 'PHP 25' },
      'amountSent',
    ],
    ['amountSent "25.00" and no error', { amountSent: '25.00' }, 'amountSent'],
    ['a transaction nested in the answer', { error: 'invalid phone number', data: { id: '12345' } }, 'id'],
  ])('reads a 4xx with %s as an unknown outcome, naming the field', async (_case, body, field) => {
    await unproven(400, JSON.stringify(body), field);
  });

  it('reads a 4xx with an undocumented error as an unknown outcome, as on a 2xx (engageSPARK retries failed top-ups)', async () => {
    await unproven(422, JSON.stringify({ error: 'operator timeout' }), 'HTTP 422 error is not a documented refusal');
  });

  it.each([
    ['a transaction id', { id: '1', error: 'no matching product found' }, 'id'],
    ['our clientRef', { clientRef: OURS, error: 'invalid phone number' }, 'clientRef'],
    ['an amountSent not clearly zero ("n/a")', { error: 'invalid phone number', amountSent: 'n/a' }, 'amountSent'],
  ])('reads a 2xx documented error with %s as an unknown outcome, as on a 4xx', async (_case, body, field) => {
    await unproven(200, JSON.stringify(body), field);
  });

  // 3. a 4xx cut at MAX_ANSWER_BYTES proves nothing (what was cut off may name a transaction)
  it('reads a 4xx larger than 4 MiB as an unknown outcome, never a refusal', async () => {
    const body = JSON.stringify({ error: 'invalid phone number', pad: 'x'.repeat(MAX_ANSWER_BYTES), id: '12345' });
    fake.enqueue({ kind: 'reply', status: 400, body });
    const error = failure(await sendWith()(ours()));
    expect(error).toMatchObject({ _tag: 'ProviderOutcomeUnknown', kind: 'UNREADABLE_ANSWER', retryable: false });
    expect(error.message).not.toMatch(VALUES);
  });

  it.each([
    [400, { error: 'invalid phone number' }, 'INVALID_PHONE_NUMBER'],
    [
      400,
      { error: 'No matching product found.', id: null, amountSent: 0, clientRef: 'another-ref', currency: 'PHP' },
      'NO_MATCHING_PRODUCT',
    ],
    [400, { error: 'invalid phone number', id: '  ', amountSent: '0.00' }, 'INVALID_PHONE_NUMBER'],
    [400, { error: 'invalid phone number', amountSent: null, clientRef: null, detail: 'x' }, 'INVALID_PHONE_NUMBER'],
    [400, { maxAmount: ['A valid number is required.'] }, 'HTTP_400'],
    [404, { detail: 'Not found.' }, 'HTTP_404'],
    [200, { error: 'invalid phone number', clientRef: 'another-ref', amountSent: '0' }, 'INVALID_PHONE_NUMBER'],
  ])('still refuses HTTP %s %j, which shows nothing taken', async (status, body, providerCode) => {
    fake.enqueue({ kind: 'reply', status, body: JSON.stringify(body) });
    expect(failure(await sendWith()(ours()))).toMatchObject({ _tag: 'ProviderRejected', providerCode });
  });

  it.each([
    [400, '<html><body>Bad Request</body></html>'],
    [422, ''],
    [400, '"invalid phone number"'],
  ])('still refuses HTTP %s with a body that is no JSON object (%p)', async (status, body) => {
    fake.enqueue({ kind: 'reply', status, body });
    expect(failure(await sendWith()(ours()))).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: `HTTP_${status}`,
    });
  });
});
