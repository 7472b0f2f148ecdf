import { test } from '@fast-check/jest';
import fc from 'fast-check';
import {
  arbitraryCurrency,
  arbitraryMoney,
  arbitraryPreciseMoney,
  testCurrency,
} from '../../testing/product.arbitraries';
import { arbitraryExternalId, arbitraryStatusOfClasses } from '../../testing/transaction.arbitraries';
import { preciseMoney, preciseOf, type PreciseMoney } from '../money/precise-money';
import type { ProviderTransaction } from '../ports/airtime-provider.port';
import type { AttemptFailureReason } from '../transaction/attempt';
import {
  PENDING_CLASSES,
  statusOfClass,
  TRANSACTION_CLASSES,
  type TransactionClass,
} from '../transaction/transaction-status';
import {
  MISMATCH_KINDS,
  type MismatchKind,
  NEVER_SENT_REASONS,
  type MatchOptions,
  type OurAttempt,
} from './reconciliation';
import { externalIdsWithConflictingListings, matchTransactions } from './transaction-match';

const now = new Date(Date.UTC(2025, 0, 2, 3, 0, 0));
const grace = 15 * 60_000;
const options: MatchOptions = { now, inFlightGraceMs: grace };
const ago = (ms: number) => new Date(now.getTime() - ms);

type Fate = 'completed' | 'reversed' | 'failedAtProvider' | 'neverSent' | 'refused' | 'pending' | 'inFlight' | 'resent';
/** Fates the provider must hold one transaction for, settled or long pending: where a discrepancy is injected. */
const PRESENT_FATES: readonly Fate[] = ['completed', 'reversed', 'failedAtProvider', 'pending'];
const FAILURES_AT_PROVIDER: readonly AttemptFailureReason[] = [
  'DECLINED_BY_OPERATOR',
  'REJECTED_BY_PROVIDER',
  'CANCELLED_AT_PROVIDER',
  'OPERATOR_UNAVAILABLE',
  'NOT_FOUND_AT_PROVIDER',
];

/** A precision-only rewrite of an amount (USD 1.5 as 1.50000): equal, never a difference. */
const rescaled = (amount: PreciseMoney, extra: number): PreciseMoney =>
  Object.freeze({ ...amount, units: amount.units * 10n ** BigInt(extra), scale: amount.scale + extra });

/** Our attempts of one external id: one, or a "not found" then its resend (same id). */
const arbitraryAttempts = (id: string, fates: readonly Fate[]): fc.Arbitrary<OurAttempt[]> =>
  fc
    .record({
      fate: fc.constantFrom(...fates),
      receiveCurrency: arbitraryCurrency(),
      chargedCurrency: arbitraryCurrency(),
      pending: arbitraryStatusOfClasses(PENDING_CLASSES),
      failure: arbitraryStatusOfClasses(['DECLINED', 'REJECTED', 'CANCELLED']),
      reason: fc.constantFrom(...FAILURES_AT_PROVIDER),
      neverSent: fc.constantFrom(...NEVER_SENT_REASONS),
      unsettled: fc.constantFrom('InFlight' as const, 'Pending' as const, 'Unknown' as const),
      age: fc.integer({ min: grace, max: 3 * 86_400_000 }),
      youth: fc.integer({ min: 0, max: grace - 1 }),
    })
    .chain((draw) =>
      fc
        .record({
          receive: arbitraryMoney(draw.receiveCurrency, 1n),
          charged: arbitraryPreciseMoney(draw.chargedCurrency, 1n),
        })
        .map(({ receive, charged }) => {
          const base: OurAttempt = {
            topUpId: `topup-${id}`,
            accountId: 'account-1',
            externalId: id,
            attemptNumber: 1,
            isLastAttempt: true,
            providerId: 'dtone',
            providerExternalId: id,
            providerTransactionId: `tx-${id}`,
            startedAt: ago(draw.age),
            state: 'Succeeded',
            status: { class: 'COMPLETED', status: 'COMPLETED' },
            failureReason: undefined,
            receive,
            charged,
            cost: { amountMinor: 1n, currency: charged.currency },
            topUpStatus: { class: 'COMPLETED', status: 'COMPLETED' },
            topUpUpdatedAt: ago(draw.age),
          };
          const neverSent: OurAttempt = {
            ...base,
            state: 'Failed',
            status: { class: 'DECLINED', status: 'DECLINED' },
            failureReason: draw.neverSent,
            providerTransactionId: undefined,
          };
          switch (draw.fate) {
            case 'completed':
              return [base];
            case 'reversed':
              return [{ ...base, status: { class: 'REVERSED', status: 'REVERSED' } } as OurAttempt];
            case 'failedAtProvider':
              return [{ ...base, state: 'Failed', status: draw.failure, failureReason: draw.reason } as OurAttempt];
            case 'neverSent':
              return [neverSent];
            case 'refused':
              // a 4xx refusal of the send: the provider created no transaction
              return [
                {
                  ...neverSent,
                  status: { class: 'REJECTED', status: 'REJECTED' },
                  failureReason: 'REJECTED_BY_PROVIDER',
                } as OurAttempt,
              ];
            case 'pending':
              return [{ ...base, state: 'Pending', status: draw.pending } as OurAttempt];
            case 'inFlight':
              return [
                { ...base, state: draw.unsettled, status: draw.pending, startedAt: ago(draw.youth) } as OurAttempt,
              ];
            case 'resent':
              return [
                { ...neverSent, failureReason: 'NOT_FOUND_AT_PROVIDER', isLastAttempt: false },
                { ...base, attemptNumber: 2 },
              ];
          }
        }),
    );

/** The live (latest) attempt of a list of one external id. */
const liveOf = (attempts: readonly OurAttempt[]): OurAttempt => attempts[attempts.length - 1] as OurAttempt;

/** Not settled and younger than the grace. */
const isInFlightAttempt = (a: OurAttempt) =>
  a.state !== 'Succeeded' && a.state !== 'Failed' && now.getTime() - a.startedAt.getTime() < grace;

/** A failed transaction the provider may keep of a send it refused or never took in: any failure class, no amounts. */
const arbitraryFailedTheirs = (ours: OurAttempt): fc.Arbitrary<ProviderTransaction[]> =>
  arbitraryStatusOfClasses(['DECLINED', 'REJECTED', 'CANCELLED']).map((status) => [
    { providerTransactionId: `tx-${ours.providerExternalId}`, providerExternalId: ours.providerExternalId, status },
  ]);

/**
 * What an honest provider lists for our live attempt: the same class, the
 * same amounts at any precision, or none given; for one never sent or
 * refused, nothing or a failed transaction.
 */
const arbitraryCleanTheirs = (ours: OurAttempt): fc.Arbitrary<ProviderTransaction[]> => {
  const expectedAbsent = ours.state === 'Failed' && ours.providerTransactionId === undefined;
  if (expectedAbsent) return fc.oneof(fc.constant<ProviderTransaction[]>([]), arbitraryFailedTheirs(ours));
  const sameClass = (PENDING_CLASSES as readonly string[]).includes(ours.status.class)
    ? arbitraryStatusOfClasses(PENDING_CLASSES)
    : arbitraryStatusOfClasses([ours.status.class]);
  const transaction = fc
    .record({
      status:
        isInFlightAttempt(ours) && ours.state !== 'Pending' ? arbitraryStatusOfClasses(TRANSACTION_CLASSES) : sameClass,
      receive: fc.option(
        fc.integer({ min: 0, max: 3 }).map((extra) => rescaled(preciseOf(ours.receive), extra)),
        { nil: undefined },
      ),
      charged: fc.option(
        fc.integer({ min: 0, max: 3 }).map((extra) => rescaled(ours.charged, extra)),
        { nil: undefined },
      ),
      listedTwice: fc.boolean(),
    })
    .map(({ listedTwice, ...fields }): ProviderTransaction[] => {
      const one: ProviderTransaction = {
        providerTransactionId: `tx-${ours.providerExternalId}`,
        providerExternalId: ours.providerExternalId,
        ...fields,
      };
      // a page read twice: the same listing, its amounts perhaps written at another precision (alike: no conflict)
      const again: ProviderTransaction = {
        ...one,
        ...(one.charged === undefined ? {} : { charged: rescaled(one.charged, 1) }),
      };
      return listedTwice ? [one, again] : [one];
    });
  // an attempt in flight may or may not have reached the provider yet
  return isInFlightAttempt(ours) ? fc.oneof(fc.constant<ProviderTransaction[]>([]), transaction) : transaction;
};

interface World {
  readonly ours: readonly OurAttempt[];
  readonly theirs: readonly ProviderTransaction[];
  readonly ids: readonly string[];
}

const arbitraryEntry = (id: string, fates: readonly Fate[]) =>
  arbitraryAttempts(id, fates).chain((ours) => arbitraryCleanTheirs(liveOf(ours)).map((theirs) => ({ ours, theirs })));

const ALL_FATES: readonly Fate[] = [...PRESENT_FATES, 'neverSent', 'refused', 'inFlight', 'resent'];

/** A clean world: theirs derived from ours; plus two ids of no entry, for a target and a stranger. */
const arbitraryCleanWorld = (): fc.Arbitrary<World & { readonly target: string; readonly stranger: string }> =>
  fc.uniqueArray(arbitraryExternalId(), { minLength: 2, maxLength: 14 }).chain((ids) => {
    const [target = '', stranger = '', ...rest] = ids;
    return fc.tuple(...rest.map((id) => arbitraryEntry(id, ALL_FATES))).map((entries) => ({
      ours: entries.flatMap((entry) => entry.ours),
      theirs: entries.flatMap((entry) => entry.theirs),
      ids: rest,
      target,
      stranger,
    }));
  });

const inFlightCount = (result: ReturnType<typeof matchTransactions>) => result.inFlight.length;

/** Any transaction of `id` the provider might list. */
const arbitraryTransactionOf = (id: string, transactionId: string): fc.Arbitrary<ProviderTransaction> =>
  fc
    .record({
      status: arbitraryStatusOfClasses(TRANSACTION_CLASSES),
      charged: fc.option(arbitraryPreciseMoney(testCurrency('USD')), { nil: undefined }),
    })
    .map((fields) => ({ providerTransactionId: transactionId, providerExternalId: id, ...fields }));

const otherCurrencyThan = (amount: PreciseMoney) => testCurrency(amount.currency.code === 'EUR' ? 'USD' : 'EUR');
const shifted = (amount: PreciseMoney): PreciseMoney => preciseMoney(amount.units + 1n, amount.scale, amount.currency);
const recurrencied = (amount: PreciseMoney): PreciseMoney =>
  preciseMoney(amount.units, Math.max(amount.scale, otherCurrencyThan(amount).exponent), otherCurrencyThan(amount));

/** The provider's side of the target once one discrepancy of `kind` is put in (the stranger's transaction for MISSING_HERE). */
const inject = (
  kind: MismatchKind,
  ours: OurAttempt,
  clean: ProviderTransaction,
  pick: number,
  other: ProviderTransaction,
): ProviderTransaction[] => {
  switch (kind) {
    case 'MISSING_HERE':
      return [clean, other];
    case 'MISSING_AT_PROVIDER':
      return [];
    case 'DUPLICATE_AT_PROVIDER':
      return [clean, { ...other, providerExternalId: clean.providerExternalId }];
    case 'CONFLICTING_LISTINGS': {
      // the same transaction listed again with another status (it changed while the list was paged)
      const others = TRANSACTION_CLASSES.filter((c) => c !== clean.status.class);
      const relisted = { ...clean, status: statusOfClass(others[pick % others.length] ?? 'REVERSED') };
      return pick % 2 === 0 ? [clean, relisted, clean] : [relisted, clean];
    }
    case 'STATUS_DIFFERS': {
      const pending = (c: TransactionClass) => (PENDING_CLASSES as readonly string[]).includes(c);
      const others = TRANSACTION_CLASSES.filter(
        (c) => c !== ours.status.class && !(pending(c) && pending(ours.status.class)),
      );
      return [{ ...clean, status: statusOfClass(others[pick % others.length] ?? 'REVERSED') }];
    }
    case 'AMOUNT_DIFFERS': {
      const receive = preciseOf(ours.receive);
      const changes: Partial<ProviderTransaction>[] = [
        { receive: shifted(receive) },
        { receive: recurrencied(receive) },
        { charged: shifted(ours.charged) },
        { charged: recurrencied(ours.charged) },
      ];
      return [{ ...clean, ...changes[pick % changes.length] }];
    }
  }
};

/** A clean world, then one discrepancy of a kind put in at the target (or a stranger's id). */
const arbitraryInjectedWorld = () =>
  arbitraryCleanWorld().chain((world) =>
    fc
      .record({
        kind: fc.constantFrom(...MISMATCH_KINDS),
        entry: arbitraryEntry(world.target, PRESENT_FATES),
        pick: fc.nat(),
        other: arbitraryTransactionOf(world.stranger, 'tx-other'),
      })
      .map(({ kind, entry, pick, other }) => {
        const [clean = other] = entry.theirs;
        const injected = inject(kind, liveOf(entry.ours), clean, pick, other);
        return { world, kind, ours: [...world.ours, ...entry.ours], theirs: [...world.theirs, ...injected] };
      }),
  );

/** A world with noise: clean, then transactions of any status for known and unknown ids. */
const arbitraryNoisyWorld = () =>
  arbitraryCleanWorld().chain((world) =>
    fc
      .array(
        fc
          .tuple(fc.constantFrom(...world.ids, world.target, world.stranger), fc.constantFrom('tx-a', 'tx-b'))
          .chain(([id, tx]) => arbitraryTransactionOf(id, tx)),
        { maxLength: 6 },
      )
      .map((noise) => ({ ours: world.ours, theirs: [...world.theirs, ...noise] })),
  );

const shuffled = <T>(items: readonly T[]) =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

describe('reconciliation properties', () => {
  test.prop([arbitraryCleanWorld()])(
    'a clean world matches with no mismatch, every id matched or in flight',
    (world) => {
      const result = matchTransactions(world.ours, world.theirs, options);
      expect(result.mismatches).toEqual([]);
      expect(result.matched + inFlightCount(result)).toBe(world.ids.length);
    },
  );

  test.prop([arbitraryInjectedWorld()])(
    'one injected discrepancy of each kind is found exactly, with its kind and external id',
    ({ world, kind, ours, theirs }) => {
      const result = matchTransactions(ours, theirs, options);
      const id = kind === 'MISSING_HERE' ? world.stranger : world.target;
      expect(result.mismatches.map((m) => [m.kind, m.providerExternalId])).toEqual([[kind, id]]);
      expect(result.matched + inFlightCount(result)).toBe(world.ids.length + (kind === 'MISSING_HERE' ? 1 : 0));
    },
  );

  test.prop([arbitraryNoisyWorld().chain((w) => fc.tuple(fc.constant(w), shuffled(w.ours), shuffled(w.theirs)))])(
    'the order of either side does not change the result; every external id lands in exactly one place; every id with conflicting listings is CONFLICTING_LISTINGS',
    ([world, ours, theirs]) => {
      const result = matchTransactions(world.ours, world.theirs, options);
      expect(matchTransactions(ours, theirs, options)).toEqual(result);
      const ids = new Set([...world.ours, ...world.theirs].map((item) => item.providerExternalId));
      const placed = [...result.inFlight, ...result.mismatches].map((item) => item.providerExternalId);
      expect(new Set(placed).size).toBe(placed.length);
      expect(result.matched + placed.length).toBe(ids.size);
      const conflicting = result.mismatches.filter((m) => m.kind === 'CONFLICTING_LISTINGS');
      expect(conflicting.map((m) => m.providerExternalId)).toEqual(
        [...externalIdsWithConflictingListings(world.theirs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      );
      const keys = result.mismatches.map((m) => [MISMATCH_KINDS.indexOf(m.kind), m.providerExternalId] as const);
      expect([...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))).toEqual(keys);
    },
  );
});
