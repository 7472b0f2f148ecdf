import { Effect, Either } from 'effect';
import type { HttpExchange, HttpResponse } from './http-exchange.client';
import { type AnswerReading, type CallKind, interpretExchange, providerFailures, readAnswer } from './provider-answer';
import { makeRateLimitGate } from './rate-limit.policy';

const response = (status: number, bodyText = '', extra: Partial<HttpResponse> = {}): HttpResponse => ({
  status,
  headers: new Headers(),
  bodyText,
  ...extra,
});

const context = { provider: 'acme', baseUrlVariable: 'ACME_BASE_URL' };

const readingOf = (kind: CallKind, fetchable = true): AnswerReading<string> => ({
  kind,
  ...(fetchable ? { fetchableExternalId: 'ref-1' } : {}),
  refusal: (answer) => providerFailures('acme').rejected(`HTTP_${answer.status}`, 'refused'),
  success: (answer) => Either.right(answer.bodyText),
});

const failureOf = (status: number, kind: CallKind = 'send', extra: Partial<HttpResponse> = {}) => {
  const result = readAnswer(response(status, '', extra), readingOf(kind), context);
  return Either.isLeft(result) ? result.left : undefined;
};

describe('reading an answer to a send', () => {
  it.each([
    [408, 'TIMEOUT'],
    [500, 'SERVER_ERROR'],
    [503, 'SERVER_ERROR'],
  ])('reads HTTP %s as an unknown outcome of kind %s, never a refusal', (status, kind) => {
    expect(failureOf(status)).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      provider: 'acme',
      reason: `HTTP ${status} after the request was sent`,
      kind,
    });
  });

  it.each([301, 302, 303, 307, 308])(
    'reads a redirect (HTTP %s) as an unknown outcome: never followed, never a definite failure',
    (status) => {
      expect(failureOf(status)).toMatchObject({
        _tag: 'ProviderOutcomeUnknown',
        retryable: false,
        reason: expect.stringContaining('check ACME_BASE_URL'),
        kind: 'REDIRECT',
      });
    },
  );

  it('reads an unexpected 1xx, and a 2xx too large to read, as an unknown outcome', () => {
    expect(failureOf(101)).toMatchObject({ _tag: 'ProviderOutcomeUnknown', kind: 'UNREADABLE_ANSWER' });
    expect(failureOf(200, 'send', { truncated: true })).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      kind: 'UNREADABLE_ANSWER',
    });
  });

  it.each([400, 401, 404, 422])(
    'reads HTTP %s too large to read as an unknown outcome, never a refusal (a cut body proves none)',
    (status) => {
      expect(failureOf(status, 'send', { truncated: true })).toMatchObject({
        _tag: 'ProviderOutcomeUnknown',
        kind: 'UNREADABLE_ANSWER',
      });
    },
  );

  it.each([400, 401, 404, 422])('reads HTTP %s as the provider refusal', (status) => {
    expect(failureOf(status)).toMatchObject({ _tag: 'ProviderRejected', providerCode: `HTTP_${status}` });
  });

  it('reads a 409 as our reference already used, and a 2xx through the provider reading', () => {
    expect(failureOf(409)).toMatchObject({ _tag: 'ExternalIdAlreadyUsed', providerExternalId: 'ref-1' });
    expect(readAnswer(response(200, 'ok'), readingOf('send'), context)).toEqual(Either.right('ok'));
  });

  it('reads a 409 as an unknown outcome when the adapter cannot fetch a transaction by our key', () => {
    const result = readAnswer(response(409), readingOf('send', false), context);
    expect(result).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ProviderOutcomeUnknown', provider: 'acme', kind: 'CONFLICT' })),
    );
  });
});

describe('reading an answer to a read', () => {
  it.each([302, 408, 500, 503])('reads HTTP %s as retryable unavailability (nothing moved)', (status) => {
    expect(failureOf(status, 'read')).toMatchObject({ _tag: 'ProviderUnavailable', retryable: true });
  });

  it('reads a 409 as a refusal, and a 2xx too large to read as an invalid answer', () => {
    expect(failureOf(409, 'read')).toMatchObject({ _tag: 'ProviderRejected', providerCode: 'HTTP_409' });
    expect(failureOf(200, 'read', { truncated: true })).toMatchObject({ _tag: 'ProviderResponseInvalid' });
  });

  it('reads a 4xx too large to read through the refusal, as before (nothing moved)', () => {
    expect(failureOf(400, 'read', { truncated: true })).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: 'HTTP_400',
    });
  });
});

describe('what an exchange comes to', () => {
  const exchange = (outcome: HttpExchange['outcome']): HttpExchange => ({
    request: { method: 'POST', url: 'http://acme.test/x', headers: {}, timeoutMs: 100 },
    outcome,
    startedAtMs: 0,
    durationMs: 1,
  });
  const interpret = (outcome: HttpExchange['outcome'], kind: CallKind) =>
    Effect.runPromise(
      Effect.either(interpretExchange(exchange(outcome), makeRateLimitGate('acme'), readingOf(kind), context)),
    );

  it('certainly not sent: retryable unavailability, for a send too', async () => {
    for (const kind of ['send', 'read'] as const) {
      expect(await interpret({ _tag: 'NotSent', reason: 'connection failed (ECONNREFUSED)' }, kind)).toEqual(
        Either.left(
          expect.objectContaining({
            _tag: 'ProviderUnavailable',
            reason: 'nothing was sent: connection failed (ECONNREFUSED)',
          }),
        ),
      );
    }
  });

  it('may have arrived: an unknown outcome of the failure kind for a send, unavailability for a read', async () => {
    const noAnswer = { _tag: 'NoAnswer', kind: 'TIMEOUT', reason: 'no answer within 100 ms' } as const;
    expect(await interpret(noAnswer, 'send')).toEqual(
      Either.left(
        expect.objectContaining({
          _tag: 'ProviderOutcomeUnknown',
          reason: 'the request was sent: no answer within 100 ms',
          kind: 'TIMEOUT',
        }),
      ),
    );
    const lost = { _tag: 'NoAnswer', kind: 'CONNECTION_LOST', reason: 'connection lost (ECONNRESET)' } as const;
    expect(await interpret(lost, 'send')).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ProviderOutcomeUnknown', kind: 'CONNECTION_LOST' })),
    );
    expect(await interpret(noAnswer, 'read')).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ProviderUnavailable' })),
    );
  });

  it('a 429 is rate limiting, for a send and a read alike', async () => {
    const throttled = { _tag: 'Answered', response: response(429) } as const;
    expect(await interpret(throttled, 'send')).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ProviderRateLimited' })),
    );
  });
});

describe('provider failures', () => {
  it('makes an unreadable answer to a send an unknown outcome that says the request was accepted', () => {
    const error = providerFailures('acme').unknown('not JSON');
    expect(error).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      provider: 'acme',
      retryable: false,
      kind: 'UNREADABLE_ANSWER',
    });
    expect(error.reason).toBe('the request was accepted but its answer could not be read: not JSON');
    expect(providerFailures('acme').unreadable('send', 'not JSON')).toEqual(error);
  });

  it('keeps ProviderResponseInvalid for reads', () => {
    expect(providerFailures('acme').invalid('not JSON')).toMatchObject({
      _tag: 'ProviderResponseInvalid',
      reason: 'not JSON',
    });
    expect(providerFailures('acme').unreadable('read', 'not JSON')).toMatchObject({
      _tag: 'ProviderResponseInvalid',
    });
  });
});
