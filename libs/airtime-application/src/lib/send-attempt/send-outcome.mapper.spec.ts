import { test } from '@fast-check/jest';
import {
  ProviderAnswerMismatch,
  ProviderOutcomeUnknown,
  ProviderResponseInvalid,
  StatusQueryUnsupported,
  TransactionListUnsupported,
  type UnknownOutcomeKind,
} from '@airtime/domain';
import fc from 'fast-check';
import { readingOfSendError, type SendReading } from './send-outcome.mapper';

const now = new Date(Date.UTC(2026, 0, 1));

const unknownReasonIn = (reading: SendReading) =>
  reading._tag === 'Outcome' && reading.outcome._tag === 'Unknown' ? reading.outcome.reason : undefined;

const KINDS: readonly (readonly [UnknownOutcomeKind, string])[] = [
  ['TIMEOUT', 'TIMEOUT_AFTER_SEND'],
  ['CONNECTION_LOST', 'CONNECTION_LOST_AFTER_SEND'],
  ['SERVER_ERROR', 'SERVER_ERROR_AFTER_SEND'],
  ['REDIRECT', 'UNCLEAR_ANSWER_AFTER_SEND'],
  ['CONFLICT', 'UNCLEAR_ANSWER_AFTER_SEND'],
  ['UNREADABLE_ANSWER', 'UNCLEAR_ANSWER_AFTER_SEND'],
  ['UNPROVEN_REFUSAL', 'UNCLEAR_ANSWER_AFTER_SEND'],
];

describe('readingOfSendError: unknown outcomes', () => {
  it.each(KINDS)('reads an outcome unknown of kind %s as %s, keeping the reason as its detail', (kind, reason) => {
    const reading = readingOfSendError(new ProviderOutcomeUnknown({ provider: 'acme', reason: 'why', kind }), now);
    expect(reading).toEqual({ _tag: 'Outcome', outcome: { _tag: 'Unknown', reason, detail: 'why' } });
  });

  it('never reads an outcome unknown as unspecified: every kind has its reason, and the kind is required', () => {
    for (const [kind] of KINDS) {
      const reading = readingOfSendError(new ProviderOutcomeUnknown({ provider: 'acme', reason: 'x', kind }), now);
      expect(unknownReasonIn(reading)).not.toBe('UNSPECIFIED_AFTER_SEND');
    }
    // @ts-expect-error an adapter cannot leave the kind out (this spec's type-check fails if it could)
    expect(new ProviderOutcomeUnknown({ provider: 'acme', reason: 'timed out' }).kind).toBeUndefined();
  });

  test.prop([fc.constantFrom(...KINDS), fc.string({ maxLength: 60 })])(
    'goes by the kind, never by the reason text',
    ([kind, reason], text) => {
      const reading = readingOfSendError(new ProviderOutcomeUnknown({ provider: 'acme', reason: text, kind }), now);
      expect(unknownReasonIn(reading)).toBe(reason);
    },
  );

  it('reads an answer that does not hold to the request, or cannot be decoded, as unclear', () => {
    const mismatch = new ProviderAnswerMismatch({ provider: 'acme', field: 'amount', reason: 'above the request' });
    const invalid = new ProviderResponseInvalid({ provider: 'acme', reason: 'not JSON' });
    expect(unknownReasonIn(readingOfSendError(mismatch, now))).toBe('UNCLEAR_ANSWER_AFTER_SEND');
    expect(unknownReasonIn(readingOfSendError(invalid, now))).toBe('UNCLEAR_ANSWER_AFTER_SEND');
  });

  it('reads a send that failed with "no status query" as unspecified (it says nothing of the send)', () => {
    const unsupported = new StatusQueryUnsupported({ provider: 'acme', howToSettle: 'wait for the callback' });
    expect(unknownReasonIn(readingOfSendError(unsupported, now))).toBe('UNSPECIFIED_AFTER_SEND');
  });

  it('reads a send that failed with "no transaction list" as unspecified too (it says nothing of the send)', () => {
    const unsupported = new TransactionListUnsupported({ provider: 'acme', howToReconcile: 'by the statement' });
    expect(unknownReasonIn(readingOfSendError(unsupported, now))).toBe('UNSPECIFIED_AFTER_SEND');
  });
});
