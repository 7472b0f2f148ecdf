import {
  AirtimeProvider,
  currencyOf,
  formatPrecise,
  money,
  parsePhoneNumber,
  preciseOf,
  type Product,
  type ProviderError,
  type SendRequest,
  transactionStatus,
} from '@airtime/domain';
import { MAX_RETRY_AFTER_MS, type TransferLogRecord } from '@airtime/provider-http-kit';
import { pollUntil, unusedBaseUrl } from '@airtime/provider-http-kit/testing';
import { FAKE_AT_API_KEY, FAKE_AT_USERNAME, type FakeAfricasTalking, startFakeAfricasTalking } from '../../testing';
import { Effect, Either } from 'effect';
import { answerValidationCallback } from '../callbacks/validation-callback.handler';
import { makeInMemorySentAirtimeRegistry } from '../callbacks/sent-airtime-registry';
import { type AfricasTalkingConfig, africasTalkingConfigFrom } from '../config/africastalking.config';
import { makeAirtimeSendClient } from '../send/airtime-send.client';
import {
  AT_STATUS_QUERY_UNSUPPORTED,
  AT_TRANSACTION_LIST_UNSUPPORTED,
  type AfricasTalkingProviderOptions,
  africasTalkingProviderLayer,
  makeAfricasTalkingProvider,
} from './africastalking.adapter';

const KES = Either.getOrThrow(currencyOf('KES'));
const PHONE = Either.getOrThrow(parsePhoneNumber('+254711000111'));

/** A timeout a loaded CI machine's local answers stay well within; the tests that wait for no answer pass their own. */
const configFor = (baseUrl: string, timeoutMs = 5_000): AfricasTalkingConfig =>
  Either.getOrThrow(
    africasTalkingConfigFrom({
      AFRICASTALKING_USERNAME: FAKE_AT_USERNAME,
      AFRICASTALKING_API_KEY: FAKE_AT_API_KEY,
      AFRICASTALKING_BASE_URL: baseUrl,
      AFRICASTALKING_TIMEOUT_MS: String(timeoutMs),
      AFRICASTALKING_AMOUNT_RANGES: 'KE:KES:10:10000',
    }),
  );

let fake: FakeAfricasTalking;
let product: Product;
let counter = 0;

beforeEach(async () => {
  fake = await startFakeAfricasTalking();
  const products = await Effect.runPromise(
    makeAfricasTalkingProvider(configFor(fake.baseUrl)).listProducts({ countryIso: 'KE' }),
  );
  product = products[0] as Product;
});
afterEach(() => fake.close());

const request = (amountMinor = 10_000n, providerExternalId = `topup-${++counter}-a1b2c3d4-1`): SendRequest => ({
  providerExternalId,
  product,
  destination: PHONE,
  receive: money(amountMinor, KES),
});

const sendWith = (options: AfricasTalkingProviderOptions = {}, config = configFor(fake.baseUrl)) => {
  const provider = makeAfricasTalkingProvider(config, options);
  return (sendRequest: SendRequest = request()) => Effect.runPromise(Effect.either(provider.send(sendRequest)));
};

const failure = (result: Either.Either<unknown, ProviderError>): ProviderError => {
  if (Either.isRight(result)) throw new Error('expected a failure, got a success');
  return result.left;
};

describe("Africa's Talking send, over HTTP", () => {
  it('posts one recipient with the api key, JSON accept, the idempotency key and a "KES 100.0000" amount', async () => {
    await sendWith()(request(10_000n, 'order-42-a1b2c3d4-1'));
    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/version1/airtime/send');
    expect(sent?.headers).toMatchObject({
      apikey: FAKE_AT_API_KEY,
      accept: 'application/json',
      'idempotency-key': 'order-42-a1b2c3d4-1',
    });
    expect(sent?.json).toEqual({
      username: FAKE_AT_USERNAME,
      recipients: [{ phoneNumber: '+254711000111', amount: 'KES 100.0000' }],
    });
  });

  it('writes cents with four decimals', async () => {
    await sendWith()(request(10_050n));
    expect(fake.requests[0]?.json).toMatchObject({ recipients: [{ amount: 'KES 100.5000' }] });
  });

  it('maps the acceptance to a SUBMITTED transaction carrying the requestId and the exact amount', async () => {
    const result = await sendWith()(request(10_000n, 'order-7-1'));
    expect(Either.getOrThrow(result)).toEqual({
      providerTransactionId: expect.stringMatching(/^ATQid_[0-9a-f]{32}$/),
      providerExternalId: 'order-7-1',
      status: transactionStatus('SUBMITTED'),
      receive: preciseOf(money(10_000n, KES)),
    });
  });

  it('gives the discount through the richer client', async () => {
    const client = makeAirtimeSendClient(configFor(fake.baseUrl));
    const accepted = await Effect.runPromise(
      client.send({ providerExternalId: 'x-1', destination: PHONE, amount: money(100_000n, KES) }),
    );
    expect(accepted).toMatchObject({
      atStatus: 'Sent',
      amount: preciseOf(money(100_000n, KES)),
      discount: money(4_000n, KES),
    });
  });

  it.each([
    ['Queued', 'SUBMITTED'],
    // the immediate answer is never final (reference: "Arrow 1b should NOT be treated as the final response"):
    // a later Failed could not undo a COMPLETED, so an immediate Success is an acceptance like Sent
    ['Success', 'SUBMITTED'],
  ] as const)('maps an immediate %s to %s', async (status, expected) => {
    fake.enqueue({ kind: 'recipient-status', status });
    const result = await sendWith()();
    expect(Either.getOrThrow(result).status).toEqual(transactionStatus(expected));
  });

  it.each(['Failed', 'InvalidRequest', 'NotSupported', 'InsufficientBalance', 'UserInInvalidState', 'UserNotFound'])(
    'refuses with ProviderRejected on an immediate %s, not retryable, naming the status, never the errorMessage',
    async (status) => {
      fake.enqueue({ kind: 'recipient-status', status, errorMessage: `${status} for +254711000111 (key echo)` });
      const error = failure(await sendWith()());
      expect(error).toMatchObject({
        _tag: 'ProviderRejected',
        provider: 'africastalking',
        providerCode: status,
        retryable: false,
        reason: expect.stringContaining('(with an errorMessage)'),
      });
      expect(error.message).not.toMatch(/254711000111|\*\*\*111|key echo/);
    },
  );

  it('reads a refusal of the whole request (no recipient line), without quoting it', async () => {
    fake.enqueue({ kind: 'request-error', errorMessage: 'Invalid currency code for 0711000111' });
    const error = failure(await sendWith()());
    expect(error).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: 'RequestRefused',
      reason: 'errorMessage refuses the whole request, with no recipient line',
    });
  });

  it.each([301, 302, 303, 307, 308])(
    'reads a redirect (HTTP %s) to a send as an unknown outcome, never followed, never a failure',
    async (status) => {
      fake.enqueue({ kind: 'reply', status, body: '', headers: { Location: `${fake.baseUrl}/elsewhere` } });
      expect(failure(await sendWith()())).toMatchObject({
        _tag: 'ProviderOutcomeUnknown',
        kind: 'REDIRECT',
        reason: expect.stringContaining('AFRICASTALKING_BASE_URL'),
      });
      expect(fake.requests.map((sent) => sent.path)).toEqual(['/version1/airtime/send']);
    },
  );

  it('caps a huge Retry-After (99999999999 s) at one hour', async () => {
    fake.enqueue({ kind: 'rate-limited', retryAfter: '99999999999' });
    expect(failure(await sendWith()())).toMatchObject({
      _tag: 'ProviderRateLimited',
      retryAfterMs: MAX_RETRY_AFTER_MS,
    });
  });

  it('reads "A duplicate request was received within the last 5 minutes" as ProviderRetryLater, not before 5 minutes', async () => {
    const now = Date.parse('2026-11-02T10:00:00Z');
    const send = sendWith({ nowMs: () => now });
    expect(Either.isRight(await send(request(10_000n, 'same-key-1')))).toBe(true);
    const error = failure(await send(request(10_000n, 'same-key-1')));
    expect(error).toMatchObject({ _tag: 'ProviderRetryLater', provider: 'africastalking', retryable: true });
    expect(error._tag === 'ProviderRetryLater' && error.earliestRetryAt.toISOString()).toBe('2026-11-02T10:05:00.000Z');
  });

  it.each([
    [
      'the whole request',
      { errorMessage: 'A duplicate request was received within the last 5 minutes', numSent: 0, responses: [] },
    ],
    [
      'the recipient line',
      {
        errorMessage: 'None',
        responses: [
          {
            phoneNumber: '+254711000111',
            status: 'Failed',
            requestId: 'None',
            amount: 'KES 100.0000',
            errorMessage: 'A duplicate request was received within the last 10 minutes',
          },
        ],
      },
    ],
  ])(
    'reads a duplicate refusal of %s (a key we never sent) as ProviderRetryLater after its window',
    async (where, body) => {
      fake.enqueue({ kind: 'reply', status: 200, body: JSON.stringify(body) });
      const now = Date.parse('2026-11-02T10:00:00Z');
      const error = failure(await sendWith({ nowMs: () => now })());
      expect(error._tag === 'ProviderRetryLater' && error.earliestRetryAt.toISOString()).toBe(
        where === 'the whole request' ? '2026-11-02T10:05:00.000Z' : '2026-11-02T10:10:00.000Z',
      );
    },
  );

  it.each([
    ['KES 999999999999999.0000 for a KES 100 send', 'KES 999999999999999.0000', 'above the requested amount'],
    ['another currency', 'UGX 100.0000', 'a currency other than the requested one'],
    ['a negative amount', 'KES -100.0000', 'not a positive amount'],
    ['a zero amount', 'KES 0.0000', 'not a positive amount'],
    ['an amount that is not one', 'KES 1,005', 'not an amount such as "KES 100.0000"'],
  ])(
    'reads an acceptance of %s as a mismatch (an unknown outcome), naming the field',
    async (_case, amount, reason) => {
      fake.enqueue({
        kind: 'reply',
        status: 201,
        body: JSON.stringify({
          errorMessage: 'None',
          responses: [
            { phoneNumber: '+254711000111', status: 'Sent', requestId: 'ATQid_1', amount, discount: 'KES 4.0000' },
          ],
        }),
      });
      const error = failure(await sendWith()(request(10_000n)));
      expect(error).toMatchObject({
        _tag: 'ProviderAnswerMismatch',
        field: 'responses.amount',
        reason,
        retryable: false,
      });
      expect(error.message).not.toMatch(/999999|UGX|1,005/);
    },
  );

  it('keeps an accepted amount with sub-unit precision exactly (KES 99.995)', async () => {
    fake.enqueue({
      kind: 'reply',
      status: 201,
      body: JSON.stringify({
        errorMessage: 'None',
        responses: [{ phoneNumber: '+254711000111', status: 'Sent', requestId: 'ATQid_1', amount: 'KES 99.9950' }],
      }),
    });
    const sent = Either.getOrThrow(await sendWith()(request(10_000n)));
    expect(sent.receive && formatPrecise(sent.receive)).toBe('99.995');
  });

  it.each([
    ['a Tanzanian number (no range configured)', '+255712000111', 'KE:KES:10:10000', 'COUNTRY_NOT_CONFIGURED'],
    [
      'a KES amount to a Tanzanian number',
      '+255712000111',
      'KE:KES:10:10000,TZ:TZS:500:100000',
      'CURRENCY_NOT_SUPPORTED',
    ],
  ])('refuses %s before any HTTP call', async (_case, number, ranges, providerCode) => {
    const config = Either.getOrThrow(
      africasTalkingConfigFrom({
        AFRICASTALKING_USERNAME: FAKE_AT_USERNAME,
        AFRICASTALKING_API_KEY: FAKE_AT_API_KEY,
        AFRICASTALKING_BASE_URL: fake.baseUrl,
        AFRICASTALKING_AMOUNT_RANGES: ranges,
      }),
    );
    const destination = Either.getOrThrow(parsePhoneNumber(number));
    const error = failure(await sendWith({}, config)({ ...request(10_000n), destination }));
    expect(error).toMatchObject({ _tag: 'ProviderRejected', providerCode, retryable: false });
    expect(fake.requests).toHaveLength(0);
  });

  it('reads a 401 as a non-retryable refusal that does not echo the api key', async () => {
    const wrong = Either.getOrThrow(
      africasTalkingConfigFrom({
        AFRICASTALKING_USERNAME: FAKE_AT_USERNAME,
        AFRICASTALKING_API_KEY: 'wrong-key-123456',
        AFRICASTALKING_BASE_URL: fake.baseUrl,
        AFRICASTALKING_AMOUNT_RANGES: 'KE:KES:10:10000',
      }),
    );
    const error = failure(await sendWith({}, wrong)());
    expect(error).toMatchObject({ _tag: 'ProviderRejected', providerCode: 'HTTP_401', retryable: false });
    expect(error.message).not.toContain('wrong-key-123456');
  });

  it('honours 429 and Retry-After, and sends nothing more until the wait is over', async () => {
    const send = sendWith();
    fake.enqueue({ kind: 'rate-limited', retryAfter: '7' });
    expect(failure(await send())).toMatchObject({ _tag: 'ProviderRateLimited', retryAfterMs: 7_000, retryable: true });
    const again = failure(await send());
    expect(again._tag).toBe('ProviderRateLimited');
    expect(again).toMatchObject({ retryAfterMs: expect.any(Number) });
    expect(fake.requests).toHaveLength(1);
  });

  it('reads Retry-After as an HTTP date too', async () => {
    fake.enqueue({ kind: 'rate-limited', retryAfter: new Date(Date.now() + 120_000).toUTCString() });
    const error = failure(await sendWith()());
    expect(error._tag).toBe('ProviderRateLimited');
    if (error._tag === 'ProviderRateLimited') {
      expect(error.retryAfterMs).toBeGreaterThan(110_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(120_000);
    }
  });

  it.each([500, 502, 503])('reads a %s after sending as an unknown outcome, never a failure', async (status) => {
    fake.enqueue({ kind: 'server-error', status });
    expect(failure(await sendWith()())).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      kind: 'SERVER_ERROR',
      retryable: false,
    });
  });

  it('reads a timeout after sending as an unknown outcome', async () => {
    // The answer is held 60 s (the fake's close drops it): a TIMEOUT with the 5 s reason says the send gave up at its
    // own timeout, before that answer. The timeout is the file's 5 s, not less: the request must reach the fake before
    // the send gives up, and a loaded CI machine's first exchange of a fresh worker took up to 1.4 s to get there.
    fake.enqueue({ kind: 'slow', delayMs: 60_000 });
    const error = failure(await sendWith({}, configFor(fake.baseUrl, 5_000))());
    expect(error).toMatchObject({
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
    const error = failure(await sendWith({}, configFor(await unusedBaseUrl()))());
    expect(error).toMatchObject({ _tag: 'ProviderUnavailable', retryable: true });
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it.each([
    ['not JSON', '<html>oops</html>'],
    [
      'an unknown status',
      JSON.stringify({
        errorMessage: 'None',
        responses: [{ phoneNumber: '+254711000111', status: 'Pending', requestId: 'ATQid_1', amount: 'KES 100.0000' }],
      }),
    ],
    [
      'an acceptance without requestId',
      JSON.stringify({
        errorMessage: 'None',
        responses: [{ phoneNumber: '+254711000111', status: 'Sent', requestId: 'None', amount: 'KES 100.0000' }],
      }),
    ],
    [
      'an acceptance without amount',
      JSON.stringify({
        errorMessage: 'None',
        responses: [{ phoneNumber: '+254711000111', status: 'Queued', requestId: 'ATQid_1' }],
      }),
    ],
    [
      'no line with our number',
      JSON.stringify({
        errorMessage: 'None',
        responses: [
          { phoneNumber: '+254700000001', status: 'Sent', requestId: 'ATQid_1', amount: 'KES 100.0000' },
          { phoneNumber: '+254700000002', status: 'Sent', requestId: 'ATQid_2', amount: 'KES 100.0000' },
        ],
      }),
    ],
  ])('reads %s in a 2xx answer to a send as an unknown outcome, never a failure', async (_case, body) => {
    fake.enqueue({ kind: 'reply', status: 201, body });
    const error = failure(await sendWith()());
    expect(error).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      kind: 'UNREADABLE_ANSWER',
      retryable: false,
      reason: expect.stringContaining('accepted but its answer could not be read'),
    });
    expect(error.message).not.toContain('254711000111');
  });

  it('reads a 408 after sending as an unknown outcome, never a refusal', async () => {
    fake.enqueue({ kind: 'reply', status: 408, body: 'Request Timeout' });
    expect(failure(await sendWith()())).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      kind: 'TIMEOUT',
      reason: 'HTTP 408 after the request was sent',
    });
  });

  it('tolerates extra fields in the answer', async () => {
    fake.enqueue({
      kind: 'reply',
      status: 201,
      body: JSON.stringify({
        errorMessage: 'None',
        numSent: 1,
        totalAmount: 'KES 100.0000',
        totalDiscount: 'KES 4.0000',
        responses: [
          {
            phoneNumber: '+254711000111',
            status: 'Sent',
            requestId: 'ATQid_abc',
            amount: 'KES 100.0000',
            discount: 'KES 4.0000',
            extra: { x: 1 },
          },
        ],
        somethingNew: true,
      }),
    });
    expect(Either.getOrThrow(await sendWith()())).toMatchObject({
      providerTransactionId: 'ATQid_abc',
      receive: preciseOf(money(10_000n, KES)),
    });
  });

  it("hands every exchange to the transfer log, redacted, as the kit's one record type", async () => {
    const records: TransferLogRecord[] = [];
    const onExchange = (record: TransferLogRecord) => Effect.sync(() => void records.push(record));
    await sendWith({ onExchange })(request(10_000n, 'log-1'));
    fake.enqueue({ kind: 'slow', delayMs: 3_000 });
    await sendWith({ onExchange }, configFor(fake.baseUrl, 200))(request(10_000n, 'log-2'));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      provider: 'africastalking',
      reference: 'log-1',
      method: 'POST',
      url: `${fake.baseUrl}/version1/airtime/send`,
      startedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      status: 201,
      durationMs: expect.any(Number),
    });
    expect(Object.keys(records[0] ?? {}).sort()).toEqual([
      'durationMs',
      'method',
      'provider',
      'reference',
      'requestBody',
      'responseBody',
      'startedAt',
      'status',
      'url',
    ]);
    expect(records[0]?.requestBody).toContain('KES 100.0000');
    expect(records[0]?.responseBody).toContain('ATQid_');
    expect(records[1]).toMatchObject({
      reference: 'log-2',
      status: null,
      responseBody: null,
      failure: 'no answer within 200 ms',
    });
    const logged = JSON.stringify(records);
    expect(logged).not.toContain(FAKE_AT_API_KEY);
    expect(logged).not.toContain('254711000111');
  });

  it('files a refused send under its external id too; a status query or cancel adds no exchange (they send nothing)', async () => {
    const records: TransferLogRecord[] = [];
    const options = { onExchange: (record: TransferLogRecord) => Effect.sync(() => void records.push(record)) };
    fake.enqueue({ kind: 'reply', status: 401, body: `invalid apiKey ${FAKE_AT_API_KEY} for +254711000111` });
    await sendWith(options)(request(10_000n, 'log-3'));
    const provider = makeAfricasTalkingProvider(configFor(fake.baseUrl), options);
    await Effect.runPromise(Effect.either(provider.statusByExternalId('log-3')));
    await Effect.runPromise(Effect.either(provider.cancel('ATQid_abc')));
    expect(records.map((record) => [record.reference, record.status])).toEqual([['log-3', 401]]);
    expect(records[0]?.responseBody).toBe('invalid apiKey [REDACTED] for ***111');
    expect(fake.requests).toHaveLength(1);
  });

  it('has no transaction list and says how to reconcile instead, asking AT nothing', async () => {
    const provider = makeAfricasTalkingProvider(configFor(fake.baseUrl));
    const window = { from: new Date('2026-03-14T00:00:00Z'), to: new Date('2026-03-15T00:00:00Z') };
    expect(await Effect.runPromise(Effect.either(provider.listTransactions(window)))).toEqual(
      Either.left(
        expect.objectContaining({
          _tag: 'TransactionListUnsupported',
          code: 'TRANSACTION_LIST_UNSUPPORTED',
          provider: 'africastalking',
          howToReconcile: AT_TRANSACTION_LIST_UNSUPPORTED,
          retryable: false,
        }),
      ),
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('never claims an external id unknown: there is no status query, and it says so', async () => {
    const provider = makeAfricasTalkingProvider(configFor(fake.baseUrl));
    const result = await Effect.runPromise(Effect.either(provider.statusByExternalId('topup-1-1')));
    expect(result).toEqual(
      Either.left(
        expect.objectContaining({
          _tag: 'StatusQueryUnsupported',
          provider: 'africastalking',
          howToSettle: AT_STATUS_QUERY_UNSUPPORTED,
          retryable: false,
        }),
      ),
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('validates, through the registry, only the transaction it sent', async () => {
    const registry = makeInMemorySentAirtimeRegistry();
    const sent = Either.getOrThrow(await sendWith({ sentAirtime: registry })(request(10_000n)));
    const validate = (body: unknown) => Effect.runPromise(answerValidationCallback(body, registry.find));
    const claim = {
      transactionId: sent.providerTransactionId,
      phoneNumber: '+254711000111',
      sourceIpAddress: '1.2.3.4',
      currencyCode: 'KES',
      amount: 100,
    };
    expect(await validate(claim)).toEqual({ status: 'Validated' });
    expect(await validate({ ...claim, amount: 100.5 })).toEqual({ status: 'Failed' });
    expect(await validate({ ...claim, transactionId: 'ATQid_other' })).toEqual({ status: 'Failed' });
  });

  it('serves the AirtimeProvider tag through its layer', async () => {
    const id = await Effect.runPromise(
      Effect.map(AirtimeProvider, (provider) => provider.id).pipe(
        Effect.provide(africasTalkingProviderLayer(configFor(fake.baseUrl))),
      ),
    );
    expect(id).toBe('africastalking');
  });

  it('lists the configured range as a product and the country operator, unidentified', async () => {
    const provider = makeAfricasTalkingProvider(configFor(fake.baseUrl));
    expect(product).toMatchObject({
      _tag: 'RangedProduct',
      destinationMin: money(1_000n, KES),
      destinationMax: money(1_000_000n, KES),
      stepMinor: 100n,
      operator: { id: 'africastalking-KE', countryIso: 'KE' },
    });
    expect(await Effect.runPromise(provider.listProducts({ countryIso: 'UG' }))).toEqual([]);
    expect(await Effect.runPromise(provider.lookupOperators(PHONE))).toEqual([
      { operator: expect.objectContaining({ id: 'africastalking-KE' }), identified: false },
    ]);
  });
});

describe("Africa's Talking answers about the recipient, conflicts and 'not now' (issue 7)", () => {
  const accepted = (phoneNumber: string) => ({
    errorMessage: 'None',
    responses: [{ phoneNumber, status: 'Sent', amount: 'KES 100.0000', requestId: 'ATQid_1' }],
  });

  it('reads a single line about another number (+254700000999) as a mismatch naming responses.phoneNumber', async () => {
    fake.enqueue({ kind: 'reply', status: 201, body: JSON.stringify(accepted('+254700000999')) });
    const error = failure(await sendWith()(request(10_000n)));
    expect(error).toMatchObject({ _tag: 'ProviderAnswerMismatch', field: 'responses.phoneNumber' });
    expect(error.message).not.toMatch(/254700000999|254711000111/);
  });

  it('reads a single line whose phoneNumber is not a number as a mismatch', async () => {
    fake.enqueue({ kind: 'reply', status: 201, body: JSON.stringify(accepted('someone')) });
    expect(failure(await sendWith()(request(10_000n)))).toMatchObject({
      _tag: 'ProviderAnswerMismatch',
      field: 'responses.phoneNumber',
    });
  });

  it.each(['+254711000111', '254711000111', '0711000111', '0711 000 111'])(
    'still reads a line naming our number as %s as ours',
    async (phoneNumber) => {
      fake.enqueue({ kind: 'reply', status: 201, body: JSON.stringify(accepted(phoneNumber)) });
      const sent = Either.getOrThrow(await sendWith()(request(10_000n)));
      expect(sent.providerTransactionId).toBe('ATQid_1');
    },
  );

  it('reads a 409 to a send as an unknown outcome, never "already used" (AT has no status query)', async () => {
    fake.enqueue({ kind: 'reply', status: 409, body: 'Conflict' });
    expect(failure(await sendWith()())).toMatchObject({ _tag: 'ProviderOutcomeUnknown', kind: 'CONFLICT' });
  });

  it.each([
    ['Please try again later', '2026-11-02T10:05:00.000Z'],
    ['Service busy, try again in 10 minutes', '2026-11-02T10:10:00.000Z'],
    ['Try again in 2 hours', '2026-11-02T11:00:00.000Z'],
    ['Please retry later', '2026-11-02T10:05:00.000Z'],
  ])('reads the whole-request errorMessage "%s" as ProviderRetryLater until %s', async (errorMessage, at) => {
    fake.enqueue({ kind: 'reply', status: 200, body: JSON.stringify({ errorMessage, numSent: 0, responses: [] }) });
    const now = Date.parse('2026-11-02T10:00:00Z');
    const error = failure(await sendWith({ nowMs: () => now })());
    expect(error).toMatchObject({ _tag: 'ProviderRetryLater', retryable: true });
    expect(error._tag === 'ProviderRetryLater' && error.earliestRetryAt.toISOString()).toBe(at);
  });

  it('reads a recipient line "try again later" as ProviderRetryLater', async () => {
    fake.enqueue({
      kind: 'reply',
      status: 200,
      body: JSON.stringify({
        errorMessage: 'None',
        responses: [
          {
            phoneNumber: '+254711000111',
            status: 'Failed',
            requestId: 'None',
            amount: 'KES 100.0000',
            errorMessage: 'Please try again in 3 minutes',
          },
        ],
      }),
    });
    const now = Date.parse('2026-11-02T10:00:00Z');
    const error = failure(await sendWith({ nowMs: () => now })());
    expect(error._tag === 'ProviderRetryLater' && error.earliestRetryAt.toISOString()).toBe('2026-11-02T10:03:00.000Z');
  });
});

describe("Africa's Talking answers that contradict themselves (adversarial review)", () => {
  const line = (status: string, requestId: string) => ({
    phoneNumber: '+254711000111',
    status,
    requestId,
    amount: 'KES 100.0000',
    errorMessage: status === 'Sent' ? 'None' : 'Insufficient balance',
  });

  it.each([
    ['Failed then Sent', [line('Failed', 'None'), line('Sent', 'ATQid_2')]],
    ['Sent then Failed', [line('Sent', 'ATQid_2'), line('Failed', 'None')]],
    ['Sent twice, under two requestIds', [line('Sent', 'ATQid_1'), line('Sent', 'ATQid_2')]],
  ])(
    'reads two lines naming our number (%s) as a mismatch (an unknown outcome), never a refusal',
    async (_case, responses) => {
      fake.enqueue({ kind: 'reply', status: 201, body: JSON.stringify({ errorMessage: 'None', responses }) });
      const error = failure(await sendWith()(request(10_000n)));
      expect(error).toMatchObject({
        _tag: 'ProviderAnswerMismatch',
        field: 'responses.phoneNumber',
        reason: 'more than one recipient line names the number sent to',
      });
      expect(error.message).not.toMatch(/254711000111|ATQid/);
    },
  );

  it('reads a line about another number beside ours as a mismatch (AT would charge us for someone else)', async () => {
    const responses = [line('Sent', 'ATQid_1'), { ...line('Sent', 'ATQid_2'), phoneNumber: '+254722000222' }];
    fake.enqueue({ kind: 'reply', status: 201, body: JSON.stringify({ errorMessage: 'None', responses }) });
    const error = failure(await sendWith()(request(10_000n)));
    expect(error).toMatchObject({
      _tag: 'ProviderAnswerMismatch',
      field: 'responses.phoneNumber',
      reason: 'a recipient line names another number than the one sent to',
    });
    expect(error.message).not.toMatch(/254722000222|ATQid/);
  });

  it.each([
    ['numSent 2 (one recipient was sent)', { numSent: 2 }, 'numSent', 'more recipients sent than the one asked'],
    [
      'totalAmount above the amount asked',
      { totalAmount: 'KES 200.0000' },
      'totalAmount',
      'above the requested amount',
    ],
    [
      'totalAmount in another currency',
      { totalAmount: 'UGX 100.0000' },
      'totalAmount',
      'a currency other than the requested one',
    ],
  ])(
    'reads an acceptance whose %s as a mismatch (AT may have sent or charged more)',
    async (_case, totals, field, reason) => {
      fake.enqueue({
        kind: 'reply',
        status: 201,
        body: JSON.stringify({ errorMessage: 'None', ...totals, responses: [line('Sent', 'ATQid_1')] }),
      });
      expect(failure(await sendWith()(request(10_000n)))).toMatchObject({
        _tag: 'ProviderAnswerMismatch',
        field,
        reason,
      });
    },
  );

  it('still reads an acceptance with the reference totals (numSent 1, totalAmount KES 100.0000) as SUBMITTED', async () => {
    fake.enqueue({
      kind: 'reply',
      status: 201,
      body: JSON.stringify({
        errorMessage: 'None',
        numSent: 1,
        totalAmount: 'KES 100.0000',
        responses: [line('Sent', 'ATQid_1')],
      }),
    });
    expect(Either.getOrThrow(await sendWith()(request(10_000n))).status).toEqual(transactionStatus('SUBMITTED'));
  });

  it('keeps the requestId AT wrote padded with spaces as the id its callbacks name (trimmed)', async () => {
    fake.enqueue({
      kind: 'reply',
      status: 201,
      body: JSON.stringify({ errorMessage: 'None', responses: [line('Sent', ' ATQid_1 \t')] }),
    });
    expect(Either.getOrThrow(await sendWith()(request(10_000n))).providerTransactionId).toBe('ATQid_1');
  });

  it.each([
    ['a Failed line', { numSent: 1, responses: [line('Failed', 'None')] }],
    ['a "duplicate" line', { numSent: 1, responses: [{ ...line('Failed', 'None'), errorMessage: 'Duplicate' }] }],
    ['a whole-request refusal', { numSent: 1, errorMessage: 'Invalid currency code', responses: [] }],
    ['a whole-request "try later"', { numSent: 2, errorMessage: 'Please try again later', responses: [] }],
    ['a Failed line with a totalAmount', { totalAmount: 'KES 100.0000', responses: [line('Failed', 'None')] }],
  ])(
    'reads %s while AT counts something sent (numSent, totalAmount) as an unknown outcome, never a refusal',
    async (_case, answer) => {
      fake.enqueue({ kind: 'reply', status: 201, body: JSON.stringify({ errorMessage: 'None', ...answer }) });
      expect(failure(await sendWith()(request(10_000n)))).toMatchObject({
        _tag: 'ProviderOutcomeUnknown',
        kind: 'UNPROVEN_REFUSAL',
        retryable: false,
      });
    },
  );

  it.each([
    [
      'a Sent line with a requestId',
      { errorMessage: 'None', responses: [{ ...line('Sent', 'ATQid_1'), errorMessage: 'None' }] },
    ],
    ['numSent 1', { errorMessage: 'Bad request', numSent: 1, responses: [] }],
    ['a line of a status AT does not document', { responses: [{ status: 'Pending', requestId: 'ATQid_1' }] }],
  ])(
    'reads a 4xx whose JSON body says AT took the send (%s) as an unknown outcome, never a refusal',
    async (_case, body) => {
      fake.enqueue({ kind: 'reply', status: 400, body: JSON.stringify(body) });
      expect(failure(await sendWith()(request(10_000n)))).toMatchObject({
        _tag: 'ProviderOutcomeUnknown',
        kind: 'UNPROVEN_REFUSAL',
        retryable: false,
      });
    },
  );

  it.each([
    ['a text', 'Invalid phone number'],
    ['a JSON refusal', JSON.stringify({ errorMessage: 'Invalid phone number', numSent: 0, responses: [] })],
    ['a Failed line', JSON.stringify({ numSent: 0, responses: [line('Failed', 'None')] })],
  ])('still reads a 4xx whose body is %s as a refusal', async (_case, body) => {
    fake.enqueue({ kind: 'reply', status: 400, body });
    expect(failure(await sendWith()(request(10_000n)))).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: 'HTTP_400',
    });
  });

  it('still reads a refusal AT counts nothing sent for (numSent 0, totalAmount KES 0.0000) as a refusal', async () => {
    fake.enqueue({
      kind: 'reply',
      status: 201,
      body: JSON.stringify({
        errorMessage: 'None',
        numSent: 0,
        totalAmount: 'KES 0.0000',
        responses: [line('Failed', 'None')],
      }),
    });
    expect(failure(await sendWith()(request(10_000n)))).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: 'Failed',
    });
  });
});
