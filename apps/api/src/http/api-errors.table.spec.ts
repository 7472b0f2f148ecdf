import {
  ApiKeyRefused,
  CustomerAccountNotFound,
  ExternalIdConflict,
  InvalidInput,
  InvalidTopUpRequest,
  TopUpNotFound,
} from '@airtime/application';
import {
  AccountNotFound,
  PersistenceFailure,
  ProviderRejected,
  ProviderUnavailable,
  UnresolvedAttempt,
} from '@airtime/domain';
import { API_ERRORS, answerOf, fieldOf, isApiError } from './api-errors.table';
import { InvalidRequest, RateLimited, RouteNotFound } from './http.errors';

describe('the API error table', () => {
  it('answers bad input 400 INVALID_REQUEST naming the field, never its value', () => {
    const errors = [
      new InvalidRequest({ part: 'body', field: 'max_amount', reason: 'max_amount is missing' }),
      new InvalidInput({ field: 'topUpId', reason: 'too long' }),
      new InvalidTopUpRequest({ field: 'phone_number', reason: 'not a valid number' }),
    ];
    for (const error of errors) {
      expect(answerOf(error)).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    }
    expect(fieldOf(errors[0] as InvalidRequest)).toBe('max_amount');
    expect(fieldOf(errors[2] as InvalidTopUpRequest)).toBe('phone_number');
  });

  it('answers what a key may not see as not found, the same way whether it exists or not', () => {
    expect(answerOf(new TopUpNotFound({ topUpId: 'secret-id-of-another-team' }))).toEqual({
      status: 404,
      code: 'TOP_UP_NOT_FOUND',
      message: 'no such top-up',
    });
    expect(answerOf(new CustomerAccountNotFound({ accountId: 'acme' }))).toEqual({
      status: 404,
      code: 'ACCOUNT_NOT_FOUND',
      message: 'no such account',
    });
    expect(answerOf(new RouteNotFound())).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('answers 401, 409 naming the field, 429', () => {
    expect(answerOf(new ApiKeyRefused())).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const conflict = new ExternalIdConflict({ field: 'max_amount' });
    expect(answerOf(conflict)).toMatchObject({ status: 409, code: 'EXTERNAL_ID_CONFLICT' });
    expect(fieldOf(conflict)).toBe('max_amount');
    expect(answerOf(new RateLimited({ retryAfterSeconds: 12 }))).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(answerOf(new UnresolvedAttempt({ topUpId: 't-1', attemptNumber: 1, state: 'Unknown' }))).toMatchObject({
      status: 409,
      code: 'TOP_UP_NOT_CANCELLABLE',
    });
  });

  it("never shows a provider's or the store's text, nor an id the caller sent", () => {
    const leaks = [
      new PersistenceFailure({ reason: 'connection to 10.0.0.5:5432 refused for user airtime', retryable: true }),
      new ProviderUnavailable({ provider: 'dtone', reason: 'socket hang up at dvs.internal' }),
      new ProviderRejected({ provider: 'dtone', providerCode: '1000401', reason: 'bad key abc', retryable: false }),
      new AccountNotFound({ accountId: 'acme-private', currency: 'USD' }),
      new TopUpNotFound({ topUpId: 'topup-of-someone' }),
    ];
    for (const error of leaks) {
      const { message, status } = answerOf(error);
      expect({ tag: error._tag, message }).toEqual({ tag: error._tag, message: expect.any(String) });
      for (const secret of ['10.0.0.5', 'dvs.internal', 'abc', 'acme-private', 'topup-of-someone'])
        expect(message).not.toContain(secret);
      expect(status).toBeLessThan(600);
    }
    expect(answerOf(leaks[0] as PersistenceFailure)).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(answerOf(leaks[1] as ProviderUnavailable)).toMatchObject({ status: 503, code: 'PROVIDER_UNAVAILABLE' });
    expect(answerOf(leaks[2] as ProviderRejected)).toMatchObject({ status: 502, code: 'PROVIDER_ERROR' });
  });

  it('answers no error of the table with a 500 (a 500 is a defect, outside the table)', () => {
    for (const [tag, answer] of Object.entries(API_ERRORS)) {
      expect({ tag, status: answer.status < 500 || answer.status === 502 || answer.status === 503 }).toEqual({
        tag,
        status: true,
      });
      expect(answer.code).toMatch(/^[A-Z][A-Z_]+$/);
    }
  });

  it('knows its errors by their _tag, and nothing else', () => {
    expect(isApiError(new ApiKeyRefused())).toBe(true);
    expect(isApiError(new Error('boom'))).toBe(false);
    expect(isApiError({ _tag: 'toString' })).toBe(false);
    expect(isApiError({ _tag: 'Unknown' })).toBe(false);
    expect(isApiError(null)).toBe(false);
  });
});
