import { Either } from 'effect';
import type { HttpResponse } from './http-exchange.client';
import { type AnswerReading, providerFailures, readAnswer } from './provider-answer';

const response = (status: number, bodyText = ''): HttpResponse => ({ status, headers: new Headers(), bodyText });

const reading: AnswerReading<string> = {
  provider: 'acme',
  providerExternalId: 'ref-1',
  baseUrlVariable: 'ACME_BASE_URL',
  refusal: (answer) => providerFailures('acme').rejected(`HTTP_${answer.status}`, 'refused'),
  success: (answer) => Either.right(answer.bodyText),
};

const failureOf = (status: number) => {
  const result = readAnswer(response(status), reading);
  return Either.isLeft(result) ? result.left : undefined;
};

describe('reading an answer to a send', () => {
  it.each([408, 500, 503])('reads HTTP %s as an unknown outcome, never a refusal', (status) => {
    expect(failureOf(status)).toMatchObject({
      _tag: 'ProviderOutcomeUnknown',
      provider: 'acme',
      reason: `HTTP ${status} after the request was sent`,
    });
  });

  it('reads an unexpected 1xx as an unknown outcome', () => {
    expect(failureOf(101)).toMatchObject({ _tag: 'ProviderOutcomeUnknown' });
  });

  it.each([400, 401, 404, 422])('reads HTTP %s as the provider refusal', (status) => {
    expect(failureOf(status)).toMatchObject({ _tag: 'ProviderRejected', providerCode: `HTTP_${status}` });
  });

  it('reads a 409 as our reference already used, and a 2xx through the provider reading', () => {
    expect(failureOf(409)).toMatchObject({ _tag: 'ExternalIdAlreadyUsed', providerExternalId: 'ref-1' });
    expect(readAnswer(response(200, 'ok'), reading)).toEqual(Either.right('ok'));
  });
});

describe('provider failures', () => {
  it('makes an unreadable answer to a send an unknown outcome that says the request was accepted', () => {
    const error = providerFailures('acme').unknown('not JSON');
    expect(error).toMatchObject({ _tag: 'ProviderOutcomeUnknown', provider: 'acme', retryable: false });
    expect(error.reason).toBe('the request was accepted but its answer could not be read: not JSON');
  });

  it('keeps ProviderResponseInvalid for reads', () => {
    expect(providerFailures('acme').invalid('not JSON')).toMatchObject({
      _tag: 'ProviderResponseInvalid',
      reason: 'not JSON',
    });
  });
});
