import {
  type AttemptOutcome,
  attemptFailed,
  attemptUnknown,
  cancelTopUp,
  createTopUp,
  type ExternalId,
  parseExternalId,
  type ProviderStatusAnswer,
  recordAttemptOutcome,
  rejectForRefusedHold,
  resolveUnknownAttempt,
  startAttempt,
  type TopUp,
  type TopUpChange,
  type TopUpRepositoryService,
} from '@airtime/domain';
import {
  arbitraryAttemptOutcome,
  arbitraryExternalId,
  arbitraryProviderStatusAnswer,
  sampleNewTopUp,
} from '@airtime/domain/testing';
import { Deferred, Effect, Either, Option } from 'effect';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { makeTopUpRepository } from './top-up-repository.adapter';

const t0 = new Date(Date.UTC(2025, 3, 1, 8));
const externalId = (text: string): ExternalId => Either.getOrThrow(parseExternalId(text));
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const result = await Effect.runPromise(Effect.either(effect));
  return Either.isLeft(result) ? result.left : undefined;
};

let sequence = 0;
const newTopUp = (accountId: string, external: string, now = t0): TopUp => {
  sequence += 1;
  return Either.getOrThrow(
    createTopUp(sampleNewTopUp({ id: `ia-${sequence}`, accountId, externalId: externalId(external), now })),
  ).topUp;
};

/** Outcomes with failure details and provider transaction ids, besides the domain's own. */
const arbitraryOutcome: fc.Arbitrary<AttemptOutcome> = fc.oneof(
  arbitraryAttemptOutcome,
  fc
    .record({
      reason: fc.constantFrom('OPERATOR_UNAVAILABLE', 'DECLINED_BY_OPERATOR' as const),
      detail: fc.string({ unit: fc.constantFrom('a', 'é', '字', '😀', '"', '\\', '\n', '{'), maxLength: 20 }),
      providerTransactionId: fc.string({ minLength: 1, maxLength: 12 }),
    })
    .map((fields) => attemptFailed(fields)),
  fc
    .constantFrom('TIMEOUT_AFTER_SEND', 'SERVER_ERROR_AFTER_SEND' as const)
    .map((reason) => attemptUnknown(reason, 'é"')),
);

type Step =
  | { readonly kind: 'attempt'; readonly outcome: AttemptOutcome; readonly providerId: string | undefined }
  | { readonly kind: 'resolve'; readonly answer: ProviderStatusAnswer }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'refuseHold' };

const arbitraryStep: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('attempt' as const),
      outcome: arbitraryOutcome,
      providerId: fc.option(fc.constantFrom('dvs', 'africas-talking'), { nil: undefined }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resolve' as const), answer: arbitraryProviderStatusAnswer }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'cancel' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'refuseHold' as const }) },
);

/** Where `steps` take a new top-up (a step the domain refuses is skipped), a minute apart. */
const lived = (topUp: TopUp, steps: readonly Step[]): TopUp =>
  steps.reduce((current, step, index) => {
    const now = new Date(current.createdAt.getTime() + (index + 1) * 60_000 + 7);
    const due = current.nextAttemptAt !== undefined && current.nextAttemptAt > now ? current.nextAttemptAt : now;
    const change: Either.Either<TopUpChange, unknown> =
      step.kind === 'attempt'
        ? Either.flatMap(startAttempt(current, due, step.providerId), (started) =>
            recordAttemptOutcome(started.topUp, step.outcome, due),
          )
        : step.kind === 'resolve'
          ? resolveUnknownAttempt(current, step.answer, now)
          : step.kind === 'cancel'
            ? cancelTopUp(current, now)
            : rejectForRefusedHold(current, now);
    return Either.isRight(change) ? change.right.topUp : current;
  }, topUp);

describe('top-up repository insertAll on PostgreSQL', () => {
  let db: TestDatabase;
  let repository: TopUpRepositoryService;
  const unitOfWork = () => makeUnitOfWork(db.dataSource);
  const inUnit = <A, E>(effect: Effect.Effect<A, E>) => unitOfWork().transactionally(effect);
  const stored = async (topUp: TopUp) => Option.getOrUndefined(await Effect.runPromise(repository.findById(topUp.id)));
  const storedOf = async (topUps: readonly TopUp[]) => Promise.all(topUps.map(stored));
  const count = async (accountPrefix: string) => {
    const [row] = (await db.dataSource.query(
      `SELECT (SELECT count(*)::int FROM top_ups WHERE account_id LIKE $1 || '%') AS top_ups,
              (SELECT count(*)::int FROM top_up_attempts a JOIN top_ups t ON t.id = a.top_up_id
                WHERE t.account_id LIKE $1 || '%') AS attempts`,
      [accountPrefix],
    )) as { top_ups: number; attempts: number }[];
    return row;
  };
  /** A top-up's row and attempt rows but for the columns that name it (id, account). */
  const rowsOf = async (id: string) => {
    const [row] = (await db.dataSource.query(
      `SELECT to_jsonb(t) - 'id' - 'account_id' AS row FROM top_ups t WHERE id = $1`,
      [id],
    )) as { row: unknown }[];
    const attempts = (await db.dataSource.query(
      `SELECT to_jsonb(a) - 'top_up_id' AS row FROM top_up_attempts a WHERE top_up_id = $1 ORDER BY number`,
      [id],
    )) as { row: unknown }[];
    return { row: row?.row, attempts: attempts.map((attempt) => attempt.row) };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    repository = makeTopUpRepository(db.dataSource);
  });
  afterAll(async () => db.drop());

  it('stores every top-up as insert stores it one by one: attempts, failures and all read back the same', async () => {
    let run = 0;
    let withAttempts = 0;
    let withFailure = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(arbitraryExternalId(), fc.array(arbitraryStep, { maxLength: 6 })), {
          minLength: 1,
          maxLength: 6,
          selector: ([external]) => external,
        }),
        async (specs) => {
          run += 1;
          // two accounts share the external ids of the run; every top-up has a key of its own
          const batch = specs.map(([external, steps], index) =>
            lived(newTopUp(`run-${run}-${index % 2}`, external, new Date(t0.getTime() + index)), steps),
          );
          const alone = batch.map((topUp) => ({
            ...topUp,
            id: `${topUp.id}-alone`,
            accountId: `alone-${run}-${topUp.accountId}`,
          }));
          withAttempts += batch.filter((topUp) => topUp.attempts.length > 0).length;
          withFailure += batch.filter((topUp) => topUp.failureReason !== undefined).length;

          await Effect.runPromise(inUnit(repository.insertAll(batch)));
          for (const topUp of alone) await Effect.runPromise(repository.insert(topUp));

          // fast-check may build objects without a prototype: compare with plain copies, strictly
          expect(await storedOf(batch)).toStrictEqual(structuredClone(batch.map((topUp) => ({ topUp, version: 1 }))));
          const readAlone = await storedOf(alone);
          expect(await storedOf(batch)).toStrictEqual(
            readAlone.map((read, index) => ({
              ...read,
              topUp: { ...read?.topUp, id: batch[index]?.id, accountId: batch[index]?.accountId },
            })),
          );
          for (const [index, topUp] of batch.entries())
            expect(await rowsOf(topUp.id)).toStrictEqual(await rowsOf(alone[index]?.id ?? ''));
        },
      ),
      { numRuns: 40 },
    );
    expect(withAttempts).toBeGreaterThan(20);
    expect(withFailure).toBeGreaterThan(5);
  });

  it('does nothing for an empty list, inside a unit of work or not', async () => {
    const before = await count('');
    await Effect.runPromise(repository.insertAll([]));
    await Effect.runPromise(inUnit(repository.insertAll([])));
    expect(await count('')).toStrictEqual(before);
  });

  it('stores many top-ups in one call', async () => {
    const many = Array.from({ length: 600 }, (_, index) => newTopUp(`many-${index % 7}`, `order-${index}`));
    await Effect.runPromise(inUnit(repository.insertAll(many)));
    expect(await count('many-')).toStrictEqual({ top_ups: 600, attempts: 0 });
    expect(await stored(many[599] as TopUp)).toStrictEqual({ topUp: many[599], version: 1 });
  });

  it('tells keys apart that only join the same: ("a/b", "c") and ("a", "b/c")', async () => {
    const pair = [newTopUp('slash-a/b', 'c'), newTopUp('slash-a', 'b/c')];
    await Effect.runPromise(inUnit(repository.insertAll(pair)));
    expect(await storedOf(pair)).toStrictEqual(pair.map((topUp) => ({ topUp, version: 1 })));
  });

  describe('all or none', () => {
    it('fails with a DuplicateKey when a key is already stored, and writes none of the others', async () => {
      const taken = newTopUp('dup-stored', 'order-1');
      await Effect.runPromise(repository.insert(taken));
      const batch = [
        lived(newTopUp('dup-stored', 'order-0'), [
          { kind: 'attempt', outcome: attemptUnknown('TIMEOUT_AFTER_SEND'), providerId: 'dvs' },
        ]),
        { ...newTopUp('dup-stored', 'order-1'), id: 'dup-stored-other-id' },
        newTopUp('dup-stored', 'order-2'),
      ];
      // in a unit of work, and on its own (autocommit): the one statement fails whole
      for (const attempt of [inUnit(repository.insertAll(batch)), repository.insertAll(batch)]) {
        expect(await failureOf(attempt)).toMatchObject({ _tag: 'DuplicateKey', entity: 'TopUp' });
        expect(await count('dup-stored')).toStrictEqual({ top_ups: 1, attempts: 0 });
      }
      expect(await stored(taken)).toStrictEqual({ topUp: taken, version: 1 });
    });

    it('commits nothing of a batch whose DuplicateKey was caught inside the unit of work', async () => {
      await Effect.runPromise(repository.insert(newTopUp('dup-caught', 'order-1')));
      const fresh = newTopUp('dup-caught', 'order-0');
      const outcome = await failureOf(
        inUnit(
          Effect.gen(function* () {
            const duplicate = yield* Effect.flip(repository.insertAll([fresh, newTopUp('dup-caught', 'order-1')]));
            expect(duplicate).toMatchObject({ _tag: 'DuplicateKey' });
            return 'carried on' as const;
          }),
        ),
      );
      expect(outcome).toMatchObject({ _tag: 'PersistenceFailure', retryable: false });
      expect(await stored(fresh)).toBeUndefined();
    });

    it('fails with a DuplicateKey naming a key held twice in the list, and writes nothing', async () => {
      const batch = [
        newTopUp('dup-twice', 'order-1'),
        newTopUp('dup-twice', 'order-2'),
        newTopUp('dup-twice', 'order-1'),
      ];
      expect(await failureOf(inUnit(repository.insertAll(batch)))).toMatchObject({
        _tag: 'DuplicateKey',
        entity: 'TopUp',
        key: 'dup-twice/order-1',
      });
      expect(await failureOf(repository.insertAll(batch))).toMatchObject({ _tag: 'DuplicateKey' });
      expect(await count('dup-twice')).toStrictEqual({ top_ups: 0, attempts: 0 });
    });

    it('fails, non-retryable, on a top-up id already stored or held twice, and writes nothing', async () => {
      const first = newTopUp('dup-id', 'order-1');
      await Effect.runPromise(repository.insert(first));
      const sameIdStored = [newTopUp('dup-id', 'order-2'), { ...newTopUp('dup-id', 'order-3'), id: first.id }];
      const second = newTopUp('dup-id', 'order-4');
      const sameIdTwice = [second, { ...newTopUp('dup-id', 'order-5'), id: second.id }];
      for (const batch of [sameIdStored, sameIdTwice]) {
        expect(await failureOf(inUnit(repository.insertAll(batch)))).toMatchObject({
          _tag: 'PersistenceFailure',
          retryable: false,
        });
      }
      expect(await count('dup-id')).toStrictEqual({ top_ups: 1, attempts: 0 });
    });

    it.each<[string, (topUp: TopUp) => TopUp]>([
      ['an account id that is not one', (topUp) => ({ ...topUp, accountId: 'unstorable\u202e' })],
      ['an external id that is not one', (topUp) => ({ ...topUp, externalId: 'has space' as ExternalId })],
      [
        'a destination of another country',
        (topUp) => ({ ...topUp, destination: { ...topUp.destination, callingCode: '1' } }),
      ],
      ['an invalid date', (topUp) => ({ ...topUp, updatedAt: new Date(Number.NaN) })],
    ])('refuses a top-up with %s before writing any, keeping the unit of work usable', async (_, spoil) => {
      const good = newTopUp('unstorable', `order-${sequence}-a`);
      const bad = spoil(newTopUp('unstorable', `order-${sequence}-b`));
      const after = newTopUp('unstorable', `order-${sequence}-c`);
      const failure = await Effect.runPromise(
        inUnit(
          Effect.gen(function* () {
            const refused = yield* Effect.flip(
              repository.insertAll([good, bad, newTopUp('unstorable', `order-${sequence}-d`)]),
            );
            // nothing was sent: the transaction is not aborted, and commits what follows
            yield* repository.insert(after);
            return refused;
          }),
        ),
      );
      expect(failure).toMatchObject({
        _tag: 'PersistenceFailure',
        retryable: false,
        reason: expect.stringMatching(new RegExp(`^top-up ${bad.id}\\b.*cannot be stored`)),
      });
      expect(await stored(good)).toBeUndefined();
      expect(await stored(after)).toStrictEqual({ topUp: after, version: 1 });
    });

    it('lets one of two concurrent batches sharing a key win whole; the other fails with a DuplicateKey', async () => {
      const inserted = Effect.runSync(Deferred.make<void>());
      const commit = Effect.runSync(Deferred.make<void>());
      const first = [newTopUp('race', 'order-1'), newTopUp('race', 'order-2')];
      const second = [newTopUp('race', 'order-3'), newTopUp('race', 'order-2')];
      const firstDone = Effect.runPromise(
        inUnit(
          Effect.gen(function* () {
            yield* repository.insertAll(first);
            yield* Deferred.succeed(inserted, undefined);
            yield* Deferred.await(commit);
          }),
        ),
      );
      await Effect.runPromise(Deferred.await(inserted));
      const secondDone = failureOf(inUnit(repository.insertAll(second)));
      // the second waits on the first's uncommitted key until the first commits
      for (let waited = 0; ; waited += 1) {
        const [row] = (await db.dataSource.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )) as { waiting: number }[];
        if ((row?.waiting ?? 0) > 0) break;
        if (waited > 3000) throw new Error('the second batch never waited for the first');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await Effect.runPromise(Deferred.succeed(commit, undefined));
      await firstDone;
      expect(await secondDone).toMatchObject({ _tag: 'DuplicateKey', entity: 'TopUp' });
      expect(await storedOf([...first, ...second])).toStrictEqual([
        { topUp: first[0], version: 1 },
        { topUp: first[1], version: 1 },
        undefined,
        undefined,
      ]);
    });
  });
});
