import { Either } from 'effect';
import fc from 'fast-check';
import type { LedgerAccountResult, LedgerMovementResult, Ledger } from '../lib/ledger/ledger';
import {
  type DepositInput,
  type OpenAccountInput,
  type SetCreditLimitInput,
  deposit,
  openAccount,
  setCreditLimit,
} from '../lib/ledger/ledger-accounts';
import type { LedgerError } from '../lib/ledger/ledger.errors';
import {
  type AuthorizeInput,
  type CaptureInput,
  type ReverseInput,
  type VoidHoldInput,
  authorize,
  capture,
  reverse,
  voidHold,
} from '../lib/ledger/ledger-operations';
import { type Currency, currencyOf } from '../lib/money/currency';

/** One ledger operation as data, so that a test can apply it to the pure ledger and to an adapter alike. */
export type LedgerOperation =
  | { readonly kind: 'openAccount'; readonly input: OpenAccountInput }
  | { readonly kind: 'setCreditLimit'; readonly input: SetCreditLimitInput }
  | { readonly kind: 'deposit'; readonly input: DepositInput }
  | { readonly kind: 'authorize'; readonly input: AuthorizeInput }
  | { readonly kind: 'voidHold'; readonly input: VoidHoldInput }
  | { readonly kind: 'capture'; readonly input: CaptureInput }
  | { readonly kind: 'reverse'; readonly input: ReverseInput };

const applyOtherOperation = (
  ledger: Ledger,
  operation: Exclude<LedgerOperation, { readonly kind: 'authorize' }>,
): Either.Either<LedgerAccountResult | LedgerMovementResult, LedgerError> => {
  switch (operation.kind) {
    case 'openAccount':
      return openAccount(ledger, operation.input);
    case 'setCreditLimit':
      return setCreditLimit(ledger, operation.input);
    case 'deposit':
      return deposit(ledger, operation.input);
    case 'voidHold':
      return voidHold(ledger, operation.input);
    case 'capture':
      return capture(ledger, operation.input);
    case 'reverse':
      return reverse(ledger, operation.input);
  }
};

/** An operation's result with the ledger after it. */
export interface LedgerStep {
  readonly result: Either.Either<LedgerAccountResult | LedgerMovementResult, LedgerError>;
  /**
   * The result's ledger on success; on a refusal, the ledger that remembers
   * it (an authorization refused for funds) or else the ledger given.
   */
  readonly ledger: Ledger;
}

/** Applies an operation to the pure ledger, keeping the ledger after it whatever the outcome. */
export const stepLedgerOperation = (ledger: Ledger, operation: LedgerOperation): LedgerStep => {
  if (operation.kind === 'authorize') {
    return Either.match(authorize(ledger, operation.input), {
      onLeft: (failure) => ({ result: Either.left(failure.error), ledger: failure.ledger }),
      onRight: (result) => ({ result: Either.right(result), ledger: result.ledger }),
    });
  }
  const result = applyOtherOperation(ledger, operation);
  return { result, ledger: Either.match(result, { onLeft: () => ledger, onRight: (success) => success.ledger }) };
};

/**
 * Applies an operation to the pure ledger: its result only. A refused
 * authorization's ledger (which remembers the refusal) is in
 * `stepLedgerOperation`.
 */
export const applyLedgerOperation = (
  ledger: Ledger,
  operation: LedgerOperation,
): Either.Either<LedgerAccountResult | LedgerMovementResult, LedgerError> =>
  stepLedgerOperation(ledger, operation).result;

/** Shows an id so that a counterexample can be read: escapes, and long ids by their length. */
const showId = (id: string): string => (id.length > 40 ? `<${id.length} characters>` : JSON.stringify(id));

/** A readable, bigint-safe description of an operation (for counterexamples). */
export const describeLedgerOperation = (operation: LedgerOperation): string => {
  const fields = Object.entries(operation.input).map(([name, value]: [string, unknown]) => {
    const shown =
      typeof value === 'object' && value !== null && 'code' in value && 'exponent' in value
        ? `${String(value.code)}/${String(value.exponent)}`
        : typeof value === 'string'
          ? showId(value)
          : String(value);
    return `${name}=${shown}`;
  });
  return `${operation.kind}(${fields.join(', ')})`;
};

/**
 * The ids and currencies operations draw from: small pools, so that keys
 * collide and repeats happen. The valid ids include odd ones (inner spaces,
 * quotes, LIKE wildcards, non-Latin letters, emoji); `hostileIds` and
 * `forgedCurrencies` are drawn now and then in their place, and must be
 * refused before they reach a ledger or a store.
 */
export interface LedgerPools {
  readonly accountIds: readonly string[];
  readonly currencies: readonly Currency[];
  readonly transactionIds: readonly string[];
  readonly depositIds: readonly string[];
  /** Ids that every identifier rule refuses (empty, blank, too long, bidi and control characters, edge spaces). */
  readonly hostileIds: readonly string[];
  /** Currencies the ledger refuses: a known code with another exponent, an unknown code. */
  readonly forgedCurrencies: readonly Currency[];
}

const knownCurrency = (code: string): Currency => Either.getOrThrow(currencyOf(code));

const ids = (prefix: string, count: number): readonly string[] =>
  Array.from({ length: count }, (_, index) => `${prefix}-${index + 1}`);

/** Ids every identifier rule refuses: each kind of fault once. */
export const HOSTILE_LEDGER_IDS: readonly string[] = [
  '',
  '   ',
  'acct\u202e1',
  '\u200etx',
  'a\u2066b\u2069',
  'dep\u061c',
  'zero\u200bwidth',
  ' lead',
  'trail ',
  'line\nbreak',
  'nul\u0000',
  'x'.repeat(101),
  'd'.repeat(8_000),
];

export const defaultLedgerPools: LedgerPools = {
  accountIds: ['acct-a', 'acct b', `acct-'c'`],
  currencies: [knownCurrency('KES'), knownCurrency('USD')],
  transactionIds: ['tx-1', 'tx 2', 'tx_%3', 'tx-"4"-字😀'],
  depositIds: ids('dep', 5),
  hostileIds: HOSTILE_LEDGER_IDS,
  forgedCurrencies: [
    { code: 'KES', exponent: 3 },
    { code: 'USD', exponent: 0 },
    { code: 'ZZZ', exponent: 2 },
  ],
};

/** Mostly one of `valid`, one time in `1 + odds` one of `hostile` (when there are any and `withHostile`). */
const mostly = <T>(valid: readonly T[], hostile: readonly T[], withHostile: boolean, odds = 24): fc.Arbitrary<T> =>
  withHostile && hostile.length > 0
    ? fc.oneof(
        { weight: odds, arbitrary: fc.constantFrom(...valid) },
        { weight: 1, arbitrary: fc.constantFrom(...hostile) },
      )
    : fc.constantFrom(...valid);

/** A transaction id from the pools, hostile now and then. */
export const arbitraryTransactionIdRef = (pools: LedgerPools = defaultLedgerPools): fc.Arbitrary<string> =>
  mostly(pools.transactionIds, pools.hostileIds, true);

/** A deposit id from the pools, hostile now and then. */
export const arbitraryDepositIdRef = (pools: LedgerPools = defaultLedgerPools): fc.Arbitrary<string> =>
  mostly(pools.depositIds, pools.hostileIds, true);

/** A valid movement amount (> 0). */
export const arbitraryPositiveAmountMinor = (maxMinor = 5_000n): fc.Arbitrary<bigint> =>
  fc.bigInt({ min: 1n, max: maxMinor });

/**
 * An amount above the ledger's largest (2^51 minor units, `MAX_LEDGER_AMOUNT_MINOR`), up to 2^64:
 * invalid everywhere, and past PostgreSQL's `bigint` from 2^63 on.
 */
const arbitraryAmountAboveMaxMinor: fc.Arbitrary<bigint> = fc.oneof(
  fc.constant(2n ** 51n + 1n),
  fc.constant(2n ** 63n),
  fc.bigInt({ min: 2n ** 51n + 1n, max: 2n ** 64n }),
);

/**
 * Mostly a valid movement amount, sometimes zero, negative or above the
 * ledger's largest (to exercise `InvalidLedgerAmount`).
 */
export const arbitraryMovementAmountMinor = (maxMinor = 5_000n): fc.Arbitrary<bigint> =>
  fc.oneof(
    { weight: 24, arbitrary: arbitraryPositiveAmountMinor(maxMinor) },
    { weight: 1, arbitrary: fc.constant(0n) },
    { weight: 1, arbitrary: fc.bigInt({ min: -maxMinor, max: -1n }) },
    { weight: 1, arbitrary: arbitraryAmountAboveMaxMinor },
  );

/** A credit limit: often none, sometimes a negative one or one above the ledger's largest amount (invalid). */
export const arbitraryCreditLimitMinor = (maxMinor = 3_000n): fc.Arbitrary<bigint> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(0n) },
    { weight: 4, arbitrary: fc.bigInt({ min: 1n, max: maxMinor }) },
    { weight: 1, arbitrary: fc.bigInt({ min: -maxMinor, max: -1n }) },
    { weight: 1, arbitrary: arbitraryAmountAboveMaxMinor },
  );

/**
 * How much of a hold to capture, resolved against the hold once it is
 * known: all of it, a share of it (in tenths, 0 to 10), more than it, or a
 * fixed amount (which may be negative).
 */
export type CaptureShare =
  | { readonly kind: 'full' }
  | { readonly kind: 'tenths'; readonly tenths: bigint }
  | { readonly kind: 'over'; readonly excessMinor: bigint }
  | { readonly kind: 'exact'; readonly amountMinor: bigint };

export const arbitraryCaptureShare = (maxMinor = 5_000n): fc.Arbitrary<CaptureShare> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant<CaptureShare>({ kind: 'full' }) },
    {
      weight: 3,
      arbitrary: fc.bigInt({ min: 0n, max: 10n }).map((tenths): CaptureShare => ({ kind: 'tenths', tenths })),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(fc.constant(1n), fc.bigInt({ min: 2n, max: 100n }))
        .map((excessMinor): CaptureShare => ({ kind: 'over', excessMinor })),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(fc.bigInt({ min: -100n, max: -1n }), fc.bigInt({ min: 0n, max: maxMinor }))
        .map((amountMinor): CaptureShare => ({ kind: 'exact', amountMinor })),
    },
  );

/** The captured amount for a hold of `holdMinor` (0 when the hold is unknown). */
export const captureAmountFor = (share: CaptureShare, holdMinor: bigint): bigint => {
  switch (share.kind) {
    case 'full':
      return holdMinor;
    case 'tenths':
      return (holdMinor * share.tenths) / 10n;
    case 'over':
      return holdMinor + share.excessMinor;
    case 'exact':
      return share.amountMinor;
  }
};

export const describeCaptureShare = (share: CaptureShare): string => {
  switch (share.kind) {
    case 'full':
      return 'full';
    case 'tenths':
      return `${share.tenths}/10`;
    case 'over':
      return `hold+${share.excessMinor}`;
    case 'exact':
      return `${share.amountMinor}`;
  }
};

/**
 * An account key from the pools; with `hostile`, now and then a hostile
 * account id or a forged currency instead.
 */
export const arbitraryAccountRef = (
  pools: LedgerPools = defaultLedgerPools,
  options: { readonly hostile?: boolean } = {},
) =>
  fc.record({
    accountId: mostly(pools.accountIds, pools.hostileIds, options.hostile ?? false),
    currency: mostly(pools.currencies, pools.forgedCurrencies, options.hostile ?? false),
  });

/** Any operation over the pools: valid, repeated, conflicting or illegal, now and then with a hostile id or currency. */
export const arbitraryLedgerOperation = (pools: LedgerPools = defaultLedgerPools): fc.Arbitrary<LedgerOperation> => {
  const account = arbitraryAccountRef(pools, { hostile: true });
  const transactionId = arbitraryTransactionIdRef(pools);
  return fc.oneof(
    {
      weight: 1,
      arbitrary: fc
        .record({ account, creditLimitMinor: arbitraryCreditLimitMinor() })
        .map(({ account: ref, creditLimitMinor }): LedgerOperation => ({
          kind: 'openAccount',
          input: { ...ref, creditLimitMinor },
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ account, creditLimitMinor: arbitraryCreditLimitMinor() })
        .map(({ account: ref, creditLimitMinor }): LedgerOperation => ({
          kind: 'setCreditLimit',
          input: { ...ref, creditLimitMinor },
        })),
    },
    {
      weight: 3,
      arbitrary: fc
        .record({
          account,
          depositId: arbitraryDepositIdRef(pools),
          amountMinor: arbitraryMovementAmountMinor(),
        })
        .map(({ account: ref, ...rest }): LedgerOperation => ({ kind: 'deposit', input: { ...ref, ...rest } })),
    },
    {
      weight: 4,
      arbitrary: fc
        .record({ account, transactionId, amountMinor: arbitraryMovementAmountMinor(3_000n) })
        .map(({ account: ref, ...rest }): LedgerOperation => ({ kind: 'authorize', input: { ...ref, ...rest } })),
    },
    {
      weight: 2,
      arbitrary: transactionId.map((id): LedgerOperation => ({ kind: 'voidHold', input: { transactionId: id } })),
    },
    {
      weight: 3,
      arbitrary: fc
        .record({
          transactionId,
          amountMinor: fc.oneof(fc.bigInt({ min: 0n, max: 1_500n }), fc.bigInt({ min: -10n, max: 3_000n })),
        })
        .map((input): LedgerOperation => ({ kind: 'capture', input })),
    },
    {
      weight: 2,
      arbitrary: transactionId.map((id): LedgerOperation => ({ kind: 'reverse', input: { transactionId: id } })),
    },
  );
};

/** Distinct accounts to open, each with a valid credit limit. */
export const arbitraryOpenAccountInputs = (
  pools: LedgerPools = defaultLedgerPools,
  constraints: { readonly minLength?: number; readonly maxLength?: number } = {},
): fc.Arbitrary<OpenAccountInput[]> =>
  fc
    .uniqueArray(
      fc.record({ ref: arbitraryAccountRef(pools), creditLimitMinor: fc.bigInt({ min: 0n, max: 3_000n }) }),
      {
        minLength: constraints.minLength ?? 1,
        maxLength: constraints.maxLength ?? pools.accountIds.length * pools.currencies.length,
        selector: ({ ref }) => `${ref.accountId}/${ref.currency.code}`,
      },
    )
    .map((accounts) => accounts.map(({ ref, creditLimitMinor }) => ({ ...ref, creditLimitMinor })));

/**
 * A scenario: some accounts opened, then any operations. Replaying it with
 * `stepLedgerOperation` (keeping the ledger after each step) exercises
 * every rule, legal or not.
 */
export const arbitraryLedgerScenario = (
  pools: LedgerPools = defaultLedgerPools,
  maxOperations = 60,
): fc.Arbitrary<readonly LedgerOperation[]> =>
  fc
    .tuple(arbitraryOpenAccountInputs(pools), fc.array(arbitraryLedgerOperation(pools), { maxLength: maxOperations }))
    .map(([accounts, operations]) => [
      ...accounts.map((input): LedgerOperation => ({ kind: 'openAccount', input })),
      ...operations,
    ]);

/**
 * Replays operations on the pure ledger, keeping every success and every
 * recorded refusal; returns the final ledger.
 */
export const replayLedgerOperations = (start: Ledger, operations: readonly LedgerOperation[]): Ledger =>
  operations.reduce((ledger, operation) => stepLedgerOperation(ledger, operation).ledger, start);
