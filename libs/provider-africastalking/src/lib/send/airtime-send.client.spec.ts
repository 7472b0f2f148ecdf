import { currencyOf, money, parsePhoneNumber } from '@airtime/domain';
import { Either } from 'effect';
import fc from 'fast-check';
import { type AirtimeSendRequest, AT_RETRY_LATER_DEFAULT_MINUTES, mapSendAnswer } from './airtime-send.client';

const KES = Either.getOrThrow(currencyOf('KES'));
const request: AirtimeSendRequest = {
  providerExternalId: 'topup-1-abc-1',
  destination: Either.getOrThrow(parsePhoneNumber('+254711000111')),
  amount: money(10_000n, KES),
};
const NOW = new Date('2026-11-02T10:00:00Z');

const line = (phoneNumber: string) => ({
  phoneNumber,
  status: 'Sent' as const,
  amount: 'KES 100.0000',
  requestId: 'ATQid_1',
});

describe("Africa's Talking send answer (properties)", () => {
  it('a single line naming any other valid Kenyan number is a mismatch naming responses.phoneNumber', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), (suffix) => {
        const other = `+254712${String(suffix).padStart(6, '0')}`;
        const result = mapSendAnswer({ responses: [line(other)] }, request, NOW);
        expect(result).toEqual(
          Either.left(expect.objectContaining({ _tag: 'ProviderAnswerMismatch', field: 'responses.phoneNumber' })),
        );
        if (Either.isLeft(result)) expect(result.left.message).not.toContain(other.slice(1));
      }),
    );
  });

  it('a "try again in N minutes" waits N minutes, at least 1 and at most 60', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.boolean(), (minutes, whole) => {
        const errorMessage = `Please try again in ${minutes} minutes`;
        const answer = whole
          ? { errorMessage, responses: [] }
          : { responses: [{ ...line('+254711000111'), status: 'Failed' as const, requestId: 'None', errorMessage }] };
        const result = mapSendAnswer(answer, request, NOW);
        const expected = Math.min(Math.max(minutes, 1), 60);
        expect(
          Either.isLeft(result) && result.left._tag === 'ProviderRetryLater' && result.left.earliestRetryAt,
        ).toEqual(new Date(NOW.getTime() + expected * 60_000));
      }),
    );
  });

  it('a "try later" without a window waits the default of 5 minutes', () => {
    const result = mapSendAnswer({ errorMessage: 'Please try again later', responses: [] }, request, NOW);
    expect(AT_RETRY_LATER_DEFAULT_MINUTES).toBe(5);
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: 'ProviderRetryLater',
      earliestRetryAt: new Date('2026-11-02T10:05:00Z'),
    });
  });

  it('a refusal or "not now" line naming an AT transaction (any requestId but "None") is an unknown outcome', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((id) => id.trim() !== '' && id.trim() !== 'None'),
        fc.constantFrom('Failed', 'InvalidRequest', 'InsufficientBalance', 'UserNotFound') as fc.Arbitrary<'Failed'>,
        fc.constantFrom('None', 'Insufficient balance', 'A duplicate request was received', 'Please try again later'),
        (requestId, status, errorMessage) => {
          const answer = { responses: [{ ...line('+254711000111'), status, requestId, errorMessage }] };
          expect(mapSendAnswer(answer, request, NOW)).toEqual(
            Either.left(expect.objectContaining({ _tag: 'ProviderOutcomeUnknown', kind: 'UNPROVEN_REFUSAL' })),
          );
        },
      ),
    );
  });

  it('a refusal that is not a "not now" stays a refusal', () => {
    const result = mapSendAnswer({ errorMessage: 'Invalid currency code', responses: [] }, request, NOW);
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'ProviderRejected', retryable: false });
  });
});
