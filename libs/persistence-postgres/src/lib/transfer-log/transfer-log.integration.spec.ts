import { TransferLog, type TransferLogEntry } from '@airtime/application';
import {
  attemptFailed,
  createTopUp,
  parseExternalId,
  recordAttemptOutcome,
  startAttempt,
  type TopUp,
} from '@airtime/domain';
import { sampleNewTopUp } from '@airtime/domain/testing';
import { Effect, Either } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeTopUpRepository } from '../top-ups/top-up-repository.adapter';
import { sql } from '../unit-of-work/sql';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { makeTransferLog, transferLogLayer } from './transfer-log.adapter';

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const result = await Effect.runPromise(Effect.either(effect));
  return Either.isLeft(result) ? result.left : undefined;
};

const t0 = new Date(Date.UTC(2025, 0, 1, 12));
const MINUTE = 60_000;

const exchange = (reference: string | undefined, overrides: Partial<TransferLogEntry> = {}): TransferLogEntry => ({
  provider: 'dtone',
  ...(reference === undefined ? {} : { reference }),
  method: 'POST',
  url: 'https://dvs.example/v1/async/transactions',
  startedAt: '2025-01-01T12:00:00.000Z',
  durationMs: 120,
  status: 201,
  requestBody: '{"external_id":"x","credit_party_identifier":{"mobile_number":"[REDACTED]"}}',
  responseBody: '{"id":1,"status":{"class":{"message":"CONFIRMED"}}}',
  ...overrides,
});

describe('transfer log on PostgreSQL', () => {
  let db: TestDatabase;
  const log = () => makeTransferLog(db.dataSource);
  const repository = () => makeTopUpRepository(db.dataSource);
  const unitOfWork = () => makeUnitOfWork(db.dataSource);

  let sequence = 0;
  /** A stored top-up with its first attempt started (committed, as the use case does before the send). */
  const startedTopUp = async (): Promise<TopUp> => {
    sequence += 1;
    const created = Either.getOrThrow(
      createTopUp(
        sampleNewTopUp({
          id: `t${sequence}`,
          externalId: Either.getOrThrow(parseExternalId(`order-${sequence}`)),
          now: t0,
        }),
      ),
    ).topUp;
    await run(repository().insert(created));
    const started = Either.getOrThrow(startAttempt(created, t0, 'dtone')).topUp;
    await run(repository().update(started, 1));
    return started;
  };
  /** The top-up after its last attempt failed with `reason`, and its next attempt started (both committed). */
  const nextAttempt = async (
    topUp: TopUp,
    version: number,
    reason: 'OPERATOR_UNAVAILABLE' | 'NOT_FOUND_AT_PROVIDER',
  ): Promise<TopUp> => {
    const failedAt = new Date(t0.getTime() + topUp.attempts.length * 10 * MINUTE);
    const failed = Either.getOrThrow(
      recordAttemptOutcome(topUp, attemptFailed({ reason, retryable: true }), failedAt),
    ).topUp;
    const restarted = Either.getOrThrow(startAttempt(failed, failed.nextAttemptAt ?? failedAt, 'dtone')).topUp;
    await run(repository().update(restarted, version));
    return restarted;
  };
  const referenceOf = (topUp: TopUp, number: number): string => {
    const attempt = topUp.attempts[number - 1];
    if (attempt === undefined) throw new Error(`no attempt ${number}`);
    return attempt.providerExternalId;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('keeps exchanges with a reference and reads them by top-up, with their attempt number', async () => {
    const topUp = await startedTopUp();
    const reference = referenceOf(topUp, 1);
    await run(log().append(exchange(undefined, { url: 'https://dvs.example/v1/products' })));
    await run(log().append(exchange(reference)));
    await run(log().append(exchange(reference, { status: null, responseBody: null, failure: 'no answer in 300 ms' })));
    expect(await run(log().forTopUp(topUp.id))).toEqual([
      { ...exchange(reference), attemptNumber: 1 },
      {
        ...exchange(reference, { status: null, responseBody: null, failure: 'no answer in 300 ms' }),
        attemptNumber: 1,
      },
    ]);
    // the catalogue read without a reference was not kept
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM transfer_log`)).toEqual([{ n: 2 }]);
    expect(await run(log().forTopUp('t-unknown'))).toEqual([]);
  });

  it('keeps an exchange appended inside a unit of work that rolls back', async () => {
    const topUp = await startedTopUp();
    const reference = referenceOf(topUp, 1);
    const failure = await failureOf(
      unitOfWork().transactionally(
        Effect.gen(function* () {
          yield* log().append(exchange(reference, { status: 500 }));
          return yield* Effect.fail('the answer could not be applied' as const);
        }),
      ),
    );
    expect(failure).toBe('the answer could not be applied');
    expect(await run(log().forTopUp(topUp.id))).toEqual([
      { ...exchange(reference, { status: 500 }), attemptNumber: 1 },
    ]);
  });

  it('keeps an exchange appended in a unit of work whose transaction a failed statement aborted', async () => {
    const topUp = await startedTopUp();
    const reference = referenceOf(topUp, 1);
    const failure = await failureOf(
      unitOfWork().transactionally(
        Effect.gen(function* () {
          // a statement fails and is caught: PostgreSQL has aborted the transaction
          yield* Effect.either(sql(db.dataSource, `SELECT 1 / 0`));
          yield* log().append(exchange(reference, { status: 202 }));
        }),
      ),
    );
    expect(failure).toMatchObject({ _tag: 'PersistenceFailure', reason: expect.stringMatching(/rolled it back/) });
    expect((await run(log().forTopUp(topUp.id))).map(({ status }) => status)).toEqual([202]);
  });

  it('reads the exchanges of two attempts oldest first, and of a reference reused after "not found" by its attempt', async () => {
    const first = await startedTopUp();
    await run(log().append(exchange(referenceOf(first, 1), { status: 503 })));
    const second = await nextAttempt(first, 2, 'OPERATOR_UNAVAILABLE');
    expect(referenceOf(second, 2)).not.toBe(referenceOf(second, 1));
    await run(log().append(exchange(referenceOf(second, 2), { status: 404, startedAt: '2025-01-01T12:10:00.000Z' })));
    const third = await nextAttempt(second, 3, 'NOT_FOUND_AT_PROVIDER');
    expect(referenceOf(third, 3)).toBe(referenceOf(third, 2));
    await run(log().append(exchange(referenceOf(third, 3), { status: 201, startedAt: '2025-01-01T12:20:00.000Z' })));
    // another top-up's exchanges stay out
    const other = await startedTopUp();
    await run(log().append(exchange(referenceOf(other, 1))));

    const read = await run(log().forTopUp(first.id));
    expect(read.map(({ attemptNumber, reference, status }) => [attemptNumber, reference, status])).toEqual([
      [1, referenceOf(third, 1), 503],
      [2, referenceOf(third, 2), 404],
      [3, referenceOf(third, 3), 201],
    ]);
  });

  it('gives an exchange logged before its attempt was committed to the attempt holding its reference', async () => {
    sequence += 1;
    const created = Either.getOrThrow(
      createTopUp(
        sampleNewTopUp({ id: `t${sequence}`, externalId: Either.getOrThrow(parseExternalId(`order-${sequence}`)) }),
      ),
    ).topUp;
    await run(repository().insert(created));
    const started = Either.getOrThrow(startAttempt(created, t0, 'dtone')).topUp;
    await run(
      unitOfWork().transactionally(
        Effect.zipRight(repository().update(started, 1), log().append(exchange(referenceOf(started, 1)))),
      ),
    );
    expect(
      await db.dataSource.query(`SELECT attempt_number FROM transfer_log WHERE reference = $1`, [
        referenceOf(started, 1),
      ]),
    ).toEqual([{ attempt_number: null }]);
    expect((await run(log().forTopUp(started.id))).map(({ attemptNumber }) => attemptNumber)).toEqual([1]);
  });

  it('stores a body with a NUL or a broken surrogate with U+FFFD in their place', async () => {
    const topUp = await startedTopUp();
    await run(log().append(exchange(referenceOf(topUp, 1), { responseBody: 'a\u0000b\uD800c' })));
    expect((await run(log().forTopUp(topUp.id)))[0]?.responseBody).toBe('a\uFFFDb\uFFFDc');
  });

  it('refuses an exchange it cannot store as it is, storing nothing', async () => {
    const topUp = await startedTopUp();
    const reference = referenceOf(topUp, 1);
    expect(await failureOf(log().append(exchange(reference, { durationMs: Number.NaN })))).toMatchObject({
      _tag: 'PersistenceFailure',
      retryable: false,
      reason: expect.stringMatching(new RegExp(`^an exchange with dtone for ${reference} cannot be stored exactly: `)),
    });
    expect(await failureOf(log().append(exchange(reference, { startedAt: 'yesterday' })))).toMatchObject({
      retryable: false,
    });
    expect(await failureOf(log().append(exchange('ref with spaces')))).toMatchObject({
      reason: expect.stringMatching(/transfer_log_reference_valid/),
    });
    expect(await run(log().forTopUp(topUp.id))).toEqual([]);
  });

  it('reads a record that does not decode as a non-retryable failure naming it', async () => {
    const topUp = await startedTopUp();
    const reference = referenceOf(topUp, 1);
    await db.dataSource.query(
      `INSERT INTO transfer_log (provider, reference, record) VALUES ('dtone', $1, '{"method": 1, "url": "+639171234567"}')`,
      [reference],
    );
    const failure = await failureOf(log().forTopUp(topUp.id));
    expect(failure).toMatchObject({ _tag: 'PersistenceFailure', retryable: false });
    expect(failure?.reason).toMatch(new RegExp(`^transfer log entry \\d+ of top-up ${topUp.id} does not decode: `));
    expect(failure?.reason).not.toContain('+639171234567');
  });

  it("is the application's TransferLog through transferLogLayer", async () => {
    const topUp = await startedTopUp();
    const program = Effect.flatMap(TransferLog, (transferLog) =>
      Effect.zipRight(transferLog.append(exchange(referenceOf(topUp, 1))), transferLog.forTopUp(topUp.id)),
    );
    expect(await run(Effect.provide(program, transferLogLayer(db.dataSource)))).toHaveLength(1);
  });
});
