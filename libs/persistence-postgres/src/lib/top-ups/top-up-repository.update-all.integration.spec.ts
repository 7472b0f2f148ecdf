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
  type TopUpUpdate,
} from '@airtime/domain';
import {
  arbitraryAttemptOutcome,
  arbitraryProviderStatusAnswer,
  sampleNewTopUp,
  samplePhoneNumberFor,
} from '@airtime/domain/testing';
import { Cause, Deferred, Effect, Either, Exit, Option } from 'effect';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { poolOf, sql } from '../unit-of-work/sql';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { makeTopUpRepository } from './top-up-repository.adapter';

const t0 = new Date(Date.UTC(2025, 4, 1, 8));
const externalId = (text: string): ExternalId => Either.getOrThrow(parseExternalId(text));
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const result = await Effect.runPromise(Effect.either(effect));
  return Either.isLeft(result) ? result.left : undefined;
};

let sequence = 0;
const newTopUp = (accountId: string, external: string, now = t0): TopUp => {
  sequence += 1;
  return Either.getOrThrow(
    createTopUp(
      sampleNewTopUp({
        id: `ua-${String(sequence).padStart(5, '0')}`,
        accountId,
        externalId: externalId(external),
        now,
      }),
    ),
  ).topUp;
};

/** Text a provider may send back: quotes, escapes, JSON and SQL look-alikes, invisible and combining characters. */
const UNUSUAL_UNITS = [
  'a',
  'é',
  'e\u0301',
  '字',
  '😀',
  '𝔘',
  '"',
  "'",
  '\\',
  '\\u0000',
  '\n',
  '\t',
  '\u0001',
  '\u007f',
  '{',
  '$1',
  '::jsonb',
  '\u00a0',
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffd',
  '\uffff',
] as const;
const arbitraryUnusualText = (minLength = 0) =>
  fc.array(fc.constantFrom(...UNUSUAL_UNITS), { minLength, maxLength: 12 }).map((units) => units.join(''));

/** Outcomes with failure details and provider transaction ids in unusual text, besides the domain's own. */
const arbitraryOutcome: fc.Arbitrary<AttemptOutcome> = fc.oneof(
  arbitraryAttemptOutcome,
  fc
    .record({
      reason: fc.constantFrom('OPERATOR_UNAVAILABLE', 'DECLINED_BY_OPERATOR' as const),
      detail: arbitraryUnusualText(),
      providerTransactionId: arbitraryUnusualText(1),
    })
    .map((fields) => attemptFailed(fields)),
  fc
    .tuple(fc.constantFrom('TIMEOUT_AFTER_SEND', 'SERVER_ERROR_AFTER_SEND' as const), arbitraryUnusualText())
    .map(([reason, detail]) => attemptUnknown(reason, detail)),
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
const arbitrarySteps = (maxLength: number) => fc.array(arbitraryStep, { maxLength });

/**
 * Where `steps` take a top-up (a step the domain refuses is skipped), a
 * minute apart after its last change: what a use case would store next.
 */
const lived = (topUp: TopUp, steps: readonly Step[]): TopUp =>
  steps.reduce((current, step, index) => {
    const now = new Date(topUp.updatedAt.getTime() + (index + 1) * 60_000 + 7);
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

/** A top-up that also claims another identity (account, external id, destination, quote, creation time). */
const withOtherIdentity = (topUp: TopUp): TopUp => ({
  ...topUp,
  accountId: 'someone-else',
  externalId: externalId('another-order'),
  destination: samplePhoneNumberFor(topUp.destination.countryIso === 'KE' ? 'TZ' : 'KE'),
  quote: { ...topUp.quote, cost: { ...topUp.quote.cost, amountMinor: topUp.quote.cost.amountMinor + 1n } },
  createdAt: new Date(topUp.createdAt.getTime() - 1),
});

/** The identity of `stored` with the rest of `changed`: what an update stores. */
const withIdentityOf = (stored: TopUp, changed: TopUp): TopUp => ({
  ...changed,
  accountId: stored.accountId,
  externalId: stored.externalId,
  destination: stored.destination,
  quote: stored.quote,
  createdAt: stored.createdAt,
});

/** What `update` answers, as `updateAll` answers it: written, or not for a ConcurrentModification. */
const answerOf = (update: Effect.Effect<void, { readonly _tag: string }>) =>
  update.pipe(
    Effect.as(true),
    Effect.catchIf(
      (failure) => failure._tag === 'ConcurrentModification',
      () => Effect.succeed(false),
    ),
  );

/** How one top-up of the property came to be, and the change to store. */
interface History {
  readonly initial: readonly Step[];
  /** Changes stored before, one update each. */
  readonly before: readonly (readonly Step[])[];
  /** fresh: the version stored; stale: another change was stored since the top-up was read; ahead: a version never reached. */
  readonly read: 'fresh' | 'stale' | 'ahead';
  readonly intervening: readonly Step[];
  readonly change: readonly Step[];
  readonly otherIdentity: boolean;
}

const arbitraryHistory: fc.Arbitrary<History> = fc.record({
  initial: arbitrarySteps(3),
  before: fc.array(arbitrarySteps(2), { maxLength: 2 }),
  read: fc.constantFrom('fresh', 'fresh', 'fresh', 'stale', 'stale', 'ahead' as const),
  intervening: arbitrarySteps(2),
  // an attempt first, mostly: most changes a use case stores start or settle one
  change: fc
    .tuple(
      fc.oneof(
        { weight: 3, arbitrary: arbitraryStep.filter((step) => step.kind === 'attempt') },
        { weight: 1, arbitrary: arbitraryStep },
      ),
      arbitrarySteps(3),
    )
    .map(([step, steps]) => [step, ...steps]),
  otherIdentity: fc.boolean(),
});

describe('top-up repository updateAll on PostgreSQL', () => {
  let db: TestDatabase;
  /** A database kept identical to `db`, where `update` stores the same changes one by one. */
  let twin: TestDatabase;
  let repository: TopUpRepositoryService;
  let twinRepository: TopUpRepositoryService;
  const inUnit = <A, E>(effect: Effect.Effect<A, E>) => makeUnitOfWork(db.dataSource).transactionally(effect);
  const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
  const storedIn = async (store: TopUpRepositoryService, id: string) =>
    Option.getOrUndefined(await run(store.findById(id)));
  const stored = (topUp: TopUp) => storedIn(repository, topUp.id);
  const storedOf = (topUps: readonly TopUp[]) => Promise.all(topUps.map(stored));
  /** A top-up's row and attempt rows, every column. */
  const rowsOf = async (database: TestDatabase, id: string) => {
    const [row] = (await database.dataSource.query(`SELECT to_jsonb(t) AS row FROM top_ups t WHERE id = $1`, [id])) as {
      row: unknown;
    }[];
    const attempts = (await database.dataSource.query(
      `SELECT to_jsonb(a) AS row FROM top_up_attempts a WHERE top_up_id = $1 ORDER BY number`,
      [id],
    )) as { row: unknown }[];
    return { row: row?.row, attempts: attempts.map((attempt) => attempt.row) };
  };
  /** The repository on `db` through a pool that records every statement sent (outside a unit of work). */
  const recorded = () => {
    const pool = poolOf(db.dataSource);
    const statements: string[] = [];
    const dataSource = {
      driver: {
        master: {
          query: (query: { text: string }) => {
            statements.push(query.text);
            return pool.query(query);
          },
        },
      },
    } as unknown as DataSource;
    return { repository: makeTopUpRepository(dataSource), statements };
  };
  /**
   * The plans PostgreSQL picks when `top_ups` is big (seen on a million
   * rows): each change's row found by its primary key, in the order of the
   * list, where on the small table of a test it scans the table (one order
   * for every call). Two calls naming rows in other orders then meet as in
   * production. Planned for this unit's statements, whatever the
   * connection's plan cache holds.
   */
  const asOnALargeTable = Effect.suspend(() =>
    sql(
      db.dataSource,
      `SELECT set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', 'off', true),
              set_config('enable_mergejoin', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true)`,
    ),
  );
  const inserted = async (topUps: readonly TopUp[]) => {
    await run(inUnit(repository.insertAll(topUps)));
    return topUps;
  };

  beforeAll(async () => {
    [db, twin] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    repository = makeTopUpRepository(db.dataSource);
    twinRepository = makeTopUpRepository(twin.dataSource);
  });
  afterAll(async () => Promise.all([db?.drop(), twin?.drop()]));

  it('stores the changes as update stores them one by one, in order: same answers, same rows', async () => {
    let round = 0;
    const seen = { written: 0, stale: 0, ahead: 0, attemptsWritten: 0, attemptsRefused: 0, otherIdentity: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(arbitraryHistory, { minLength: 1, maxLength: 6 }), async (histories) => {
        round += 1;
        const both = async (effect: (store: TopUpRepositoryService) => Effect.Effect<unknown, unknown>) => {
          await Effect.runPromise(effect(repository));
          await Effect.runPromise(effect(twinRepository));
        };
        const updates: TopUpUpdate[] = [];
        const storedBefore: TopUp[] = [];
        for (const [index, history] of histories.entries()) {
          let current = lived(
            newTopUp(`run-${round}`, `order-${index}`, new Date(t0.getTime() + index)),
            history.initial,
          );
          const first = current;
          await both((store) => store.insert(first));
          let version = 1;
          for (const steps of history.before) {
            const next = lived(current, steps);
            const at = version;
            await both((store) => store.update(next, at));
            [current, version] = [next, version + 1];
          }
          const read = { topUp: current, version };
          if (history.read === 'stale') {
            const next = lived(current, history.intervening);
            const at = version;
            await both((store) => store.update(next, at));
            [current, version] = [next, version + 1];
          }
          storedBefore.push(current);
          const changed = lived(read.topUp, history.change);
          updates.push({
            topUp: history.otherIdentity ? withOtherIdentity(changed) : changed,
            expectedVersion: history.read === 'ahead' ? read.version + 1 : read.version,
          });
        }
        const versionsBefore = await Promise.all(updates.map(async ({ topUp }) => (await stored(topUp))?.version));

        const answers = await run(inUnit(repository.updateAll(updates)));
        const oneByOne: boolean[] = [];
        for (const { topUp, expectedVersion } of updates)
          oneByOne.push(await run(answerOf(twinRepository.update(topUp, expectedVersion))));

        expect(answers).toStrictEqual(oneByOne);
        for (const [index, { topUp, expectedVersion }] of updates.entries()) {
          const before = storedBefore[index] as TopUp;
          const read = await stored(topUp);
          // fast-check may build objects without a prototype: compare with plain copies, strictly
          expect(read).toStrictEqual(await storedIn(twinRepository, topUp.id));
          expect(await rowsOf(db, topUp.id)).toStrictEqual(await rowsOf(twin, topUp.id));
          // and as the contract says, not only as update does it
          const written = expectedVersion === versionsBefore[index];
          expect(answers[index]).toBe(written);
          expect(read).toStrictEqual(
            structuredClone(
              written
                ? { topUp: withIdentityOf(before, topUp), version: expectedVersion + 1 }
                : { topUp: before, version: versionsBefore[index] },
            ),
          );
          const attemptsChanged = JSON.stringify(topUp.attempts) !== JSON.stringify(before.attempts);
          if (written) seen.written += 1;
          else if (histories[index]?.read === 'stale') seen.stale += 1;
          else seen.ahead += 1;
          if (attemptsChanged && written) seen.attemptsWritten += 1;
          if (attemptsChanged && !written) seen.attemptsRefused += 1;
          if (histories[index]?.otherIdentity === true) seen.otherIdentity += 1;
        }
      }),
      { numRuns: 40 },
    );
    // the runs met every case
    expect(seen.written).toBeGreaterThan(40);
    expect(seen.stale).toBeGreaterThan(15);
    expect(seen.ahead).toBeGreaterThan(8);
    expect(seen.attemptsWritten).toBeGreaterThan(8);
    expect(seen.attemptsRefused).toBeGreaterThan(5);
    expect(seen.otherIdentity).toBeGreaterThan(25);
  });

  it('answers [] for an empty list without a statement, inside a unit of work or not', async () => {
    const { repository: recording, statements } = recorded();
    expect(await run(recording.updateAll([]))).toStrictEqual([]);
    expect(await run(inUnit(repository.updateAll([])))).toStrictEqual([]);
    expect(statements).toStrictEqual([]);
  });

  it('sends one statement when every change is written, and one existence query more for all the others', async () => {
    const topUps = await inserted([1, 2, 3, 4].map((index) => newTopUp('statements', `order-${index}`)));
    const { repository: recording, statements } = recorded();
    const later = (topUp: TopUp) => ({ ...topUp, updatedAt: new Date(topUp.updatedAt.getTime() + 1000) });

    expect(
      await run(recording.updateAll(topUps.map((topUp) => ({ topUp: later(topUp), expectedVersion: 1 })))),
    ).toStrictEqual([true, true, true, true]);
    expect(statements).toHaveLength(1);

    statements.length = 0;
    const mixed = topUps.map((topUp, index) => ({
      topUp: later(later(topUp)),
      expectedVersion: index % 2 === 0 ? 2 : 1,
    }));
    expect(await run(recording.updateAll(mixed))).toStrictEqual([true, false, true, false]);
    expect(statements).toHaveLength(2);
    expect(await storedOf(topUps)).toStrictEqual([
      { topUp: later(later(topUps[0] as TopUp)), version: 3 },
      { topUp: later(topUps[1] as TopUp), version: 2 },
      { topUp: later(later(topUps[2] as TopUp)), version: 3 },
      { topUp: later(topUps[3] as TopUp), version: 2 },
    ]);
  });

  it('dies when a top-up is named twice, before any statement, and writes nothing', async () => {
    const [topUp, other] = await inserted([newTopUp('twice', 'order-1'), newTopUp('twice', 'order-2')]);
    const { repository: recording, statements } = recorded();
    const changed = lived(topUp as TopUp, [{ kind: 'cancel' }]);
    for (const updates of [
      [
        { topUp: changed, expectedVersion: 1 },
        { topUp: other as TopUp, expectedVersion: 1 },
        { topUp: changed, expectedVersion: 1 },
      ],
      // the same id with other values, and a top-up never stored besides: still a defect of the caller
      [
        { topUp: changed, expectedVersion: 1 },
        { topUp: newTopUp('twice', 'never-stored'), expectedVersion: 1 },
        { topUp: { ...changed, updatedAt: new Date(changed.updatedAt.getTime() + 1) }, expectedVersion: 2 },
      ],
    ]) {
      for (const call of [recording.updateAll(updates), inUnit(repository.updateAll(updates))]) {
        const exit = await Effect.runPromiseExit(call);
        expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true);
        if (Exit.isFailure(exit)) expect(Cause.pretty(exit.cause)).toContain('named twice');
      }
    }
    expect(statements).toStrictEqual([]);
    expect(await storedOf([topUp as TopUp, other as TopUp])).toStrictEqual([
      { topUp, version: 1 },
      { topUp: other, version: 1 },
    ]);
  });

  describe('a top-up never stored', () => {
    it('fails the call, non-retryable, naming it; the unit of work rolls back the changes of the others', async () => {
      const [first, second] = await inserted([newTopUp('never', 'order-1'), newTopUp('never', 'order-2')]);
      const stale = await inserted([newTopUp('never', 'order-3')]);
      const never = newTopUp('never', 'order-4');
      const updates = [
        { topUp: lived(first as TopUp, [{ kind: 'cancel' }]), expectedVersion: 1 },
        { topUp: lived(stale[0] as TopUp, [{ kind: 'cancel' }]), expectedVersion: 7 },
        {
          topUp: lived(never, [{ kind: 'attempt', outcome: attemptUnknown('TIMEOUT_AFTER_SEND'), providerId: 'dvs' }]),
          expectedVersion: 1,
        },
        {
          topUp: lived(second as TopUp, [
            { kind: 'attempt', outcome: attemptFailed({ reason: 'DECLINED_BY_OPERATOR' }), providerId: 'dvs' },
          ]),
          expectedVersion: 1,
        },
      ];
      expect(await failureOf(inUnit(repository.updateAll(updates)))).toStrictEqual(
        expect.objectContaining({
          _tag: 'PersistenceFailure',
          retryable: false,
          reason: `top-up ${never.id} cannot be updated: it was never stored`,
        }),
      );
      // as update says it
      expect(await failureOf(repository.update(never, 1))).toMatchObject({
        reason: `top-up ${never.id} cannot be updated: it was never stored`,
      });
      expect(await storedOf([first as TopUp, stale[0] as TopUp, never, second as TopUp])).toStrictEqual([
        { topUp: first, version: 1 },
        { topUp: stale[0], version: 1 },
        undefined,
        { topUp: second, version: 1 },
      ]);
      expect((await rowsOf(db, (second as TopUp).id)).attempts).toStrictEqual([]);
    });

    it('names the first of several, and fails alike when it is the only one', async () => {
      const [topUp] = await inserted([newTopUp('never-many', 'order-1')]);
      const [a, b] = [newTopUp('never-many', 'order-2'), newTopUp('never-many', 'order-3')];
      const updates = [
        { topUp: topUp as TopUp, expectedVersion: 1 },
        { topUp: b, expectedVersion: 1 },
        { topUp: a, expectedVersion: 1 },
      ];
      expect(await failureOf(inUnit(repository.updateAll(updates)))).toMatchObject({
        reason: `top-up ${b.id} cannot be updated: it was never stored`,
      });
      expect(await failureOf(inUnit(repository.updateAll([{ topUp: a, expectedVersion: 1 }])))).toMatchObject({
        _tag: 'PersistenceFailure',
        retryable: false,
        reason: `top-up ${a.id} cannot be updated: it was never stored`,
      });
      expect(await stored(topUp as TopUp)).toStrictEqual({ topUp, version: 1 });
    });

    it.each([
      ['a NUL', '\u0000'],
      ['half of a surrogate pair', '\ud83d'],
    ])('is one whose id holds %s: refused before any statement, the unit of work stays usable', async (_, text) => {
      const [topUp] = await inserted([newTopUp('unstorable', `order-${sequence}`)]);
      // a row whose id the unstorable one would meet, were it sent (pg sends a lone surrogate as U+FFFD)
      const [lookalike] = await inserted([
        { ...newTopUp('unstorable', `order-${sequence}-b`), id: `ua-look-${sequence}\ufffd` },
      ]);
      const unstorable = { ...(lookalike as TopUp), id: (lookalike as TopUp).id.replace('\ufffd', text) };
      const { repository: recording, statements } = recorded();
      const changed = lived(topUp as TopUp, [{ kind: 'cancel' }]);
      expect(await failureOf(recording.updateAll([{ topUp: unstorable, expectedVersion: 1 }]))).toMatchObject({
        _tag: 'PersistenceFailure',
        retryable: false,
        reason: `top-up ${unstorable.id} cannot be updated: it was never stored`,
      });
      expect(statements).toStrictEqual([]);
      const answered = await run(
        inUnit(
          Effect.gen(function* () {
            yield* Effect.flip(
              repository.updateAll([
                { topUp: changed, expectedVersion: 1 },
                { topUp: unstorable, expectedVersion: 1 },
              ]),
            );
            return yield* repository.updateAll([{ topUp: changed, expectedVersion: 1 }]);
          }),
        ),
      );
      expect(answered).toStrictEqual([true]);
      expect(await storedOf([topUp as TopUp, lookalike as TopUp])).toStrictEqual([
        { topUp: changed, version: 2 },
        { topUp: lookalike, version: 1 },
      ]);
    });
  });

  it('never rewrites the identity of a top-up (account, external id, destination, quote, creation time)', async () => {
    const [topUp] = await inserted([newTopUp('identity', 'order-1')]);
    const changed = lived(topUp as TopUp, [
      { kind: 'attempt', outcome: attemptFailed({ reason: 'OPERATOR_UNAVAILABLE' }), providerId: 'dvs' },
    ]);
    const rowBefore = (await rowsOf(db, (topUp as TopUp).id)).row as Record<string, unknown>;
    expect(
      await run(inUnit(repository.updateAll([{ topUp: withOtherIdentity(changed), expectedVersion: 1 }]))),
    ).toStrictEqual([true]);
    expect(await stored(topUp as TopUp)).toStrictEqual({ topUp: changed, version: 2 });
    const rowAfter = (await rowsOf(db, (topUp as TopUp).id)).row as Record<string, unknown>;
    for (const column of [
      'id',
      'account_id',
      'external_id',
      'destination_e164',
      'destination_country',
      'product_id',
      'operator_id',
      'receive_minor',
      'receive_currency',
      'cost_minor',
      'cost_currency',
      'quote',
      'created_at',
    ])
      expect([column, rowAfter[column]]).toStrictEqual([column, rowBefore[column]]);
  });

  it('stores unusual text in failure details and provider transaction ids exactly', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryUnusualText(1), arbitraryUnusualText(1), async (detail, providerTransactionId) => {
        const [topUp] = await inserted([newTopUp('unicode', `order-${sequence}`)]);
        const started = Either.getOrThrow(startAttempt(topUp as TopUp, new Date(t0.getTime() + 60_000), 'dvs')).topUp;
        const failed = Either.getOrThrow(
          recordAttemptOutcome(
            started,
            attemptFailed({ reason: 'DECLINED_BY_OPERATOR', detail, providerTransactionId }),
            new Date(t0.getTime() + 61_000),
          ),
        ).topUp;
        // a detail of the top-up's own failure as well, whatever the domain would make of it
        const changed: TopUp = {
          ...failed,
          failureReason: { reason: 'DECLINED_BY_OPERATOR', attemptsExhausted: false, detail: `${detail}|${detail}` },
        };
        expect(await run(inUnit(repository.updateAll([{ topUp: changed, expectedVersion: 1 }])))).toStrictEqual([true]);
        expect(await stored(changed)).toStrictEqual({ topUp: changed, version: 2 });
        expect(changed.attempts[0]?.providerTransactionId).toBe(providerTransactionId);
        expect(changed.attempts[0]?.failure?.detail).toBe(detail);
      }),
      { numRuns: 25 },
    );
  });

  it('stores many changes in one call', async () => {
    const topUps = await inserted(Array.from({ length: 500 }, (_, index) => newTopUp('many', `order-${index}`)));
    const changed = topUps.map((topUp) =>
      lived(topUp, [{ kind: 'attempt', outcome: attemptUnknown('TIMEOUT_AFTER_SEND'), providerId: 'dvs' }]),
    );
    const answers = await run(
      inUnit(
        repository.updateAll(changed.map((topUp, index) => ({ topUp, expectedVersion: index % 5 === 0 ? 2 : 1 }))),
      ),
    );
    expect(answers).toStrictEqual(changed.map((_, index) => index % 5 !== 0));
    const read = await storedOf(changed);
    expect(read[1]).toStrictEqual({ topUp: changed[1], version: 2 });
    expect(read[5]).toStrictEqual({ topUp: topUps[5], version: 1 });
    const [counts] = (await db.dataSource.query(
      `SELECT count(*) FILTER (WHERE version = 2)::int AS written, (SELECT count(*)::int FROM top_up_attempts a
         JOIN top_ups u ON u.id = a.top_up_id WHERE u.account_id = 'many') AS attempts
       FROM top_ups WHERE account_id = 'many'`,
    )) as { written: number; attempts: number }[];
    expect(counts).toStrictEqual({ written: 400, attempts: 400 });
  });

  describe('concurrent calls', () => {
    it('makes a call sharing a top-up wait for the other to commit, then answers false for it: no lost update', async () => {
      const [x, y, z] = await inserted([
        newTopUp('wait', 'order-1'),
        newTopUp('wait', 'order-2'),
        newTopUp('wait', 'order-3'),
      ]);
      const [xs, ys, zs] = [x, y, z] as [TopUp, TopUp, TopUp];
      const cancelled = (topUp: TopUp) => lived(topUp, [{ kind: 'cancel' }]);
      const attempted = (topUp: TopUp) =>
        lived(topUp, [
          {
            kind: 'attempt',
            outcome: attemptFailed({ reason: 'OPERATOR_UNAVAILABLE' }),
            providerId: 'africas-talking',
          },
        ]);
      const written = Effect.runSync(Deferred.make<readonly boolean[]>());
      const commit = Effect.runSync(Deferred.make<void>());
      const firstDone = run(
        inUnit(
          Effect.gen(function* () {
            const answers = yield* repository.updateAll([
              { topUp: cancelled(xs), expectedVersion: 1 },
              { topUp: cancelled(ys), expectedVersion: 1 },
            ]);
            yield* Deferred.succeed(written, answers);
            yield* Deferred.await(commit);
          }),
        ),
      );
      expect(await run(Deferred.await(written))).toStrictEqual([true, true]);
      const secondDone = run(
        inUnit(
          repository.updateAll([
            { topUp: attempted(zs), expectedVersion: 1 },
            { topUp: attempted(ys), expectedVersion: 1 },
          ]),
        ),
      );
      // the second waits on the row of y the first changed, until the first commits
      for (let waited = 0; ; waited += 1) {
        const [row] = (await db.dataSource.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )) as { waiting: number }[];
        if ((row?.waiting ?? 0) > 0) break;
        if (waited > 3000) throw new Error('the second call never waited for the first');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await run(Deferred.succeed(commit, undefined));
      await firstDone;
      expect(await secondDone).toStrictEqual([true, false]);
      expect(await storedOf([xs, ys, zs])).toStrictEqual([
        { topUp: cancelled(xs), version: 2 },
        { topUp: cancelled(ys), version: 2 },
        { topUp: attempted(zs), version: 2 },
      ]);
      expect((await rowsOf(db, ys.id)).attempts).toStrictEqual([]);
    });

    it('locks the rows it writes until its unit of work ends, and leaves those of stale versions unlocked', async () => {
      const [fresh, stale] = (await inserted([newTopUp('locks', 'order-1'), newTopUp('locks', 'order-2')])) as [
        TopUp,
        TopUp,
      ];
      const written = Effect.runSync(Deferred.make<readonly boolean[]>());
      const end = Effect.runSync(Deferred.make<void>());
      const done = run(
        inUnit(
          Effect.gen(function* () {
            yield* Deferred.succeed(
              written,
              yield* repository.updateAll([
                { topUp: stale, expectedVersion: 2 },
                { topUp: fresh, expectedVersion: 1 },
              ]),
            );
            yield* Deferred.await(end);
          }),
        ),
      );
      expect(await run(Deferred.await(written))).toStrictEqual([false, true]);
      const lockNow = (topUp: TopUp) =>
        db.dataSource.query(`SELECT id FROM top_ups WHERE id = $1 FOR UPDATE NOWAIT`, [topUp.id]).then(
          () => 'free',
          (error: { driverError?: { code?: string } }) => error.driverError?.code,
        );
      expect(await lockNow(stale)).toBe('free');
      expect(await lockNow(fresh)).toBe('55P03');
      await run(Deferred.succeed(end, undefined));
      await done;
      expect(await lockNow(fresh)).toBe('free');
    });

    it('lets overlapping calls in any order each write a top-up at most once per version, without deadlocking', async () => {
      let round = 0;
      let shared = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 10, max: 150 }).chain((size) =>
            fc.tuple(
              fc.array(fc.tuple(arbitrarySteps(2), arbitrarySteps(2), arbitrarySteps(2)), {
                minLength: size,
                maxLength: size,
              }),
              fc.shuffledSubarray([...Array(size).keys()], { minLength: 1 }),
              fc.shuffledSubarray([...Array(size).keys()], { minLength: 1 }),
              fc.boolean(),
            ),
          ),
          async ([lives, first, second, large]) => {
            round += 1;
            const topUps = await inserted(
              lives.map(([initial], index) => lived(newTopUp(`race-${round}`, `order-${index}`), initial)),
            );
            const batchOf = (indices: readonly number[], side: 1 | 2) =>
              indices.map((index) => ({
                topUp: lived(topUps[index] as TopUp, (lives[index] as [Step[], Step[], Step[]])[side]),
                expectedVersion: 1,
              }));
            const [a, b] = [batchOf(first, 1), batchOf(second, 2)];
            // both units open, then both statements sent at once: they meet on the rows they share
            const go = Effect.runSync(Deferred.make<void>());
            const ready = [Effect.runSync(Deferred.make<void>()), Effect.runSync(Deferred.make<void>())] as const;
            const call = (updates: readonly TopUpUpdate[], side: 0 | 1) =>
              run(
                inUnit(
                  Effect.gen(function* () {
                    if (large) yield* asOnALargeTable;
                    yield* Deferred.succeed(ready[side], undefined);
                    yield* Deferred.await(go);
                    return yield* repository.updateAll(updates);
                  }),
                ),
              );
            const calls = Promise.all([call(a, 0), call(b, 1)]);
            await run(Effect.zipRight(Deferred.await(ready[0]), Deferred.await(ready[1])));
            await run(Deferred.succeed(go, undefined));
            const [answersA, answersB] = await calls;
            for (const [index, topUp] of topUps.entries()) {
              const writes = [
                ...a.flatMap((update, at) => (update.topUp.id === topUp.id && answersA[at] ? [update.topUp] : [])),
                ...b.flatMap((update, at) => (update.topUp.id === topUp.id && answersB[at] ? [update.topUp] : [])),
              ];
              const named = Number(first.includes(index)) + Number(second.includes(index));
              if (named === 2) shared += 1;
              // one of the calls read it at version 1 and wrote it: the other, from version 1 too, did not
              expect(writes).toHaveLength(named === 0 ? 0 : 1);
              expect(await stored(topUp)).toStrictEqual(
                structuredClone({ topUp: writes[0] ?? topUp, version: 1 + writes.length }),
              );
            }
          },
        ),
        // a race shrinks to nothing useful: the first counterexample is the report
        { numRuns: 25, endOnFailure: true },
      );
      expect(shared).toBeGreaterThan(25);
    });
  });
});
