import { currencyOf, emptyLedger, type Ledger, type LedgerStoreService } from '@airtime/domain';
import { describeLedgerOperation, type LedgerOperation, stepLedgerOperation } from '@airtime/domain/testing';
import { Client } from 'pg';
import { Deferred, Effect, Either, Fiber } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { LEDGER_STORES as STORES, onStore, outcomeOf } from '../../testing/ledger-stores.fixture';

const KES = Either.getOrThrow(currencyOf('KES'));
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(Effect.either(effect));

const show = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

describe.each(STORES)('settling a hold against a hostile caller (%s store)', (_store, makeStore) => {
  let db: TestDatabase;
  let ledger: LedgerStoreService;
  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 16 });
    ledger = makeStore(db.dataSource);
  });
  afterAll(async () => db.drop());

  /** Runs a script on the store and on the pure ledger; every answer must be the pure ledger's. */
  const agreeOnScript = async (script: readonly LedgerOperation[]) => {
    let pure: Ledger = emptyLedger;
    const disagreements: string[] = [];
    for (const operation of script) {
      const step = stepLedgerOperation(pure, operation);
      pure = step.ledger;
      const stored = await run(onStore(ledger, operation) as Effect.Effect<unknown, { _tag: string }>);
      const expected = show(outcomeOf(step.result as Either.Either<unknown, { _tag: string }>));
      const actual = show(outcomeOf(stored));
      if (actual !== expected)
        disagreements.push(`${describeLedgerOperation(operation)}: store ${actual}, pure ${expected}`);
    }
    for (const account of pure.accounts.values())
      expect(await Effect.runPromise(ledger.account(account.accountId, account.currency.code))).toEqual(account);
    return disagreements;
  };

  /** Accounts whose balances disagree with the journal or with the invariants. */
  const brokenAccounts = async (prefix: string) =>
    db.dataSource.query(
      `SELECT a.account_id FROM ledger_accounts a
       LEFT JOIN (SELECT account_id, currency, SUM(available_delta_minor) AS available, SUM(holding_delta_minor) AS holding,
                         SUM(amount_minor) FILTER (WHERE kind = 'CAPTURE') AS captured,
                         SUM(amount_minor) FILTER (WHERE kind = 'REVERSE') AS reversed,
                         SUM(amount_minor) FILTER (WHERE kind = 'DEPOSIT') AS funded
                    FROM ledger_journal GROUP BY account_id, currency) j USING (account_id, currency)
      WHERE a.account_id LIKE $1
        AND (COALESCE(j.available, 0) <> a.available_minor OR COALESCE(j.holding, 0) <> a.holding_minor
             OR COALESCE(j.captured, 0) <> a.captured_minor OR COALESCE(j.reversed, 0) <> a.reversed_minor
             OR COALESCE(j.funded, 0) <> a.funded_minor
             OR a.available_minor + a.holding_minor + a.captured_minor - a.reversed_minor <> a.funded_minor
             OR a.holding_minor <> (SELECT COALESCE(SUM(h.amount_minor), 0) FROM ledger_holds h
                                     WHERE h.account_id = a.account_id AND h.currency = a.currency AND h.status = 'HELD'))`,
      [`${prefix}%`],
    );

  /** Holds whose status does not match their journal entries (a settlement without its entry, or the reverse). */
  const brokenHolds = async (prefix: string) =>
    db.dataSource.query(
      `SELECT h.transaction_id, h.status FROM ledger_holds h
       LEFT JOIN (SELECT reference,
                         count(*) FILTER (WHERE kind = 'AUTHORIZE') AS authorized,
                         count(*) FILTER (WHERE kind = 'VOID') AS voided,
                         count(*) FILTER (WHERE kind = 'CAPTURE') AS captured,
                         count(*) FILTER (WHERE kind = 'REVERSE') AS reversed,
                         MAX(amount_minor) FILTER (WHERE kind = 'CAPTURE') AS captured_minor
                    FROM ledger_journal GROUP BY reference) j ON j.reference = h.transaction_id
      WHERE h.transaction_id LIKE $1
        AND CASE h.status
              WHEN 'REFUSED' THEN j.reference IS NOT NULL
              WHEN 'HELD' THEN (j.authorized, j.voided, j.captured, j.reversed) IS DISTINCT FROM (1, 0, 0, 0)
              WHEN 'VOIDED' THEN (j.authorized, j.voided, j.captured, j.reversed) IS DISTINCT FROM (1, 1, 0, 0)
              WHEN 'CAPTURED' THEN (j.authorized, j.voided, j.captured, j.reversed) IS DISTINCT FROM (1, 0, 1, 0)
                                   OR j.captured_minor IS DISTINCT FROM h.captured_minor
              WHEN 'REVERSED' THEN (j.authorized, j.voided, j.captured, j.reversed) IS DISTINCT FROM (1, 0, 1, 1)
                                   OR j.captured_minor IS DISTINCT FROM h.captured_minor
            END`,
      [`${prefix}%`],
    );

  it('every answer of void, capture and reverse is the pure ledger’s, edge amounts and every status included', async () => {
    const open = (accountId: string): LedgerOperation => ({
      kind: 'openAccount',
      input: { accountId, currency: KES, creditLimitMinor: 0n },
    });
    const fund = (accountId: string, depositId: string, amountMinor: bigint): LedgerOperation => ({
      kind: 'deposit',
      input: { accountId, currency: KES, depositId, amountMinor },
    });
    const hold = (transactionId: string, amountMinor: bigint, accountId = 'p-acme'): LedgerOperation => ({
      kind: 'authorize',
      input: { accountId, currency: KES, transactionId, amountMinor },
    });
    const capture = (transactionId: string, amountMinor: bigint): LedgerOperation => ({
      kind: 'capture',
      input: { transactionId, amountMinor },
    });
    const voidHold = (transactionId: string): LedgerOperation => ({ kind: 'voidHold', input: { transactionId } });
    const reverse = (transactionId: string): LedgerOperation => ({ kind: 'reverse', input: { transactionId } });
    const script: LedgerOperation[] = [
      open('p-acme'),
      fund('p-acme', 'p-fund', 10_000n),
      // unknown holds
      capture('p-none', 1n),
      capture('p-none', 0n),
      voidHold('p-none'),
      reverse('p-none'),
      // a refused authorization is no hold
      hold('p-refused', 50_000n),
      capture('p-refused', 1n),
      voidHold('p-refused'),
      reverse('p-refused'),
      // a capture of nothing releases the whole hold; its reverse moves nothing
      hold('p-zero', 300n),
      capture('p-zero', 0n),
      capture('p-zero', 0n),
      capture('p-zero', 1n),
      reverse('p-zero'),
      reverse('p-zero'),
      capture('p-zero', 0n),
      voidHold('p-zero'),
      // exactly the hold, then one above a fresh hold
      hold('p-exact', 400n),
      reverse('p-exact'),
      capture('p-exact', 401n),
      capture('p-exact', 400n),
      capture('p-exact', 400n),
      capture('p-exact', 399n),
      capture('p-exact', 401n),
      voidHold('p-exact'),
      reverse('p-exact'),
      reverse('p-exact'),
      capture('p-exact', 400n),
      voidHold('p-exact'),
      // void, then everything else
      hold('p-void', 500n),
      voidHold('p-void'),
      voidHold('p-void'),
      capture('p-void', 500n),
      capture('p-void', 0n),
      reverse('p-void'),
      voidHold('p-void'),
      // partial capture, repeat, conflict, void after capture, reverse, then its repeats
      hold('p-part', 1_000n),
      capture('p-part', 1_001n),
      capture('p-part', 250n),
      capture('p-part', 250n),
      capture('p-part', 251n),
      voidHold('p-part'),
      reverse('p-part'),
      capture('p-part', 250n),
      capture('p-part', 1_000n),
      reverse('p-part'),
      voidHold('p-part'),
      // a transaction id shaped like a LIKE pattern and another with quotes: parameters, never text
      hold("p-o'hara%_", 10n),
      capture("p-o'hara%_", 10n),
      reverse("p-o'hara%_"),
      voidHold('p-%'),
      capture('p-_', 0n),
      // amounts above the ledger's largest (2^51), one past the bigint column: InvalidLedgerAmount in both, before the database
      capture('p-huge', 2n ** 51n + 1n),
      hold('p-huge', 100n),
      capture('p-huge', 2n ** 63n),
      capture('p-huge', 100n),
      capture('p-huge', 2n ** 63n),
      capture('p-huge-none', 2n ** 63n),
      // a negative capture is refused before anything is read
      capture('p-part', -1n),
      capture('p-none', -1n),
    ];
    expect(await agreeOnScript(script)).toEqual([]);
    expect(await brokenAccounts('p-')).toEqual([]);
    expect(await brokenHolds('p-')).toEqual([]);
  });

  it('amounts past the bigint column inside a caller’s unit of work: InvalidLedgerAmount before the database, and the caller’s other writes still commit', async () => {
    await Effect.runPromise(ledger.openAccount({ accountId: 'b-acme', currency: KES, creditLimitMinor: 0n }));
    await Effect.runPromise(
      ledger.deposit({ accountId: 'b-acme', currency: KES, depositId: 'b-fund', amountMinor: 5_000n }),
    );
    await Effect.runPromise(
      ledger.authorize({ accountId: 'b-acme', currency: KES, transactionId: 'b-tx', amountMinor: 1_000n }),
    );
    const unitOfWork = makeUnitOfWork(db.dataSource);
    // the caller deposits, then tries movements the domain refuses (before: a database error 22003 that
    // aborted the caller's transaction), handles the refusals and goes on
    const huge = 2n ** 63n;
    const outcome = await run(
      unitOfWork.transactionally(
        Effect.gen(function* () {
          yield* ledger.deposit({ accountId: 'b-acme', currency: KES, depositId: 'b-late', amountMinor: 100n });
          const refused = yield* Effect.all([
            Effect.flip(ledger.capture({ transactionId: 'b-tx', amountMinor: huge })),
            Effect.flip(ledger.deposit({ accountId: 'b-acme', currency: KES, depositId: 'b-huge', amountMinor: huge })),
            Effect.flip(
              ledger.authorize({ accountId: 'b-acme', currency: KES, transactionId: 'b-huge', amountMinor: huge }),
            ),
            Effect.flip(ledger.setCreditLimit({ accountId: 'b-acme', currency: KES, creditLimitMinor: huge })),
          ]);
          const captured = yield* ledger.capture({ transactionId: 'b-tx', amountMinor: 1_000n });
          return { refused: refused.map((error) => error._tag), captured: captured.applied };
        }),
      ),
    );
    expect(outcome).toEqual(Either.right({ refused: Array(4).fill('InvalidLedgerAmount'), captured: true }));
    expect(await Effect.runPromise(ledger.account('b-acme', 'KES'))).toMatchObject({
      availableMinor: 4_100n,
      holdingMinor: 0n,
      capturedMinor: 1_000n,
      fundedMinor: 5_100n,
    });
  });

  it('settlements inside a unit of work that rolls back leave nothing; the same settlements then apply once', async () => {
    await Effect.runPromise(ledger.openAccount({ accountId: 'u-acme', currency: KES, creditLimitMinor: 0n }));
    await Effect.runPromise(
      ledger.deposit({ accountId: 'u-acme', currency: KES, depositId: 'u-fund', amountMinor: 5_000n }),
    );
    for (const [transactionId, amountMinor] of [
      ['u-a', 1_000n],
      ['u-b', 700n],
      ['u-c', 300n],
    ] as const)
      await Effect.runPromise(ledger.authorize({ accountId: 'u-acme', currency: KES, transactionId, amountMinor }));
    const before = await Effect.runPromise(ledger.account('u-acme', 'KES'));
    const unitOfWork = makeUnitOfWork(db.dataSource);
    const settlements = Effect.gen(function* () {
      const a = yield* ledger.capture({ transactionId: 'u-a', amountMinor: 600n });
      const aAgain = yield* ledger.capture({ transactionId: 'u-a', amountMinor: 600n });
      const reversed = yield* ledger.reverse({ transactionId: 'u-a' });
      const b = yield* ledger.voidHold({ transactionId: 'u-b' });
      const c = yield* ledger.capture({ transactionId: 'u-c', amountMinor: 300n });
      return [a, aAgain, reversed, b, c].map((m) => m.applied);
    });
    const rolledBack = await run(
      unitOfWork.transactionally(Effect.zipRight(settlements, Effect.fail('caller gives up'))),
    );
    expect(rolledBack).toEqual(Either.left('caller gives up'));
    expect(await Effect.runPromise(ledger.account('u-acme', 'KES'))).toEqual(before);
    expect(
      await db.dataSource.query(
        `SELECT count(*)::int AS n FROM ledger_journal WHERE reference IN ('u-a', 'u-b', 'u-c') AND kind <> 'AUTHORIZE'`,
      ),
    ).toEqual([{ n: 0 }]);
    expect(
      await db.dataSource.query(
        `SELECT DISTINCT status FROM ledger_holds WHERE transaction_id IN ('u-a', 'u-b', 'u-c')`,
      ),
    ).toEqual([{ status: 'HELD' }]);
    // the same settlements, committed this time: each applies once (the repeat inside it answers applied: false)
    expect(await Effect.runPromise(unitOfWork.transactionally(settlements))).toEqual([true, false, true, true, true]);
    expect(await Effect.runPromise(ledger.account('u-acme', 'KES'))).toMatchObject({
      availableMinor: before.availableMinor + 400n + 600n + 700n,
      holdingMinor: before.holdingMinor - 2_000n,
      capturedMinor: before.capturedMinor + 900n,
      reversedMinor: before.reversedMinor + 600n,
    });
    expect(await brokenAccounts('u-')).toEqual([]);
    expect(await brokenHolds('u-')).toEqual([]);
  });

  /** Waits until some session waits on a lock (the settlement queued behind the blocker). */
  const someoneWaitsOnALock = async (blockerPid?: number) => {
    for (;;) {
      const waiting = (await db.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'
            AND ($1::int IS NULL OR $1::int = ANY (pg_blocking_pids(pid)))`,
        [blockerPid ?? null],
      )) as { n: number }[];
      if ((waiting[0]?.n ?? 0) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it.each([
    ['commits', 'COMMIT'],
    ['rolls back', 'ROLLBACK'],
  ] as const)(
    'a settlement queued behind a transaction that moved the account and %s: the settlement moves the latest balances',
    async (_outcome, end) => {
      const accountId = `l-${end.toLowerCase()}`;
      await Effect.runPromise(ledger.openAccount({ accountId, currency: KES, creditLimitMinor: 0n }));
      await Effect.runPromise(
        ledger.deposit({ accountId, currency: KES, depositId: `${accountId}-fund`, amountMinor: 5_000n }),
      );
      for (const suffix of ['cap', 'void', 'rev'])
        await Effect.runPromise(
          ledger.authorize({ accountId, currency: KES, transactionId: `${accountId}-${suffix}`, amountMinor: 1_000n }),
        );
      await Effect.runPromise(ledger.capture({ transactionId: `${accountId}-rev`, amountMinor: 800n }));
      const before = await Effect.runPromise(ledger.account(accountId, 'KES'));
      // another transaction credits the account (as a deposit does) and keeps its row lock
      const blocker = new Client({ connectionString: db.config.url });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        const [{ pid }] = (await blocker.query('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }];
        await blocker.query(
          `INSERT INTO ledger_journal (account_id, currency, reference, kind, amount_minor, available_delta_minor, holding_delta_minor)
           VALUES ($1, 'KES', $2, 'DEPOSIT', 250, 250, 0)`,
          [accountId, `${accountId}-late`],
        );
        await blocker.query(
          `UPDATE ledger_accounts SET available_minor = available_minor + 250, funded_minor = funded_minor + 250
            WHERE account_id = $1 AND currency = 'KES'`,
          [accountId],
        );
        const settling = Promise.all([
          run(ledger.capture({ transactionId: `${accountId}-cap`, amountMinor: 400n })),
          run(ledger.voidHold({ transactionId: `${accountId}-void` })),
          run(ledger.reverse({ transactionId: `${accountId}-rev` })),
          run(ledger.voidHold({ transactionId: `${accountId}-cap` })),
          run(ledger.capture({ transactionId: `${accountId}-void`, amountMinor: 1_000n })),
        ]);
        await someoneWaitsOnALock(pid);
        await blocker.query(end);
        const [captured, voided, reversed, voidOfCapture, captureOfVoid] = await settling;
        // each hold settles exactly once, whichever of its two racers came first
        const capHold = [captured, voidOfCapture].filter(Either.isRight);
        const voidHoldWinners = [voided, captureOfVoid].filter(Either.isRight);
        expect(capHold).toHaveLength(1);
        expect(voidHoldWinners).toHaveLength(1);
        expect(Either.isRight(reversed)).toBe(true);
        for (const loser of [captured, voidOfCapture, voided, captureOfVoid].filter(Either.isLeft))
          expect(loser.left).toMatchObject({ _tag: 'HoldAlreadySettled' });
        const credited = end === 'COMMIT' ? 250n : 0n;
        const capReleased = Either.isRight(captured) ? 600n : 1_000n;
        const capCaptured = Either.isRight(captured) ? 400n : 0n;
        const voidReleased = Either.isRight(voided) ? 1_000n : 0n;
        const voidCaptured = Either.isRight(voided) ? 0n : 1_000n;
        expect(await Effect.runPromise(ledger.account(accountId, 'KES'))).toMatchObject({
          availableMinor: before.availableMinor + credited + capReleased + voidReleased + 800n,
          holdingMinor: before.holdingMinor - 2_000n,
          capturedMinor: before.capturedMinor + capCaptured + voidCaptured,
          reversedMinor: before.reversedMinor + 800n,
          fundedMinor: before.fundedMinor + credited,
        });
      } finally {
        await blocker.end();
      }
      expect(await brokenAccounts(accountId)).toEqual([]);
      expect(await brokenHolds(accountId)).toEqual([]);
    },
  );

  it('a settlement queued behind a caller’s unit of work that holds the hold and the account: it sees the outcome', async () => {
    await Effect.runPromise(ledger.openAccount({ accountId: 'w-acme', currency: KES, creditLimitMinor: 0n }));
    await Effect.runPromise(
      ledger.deposit({ accountId: 'w-acme', currency: KES, depositId: 'w-fund', amountMinor: 5_000n }),
    );
    for (const transactionId of ['w-kept', 'w-dropped'])
      await Effect.runPromise(
        ledger.authorize({ accountId: 'w-acme', currency: KES, transactionId, amountMinor: 1_000n }),
      );
    const unitOfWork = makeUnitOfWork(db.dataSource);
    const outcomes = await Effect.runPromise(
      Effect.gen(function* () {
        const answers: Either.Either<unknown, unknown>[] = [];
        for (const [transactionId, gives] of [
          ['w-kept', false],
          ['w-dropped', true],
        ] as const) {
          const settled = yield* Deferred.make<void>();
          const release = yield* Deferred.make<void>();
          // the caller captures and then waits inside its unit of work, its locks held
          const caller = yield* Effect.fork(
            Effect.either(
              unitOfWork.transactionally(
                Effect.gen(function* () {
                  yield* ledger.capture({ transactionId, amountMinor: 600n });
                  yield* Deferred.succeed(settled, undefined);
                  yield* Deferred.await(release);
                  if (gives) return yield* Effect.fail('caller gives up' as const);
                }),
              ),
            ),
          );
          yield* Deferred.await(settled);
          // a twin capture, a conflicting capture and a void queue behind it
          const twins = yield* Effect.fork(
            Effect.all(
              [
                Effect.either(ledger.capture({ transactionId, amountMinor: 600n })),
                Effect.either(ledger.capture({ transactionId, amountMinor: 700n })),
                Effect.either(ledger.voidHold({ transactionId })),
              ],
              { concurrency: 'unbounded' },
            ),
          );
          yield* Effect.promise(() => someoneWaitsOnALock());
          yield* Deferred.succeed(release, undefined);
          answers.push(yield* Fiber.join(caller));
          answers.push(...(yield* Fiber.join(twins)));
        }
        return answers;
      }),
    );
    const tags = outcomes.map((o) =>
      Either.isLeft(o)
        ? String((o.left as { _tag?: string })._tag ?? o.left)
        : `applied:${String((o.right as { applied?: boolean } | undefined)?.applied)}`,
    );
    // kept: the twin repeats, the other amount conflicts, the void finds it captured
    expect(tags.slice(0, 4)).toEqual([
      'applied:undefined',
      'applied:false',
      'IdempotencyConflict',
      'HoldAlreadySettled',
    ]);
    // dropped: the caller rolled back, so exactly one of the three queued settlements settles the hold
    expect(tags[4]).toBe('caller gives up');
    const queued = outcomes.slice(5);
    expect(queued.filter(Either.isRight)).toHaveLength(1);
    const account = await Effect.runPromise(ledger.account('w-acme', 'KES'));
    expect(account.holdingMinor).toBe(0n);
    expect(await brokenAccounts('w-')).toEqual([]);
    expect(await brokenHolds('w-')).toEqual([]);
  });

  it('a storm of void, capture and reverse over shared holds and accounts: balances, holds and journal agree, every answer is a settled entry', async () => {
    const accounts = ['s-a', 's-b', 's-c'];
    for (const accountId of accounts) {
      await Effect.runPromise(ledger.openAccount({ accountId, currency: KES, creditLimitMinor: 1_000n }));
      await Effect.runPromise(
        ledger.deposit({ accountId, currency: KES, depositId: `${accountId}-fund`, amountMinor: 100_000n }),
      );
    }
    const holds = Array.from({ length: 30 }, (_, i) => ({
      transactionId: `s-tx-${i}`,
      accountId: accounts[i % accounts.length] as string,
      amountMinor: BigInt(100 + i * 7),
    }));
    await Promise.all(holds.map((h) => Effect.runPromise(ledger.authorize({ ...h, currency: KES }))));
    // per hold: two captures of one amount, a capture of another, a void and two reverses, all at once
    const calls = holds.flatMap((h, i) => {
      const share = i % 3 === 0 ? 0n : i % 3 === 1 ? h.amountMinor : h.amountMinor / 2n;
      return [
        ['capture', h.transactionId, run(ledger.capture({ transactionId: h.transactionId, amountMinor: share }))],
        ['capture', h.transactionId, run(ledger.capture({ transactionId: h.transactionId, amountMinor: share }))],
        ['void', h.transactionId, run(ledger.voidHold({ transactionId: h.transactionId }))],
        ['reverse', h.transactionId, run(ledger.reverse({ transactionId: h.transactionId }))],
        ['reverse', h.transactionId, run(ledger.reverse({ transactionId: h.transactionId }))],
        ['capture', h.transactionId, run(ledger.capture({ transactionId: h.transactionId, amountMinor: share + 1n }))],
      ] as const;
    });
    const answers = await Promise.all(calls.map(([, , answer]) => answer));
    const unexpected = answers
      .map((a, i) => ({ a, call: calls[i] }))
      .filter(
        ({ a }) =>
          Either.isLeft(a) &&
          !['HoldAlreadySettled', 'HoldNotCaptured', 'IdempotencyConflict', 'CaptureExceedsHold'].includes(a.left._tag),
      )
      .map(({ a, call }) => `${call?.[0]} ${call?.[1]}: ${show(Either.isLeft(a) ? a.left : undefined)}`);
    expect(unexpected).toEqual([]);
    // every answered entry is the journal's entry for its reference and kind
    const journal = (await db.dataSource.query(
      `SELECT sequence::int AS sequence, reference, kind FROM ledger_journal WHERE reference LIKE 's-tx-%'`,
    )) as { sequence: number; reference: string; kind: string }[];
    const bySequence = new Map(journal.map((e) => [e.sequence, e]));
    for (const [i, answer] of answers.entries()) {
      if (Either.isLeft(answer)) continue;
      const { entry } = answer.right;
      expect(bySequence.get(entry.sequence)).toEqual({
        sequence: entry.sequence,
        reference: calls[i]?.[1],
        kind: entry.kind,
      });
    }
    // per hold: one settlement applied, and each reverse applied at most once
    for (const h of holds) {
      const mine = answers.filter((_, i) => calls[i]?.[1] === h.transactionId);
      const applied = mine
        .filter((a) => Either.isRight(a) && a.right.applied)
        .map((a) => Either.getOrThrow(a).entry.kind);
      expect(applied.filter((k) => k === 'VOID' || k === 'CAPTURE')).toHaveLength(1);
      expect(applied.filter((k) => k === 'REVERSE').length).toBeLessThanOrEqual(1);
    }
    expect(await brokenAccounts('s-')).toEqual([]);
    expect(await brokenHolds('s-')).toEqual([]);
    const totals = (await db.dataSource.query(
      `SELECT COALESCE(SUM(holding_minor), 0)::text AS holding FROM ledger_accounts WHERE account_id LIKE 's-%'`,
    )) as { holding: string }[];
    expect(totals).toEqual([{ holding: '0' }]);
  });
});
