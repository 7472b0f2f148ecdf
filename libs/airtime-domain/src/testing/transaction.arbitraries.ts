import { Either } from 'effect';
import fc from 'fast-check';
import { currencyOf } from '../lib/money/currency';
import { impliedRate } from '../lib/money/exchange-rate';
import { money } from '../lib/money/money';
import { preciseMoney } from '../lib/money/precise-money';
import type { PhoneNumber } from '../lib/phone/phone-number';
import type { FixedProduct } from '../lib/product/product';
import type { Quote } from '../lib/selector/quote';
import type {
  AttemptFailureReason,
  AttemptOutcome,
  ProviderStatusAnswer,
  UnknownOutcomeReason,
} from '../lib/transaction/attempt';
import { type ExternalId, parseExternalId } from '../lib/transaction/external-id';
import type { NewTopUp } from '../lib/transaction/top-up';
import {
  DETAILED_STATUSES,
  type DetailedStatus,
  type DetailedStatusOf,
  type FailureClass,
  type PendingClass,
  TRANSACTION_CLASSES,
  TRANSACTION_STATUS_CATALOGUE,
  type TransactionClass,
  type TransactionStatus,
  transactionStatus,
} from '../lib/transaction/transaction-status';
import { type LedgerMovementKind, TRANSITIONS } from '../lib/transaction/transaction.machine';

const statusesOf = <C extends TransactionClass>(classes: readonly C[]): DetailedStatusOf<C>[] =>
  DETAILED_STATUSES.filter((status): status is DetailedStatusOf<C> =>
    (classes as readonly TransactionClass[]).includes(TRANSACTION_STATUS_CATALOGUE[status].class),
  );

export const arbitraryTransactionClass: fc.Arbitrary<TransactionClass> = fc.constantFrom(...TRANSACTION_CLASSES);

export const arbitraryDetailedStatus: fc.Arbitrary<DetailedStatus> = fc.constantFrom(...DETAILED_STATUSES);

/** Any status of the catalogue. */
export const arbitraryTransactionStatus: fc.Arbitrary<TransactionStatus> =
  arbitraryDetailedStatus.map(transactionStatus);

/** Any detailed status of one of `classes`. */
export const arbitraryStatusOfClasses = (classes: readonly TransactionClass[]): fc.Arbitrary<TransactionStatus> =>
  fc.constantFrom(...statusesOf(classes)).map(transactionStatus);

/**
 * A true history: the statuses a transaction goes through after `from`
 * (excluded), each reachable in one step from the one before, stopping
 * anywhere. From CREATED it is at most 4 long (…, COMPLETED, REVERSED).
 */
export const arbitraryLegalHistory = (from: TransactionClass = 'CREATED'): fc.Arbitrary<readonly TransactionStatus[]> =>
  fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }).map((choices) => {
    const history: TransactionStatus[] = [];
    let current = from;
    for (const [edge, detail] of choices) {
      const next = TRANSITIONS[current];
      if (next.length === 0) break;
      current = next[edge % next.length] ?? current;
      const details = statusesOf([current]);
      history.push(transactionStatus(details[detail % details.length] ?? current));
    }
    return history;
  });

/**
 * How a history may be delivered: shuffled, each status 0..3 times
 * (polling skips some), the last one at least once.
 */
export const deliveryOf = <T>(history: readonly T[]): fc.Arbitrary<readonly T[]> =>
  history.length === 0
    ? fc.constant([])
    : fc
        .array(fc.integer({ min: 0, max: 3 }), { minLength: history.length, maxLength: history.length })
        .chain((counts) => {
          const copies = history.flatMap((item, index) => {
            const count = index === history.length - 1 ? Math.max(1, counts[index] ?? 1) : (counts[index] ?? 0);
            return Array.from({ length: count }, () => item);
          });
          return fc.shuffledSubarray(copies, { minLength: copies.length, maxLength: copies.length });
        });

/** A true history together with one shuffled, duplicated delivery of it. */
export const arbitraryDeliveredHistory = (
  from: TransactionClass = 'CREATED',
): fc.Arbitrary<{ readonly history: readonly TransactionStatus[]; readonly delivered: readonly TransactionStatus[] }> =>
  arbitraryLegalHistory(from).chain((history) => deliveryOf(history).map((delivered) => ({ history, delivered })));

/** Any sequence of statuses, legal or not, with repeats. */
export const arbitraryEventSequence: fc.Arbitrary<readonly TransactionStatus[]> = fc.array(arbitraryTransactionStatus, {
  maxLength: 12,
});

const ID_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/#@+=~', 'é', 'ß', '字', '😀'];

/** A valid external id of `minLength`..40 characters (UTF-16 code units), emoji included. */
export const arbitraryExternalId = (minLength = 1): fc.Arbitrary<ExternalId> =>
  fc.array(fc.constantFrom(...ID_CHARS), { minLength, maxLength: 40, size: 'max' }).chain((chars) => {
    const kept = [...chars];
    while (kept.join('').length > 40) kept.pop();
    const text = kept.join('');
    return text.length >= minLength
      ? fc.constant(Either.getOrThrow(parseExternalId(text)))
      : arbitraryExternalId(minLength);
  });

const retryableReasons: readonly AttemptFailureReason[] = [
  'OPERATOR_UNAVAILABLE',
  'PROVIDER_UNAVAILABLE',
  'RATE_LIMITED',
  'TIMEOUT_BEFORE_SEND',
  'RETRY_LATER',
];
const definiteReasons: readonly AttemptFailureReason[] = [
  'DECLINED_BY_OPERATOR',
  'REJECTED_BY_PROVIDER',
  'INVALID_REQUEST',
];
const unknownReasons: readonly UnknownOutcomeReason[] = [
  'TIMEOUT_AFTER_SEND',
  'SERVER_ERROR_AFTER_SEND',
  'CONNECTION_LOST_AFTER_SEND',
  'UNCLEAR_ANSWER_AFTER_SEND',
  'UNSPECIFIED_AFTER_SEND',
];

/** Any outcome a send may come back with. */
export const arbitraryAttemptOutcome: fc.Arbitrary<AttemptOutcome> = fc.oneof(
  fc
    .string({ minLength: 1, maxLength: 8 })
    .map((id): AttemptOutcome => ({ _tag: 'Succeeded', providerTransactionId: id })),
  fc
    .tuple(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.constantFrom(...statusesOf<PendingClass>(['CREATED', 'CONFIRMED', 'SUBMITTED'])),
    )
    .map(([id, status]): AttemptOutcome => ({ _tag: 'Accepted', providerTransactionId: id, status })),
  fc
    .tuple(
      fc.constantFrom(...retryableReasons, ...definiteReasons),
      fc.boolean(),
      fc.constantFrom(...statusesOf<FailureClass>(['REJECTED', 'CANCELLED', 'DECLINED'])),
    )
    .map(([reason, retryable, status]): AttemptOutcome => ({ _tag: 'Failed', reason, retryable, status })),
  fc.constantFrom(...unknownReasons).map((reason): AttemptOutcome => ({ _tag: 'Unknown', reason })),
);

/** Any answer to a status query by external id. */
export const arbitraryProviderStatusAnswer: fc.Arbitrary<ProviderStatusAnswer> = fc.oneof(
  fc.constant<ProviderStatusAnswer>({ _tag: 'NotFound' }),
  arbitraryTransactionStatus.map((status): ProviderStatusAnswer => ({ _tag: 'Found', status })),
);

/**
 * Why a sequence of ledger movements of one transaction is not a legal
 * lifecycle (at most one AUTHORIZE, first; then at most one of VOID or
 * CAPTURE; REVERSE only once, after CAPTURE), or `undefined` when it is.
 */
export const ledgerLifecycleViolation = (movements: readonly LedgerMovementKind[]): string | undefined => {
  let stage: 'NONE' | 'AUTHORIZED' | 'VOIDED' | 'CAPTURED' | 'REVERSED' = 'NONE';
  for (const [index, movement] of movements.entries()) {
    const expected: readonly LedgerMovementKind[] =
      stage === 'NONE'
        ? ['AUTHORIZE']
        : stage === 'AUTHORIZED'
          ? ['VOID', 'CAPTURE']
          : stage === 'CAPTURED'
            ? ['REVERSE']
            : [];
    if (!expected.includes(movement)) return `${movement} at ${index} after ${stage}`;
    stage =
      movement === 'AUTHORIZE'
        ? 'AUTHORIZED'
        : movement === 'VOID'
          ? 'VOIDED'
          : movement === 'CAPTURE'
            ? 'CAPTURED'
            : 'REVERSED';
  }
  return undefined;
};

const usd = Either.getOrThrow(currencyOf('USD'));
const php = Either.getOrThrow(currencyOf('PHP'));

/**
 * A fixed 100 PHP airtime denomination for USD 1.857 + a USD 0.0125 fee (a
 * DVS price at its own precision), as the selector would quote it: charged
 * USD 1.87, rounded up by 0.0005.
 */
export const sampleQuote = (): Quote => {
  const product: FixedProduct = {
    _tag: 'FixedProduct',
    id: 'smart-ph-100',
    name: 'Smart 100 PHP',
    kind: 'AIRTIME',
    operator: { id: 'smart-ph', name: 'Smart', countryIso: 'PH' },
    fee: preciseMoney(125n, 4, usd),
    destination: money(10000n, php),
    wholesale: preciseMoney(1857n, 3, usd),
  };
  return {
    product,
    receive: product.destination,
    matchedAmount: product.destination,
    wholesale: product.wholesale,
    fee: product.fee,
    costExact: preciseMoney(18695n, 4, usd),
    cost: money(187n, usd),
    roundingUp: preciseMoney(5n, 4, usd),
    rule: 'LARGEST_AT_OR_BELOW_MAX',
    request: { maxAmount: money(10000n, php) },
    rate: Either.getOrThrow(impliedRate(product.wholesale, product.destination)),
  };
};

export const samplePhoneNumber: PhoneNumber = { e164: '+639171234100', countryIso: 'PH', callingCode: '63' };

const SAMPLE_NUMBERS: Readonly<Record<string, PhoneNumber>> = {
  PH: samplePhoneNumber,
  KE: { e164: '+254711000111', countryIso: 'KE', callingCode: '254' },
  TZ: { e164: '+255712000111', countryIso: 'TZ', callingCode: '255' },
};

/** A valid mobile number of `countryIso` (PH, KE or TZ); the PH sample for any other country. */
export const samplePhoneNumberFor = (countryIso: string): PhoneNumber =>
  SAMPLE_NUMBERS[countryIso] ?? samplePhoneNumber;

/**
 * The input of `createTopUp` for a sample top-up; fields may be overridden.
 * Unless `destination` is given, it is a sample number of the quote's
 * operator country, so that any quote makes a valid top-up.
 */
export const sampleNewTopUp = (overrides: Partial<NewTopUp> = {}): NewTopUp => {
  const quote = overrides.quote ?? sampleQuote();
  return {
    id: 'topup-1',
    accountId: 'account-1',
    externalId: Either.getOrThrow(parseExternalId('order-42')),
    destination: samplePhoneNumberFor(quote.product.operator.countryIso),
    now: new Date(Date.UTC(2025, 0, 1, 12, 0, 0)),
    ...overrides,
    quote,
  };
};
