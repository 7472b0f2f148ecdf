import {
  applyProviderEvent,
  attemptFailed,
  type AttemptOutcome,
  attemptUnknown,
  cancelTopUp,
  createTopUp,
  type ProviderStatusAnswer,
  type Quote,
  recordAttemptOutcome,
  rejectForRefusedHold,
  resolveUnknownAttempt,
  selectDenomination,
  startAttempt,
  type TopUp,
  type TopUpChange,
  type TopUpRepositoryService,
  type TransactionStatus,
} from '@airtime/domain';
import {
  arbitraryAttemptOutcome,
  arbitraryCatalogue,
  arbitraryCurrency,
  arbitraryExternalId,
  arbitraryProviderStatusAnswer,
  arbitrarySelectionRequest,
  arbitraryTransactionStatus,
  sampleNewTopUp,
} from '@airtime/domain/testing';
import { Effect, Either, Option } from 'effect';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeTopUpRepository } from './top-up-repository.adapter';

/** Quotes as the selector makes them: fixed or ranged products, 0, 2 or 3 decimals, matched on receive or cost. */
const arbitraryQuote: fc.Arbitrary<Quote> = fc
  .tuple(arbitraryCurrency(), arbitraryCurrency(), arbitraryCurrency())
  .chain(([destination, source, otherSource]) =>
    fc.tuple(
      arbitraryCatalogue(destination, [source, otherSource]).filter((catalogue) => catalogue.length > 0),
      fc.constantFrom(destination, source).chain((currency) => arbitrarySelectionRequest(currency)),
      fc.option(fc.constantFrom(source, otherSource), { nil: undefined }),
    ),
  )
  .map(([catalogue, request, chargeCurrency]) =>
    selectDenomination(catalogue, chargeCurrency === undefined ? request : { ...request, chargeCurrency }),
  )
  .filter(Either.isRight)
  .map((selected) => selected.right);

const TEXT_UNITS = ['a', 'Z', '7', ' ', 'é', '字', '😀', '"', '\\', '\n', '{'];
const arbitraryText = fc.string({ unit: fc.constantFrom(...TEXT_UNITS), minLength: 1, maxLength: 30 });

/** The domain's outcomes, plus failures and unknowns carrying details and provider transaction ids. */
const arbitraryOutcome: fc.Arbitrary<AttemptOutcome> = fc.oneof(
  arbitraryAttemptOutcome,
  fc
    .record({
      reason: fc.constantFrom(
        'OPERATOR_UNAVAILABLE',
        'DECLINED_BY_OPERATOR',
        'INVALID_REQUEST',
        'RATE_LIMITED' as const,
      ),
      detail: arbitraryText,
      providerTransactionId: fc.string({ minLength: 1, maxLength: 12 }),
    })
    .map((fields) => attemptFailed(fields)),
  fc
    .tuple(
      fc.constantFrom(
        'TIMEOUT_AFTER_SEND',
        'SERVER_ERROR_AFTER_SEND',
        'CONNECTION_LOST_AFTER_SEND',
        'UNCLEAR_ANSWER_AFTER_SEND',
        'UNSPECIFIED_AFTER_SEND' as const,
      ),
      arbitraryText,
    )
    .map(([reason, detail]) => attemptUnknown(reason, detail)),
);

type Step =
  | { readonly kind: 'attempt'; readonly outcome: AttemptOutcome; readonly providerId: string | undefined }
  | { readonly kind: 'resolve'; readonly answer: ProviderStatusAnswer }
  | { readonly kind: 'event'; readonly status: TransactionStatus }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'refuseHold' };

const arbitraryStep: fc.Arbitrary<{ step: Step; afterMs: number }> = fc.record({
  step: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('attempt' as const),
        outcome: arbitraryOutcome,
        providerId: fc.option(fc.constantFrom('dvs', 'africas-talking'), { nil: undefined }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('resolve' as const), answer: arbitraryProviderStatusAnswer }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('event' as const), status: arbitraryTransactionStatus }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'cancel' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'refuseHold' as const }) },
  ),
  afterMs: fc.integer({ min: 1, max: 3 * 3_600_000 }),
});

const applyStep = (topUp: TopUp, step: Step, now: Date): Either.Either<TopUpChange, unknown> => {
  switch (step.kind) {
    case 'attempt': {
      const due = topUp.nextAttemptAt !== undefined && topUp.nextAttemptAt > now ? topUp.nextAttemptAt : now;
      return Either.flatMap(startAttempt(topUp, due, step.providerId), (started) =>
        recordAttemptOutcome(started.topUp, step.outcome, due),
      );
    }
    case 'resolve':
      return resolveUnknownAttempt(topUp, step.answer, now);
    case 'event':
      return applyProviderEvent(topUp, step.status, now);
    case 'cancel':
      return cancelTopUp(topUp, now);
    case 'refuseHold':
      return rejectForRefusedHold(topUp, now);
  }
};

let sequence = 0;

/** A new top-up and where its lifecycle took it: attempts in every state, retries, failures, unknowns. */
const arbitraryTopUps = fc
  .record({
    quote: arbitraryQuote,
    externalId: arbitraryExternalId(),
    createdMs: fc.integer({ min: 0, max: 365 * 86_400_000 }),
    steps: fc.array(arbitraryStep, { maxLength: 10 }),
  })
  .map(({ quote, externalId, createdMs, steps }) => {
    sequence += 1;
    const created = Either.getOrThrow(
      createTopUp(
        sampleNewTopUp({
          id: `round-trip-${sequence}`,
          accountId: `account-${sequence}`,
          externalId,
          quote,
          now: new Date(Date.UTC(2025, 0, 1) + createdMs),
        }),
      ),
    ).topUp;
    let evolved = created;
    let now = created.createdAt;
    for (const { step, afterMs } of steps) {
      now = new Date(now.getTime() + afterMs);
      const change = applyStep(evolved, step, now);
      if (Either.isRight(change)) evolved = change.right.topUp;
    }
    return { created, evolved };
  });

describe('top-up mapping round trip on PostgreSQL', () => {
  let db: TestDatabase;
  let repository: TopUpRepositoryService;
  beforeAll(async () => {
    db = await createTestDatabase();
    repository = makeTopUpRepository(db.dataSource);
  });
  afterAll(async () => db.drop());

  it('gives back exactly the top-up inserted, and exactly the one updated', async () => {
    let withAttempts = 0;
    await fc.assert(
      fc.asyncProperty(arbitraryTopUps, async ({ created, evolved }) => {
        if (evolved.attempts.length > 0) withAttempts += 1;
        // fast-check may build objects without a prototype: compare with plain copies, strictly (undefined fields, types)
        const found = async (effect: Effect.Effect<Option.Option<unknown>, unknown>) =>
          Option.getOrUndefined(await Effect.runPromise(effect));
        await Effect.runPromise(repository.insert(created));
        expect(await found(repository.findById(created.id))).toStrictEqual(
          structuredClone({ topUp: created, version: 1 }),
        );

        await Effect.runPromise(repository.update(evolved, 1));
        expect(await found(repository.findById(created.id))).toStrictEqual(
          structuredClone({ topUp: evolved, version: 2 }),
        );
        expect(await found(repository.findByExternalId(created.accountId, created.externalId))).toStrictEqual(
          structuredClone({ topUp: evolved, version: 2 }),
        );

        // inserted with its attempts in one go, too
        const copy: TopUp = { ...evolved, id: `${evolved.id}-copy`, accountId: `${evolved.accountId}-copy` };
        await Effect.runPromise(repository.insert(copy));
        expect(await found(repository.findById(copy.id))).toStrictEqual(structuredClone({ topUp: copy, version: 1 }));
      }),
      { numRuns: 60 },
    );
    expect(withAttempts).toBeGreaterThan(20);
  });
});
