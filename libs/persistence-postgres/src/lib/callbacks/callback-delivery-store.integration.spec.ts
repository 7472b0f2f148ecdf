import { type CallbackDelivery, CallbackDeliveryStore, CallbackSender, deliverCallbacks } from '@airtime/application';
import { makeRelayCallbackSender, makeRelayClock } from '@airtime/application/testing';
import { createTopUp, UnitOfWork } from '@airtime/domain';
import { sampleNewTopUp } from '@airtime/domain/testing';
import { Deferred, Effect, Either, Layer, Option } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeDataSource } from '../data-source';
import { makeTopUpRepository } from '../top-ups/top-up-repository.adapter';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import {
  callbackDeliveryStoreLayer,
  makeCallbackDeliveryStore,
  MAX_CALLBACK_ERROR_LENGTH,
  addCallbackSigningSecret,
  setCallbackSigningSecret,
} from './callback-delivery-store.adapter';

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const result = await Effect.runPromise(Effect.either(effect));
  return Either.isLeft(result) ? result.left : undefined;
};

const t0 = new Date(Date.UTC(2025, 0, 1, 12));
const at = (ms: number) => new Date(t0.getTime() + ms);
const MINUTE = 60_000;
/** The lease of the claims below. */
const LEASE = 30_000;
const TOP_UP = 'topup-1';
const SECRET = 'whsec-0123456789abcdef';

const delivery = (id: string, overrides: Partial<Omit<CallbackDelivery, 'attempts'>> = {}) => ({
  id,
  eventId: `event-${id}`,
  topUpId: TOP_UP,
  accountId: 'account-1',
  url: 'https://caller.example/hooks/topups',
  body: JSON.stringify({ type: 'topup.completed', topUpId: TOP_UP, status: 'COMPLETED' }),
  nextAttemptAt: t0,
  createdAt: t0,
  ...overrides,
});
const ids = (deliveries: readonly CallbackDelivery[]) => deliveries.map(({ id }) => id);

describe('callback deliveries on PostgreSQL', () => {
  let db: TestDatabase;
  const store = () => makeCallbackDeliveryStore(db.dataSource);
  const unitOfWork = () => makeUnitOfWork(db.dataSource);
  const leaseOf = (now: Date) => new Date(now.getTime() + LEASE);
  const claim = (now: Date, limit = 100) =>
    run(unitOfWork().transactionally(store().claimDue(now, limit, leaseOf(now))));
  const tries = async (deliveryId: string) =>
    (await db.dataSource.query(
      `SELECT number, status, error, duration_ms FROM callback_delivery_tries WHERE delivery_id = $1 ORDER BY number`,
      [deliveryId],
    )) as { number: number; status: number | null; error: string | null; duration_ms: number }[];
  const stateOf = async (deliveryId: string) =>
    (
      (await db.dataSource.query(
        `SELECT attempts, next_attempt_at, delivered_at, abandoned_at, last_status, last_error
         FROM callback_deliveries WHERE id = $1`,
        [deliveryId],
      )) as Record<string, unknown>[]
    )[0];

  beforeAll(async () => {
    db = await createTestDatabase();
    const topUp = Either.getOrThrow(createTopUp(sampleNewTopUp({ id: TOP_UP }))).topUp;
    await run(makeTopUpRepository(db.dataSource).insert(topUp));
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    await db.dataSource.query(`TRUNCATE callback_delivery_tries, callback_deliveries`);
  });

  it('enqueues a delivery once per event and URL (the first stands) and offers it when due', async () => {
    await run(store().enqueue(delivery('d1', { nextAttemptAt: at(MINUTE) })));
    await run(store().enqueue(delivery('d1-again', { eventId: 'event-d1', body: '{"other":true}' })));
    await run(store().enqueue(delivery('d2', { eventId: 'event-d1', url: 'https://other.example/cb' })));
    expect(ids(await claim(t0))).toEqual(['d2']);
    // returned as leased: the next try's time is the lease's end
    expect(await claim(at(MINUTE))).toEqual([
      {
        ...delivery('d2', { eventId: 'event-d1', url: 'https://other.example/cb' }),
        attempts: 0,
        nextAttemptAt: at(MINUTE + LEASE),
      },
      { ...delivery('d1'), attempts: 0, nextAttemptAt: at(MINUTE + LEASE) },
    ]);
  });

  it('refuses another delivery under a taken id, a body that is not JSON and a bad URL', async () => {
    await run(store().enqueue(delivery('d1')));
    expect(await failureOf(store().enqueue(delivery('d1', { eventId: 'event-other' })))).toMatchObject({
      _tag: 'PersistenceFailure',
      retryable: false,
      reason: expect.stringMatching(/callback_deliveries_pkey/),
    });
    expect(await failureOf(store().enqueue(delivery('d3', { body: '{"cut": ' })))).toMatchObject({
      retryable: false,
      reason: 'callback delivery d3 cannot be stored: its body is not JSON text',
    });
    expect(await failureOf(store().enqueue(delivery('d4', { url: 'file:///etc/passwd' })))).toMatchObject({
      reason: expect.stringMatching(/callback_deliveries_url_valid/),
    });
    expect(ids(await claim(t0))).toEqual(['d1']);
  });

  it('enqueues in the unit of work of its event: nothing stays when it rolls back', async () => {
    const failure = await failureOf(
      unitOfWork().transactionally(
        Effect.zipRight(store().enqueue(delivery('d1')), Effect.fail('the top-up update failed' as const)),
      ),
    );
    expect(failure).toBe('the top-up update failed');
    expect(ids(await claim(at(MINUTE)))).toEqual([]);
  });

  it('claims the earliest due first, up to the limit, and refuses a bad limit or a lease not after now', async () => {
    await run(store().enqueue(delivery('late', { nextAttemptAt: at(2 * MINUTE) })));
    await run(store().enqueue(delivery('b', { nextAttemptAt: at(MINUTE) })));
    await run(store().enqueue(delivery('a', { nextAttemptAt: at(MINUTE) })));
    await run(store().enqueue(delivery('first', { nextAttemptAt: t0 })));
    expect(ids(await claim(at(MINUTE), 2))).toEqual(['first', 'a']);
    expect(ids(await claim(at(MINUTE)))).toEqual(['b']);
    // the three leases ended at MINUTE + LEASE: due before 'late', then by id
    expect(ids(await claim(at(2 * MINUTE)))).toEqual(['a', 'b', 'first', 'late']);
    for (const limit of [0, 1001, 1.5]) {
      expect(await failureOf(store().claimDue(t0, limit, at(LEASE)))).toMatchObject({
        retryable: false,
        reason: `callback batch limit must be an integer from 1 to 1000, got ${limit}`,
      });
    }
    for (const leaseUntil of [t0, at(-1)]) {
      expect(await failureOf(store().claimDue(t0, 10, leaseUntil))).toMatchObject({
        retryable: false,
        reason: expect.stringMatching(/^the lease of claimed deliveries must end after now/),
      });
    }
    expect(await failureOf(store().claimDue(t0, 10, new Date(Number.NaN)))).toMatchObject({ retryable: false });
  });

  it('leases what it claims: a second claim passes the leased deliveries by, and takes them again once the lease ends', async () => {
    await run(store().enqueue(delivery('d1', { nextAttemptAt: t0 })));
    await run(store().enqueue(delivery('d2', { nextAttemptAt: at(1) })));
    const [leased] = await claim(t0, 1);
    expect(leased).toMatchObject({ id: 'd1', attempts: 0, nextAttemptAt: at(LEASE) });
    expect(await stateOf('d1')).toMatchObject({ next_attempt_at: at(LEASE), attempts: 0, delivered_at: null });
    // committed: the lease holds without any lock or open transaction
    expect(ids(await claim(at(1)))).toEqual(['d2']);
    expect(ids(await claim(at(LEASE - 1)))).toEqual([]);
    // the dispatcher died without recording a try: due again at the lease's end, earliest first
    expect(ids(await claim(at(LEASE)))).toEqual(['d1']);
    expect(ids(await claim(at(LEASE + 1)))).toEqual(['d2']);
    expect(await tries('d1')).toEqual([]);
    // recording a try ends the lease
    await run(
      store().recordTry(
        'd1',
        { at: at(LEASE), durationMs: 3, status: 500, error: 'HTTP 500' },
        { delivered: false, nextAttemptAt: at(LEASE + 10_000) },
      ),
    );
    expect(await stateOf('d1')).toMatchObject({ next_attempt_at: at(LEASE + 10_000), attempts: 1 });
    // a claim outside a unit of work is one statement: it leases all the same
    expect(ids(await run(store().claimDue(at(LEASE + 10_000), 10, at(3 * LEASE))))).toEqual(['d1']);
    expect(await stateOf('d1')).toMatchObject({ next_attempt_at: at(3 * LEASE) });
  });

  it('a claim that rolls back leases nothing', async () => {
    await run(store().enqueue(delivery('d1')));
    const failure = await failureOf(
      unitOfWork().transactionally(
        Effect.zipRight(store().claimDue(t0, 10, at(LEASE)), Effect.fail('the dispatcher failed' as const)),
      ),
    );
    expect(failure).toBe('the dispatcher failed');
    expect(await stateOf('d1')).toMatchObject({ next_attempt_at: t0 });
    expect(ids(await claim(t0))).toEqual(['d1']);
  });

  it('never gives one delivery to two dispatchers claiming at once', async () => {
    for (let index = 0; index < 10; index += 1)
      await run(store().enqueue(delivery(`c${index}`, { nextAttemptAt: at(index) })));
    const firstClaimed = Effect.runSync(Deferred.make<readonly CallbackDelivery[]>());
    const release = Effect.runSync(Deferred.make<void>());
    const first = run(
      unitOfWork().transactionally(
        Effect.gen(function* () {
          const claimed = yield* store().claimDue(at(MINUTE), 4, leaseOf(at(MINUTE)));
          yield* Deferred.succeed(firstClaimed, claimed);
          yield* Deferred.await(release);
          return claimed;
        }),
      ),
    );
    const claimedByFirst = await run(Deferred.await(firstClaimed));
    const claimedBySecond = await claim(at(MINUTE), 4);
    await run(Deferred.succeed(release, undefined));
    await first;
    expect(ids(claimedByFirst)).toEqual(['c0', 'c1', 'c2', 'c3']);
    expect(ids(claimedBySecond)).toEqual(['c4', 'c5', 'c6', 'c7']);
    // both committed their leases: only the rest is left
    expect(ids(await claim(at(MINUTE)))).toEqual(['c8', 'c9']);
  });

  it('delivers every callback exactly once with four dispatchers racing, POSTing outside any transaction', async () => {
    const count = 120;
    for (let index = 0; index < count; index += 1)
      await run(store().enqueue(delivery(`r${String(index).padStart(3, '0')}`, { nextAttemptAt: at(index % 5) })));
    const posted: string[] = [];
    const dispatcher = async () => {
      for (;;) {
        const batch = await claim(at(MINUTE), 7);
        if (batch.length === 0) return;
        await Promise.all(
          batch.map(async ({ id }) => {
            await new Promise((resolve) => setTimeout(resolve, 1)); // the POST
            posted.push(id);
            await run(
              unitOfWork().transactionally(
                store().recordTry(id, { at: at(MINUTE), durationMs: 3, status: 204 }, { delivered: true }),
              ),
            );
          }),
        );
      }
    };
    await Promise.all([dispatcher(), dispatcher(), dispatcher(), dispatcher()]);
    expect(posted).toHaveLength(count);
    expect(new Set(posted).size).toBe(count);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM callback_delivery_tries`)).toEqual([{ n: count }]);
    expect(
      await db.dataSource.query(`SELECT count(*)::int AS n FROM callback_deliveries WHERE delivered_at IS NULL`),
    ).toEqual([{ n: 0 }]);
  });

  it('records each try: failed and scheduled again, then delivered; a delivered one is not offered again', async () => {
    await run(store().enqueue(delivery('d1')));
    await run(
      store().recordTry(
        'd1',
        { at: t0, durationMs: 1500.4, status: 503, error: 'HTTP 503' },
        { delivered: false, nextAttemptAt: at(10_000) },
      ),
    );
    expect(ids(await claim(at(9_999)))).toEqual([]);
    const [again] = await claim(at(10_000));
    expect(again).toMatchObject({ id: 'd1', attempts: 1, nextAttemptAt: at(10_000 + LEASE) });
    await run(
      store().recordTry(
        'd1',
        { at: at(10_000), durationMs: 20, status: null, error: 'no answer' },
        {
          delivered: false,
          nextAttemptAt: at(MINUTE),
        },
      ),
    );
    await run(store().recordTry('d1', { at: at(MINUTE), durationMs: 12, status: 200 }, { delivered: true }));
    expect(ids(await claim(at(60 * MINUTE)))).toEqual([]);
    expect(await tries('d1')).toEqual([
      { number: 1, status: 503, error: 'HTTP 503', duration_ms: 1500 },
      { number: 2, status: null, error: 'no answer', duration_ms: 20 },
      { number: 3, status: 200, error: null, duration_ms: 12 },
    ]);
    expect(await stateOf('d1')).toEqual({
      attempts: 3,
      next_attempt_at: null,
      delivered_at: at(MINUTE),
      abandoned_at: null,
      last_status: 200,
      last_error: null,
    });
  });

  it('abandons a delivery when a failed try has no next time; a later try is recorded and changes nothing', async () => {
    await run(store().enqueue(delivery('d1')));
    await run(
      store().recordTry(
        'd1',
        { at: t0, durationMs: 0, status: null, error: 'the account has no callback signing secret' },
        { delivered: false, nextAttemptAt: undefined },
      ),
    );
    expect(ids(await claim(at(60 * MINUTE)))).toEqual([]);
    expect(await stateOf('d1')).toMatchObject({
      attempts: 1,
      abandoned_at: t0,
      delivered_at: null,
      next_attempt_at: null,
    });
    await run(store().recordTry('d1', { at: at(MINUTE), durationMs: 5, status: 200 }, { delivered: true }));
    expect(await stateOf('d1')).toMatchObject({
      attempts: 2,
      abandoned_at: t0,
      delivered_at: null,
      next_attempt_at: null,
    });
    expect((await tries('d1')).map(({ number }) => number)).toEqual([1, 2]);
  });

  it('keeps a long or broken error storable, and refuses a try it cannot record', async () => {
    await run(store().enqueue(delivery('d1')));
    await run(
      store().recordTry(
        'd1',
        { at: t0, durationMs: 1, status: 500, error: `bad\u0000${'é'.repeat(2 * MAX_CALLBACK_ERROR_LENGTH)}` },
        { delivered: false, nextAttemptAt: at(MINUTE) },
      ),
    );
    const [recorded] = await tries('d1');
    expect(recorded?.error).toBe(`bad\uFFFD${'é'.repeat(MAX_CALLBACK_ERROR_LENGTH - 4)}`);
    for (const [attempt, reason] of [
      [{ at: t0, durationMs: Number.NaN, status: 500 }, /its duration/],
      [{ at: t0, durationMs: 1, status: 0 }, /its status/],
      [{ at: new Date(Number.NaN), durationMs: 1, status: 500 }, /its time is not a valid date/],
    ] as const) {
      expect(
        await failureOf(store().recordTry('d1', attempt, { delivered: false, nextAttemptAt: at(MINUTE) })),
      ).toMatchObject({ _tag: 'PersistenceFailure', retryable: false, reason: expect.stringMatching(reason) });
    }
    expect(
      await failureOf(store().recordTry('never', { at: t0, durationMs: 1, status: 200 }, { delivered: true })),
    ).toMatchObject({
      retryable: false,
      reason: 'a try of callback delivery never cannot be recorded: the delivery was never stored',
    });
    expect(await tries('d1')).toHaveLength(1);
  });

  it('reads a delivery that does not decode as a non-retryable failure naming it', async () => {
    await run(store().enqueue(delivery('d1')));
    await db.dataSource.query(`UPDATE callback_deliveries SET body = 'not json' WHERE id = 'd1'`);
    const failure = await failureOf(unitOfWork().transactionally(store().claimDue(at(MINUTE), 10, at(2 * MINUTE))));
    expect(failure).toMatchObject({
      _tag: 'PersistenceFailure',
      retryable: false,
      reason: expect.stringMatching(/^callback delivery d1 does not decode: body /),
    });
    // the claim's unit of work rolled back: no lease taken
    expect(await stateOf('d1')).toMatchObject({ next_attempt_at: t0 });
  });

  it('adds an account’s first signing secret once: of concurrent adds exactly one is stored, the others told so', async () => {
    const added = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        run(addCallbackSigningSecret(db.dataSource, 'account-first', `${SECRET}-${index}`)),
      ),
    );
    expect(added.filter(Boolean)).toHaveLength(1);
    const kept = Option.getOrUndefined(await run(store().signingSecretOf('account-first')));
    expect(kept).toBe(`${SECRET}-${added.indexOf(true)}`);
    // a later add keeps it; set replaces it
    expect(await run(addCallbackSigningSecret(db.dataSource, 'account-first', `${SECRET}-later`))).toBe(false);
    expect(Option.getOrUndefined(await run(store().signingSecretOf('account-first')))).toBe(kept);
    expect(await failureOf(addCallbackSigningSecret(db.dataSource, 'account-short', 'short-secret'))).toMatchObject({
      reason: 'the callback signing secret of account account-short must be 16 to 512 characters with no NUL',
    });
  });

  it('keeps signing secrets per account: none until set, then the latest, never shown in a failure', async () => {
    expect(Option.isNone(await run(store().signingSecretOf('account-1')))).toBe(true);
    await run(setCallbackSigningSecret(db.dataSource, 'account-1', SECRET));
    expect(Option.getOrUndefined(await run(store().signingSecretOf('account-1')))).toBe(SECRET);
    await run(setCallbackSigningSecret(db.dataSource, 'account-1', `${SECRET}-rotated`));
    expect(Option.getOrUndefined(await run(store().signingSecretOf('account-1')))).toBe(`${SECRET}-rotated`);
    expect(Option.isNone(await run(store().signingSecretOf('account-2')))).toBe(true);

    const tooShort = await failureOf(setCallbackSigningSecret(db.dataSource, 'account-2', 'short-secret'));
    expect(tooShort).toMatchObject({
      retryable: false,
      reason: 'the callback signing secret of account account-2 must be 16 to 512 characters with no NUL',
    });
    expect(await failureOf(setCallbackSigningSecret(db.dataSource, 'acct\u202e', SECRET))).toMatchObject({
      reason: expect.stringMatching(/account_callback_secrets_account_id_valid/),
    });

    // a secret written past the CHECK by a broken writer
    await db.dataSource.query(
      `ALTER TABLE account_callback_secrets DROP CONSTRAINT account_callback_secrets_secret_valid`,
    );
    await db.dataSource.query(
      `INSERT INTO account_callback_secrets (account_id, secret) VALUES ('account-3', 'weak-key')`,
    );
    const corrupt = await failureOf(store().signingSecretOf('account-3'));
    expect(corrupt).toMatchObject({
      _tag: 'PersistenceFailure',
      retryable: false,
      reason: expect.stringMatching(/^the callback signing secret of account account-3 does not decode: /),
    });
    expect(corrupt?.reason).not.toContain('weak-key');
  });

  it('with deliverCallbacks, POSTs slower than the idle-in-transaction timeout are all recorded, each once', async () => {
    // a session idle inside a transaction for 2 s is ended by the server: a POST (3 s) inside one would end it,
    // while the claims and records, whatever a loaded CI machine's pauses between their statements, stay within
    const strict = makeDataSource({ ...db.config, poolSize: 4, idleInTransactionTimeoutMs: 2_000 });
    await strict.initialize();
    try {
      await run(setCallbackSigningSecret(strict, 'account-1', SECRET));
      for (let index = 0; index < 6; index += 1)
        await run(makeCallbackDeliveryStore(strict).enqueue(delivery(`s${index}`)));
      const endpoint = makeRelayCallbackSender();
      const slow: CallbackSender['Type'] = {
        post: (url, body, headers) =>
          Effect.zipRight(Effect.sleep('3 seconds'), endpoint.service.post(url, body, headers)),
      };
      const report = await run(
        deliverCallbacks({ batchSize: 6 }).pipe(
          Effect.provide(
            Layer.mergeAll(
              Layer.succeed(UnitOfWork, makeUnitOfWork(strict)),
              callbackDeliveryStoreLayer(strict),
              Layer.succeed(CallbackSender, slow),
              makeRelayClock(t0).layer,
            ),
          ),
        ),
      );
      expect(report).toEqual({ claimed: 6, delivered: 6, failed: 0, abandoned: 0 });
      expect(endpoint.posts()).toHaveLength(6);
      expect(
        await db.dataSource.query(
          `SELECT count(*)::int AS tries, count(DISTINCT delivery_id)::int AS deliveries FROM callback_delivery_tries`,
        ),
      ).toEqual([{ tries: 6, deliveries: 6 }]);
      expect(ids(await claim(at(60 * MINUTE)))).toEqual([]);
    } finally {
      await strict.destroy();
    }
  });

  it("is the application's CallbackDeliveryStore through callbackDeliveryStoreLayer", async () => {
    const program = Effect.flatMap(CallbackDeliveryStore, (deliveries) =>
      unitOfWork().transactionally(
        Effect.zipRight(deliveries.enqueue(delivery('d1')), deliveries.claimDue(t0, 10, at(LEASE))),
      ),
    );
    expect(ids(await run(Effect.provide(program, callbackDeliveryStoreLayer(db.dataSource))))).toEqual(['d1']);
  });
});
