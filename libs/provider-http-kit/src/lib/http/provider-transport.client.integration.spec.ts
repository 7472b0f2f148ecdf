import { parsePhoneNumber, type ProviderError } from '@airtime/domain';
import { Effect, Either } from 'effect';
import {
  type CommonScript,
  type FakeHttpServer,
  type FakeReply,
  startFakeHttpServer,
  unusedBaseUrl,
} from '../../testing';
import type { TransferLogRecord } from './exchange.redaction';
import { type HttpResponse, MAX_ANSWER_BYTES } from './http-exchange.client';
import { type AnswerReading, type CallKind, providerFailures } from './provider-answer';
import { makeProviderTransport, type ProviderCall, type ProviderTransportSettings } from './provider-transport.client';
import { DEFAULT_RETRY_AFTER_MS, MAX_RETRY_AFTER_MS } from './rate-limit.policy';

const SECRET = 'acme-secret-7c6b5a';
const PHONE = Either.getOrThrow(parsePhoneNumber('+254711000111'));

let fake: FakeHttpServer<FakeReply>;
beforeAll(async () => {
  fake = await startFakeHttpServer<FakeReply>((_request, script) => script ?? { status: 200, body: '"ok"' });
});
afterAll(() => fake.close());
beforeEach(() => {
  (fake.requests as unknown[]).length = 0;
});

const readingOf = (kind: CallKind): AnswerReading<string> => ({
  kind,
  fetchableExternalId: 'ref-1',
  refusal: (answer) => providerFailures('acme').rejected(`HTTP_${answer.status}`, 'refused'),
  success: (answer) => Either.right(answer.bodyText),
});

const transportOf = (settings: Partial<ProviderTransportSettings> = {}) =>
  makeProviderTransport({ provider: 'acme', baseUrlVariable: 'ACME_BASE_URL', secrets: [SECRET], ...settings });

/** A timeout a loaded CI machine's local answers stay well within; the tests that wait for no answer pass 200 ms. */
const TIMEOUT_MS = 5_000;

const callWith = (
  transport: ReturnType<typeof transportOf>,
  kind: CallKind = 'send',
  baseUrl = fake.baseUrl,
  timeoutMs = TIMEOUT_MS,
): Promise<Either.Either<string, ProviderError>> =>
  Effect.runPromise(
    Effect.either(
      transport.call(
        {
          method: 'POST',
          url: `${baseUrl}/send`,
          headers: { Authorization: `Token ${SECRET}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ phoneNumber: PHONE.e164, amount: '100' }),
          timeoutMs,
          reference: 'ref-1',
          destination: PHONE,
        },
        readingOf(kind),
      ),
    ),
  );

const failureOf = (result: Either.Either<string, ProviderError>): ProviderError => {
  if (Either.isRight(result)) throw new Error('expected a failure');
  return result.left;
};

describe('the provider transport', () => {
  it('sends the request with its headers and reads a 2xx through the reading', async () => {
    expect(await callWith(transportOf())).toEqual(Either.right('"ok"'));
    expect(fake.requests[0]?.headers['authorization']).toBe(`Token ${SECRET}`);
  });

  it('never follows a redirect: one request, an unknown outcome for a send, unavailability for a read', async () => {
    const redirect = { status: 307, body: '', headers: { Location: `${fake.baseUrl}/elsewhere` } };
    fake.enqueue(redirect);
    expect(failureOf(await callWith(transportOf()))).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      reason: expect.stringContaining('ACME_BASE_URL'),
      kind: 'REDIRECT',
    });
    fake.enqueue(redirect);
    expect(failureOf(await callWith(transportOf(), 'read'))).toMatchObject({ _tag: 'ProviderUnavailable' });
    expect(fake.requests.map((request) => request.path)).toEqual(['/send', '/send']);
  });

  it.each([
    ['99999999999', MAX_RETRY_AFTER_MS],
    ['Fri, 31 Dec 9999 23:59:59 GMT', MAX_RETRY_AFTER_MS],
    ['soon', DEFAULT_RETRY_AFTER_MS],
  ])('bounds Retry-After %s to %d ms, and sends nothing more until then', async (retryAfter, expected) => {
    const transport = transportOf();
    fake.enqueue({ kind: 'rate-limited', retryAfter });
    expect(failureOf(await callWith(transport))).toMatchObject({
      _tag: 'ProviderRateLimited',
      retryAfterMs: expected,
    });
    const again = failureOf(await callWith(transport));
    expect(again).toMatchObject({ _tag: 'ProviderRateLimited' });
    expect(again._tag === 'ProviderRateLimited' && again.retryAfterMs).toBeLessThanOrEqual(expected);
    expect(fake.requests).toHaveLength(1);
  });

  it('certainly not sent (connection refused): retryable unavailability, for a send too', async () => {
    const error = failureOf(await callWith(transportOf(), 'send', await unusedBaseUrl()));
    expect(error).toMatchObject({ _tag: 'ProviderUnavailable', retryable: true });
    expect(error.message).toMatch(/nothing was sent: connection failed \(ECONNREFUSED\)/);
  });

  it('may have arrived (dropped connection, timeout): an unknown outcome for a send', async () => {
    fake.enqueue({ kind: 'hang-up' });
    expect(failureOf(await callWith(transportOf()))).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      kind: 'CONNECTION_LOST',
    });
    fake.enqueue({ kind: 'slow', delayMs: 2_000 });
    expect(failureOf(await callWith(transportOf(), 'send', fake.baseUrl, 200))).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      reason: 'the request was sent: no answer within 200 ms',
      kind: 'TIMEOUT',
    });
  });

  it('never reads more than MAX_ANSWER_BYTES: a larger 2xx to a send is an unknown outcome', async () => {
    fake.enqueue({ kind: 'reply', status: 200, body: 'x'.repeat(MAX_ANSWER_BYTES + 10) });
    expect(failureOf(await callWith(transportOf()))).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      kind: 'UNREADABLE_ANSWER',
    });
  });

  it('a 4xx larger than MAX_ANSWER_BYTES to a send is an unknown outcome (a cut body proves no refusal); to a read, the refusal', async () => {
    const body = JSON.stringify({ error: 'refused', pad: 'x'.repeat(MAX_ANSWER_BYTES) });
    fake.enqueue({ kind: 'reply', status: 400, body });
    expect(failureOf(await callWith(transportOf()))).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      kind: 'UNREADABLE_ANSWER',
      reason: expect.stringContaining(`larger than the ${MAX_ANSWER_BYTES} bytes read`),
    });
    fake.enqueue({ kind: 'reply', status: 400, body });
    expect(failureOf(await callWith(transportOf(), 'read'))).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: 'HTTP_400',
    });
  });

  it('hands one redacted record per exchange to the transfer log; a failing log never changes the outcome', async () => {
    const records: TransferLogRecord[] = [];
    fake.enqueue({
      kind: 'reply',
      status: 400,
      body: `bad key ${SECRET} for 0711000111 / 254711000111`,
      headers: { 'Set-Cookie': SECRET },
    });
    await callWith(transportOf({ onExchange: (record) => Effect.sync(() => void records.push(record)) }));
    expect(records).toEqual([
      {
        provider: 'acme',
        reference: 'ref-1',
        method: 'POST',
        url: `${fake.baseUrl}/send`,
        startedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        durationMs: expect.any(Number),
        status: 400,
        requestBody: '{"phoneNumber":"***111","amount":"100"}',
        responseBody: 'bad key [REDACTED] for ***111 / ***111',
      },
    ]);
    expect(await callWith(transportOf({ onExchange: () => Effect.die('log is down') }))).toEqual(Either.right('"ok"'));
  });

  describe('a call whose reference only its answer names (a cancel or a read by the provider transaction id)', () => {
    const externalIdOf = (response: HttpResponse): string | undefined => {
      const parsed: unknown = JSON.parse(response.bodyText);
      return typeof parsed === 'object' && parsed !== null && 'external_id' in parsed
        ? String(parsed.external_id)
        : undefined;
    };
    const byIdCall = (overrides: Partial<ProviderCall> = {}, timeoutMs = TIMEOUT_MS): ProviderCall => ({
      method: 'POST',
      url: `${fake.baseUrl}/transactions/77/cancel`,
      headers: { Authorization: `Token ${SECRET}` },
      timeoutMs,
      referenceOfAnswer: externalIdOf,
      ...overrides,
    });
    const recordOf = async (
      call: ProviderCall,
    ): Promise<{ record: TransferLogRecord | undefined; result: unknown }> => {
      const records: TransferLogRecord[] = [];
      const transport = transportOf({ onExchange: (record) => Effect.sync(() => void records.push(record)) });
      const result = await Effect.runPromise(Effect.either(transport.call(call, readingOf('send'))));
      expect(records).toHaveLength(1);
      return { record: records[0], result };
    };
    const answerNaming = (externalId: string, extra: Record<string, string> = {}): CommonScript => ({
      kind: 'reply',
      status: 200,
      body: JSON.stringify({ id: 77, external_id: externalId, ...extra }),
    });

    it('files the record under the reference the answer names; the bodies are redacted as ever', async () => {
      fake.enqueue(answerNaming('topup-1-abc-1', { credit_party_mobile_number: PHONE.e164, note: SECRET }));
      const { record } = await recordOf(byIdCall());
      expect(record).toMatchObject({ reference: 'topup-1-abc-1', method: 'POST', status: 200 });
      expect(record?.responseBody).toBe(
        '{"id":77,"external_id":"topup-1-abc-1","credit_party_mobile_number":"***111","note":"[REDACTED]"}',
      );
      expect(JSON.stringify(record)).not.toMatch(/254711000111|acme-secret/);
    });

    it('the reference known before the call wins over the answer', async () => {
      fake.enqueue(answerNaming('someone-else-1'));
      expect((await recordOf(byIdCall({ reference: 'ref-1' }))).record?.reference).toBe('ref-1');
    });

    it.each([
      ['a phone number', PHONE.e164],
      ['a phone number written otherwise', '0711 000 111'],
      ['a configured secret', SECRET],
      ['nothing', ''],
    ])('leaves the record without a reference when the answer names %s there', async (_what, named) => {
      fake.enqueue(answerNaming(named));
      const { record } = await recordOf(byIdCall({ destination: PHONE }));
      expect(record).not.toHaveProperty('reference', expect.anything());
      expect(JSON.stringify(record)).not.toMatch(/254711000111|711 000 111|acme-secret/);
    });

    it('no answer, an answer without one, or a reader that throws: no reference, and the outcome is unchanged', async () => {
      fake.enqueue({ kind: 'slow', delayMs: 2_000 });
      const timedOut = await recordOf(byIdCall({}, 200));
      expect(timedOut.record?.reference).toBeUndefined();
      expect(timedOut.record?.failure).toBe('no answer within 200 ms');
      fake.enqueue({ kind: 'reply', status: 200, body: '{"id":77}' });
      expect((await recordOf(byIdCall())).record?.reference).toBeUndefined();
      fake.enqueue({ kind: 'reply', status: 200, body: 'not json' });
      const thrown = await recordOf(byIdCall());
      expect(thrown.record?.reference).toBeUndefined();
      expect(thrown.result).toEqual(Either.right('not json'));
    });
  });
});
