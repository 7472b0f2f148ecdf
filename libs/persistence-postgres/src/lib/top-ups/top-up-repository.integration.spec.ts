import {
  attemptAccepted,
  attemptFailed,
  createTopUp,
  type ExternalId,
  impliedRate,
  makeFixedProduct,
  money,
  preciseOf,
  type NewTopUp,
  parseExternalId,
  type Quote,
  recordAttemptOutcome,
  rejectForRefusedHold,
  startAttempt,
  statusOfClass,
  type TopUp,
  type TopUpRepositoryService,
  type TransactionClass,
} from '@airtime/domain';
import { sampleNewTopUp, sampleQuote, testCurrency } from '@airtime/domain/testing';
import { Effect, Either, Option } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeLedgerStore } from '../ledger/ledger-store.adapter';
import { makeOutbox } from '../outbox/outbox.adapter';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { dailyTotals } from './daily-totals.queries';
import { makeTopUpRepository } from './top-up-repository.adapter';

const t0 = new Date(Date.UTC(2025, 0, 1, 12));
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
const MINUTE = 60_000;
const externalId = (text: string): ExternalId => Either.getOrThrow(parseExternalId(text));
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const attempt = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(Effect.either(effect));
/** What an Option-returning effect found (Jest compares Options loosely, so tests compare their content). */
const found = async <A, E>(effect: Effect.Effect<Option.Option<A>, E>) =>
  Option.getOrUndefined(await Effect.runPromise(effect));
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const result = await attempt(effect);
  return Either.isLeft(result) ? result.left : undefined;
};

let sequence = 0;
const newTopUp = (overrides: Partial<NewTopUp> = {}): TopUp => {
  sequence += 1;
  return Either.getOrThrow(
    createTopUp(
      sampleNewTopUp({
        id: `t${String(sequence).padStart(4, '0')}`,
        externalId: externalId(`order-${sequence}`),
        ...overrides,
      }),
    ),
  ).topUp;
};
/** The top-up after a first attempt that failed retryably: a retry is scheduled a minute later. */
const awaitingRetry = (topUp: TopUp, now: Date): TopUp => {
  const started = Either.getOrThrow(startAttempt(topUp, now, 'dvs'));
  return Either.getOrThrow(recordAttemptOutcome(started.topUp, attemptFailed({ reason: 'OPERATOR_UNAVAILABLE' }), now))
    .topUp;
};
const inClass = (topUp: TopUp, transactionClass: TransactionClass): TopUp => ({
  ...topUp,
  status: statusOfClass(transactionClass),
});

/** The sample quote priced in another currency. */
const quoteIn = (code: string, costMinor: bigint): Quote => {
  const sample = sampleQuote();
  const currency = testCurrency(code);
  const { id, name, kind, operator } = sample.product;
  const product = Either.getOrThrow(
    makeFixedProduct({
      id,
      name,
      kind,
      operator,
      destination: sample.receive,
      wholesale: preciseOf(money(costMinor - 1n, currency)),
      fee: preciseOf(money(1n, currency)),
    }),
  );
  return {
    ...sample,
    product,
    wholesale: product.wholesale,
    fee: product.fee,
    costExact: preciseOf(money(costMinor, currency)),
    cost: money(costMinor, currency),
    roundingUp: preciseOf(money(0n, currency)),
    rate: Either.getOrThrow(impliedRate(product.wholesale, product.destination)),
  };
};

describe('top-up repository on PostgreSQL', () => {
  let db: TestDatabase;
  let repository: TopUpRepositoryService;
  const unitOfWork = () => makeUnitOfWork(db.dataSource);
  const outboxRows = async (aggregateId: string) =>
    db.dataSource.query(`SELECT id FROM outbox WHERE aggregate_id = $1`, [aggregateId]) as Promise<unknown[]>;

  beforeAll(async () => {
    db = await createTestDatabase();
    repository = makeTopUpRepository(db.dataSource);
  });
  afterAll(async () => db.drop());

  it('a key holding a NUL finds nothing, inside a unit of work too, and breaks nothing (before: database error 22021)', async () => {
    const topUp = newTopUp();
    await run(repository.insert(topUp));
    const nul = (key: string) => `${key}\u0000`;
    const lookUps = Effect.all([
      repository.findById(nul(topUp.id)),
      repository.findByExternalId(topUp.accountId, nul(topUp.externalId)),
      repository.findByExternalId(nul(topUp.accountId), topUp.externalId),
      repository.findByProviderExternalId('\u0000'),
      repository.findByProviderTransactionId('dvs', 'ATQid_\u0000abc'),
      repository.findByProviderTransactionId(nul('dvs'), 'ptx'),
    ]);
    expect((await Effect.runPromise(lookUps)).every(Option.isNone)).toBe(true);
    // inside a unit of work the transaction stays usable: the top-up is found after them
    const inUnit = await Effect.runPromise(
      unitOfWork().transactionally(Effect.zipRight(lookUps, repository.findById(topUp.id))),
    );
    expect(Option.getOrUndefined(inUnit)?.topUp.id).toBe(topUp.id);
  });

  it('finds an inserted top-up by id and by external id, at version 1', async () => {
    const topUp = newTopUp();
    await run(repository.insert(topUp));
    expect(await found(repository.findById(topUp.id))).toStrictEqual({ topUp, version: 1 });
    expect(await found(repository.findByExternalId(topUp.accountId, topUp.externalId))).toStrictEqual({
      topUp,
      version: 1,
    });
    expect(await found(repository.findById('no-such-top-up'))).toBeUndefined();
    expect(await found(repository.findByExternalId('another-account', topUp.externalId))).toBeUndefined();
  });

  it('stores a top-up refused its hold for funds as it is (INSUFFICIENT_FUNDS)', async () => {
    const refused = Either.getOrThrow(rejectForRefusedHold(newTopUp(), at(t0, 1))).topUp;
    await run(repository.insert(refused));
    expect(await found(repository.findById(refused.id))).toStrictEqual({ topUp: refused, version: 1 });
    expect(refused.failureReason?.reason).toBe('INSUFFICIENT_FUNDS');
  });

  it('refuses a second top-up with the same external id in an account as a DuplicateKey; other accounts may use it', async () => {
    const first = newTopUp({ accountId: 'dup-account', externalId: externalId('order-dup') });
    await run(repository.insert(first));
    const second = newTopUp({ accountId: 'dup-account', externalId: externalId('order-dup') });
    expect(await failureOf(repository.insert(second))).toMatchObject({
      _tag: 'DuplicateKey',
      entity: 'TopUp',
      key: 'dup-account/order-dup',
    });
    expect(
      Option.map(await run(repository.findByExternalId('dup-account', 'order-dup')), ({ topUp }) => topUp.id),
    ).toStrictEqual(Option.some(first.id));
    await run(repository.insert(newTopUp({ accountId: 'other-account', externalId: externalId('order-dup') })));
  });

  it('keeps the unit of work usable after a DuplicateKey (the claim aborts nothing)', async () => {
    const first = newTopUp({ accountId: 'dup-uow', externalId: externalId('order-1') });
    await run(repository.insert(first));
    const existing = await run(
      unitOfWork().transactionally(
        repository
          .insert(newTopUp({ accountId: 'dup-uow', externalId: externalId('order-1') }))
          .pipe(Effect.catchTag('DuplicateKey', () => repository.findByExternalId('dup-uow', 'order-1'))),
      ),
    );
    expect(Option.isOption(existing) && Option.map(existing, ({ topUp }) => topUp.id)).toStrictEqual(
      Option.some(first.id),
    );
  });

  it('does not store a top-up it could not read back', async () => {
    const topUp = newTopUp();
    const wrongCallingCode = { ...topUp, destination: { ...topUp.destination, callingCode: '1' } };
    expect(await failureOf(repository.insert(wrongCallingCode))).toMatchObject({
      _tag: 'PersistenceFailure',
      retryable: false,
      reason: `top-up ${topUp.id} cannot be stored exactly: the calling code of the destination is not that of its country`,
    });
    const unknownCurrency = { ...topUp, quote: { ...topUp.quote, cost: money(200n, { code: 'XXY', exponent: 2 }) } };
    expect(await failureOf(repository.insert(unknownCurrency))).toMatchObject({
      reason: expect.stringMatching(
        /quote cannot be stored exactly: cost\.currency is not a known ISO 4217 currency code/,
      ),
    });
    expect(await found(repository.findById(topUp.id))).toBeUndefined();
  });

  it('the same external id submitted 20 times at once: one top-up, one authorization, one event', async () => {
    const outbox = makeOutbox(db.dataSource);
    const ledger = makeLedgerStore(db.dataSource);
    const usd = testCurrency('USD');
    await run(ledger.openAccount({ accountId: 'race', currency: usd, creditLimitMinor: 0n }));
    await run(ledger.deposit({ accountId: 'race', currency: usd, depositId: 'race-funds', amountMinor: 1_000_000n }));
    const contenders = Array.from({ length: 20 }, () =>
      newTopUp({ accountId: 'race', externalId: externalId('order-race') }),
    );
    // what a submission does: claim the external id, hold the cost, announce it, all in one unit of work
    const results = await Promise.all(
      contenders.map((topUp) =>
        attempt(
          unitOfWork().transactionally(
            Effect.all([
              repository.insert(topUp),
              ledger.authorize({
                accountId: 'race',
                currency: usd,
                transactionId: topUp.id,
                amountMinor: topUp.quote.cost.amountMinor,
              }),
              outbox.append({
                id: `created-${topUp.id}`,
                type: 'topup.created',
                aggregateId: 'race',
                payload: { topUpId: topUp.id },
                occurredAt: t0,
              }),
            ]),
          ),
        ),
      ),
    );
    expect(results.filter(Either.isRight)).toHaveLength(1);
    expect(results.filter(Either.isLeft).map((result) => result.left._tag)).toEqual(
      Array.from({ length: 19 }, () => 'DuplicateKey'),
    );
    const rows = (await db.dataSource.query(`SELECT id FROM top_ups WHERE account_id = 'race'`)) as { id: string }[];
    expect(rows).toHaveLength(1);
    expect(await outboxRows('race')).toEqual([{ id: `created-${rows[0]?.id}` }]);
    const holds = (await db.dataSource.query(`SELECT transaction_id FROM ledger_holds WHERE account_id = 'race'`)) as {
      transaction_id: string;
    }[];
    expect(holds).toEqual([{ transaction_id: rows[0]?.id }]);
    expect(await run(ledger.account('race', 'USD'))).toMatchObject({
      holdingMinor: contenders[0]?.quote.cost.amountMinor,
    });
  });

  it('lets one of two updates from the same version win; the other is a ConcurrentModification', async () => {
    const topUp = newTopUp();
    await run(repository.insert(topUp));
    const retrying = awaitingRetry(topUp, at(t0, 1000));
    const cancelled: TopUp = {
      ...inClass(topUp, 'CANCELLED'),
      failureReason: { reason: 'CANCELLED', attemptsExhausted: false },
      updatedAt: at(t0, 2000),
    };
    const results = await Promise.all([
      attempt(repository.update(retrying, 1)),
      attempt(repository.update(cancelled, 1)),
    ]);
    expect(results.filter(Either.isRight)).toHaveLength(1);
    const lost = results.find(Either.isLeft);
    expect(lost?.left).toMatchObject({
      _tag: 'ConcurrentModification',
      entity: 'TopUp',
      id: topUp.id,
      retryable: true,
    });
    const winner = results[0] !== undefined && Either.isRight(results[0]) ? retrying : cancelled;
    expect(await found(repository.findById(topUp.id))).toStrictEqual({ topUp: winner, version: 2 });
    // a stale version stays stale
    expect(await failureOf(repository.update(retrying, 1))).toMatchObject({ _tag: 'ConcurrentModification' });
    await run(repository.update(inClass(winner, 'DECLINED'), 2));
    expect(Option.map(await run(repository.findById(topUp.id)), ({ version }) => version)).toStrictEqual(
      Option.some(3),
    );
  });

  it('never rewrites the identity of a top-up, and refuses to update one never stored', async () => {
    const topUp = newTopUp();
    await run(repository.insert(topUp));
    await run(
      repository.update({ ...topUp, accountId: 'someone-else', quote: quoteIn('EUR', 500n), updatedAt: at(t0, 1) }, 1),
    );
    expect(await found(repository.findById(topUp.id))).toStrictEqual({
      topUp: { ...topUp, updatedAt: at(t0, 1) },
      version: 2,
    });
    expect(await failureOf(repository.update(newTopUp(), 1))).toMatchObject({
      _tag: 'PersistenceFailure',
      retryable: false,
      reason: expect.stringMatching(/never stored/),
    });
  });

  it('stores a top-up and its outbox event in one unit of work, or neither when it fails', async () => {
    const outbox = makeOutbox(db.dataSource);
    const work = (topUp: TopUp, fail: boolean) =>
      unitOfWork().transactionally(
        Effect.gen(function* () {
          yield* repository.insert(topUp);
          yield* outbox.append({
            id: `evt-${topUp.id}`,
            type: 'topup.created',
            aggregateId: topUp.id,
            payload: { amountMinor: '200' },
            occurredAt: t0,
          });
          if (fail) yield* Effect.fail('the provider refused' as const);
        }),
      );
    const failed = newTopUp();
    expect(await failureOf(work(failed, true))).toBe('the provider refused');
    expect(await found(repository.findById(failed.id))).toBeUndefined();
    expect(await outboxRows(failed.id)).toEqual([]);

    const stored = newTopUp();
    await run(work(stored, false));
    expect(Option.isSome(await run(repository.findById(stored.id)))).toBe(true);
    expect(await outboxRows(stored.id)).toEqual([{ id: `evt-${stored.id}` }]);
  });

  it('finds a top-up by the provider external id of any of its attempts', async () => {
    const topUp = awaitingRetry(newTopUp({ externalId: externalId('order-pe') }), at(t0, 0));
    const retried = Either.getOrThrow(startAttempt(topUp, at(t0, 2 * MINUTE), 'dvs')).topUp;
    await run(repository.insert(retried));
    const idsOf = async (providerExternalId: string) =>
      Option.map(await run(repository.findByProviderExternalId(providerExternalId)), ({ topUp: found }) => found.id);
    const [first, second] = retried.attempts.map((attempt) => attempt.providerExternalId);
    expect(await idsOf(first ?? '')).toStrictEqual(Option.some(retried.id));
    expect(await idsOf(second ?? '')).toStrictEqual(Option.some(retried.id));
    expect(await idsOf(`${second ?? ''}x`)).toStrictEqual(Option.none());
    // the same external id in another account gets provider ids of its own: no ambiguity
    const other = Either.getOrThrow(
      startAttempt(
        newTopUp({ accountId: 'other', externalId: externalId('order-pe'), now: at(t0, 3 * MINUTE) }),
        at(t0, 3 * MINUTE),
      ),
    ).topUp;
    await run(repository.insert(other));
    expect(other.attempts[0]?.providerExternalId).not.toBe(first);
    expect(await idsOf(first ?? '')).toStrictEqual(Option.some(retried.id));
    expect(await idsOf(other.attempts[0]?.providerExternalId ?? '')).toStrictEqual(Option.some(other.id));
  });

  it("finds a top-up by a provider's transaction id, that provider's only", async () => {
    /** A top-up whose first attempt `providerId` answered with `transactionId` (pending there). */
    const answeredBy = (providerId: string, transactionId: string, now: Date) => {
      const started = Either.getOrThrow(startAttempt(newTopUp({ now }), now, providerId)).topUp;
      return Either.getOrThrow(recordAttemptOutcome(started, attemptAccepted(transactionId), now)).topUp;
    };
    const atDvs = answeredBy('dvs', 'ptx-1', at(t0, 0));
    const elsewhere = answeredBy('africas-talking', 'ptx-1', at(t0, MINUTE));
    // a retried top-up: its second attempt got the transaction id
    const retried = Either.getOrThrow(
      startAttempt(awaitingRetry(newTopUp({ now: at(t0, 0) }), at(t0, 0)), at(t0, 2 * MINUTE), 'dvs'),
    ).topUp;
    const answered = Either.getOrThrow(recordAttemptOutcome(retried, attemptAccepted('ptx-2'), at(t0, 2 * MINUTE)));
    for (const topUp of [atDvs, elsewhere, answered.topUp]) await run(repository.insert(topUp));
    const idOf = async (providerId: string, transactionId: string) =>
      (await found(repository.findByProviderTransactionId(providerId, transactionId)))?.topUp.id;

    expect(await found(repository.findByProviderTransactionId('dvs', 'ptx-1'))).toStrictEqual({
      topUp: atDvs,
      version: 1,
    });
    expect(await idOf('africas-talking', 'ptx-1')).toBe(elsewhere.id);
    expect(await idOf('dvs', 'ptx-2')).toBe(answered.topUp.id);
    expect(await idOf('africas-talking', 'ptx-2')).toBeUndefined();
    expect(await idOf('dvs', 'ptx-3')).toBeUndefined();

    // the lookup is served by top_up_attempts_by_provider_transaction_id
    const runner = db.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query('SET LOCAL enable_seqscan = off');
      const plan = (await runner.query(
        `EXPLAIN SELECT top_up_id FROM top_up_attempts WHERE provider_id = $1 AND provider_transaction_id = $2`,
        ['dvs', 'ptx-1'],
      )) as { 'QUERY PLAN': string }[];
      expect(plan.map((line) => line['QUERY PLAN']).join('\n')).toContain('top_up_attempts_by_provider_transaction_id');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  describe('list', () => {
    const base = new Date(Date.UTC(2025, 5, 1));
    const stored: TopUp[] = [];
    beforeAll(async () => {
      for (let index = 0; index < 23; index += 1) {
        // pairs share a creation time: the id breaks the tie
        const topUp = newTopUp({ accountId: 'pager', now: at(base, Math.floor(index / 2) * MINUTE + 1) });
        const classed =
          index % 3 === 0 ? inClass(topUp, 'COMPLETED') : index % 3 === 1 ? inClass(topUp, 'DECLINED') : topUp;
        stored.push(classed);
      }
      // inserted in a shuffled order
      for (const topUp of [...stored].reverse()) await run(repository.insert(topUp));
      await run(repository.insert(newTopUp({ accountId: 'not-paged', now: at(base, 5 * MINUTE) })));
    });
    const order = (topUps: readonly TopUp[]) =>
      [...topUps]
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map(({ id }) => id);

    const walk = async (filter: Parameters<TopUpRepositoryService['list']>[0], limit: number) => {
      const seen: string[] = [];
      const pageSizes: number[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 100; pages += 1) {
        const page = await run(repository.list(filter, limit, cursor));
        seen.push(...page.items.map(({ id }) => id));
        pageSizes.push(page.items.length);
        if (page.nextCursor === undefined) return { seen, pageSizes };
        cursor = page.nextCursor;
      }
      throw new Error('the listing does not end');
    };

    it.each([1, 4, 23, 50])('walks every row exactly once, in (created_at, id) order, %i per page', async (limit) => {
      const { seen, pageSizes } = await walk({ accountId: 'pager' }, limit);
      expect(seen).toEqual(order(stored));
      expect(pageSizes.slice(0, -1).every((size) => size === limit)).toBe(true);
    });

    it('filters by status classes and creation range', async () => {
      const from = at(base, 2 * MINUTE);
      const before = at(base, 9 * MINUTE);
      const { seen } = await walk(
        { accountId: 'pager', classes: ['COMPLETED', 'CREATED'], createdFrom: from, createdBefore: before },
        3,
      );
      expect(seen).toEqual(
        order(
          stored.filter(
            (topUp) =>
              ['COMPLETED', 'CREATED'].includes(topUp.status.class) &&
              topUp.createdAt >= from &&
              topUp.createdAt < before,
          ),
        ),
      );
      expect(seen.length).toBeGreaterThan(3);
      expect((await run(repository.list({ accountId: 'pager', classes: [] }, 10))).items).toEqual([]);
    });

    it('refuses a cursor it did not make, and a bad limit, as non-retryable failures', async () => {
      for (const cursor of [
        'not a cursor!',
        Buffer.from('{"foo":1}').toString('base64url'),
        Buffer.from('[').toString('base64url'),
      ]) {
        expect(await failureOf(repository.list({}, 10, cursor))).toMatchObject({
          _tag: 'PersistenceFailure',
          retryable: false,
          reason: expect.stringMatching(/^invalid cursor: /),
        });
      }
      const forged = Buffer.from(JSON.stringify({ createdAt: '2025-13-01T00:00:00.000000Z', id: 'x' })).toString(
        'base64url',
      );
      expect(await failureOf(repository.list({}, 10, forged))).toMatchObject({
        _tag: 'PersistenceFailure',
        retryable: false,
        reason: expect.stringMatching(/invalid cursor/),
      });
      expect(await failureOf(repository.list({}, 0))).toMatchObject({ _tag: 'PersistenceFailure', retryable: false });
      expect(await failureOf(repository.list({}, 1.5))).toMatchObject({ _tag: 'PersistenceFailure', retryable: false });
    });
  });

  describe('dueForRetry and staleNonFinal (in 1990, apart from the other rows)', () => {
    const era = new Date(Date.UTC(1990, 0, 1));
    const future = new Date(Date.UTC(2100, 0, 1));
    let dueLater: TopUp;
    let dueFirst: TopUp;
    let finalWithRetry: TopUp;
    let noRetry: TopUp;
    let completed: TopUp;
    let heldAtProvider: TopUp;
    beforeAll(async () => {
      dueLater = awaitingRetry(newTopUp({ now: at(era, 0) }), at(era, 10 * MINUTE)); // due at +11 min
      dueFirst = awaitingRetry(newTopUp({ now: at(era, 0) }), at(era, 5 * MINUTE)); // due at +6 min
      finalWithRetry = { ...inClass(awaitingRetry(newTopUp({ now: at(era, 0) }), at(era, 0)), 'DECLINED') };
      noRetry = newTopUp({ now: at(era, 1) });
      completed = inClass(newTopUp({ now: at(era, 2) }), 'COMPLETED');
      // a retry time is known, but the provider has since reported the attempt as pending: not due
      // (in 2100, so that it stays out of the 1990 listings)
      const retrying = awaitingRetry(newTopUp({ now: at(future, 0) }), at(future, 0));
      heldAtProvider = {
        ...retrying,
        attempts: retrying.attempts.map((attempt) => ({
          ...attempt,
          state: 'Pending' as const,
          failure: undefined,
          providerStatus: statusOfClass('SUBMITTED'),
        })),
      };
      for (const topUp of [dueLater, dueFirst, finalWithRetry, noRetry, completed, heldAtProvider])
        await run(repository.insert(topUp));
    });
    const ids = (stored: readonly { topUp: TopUp }[]) => stored.map(({ topUp }) => topUp.id);

    it('gives non-final top-ups whose retry is due, the longest due first', async () => {
      expect(ids(await run(repository.dueForRetry(at(era, 6 * MINUTE - 1), 10)))).toEqual([]);
      expect(ids(await run(repository.dueForRetry(at(era, 6 * MINUTE), 10)))).toEqual([dueFirst.id]);
      expect(ids(await run(repository.dueForRetry(at(era, 60 * MINUTE), 10)))).toEqual([dueFirst.id, dueLater.id]);
      // each with the version it was read at: 1, as inserted
      expect(await run(repository.dueForRetry(at(era, 60 * MINUTE), 1))).toStrictEqual([
        { topUp: dueFirst, version: 1 },
      ]);
    });

    it('leaves out a top-up whose attempt the provider still holds, whatever its next-attempt time', async () => {
      expect(heldAtProvider.nextAttemptAt?.getTime()).toBeLessThan(at(future, 60 * MINUTE).getTime());
      expect(ids(await run(repository.dueForRetry(at(future, 60 * MINUTE), 100)))).not.toContain(heldAtProvider.id);
      expect(ids(await run(repository.dueForRetry(at(future, 60 * MINUTE), 100)))).toContain(dueFirst.id);
    });

    it('gives non-final top-ups not updated since a time, the longest untouched first', async () => {
      expect(ids(await run(repository.staleNonFinal(at(era, 1), 10)))).toEqual([]);
      expect(ids(await run(repository.staleNonFinal(at(era, 2), 10)))).toEqual([noRetry.id]);
      expect(ids(await run(repository.staleNonFinal(at(era, 60 * MINUTE), 10)))).toEqual([
        noRetry.id,
        dueFirst.id,
        dueLater.id,
      ]);
      expect(ids(await run(repository.staleNonFinal(at(era, 60 * MINUTE), 2)))).toEqual([noRetry.id, dueFirst.id]);
      expect(await run(repository.staleNonFinal(at(era, 2), 10))).toStrictEqual([{ topUp: noRetry, version: 1 }]);
    });
  });

  describe('rows that do not decode', () => {
    const corrupt = async (change: string, setup?: (topUp: TopUp) => TopUp) => {
      const topUp = (setup ?? ((value: TopUp) => value))(
        newTopUp({ accountId: 'corrupt', now: new Date(Date.UTC(2040, 0, 1)) }),
      );
      await run(repository.insert(topUp));
      await db.dataSource.query(change.replaceAll(':id', `'${topUp.id}'`));
      const failure = await failureOf(repository.findById(topUp.id));
      await db.dataSource.query(`DELETE FROM top_ups WHERE id = $1`, [topUp.id]);
      return failure;
    };

    it.each([
      ['an unknown status', `UPDATE top_ups SET status = 'DONE' WHERE id = :id`, /unknown status "DONE"/],
      [
        'a status of another class',
        `UPDATE top_ups SET status_class = 'CREATED', status = 'COMPLETED' WHERE id = :id`,
        /COMPLETED is of class COMPLETED, not "CREATED"/,
      ],
      ['a quote that is not one', `UPDATE top_ups SET quote = '{"product": 1}' WHERE id = :id`, /quote\.product /],
      [
        'an amount as a JSON number',
        `UPDATE top_ups SET quote = jsonb_set(quote, '{cost,amountMinor}', '200') WHERE id = :id`,
        /quote\.cost\.amountMinor /,
      ],
      [
        'columns that disagree with the quote',
        `UPDATE top_ups SET cost_minor = 201 WHERE id = :id`,
        /cost differs from the quote/,
      ],
      [
        'an unknown currency',
        `UPDATE top_ups SET quote = jsonb_set(quote, '{fee,currency}', '"XXY"') WHERE id = :id`,
        /currency is not a known ISO 4217 currency code/,
      ],
      [
        'a failure of an unknown reason',
        `UPDATE top_ups SET failure = '{"reason": "BAD_LUCK", "attemptsExhausted": false}' WHERE id = :id`,
        /failure\.reason /,
      ],
      [
        'a destination outside its country',
        `UPDATE top_ups SET destination_country = 'KE' WHERE id = :id`,
        /calling code of KE/,
      ],
    ])('refuses %s with a clear reason', async (_, change, reason) => {
      const failure = await corrupt(change);
      expect(failure).toMatchObject({ _tag: 'PersistenceFailure', retryable: false });
      expect((failure as { reason: string }).reason).toMatch(/^top-up t\d+ does not decode: /);
      expect((failure as { reason: string }).reason).toMatch(reason);
      expect((failure as { reason: string }).reason).not.toMatch(/\+639171234100/);
    });

    it('refuses attempts with a gap in their numbers or half a provider status', async () => {
      const twoAttempts = (topUp: TopUp) =>
        Either.getOrThrow(startAttempt(awaitingRetry(topUp, t0), at(t0, 2 * MINUTE))).topUp;
      expect(
        await corrupt(`DELETE FROM top_up_attempts WHERE top_up_id = :id AND number = 1`, twoAttempts),
      ).toMatchObject({
        reason: expect.stringMatching(/attempts are not numbered 1\.\.1 \(found 2\)/),
      });
      expect(
        await corrupt(
          `UPDATE top_up_attempts SET provider_status = NULL WHERE top_up_id = :id AND number = 1`,
          twoAttempts,
        ),
      ).toMatchObject({
        reason: expect.stringMatching(/^attempt 1 of top-up t\d+ does not decode: provider status class and status/),
      });
    });
  });

  it('totals the cost of the top-ups completed per account and currency on a UTC day', async () => {
    const day = new Date(Date.UTC(2026, 2, 10));
    const completedAt = (accountId: string, ms: number, quote: Quote = sampleQuote()) =>
      inClass(newTopUp({ accountId, now: at(day, ms), quote }), 'COMPLETED');
    const topUps = [
      completedAt('acct-a', 0),
      completedAt('acct-a', 86_400_000 - 1),
      completedAt('acct-a', 5, quoteIn('EUR', 90071992547409931n)),
      completedAt('acct-a', 6, quoteIn('EUR', 9n)),
      inClass(newTopUp({ accountId: 'acct-a', now: at(day, 7) }), 'DECLINED'),
      newTopUp({ accountId: 'acct-a', now: at(day, 8) }),
      completedAt('acct-a', -1),
      completedAt('acct-a', 86_400_000),
      completedAt('acct-b', 12 * 3_600_000),
    ];
    for (const topUp of topUps) await run(repository.insert(topUp));
    const usd = testCurrency('USD');
    const eur = testCurrency('EUR');
    expect(await run(dailyTotals(db.dataSource, at(day, 15 * 3_600_000)))).toEqual([
      { accountId: 'acct-a', count: 2, total: money(90071992547409940n, eur) },
      // the sample quote is charged USD 1.87 (1.857 + 0.0125, rounded up)
      { accountId: 'acct-a', count: 2, total: money(374n, usd) },
      { accountId: 'acct-b', count: 1, total: money(187n, usd) },
    ]);
    expect(await run(dailyTotals(db.dataSource, new Date(Date.UTC(1970, 0, 1))))).toEqual([]);
  });
});
