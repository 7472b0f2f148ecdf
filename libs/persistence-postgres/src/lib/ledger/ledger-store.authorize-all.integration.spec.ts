// LedgerStore.authorizeAll on PostgreSQL, both stores: each input answered
// and stored as `authorize` one by one in order would (a fast-check property
// against a second, identical database; inside a unit of work, a
// group-commit one, and none), nothing kept of a unit that fails after it,
// every balance the sum of its journal, and two units racing on one hot
// account as if one ran after the other.
import {
  type AuthorizeInput,
  type Currency,
  currencyOf,
  emptyLedger,
  IDENTIFIER_RULES,
  isValidIdentifier,
  type Ledger,
  type LedgerStoreService,
} from '@airtime/domain';
import { HOSTILE_LEDGER_IDS, type LedgerOperation, stepLedgerOperation } from '@airtime/domain/testing';
import { Effect, Either } from 'effect';
import fc from 'fast-check';
import {
  aroundFailedUnit,
  type Answer,
  bothSides,
  disagreements,
  journalBreaks,
  type Mode,
  MODES,
  openSide,
  outcomes,
  run,
  show,
  type Side,
  storedEntryMismatches,
  storedOf,
  within,
} from '../../testing/ledger-runs.fixture';
import { LEDGER_STORES as STORES, outcomeOf } from '../../testing/ledger-stores.fixture';
import type { TestDatabase } from '../../testing/test-database';
import { makeGroupCommitUnitOfWork } from '../unit-of-work/group-commit/group-commit-unit-of-work.adapter';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';

const KES = Either.getOrThrow(currencyOf('KES'));
const USD = Either.getOrThrow(currencyOf('USD'));
const FORGED_KES: Currency = { code: 'KES', exponent: 3 };

/** A run's accounts (ids with quotes, a backslash, emoji: they reach SQL literals), by role. */
const accountsOf = (prefix: string) => ({
  funded: `${prefix}funded`,
  credit: `${prefix}credit o'q"`,
  usd: `${prefix}usd \\ 字😀`,
  missing: `${prefix}missing`,
});

/** Where an input points: an account in its currency, in another one, a missing one, or one the checks refuse. */
const TARGETS = ['funded', 'credit', 'usd', 'missing', 'funded in USD', 'usd in KES', 'bad id', 'forged'] as const;
type Target = (typeof TARGETS)[number];
const targetOf = (prefix: string, target: Target): Pick<AuthorizeInput, 'accountId' | 'currency'> => {
  const accounts = accountsOf(prefix);
  switch (target) {
    case 'funded':
    case 'credit':
    case 'missing':
      return { accountId: accounts[target], currency: KES };
    case 'usd':
      return { accountId: accounts.usd, currency: USD };
    case 'funded in USD':
      return { accountId: accounts.funded, currency: USD };
    case 'usd in KES':
      return { accountId: accounts.usd, currency: KES };
    case 'bad id':
      return { accountId: `${prefix}bad\u202eid`, currency: KES };
    case 'forged':
      return { accountId: accounts.funded, currency: FORGED_KES };
  }
};

/** Transaction ids: a few new ones, two claimed before the run (a hold and a refusal), hostile ones now and then. */
const TRANSACTIONS = ['t1', 't2', 't3', 't4', 't5', 't6', 't7', `t'8' %_\\`, 'pre-held', 'pre-refused'] as const;

const arbitraryAmount = fc.oneof(
  { weight: 16, arbitrary: fc.bigInt({ min: 1n, max: 900n }) },
  { weight: 3, arbitrary: fc.bigInt({ min: 2_000n, max: 6_000n }) },
  { weight: 1, arbitrary: fc.constant(0n) },
  { weight: 1, arbitrary: fc.bigInt({ min: -500n, max: -1n }) },
  { weight: 1, arbitrary: fc.constant(2n ** 51n + 1n) },
);

type Drawn =
  | { readonly kind: 'new'; readonly target: Target; readonly transaction: string; readonly amount: bigint }
  | { readonly kind: 'repeat'; readonly of: number; readonly otherAmount: boolean };

const arbitraryDrawn: fc.Arbitrary<Drawn> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('new' as const),
      target: fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom<Target>('funded', 'credit', 'usd') },
        { weight: 3, arbitrary: fc.constantFrom<Target>(...TARGETS) },
      ),
      transaction: fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom<string>(...TRANSACTIONS) },
        { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_LEDGER_IDS).map((id) => `!${id}`) },
      ),
      amount: arbitraryAmount,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('repeat' as const), of: fc.nat(), otherAmount: fc.boolean() }),
  },
);

/** The inputs of a run: each drawn one, or a repeat of an earlier input (same amount, or one more). */
const inputsOf = (prefix: string, drawn: readonly Drawn[]): AuthorizeInput[] => {
  const inputs: AuthorizeInput[] = [];
  for (const one of drawn) {
    if (one.kind === 'repeat') {
      const earlier = inputs[one.of % Math.max(inputs.length, 1)];
      if (earlier) inputs.push({ ...earlier, amountMinor: earlier.amountMinor + (one.otherAmount ? 1n : 0n) });
      continue;
    }
    // a hostile id is used as it is (a prefix could make it valid)
    const transactionId = one.transaction.startsWith('!') ? one.transaction.slice(1) : `${prefix}${one.transaction}`;
    inputs.push({ ...targetOf(prefix, one.target), transactionId, amountMinor: one.amount });
  }
  return inputs;
};

/** The run's accounts funded, one with a credit limit, one in USD; a hold and a refusal claimed before the run. */
const setUp = async (store: LedgerStoreService, prefix: string) => {
  const accounts = accountsOf(prefix);
  const open = async (accountId: string, currency: Currency, creditLimitMinor: bigint, fundMinor: bigint) => {
    await Effect.runPromise(store.openAccount({ accountId, currency, creditLimitMinor }));
    await Effect.runPromise(
      store.deposit({ accountId, currency, depositId: `${accountId}-fund`, amountMinor: fundMinor }),
    );
  };
  await open(accounts.funded, KES, 0n, 2_000n);
  await open(accounts.credit, KES, 1_500n, 300n);
  await open(accounts.usd, USD, 200n, 1_000n);
  const claim = (accountId: string, transactionId: string, amountMinor: bigint) =>
    run(store.authorize({ accountId, currency: KES, transactionId, amountMinor }));
  expect(Either.isRight(await claim(accounts.funded, `${prefix}pre-held`, 400n))).toBe(true);
  expect(await claim(accounts.credit, `${prefix}pre-refused`, 99_999n)).toMatchObject({
    left: { _tag: 'InsufficientFunds' },
  });
};

const expectAgreement = (inputs: readonly AuthorizeInput[], all: readonly Answer[], one: readonly Answer[]) =>
  expect(disagreements(inputs, all, one, { batch: 'authorizeAll', single: 'authorize one by one' })).toEqual([]);

/**
 * How the reference side calls `authorize`: each in a unit of its own, all in one unit, or outside any.
 * Inside a unit, each answer is taken as a value: a refusal that failed the unit would roll back its record
 * (authorizeAll answers refusals as values, so they commit with the unit).
 */
const REFERENCES = ['each in a unit of its own', 'all in one unit', 'alone'] as const;
type Reference = (typeof REFERENCES)[number];

const oneByOne = async (side: Side, mode: Mode, reference: Reference, inputs: readonly AuthorizeInput[]) => {
  const each = (input: AuthorizeInput) => Effect.either(side.store.authorize(input)) as Effect.Effect<Answer>;
  if (mode === 'no unit of work' || reference === 'alone') return Effect.runPromise(Effect.forEach(inputs, each));
  if (reference === 'all in one unit') return Effect.runPromise(within(side, mode)(Effect.forEach(inputs, each)));
  return Effect.runPromise(Effect.forEach(inputs, (input) => within(side, mode)(each(input))));
};

/** The pure ledger's answers to `batches` run one after the other on one account (funded, with a credit limit). */
const serially = (
  accountId: string,
  fundMinor: bigint,
  creditLimitMinor: bigint,
  batches: readonly (readonly AuthorizeInput[])[],
): string[][] => {
  const setup: LedgerOperation[] = [{ kind: 'openAccount', input: { accountId, currency: KES, creditLimitMinor } }];
  if (fundMinor > 0n)
    setup.push({
      kind: 'deposit',
      input: { accountId, currency: KES, depositId: `${accountId}-fund`, amountMinor: fundMinor },
    });
  let ledger: Ledger = setup.reduce((before, operation) => stepLedgerOperation(before, operation).ledger, emptyLedger);
  return batches.map((batch) =>
    batch.map((input) => {
      const step = stepLedgerOperation(ledger, { kind: 'authorize', input });
      ledger = step.ledger;
      return show(outcomeOf(step.result as Answer));
    }),
  );
};

describe.each(STORES)('LedgerStore.authorizeAll on PostgreSQL (%s store)', (storeName, makeStore) => {
  // side A runs authorizeAll, side B (an identical database) authorize one by one
  let a: Side;
  let b: Side;
  beforeAll(async () => {
    [a, b] = await Promise.all([openSide(makeStore), openSide(makeStore)]);
  });
  afterAll(async () => Promise.all([a?.db.drop(), b?.db.drop()]));

  let runs = 0;
  const nextPrefix = () => `${storeName[0]}${++runs}.`;

  it('the ids of the runs are valid identifiers (so that only the drawn bad ones are refused)', () => {
    const prefix = 'd999.';
    const accounts = Object.values(accountsOf(prefix));
    expect(accounts.every((id) => isValidIdentifier(IDENTIFIER_RULES.ACCOUNT_ID, id))).toBe(true);
    const transactions = [...TRANSACTIONS.map((id) => `${prefix}${id}`), `${prefix}after-1`];
    expect(transactions.every((id) => isValidIdentifier(IDENTIFIER_RULES.TRANSACTION_ID, id))).toBe(true);
    expect(isValidIdentifier(IDENTIFIER_RULES.ACCOUNT_ID, targetOf(prefix, 'bad id').accountId)).toBe(false);
  });

  it.each(MODES)(
    'inside %s: answers and stores every input as authorize one by one in order on an identical database (fast-check)',
    async (mode) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(arbitraryDrawn, { minLength: 1, maxLength: 30 }),
          fc.constantFrom(...REFERENCES),
          async (drawn, reference) => {
            const prefix = nextPrefix();
            const inputs = inputsOf(prefix, drawn);
            await Promise.all([setUp(a.store, prefix), setUp(b.store, prefix)]);
            // a unit that fails after the call keeps nothing of it
            const around = await aroundFailedUnit(a, mode, prefix, a.store.authorizeAll(inputs));
            if (around !== undefined) {
              expect(around.failed).toEqual(Either.left('caller gives up'));
              expect(around.after).toEqual(around.before);
            }
            const all = await run(within(a, mode)(a.store.authorizeAll(inputs)));
            if (Either.isLeft(all)) throw new Error(`authorizeAll failed as a whole: ${show(all.left)}`);
            const one = await oneByOne(b, mode, reference, inputs);
            expectAgreement(inputs, all.right, one);
            expect(await storedEntryMismatches(a.db, all.right)).toEqual([]);
            expect(await storedOf(a.db, prefix)).toEqual(await storedOf(b.db, prefix));
            // then authorize outside any unit (the batched store's lane copy may not know what the batch wrote):
            // every input again (repeats now), and a new hold on each account
            const accounts = accountsOf(prefix);
            const after = [
              ...inputs,
              { accountId: accounts.funded, currency: KES, transactionId: `${prefix}after-1`, amountMinor: 700n },
              { accountId: accounts.credit, currency: KES, transactionId: `${prefix}after-2`, amountMinor: 900n },
              { accountId: accounts.usd, currency: USD, transactionId: `${prefix}after-3`, amountMinor: 500n },
            ];
            expectAgreement(
              after,
              await oneByOne(a, 'no unit of work', 'alone', after),
              await oneByOne(b, 'no unit of work', 'alone', after),
            );
            const sides = await bothSides(a, b, prefix);
            expect(sides.stored[0]).toEqual(sides.stored[1]);
            expect(sides.breaks).toEqual([]);
          },
        ),
        { numRuns: 30 },
      );
    },
  );

  it('an empty list answers nothing, inside a unit of work and outside', async () => {
    expect(await Effect.runPromise(a.units['a unit of work'].transactionally(a.store.authorizeAll([])))).toEqual([]);
    expect(await Effect.runPromise(a.store.authorizeAll([]))).toEqual([]);
  });

  it('sees what its unit of work wrote before it, and a failing unit of a group keeps nothing while the other commits', async () => {
    const prefix = nextPrefix();
    const hot = `${prefix}hot`;
    const unitOfWork = makeGroupCommitUnitOfWork(a.db.dataSource, { groups: 1, maxGroup: 8 });
    const hold = (transactionId: string, amountMinor: bigint): AuthorizeInput => ({
      accountId: hot,
      currency: KES,
      transactionId: `${prefix}${transactionId}`,
      amountMinor,
    });
    // the account is opened and funded in the same unit as the holds
    const opened = await Effect.runPromise(
      unitOfWork.transactionally(
        Effect.gen(function* () {
          yield* a.store.openAccount({ accountId: hot, currency: KES, creditLimitMinor: 100n });
          yield* a.store.deposit({ accountId: hot, currency: KES, depositId: `${prefix}fund`, amountMinor: 1_000n });
          return yield* a.store.authorizeAll([hold('first', 600n), hold('second', 600n)]);
        }),
      ),
    );
    expect(outcomes(opened)).toEqual(serially(hot, 1_000n, 100n, [[hold('first', 600n), hold('second', 600n)]])[0]);
    const failing = [hold('f1', 100n), hold('f2', 5_000n), hold('shared', 50n)];
    const kept = [hold('k1', 200n), hold('shared', 50n), hold('k2', 300n)];
    const [failed, committed] = await Promise.all([
      run(unitOfWork.transactionally(Effect.zipRight(a.store.authorizeAll(failing), Effect.fail('gives up' as const)))),
      run(unitOfWork.transactionally(a.store.authorizeAll(kept))),
    ]);
    expect(failed).toEqual(Either.left('gives up'));
    if (Either.isLeft(committed)) throw new Error(show(committed.left));
    // as if the failing unit never ran: the available 400 after the first holds covers k1 and shared, not k2
    expect(outcomes(committed.right)).toEqual(
      serially(hot, 1_000n, 100n, [[hold('first', 600n), hold('second', 600n)], kept])[1],
    );
    const holds = await a.db.dataSource.query(
      `SELECT transaction_id, status FROM ledger_holds WHERE starts_with(transaction_id, $1) ORDER BY transaction_id`,
      [prefix],
    );
    expect(holds).toEqual(
      ['first', 'k1', 'k2', 'second', 'shared']
        .map((id) => ({
          transaction_id: `${prefix}${id}`,
          status: id === 'second' || id === 'k2' ? 'REFUSED' : 'HELD',
        }))
        .sort((x, y) => (x.transaction_id < y.transaction_id ? -1 : 1)),
    );
    expect(await journalBreaks(a.db, prefix)).toEqual([]);
  });

  it('an account stored in a shape the domain refuses fails the whole call, and its unit keeps nothing even when the caller carries on', async () => {
    const prefix = nextPrefix();
    const good = `${prefix}good`;
    const legacy = `${prefix}legacy`;
    await Effect.runPromise(a.store.openAccount({ accountId: good, currency: KES, creditLimitMinor: 0n }));
    await Effect.runPromise(
      a.store.deposit({ accountId: good, currency: KES, depositId: `${prefix}fund`, amountMinor: 1_000n }),
    );
    await a.db.dataSource.query(
      `INSERT INTO ledger_accounts (account_id, currency, currency_exponent, available_minor, funded_minor)
       VALUES ($1, 'KES', 3, 1000, 1000)`,
      [legacy],
    );
    const before = await storedOf(a.db, prefix);
    const inputs: AuthorizeInput[] = [
      { accountId: good, currency: KES, transactionId: `${prefix}x1`, amountMinor: 10n },
      { accountId: legacy, currency: KES, transactionId: `${prefix}x2`, amountMinor: 10n },
    ];
    for (const unitOfWork of Object.values(a.units)) {
      // the call fails as a whole with a PersistenceFailure
      const failed = await run(unitOfWork.transactionally(a.store.authorizeAll(inputs)));
      expect(Either.isLeft(failed) && failed.left).toMatchObject({ _tag: 'PersistenceFailure', retryable: false });
      // a caller that carries on (say, to try one by one) must not commit the holds of a call that failed
      const recovered = await run(unitOfWork.transactionally(Effect.either(a.store.authorizeAll(inputs))));
      expect(Either.isLeft(recovered) && recovered.left).toMatchObject({ _tag: 'PersistenceFailure' });
      expect(await storedOf(a.db, prefix)).toEqual(before);
    }
  });

  it('two units of work at once on the same transaction id for two accounts: the later one answers a conflict or keeps nothing', async () => {
    const prefix = nextPrefix();
    const accounts = [`${prefix}left`, `${prefix}right`];
    for (const accountId of accounts) {
      await Effect.runPromise(a.store.openAccount({ accountId, currency: KES, creditLimitMinor: 0n }));
      await Effect.runPromise(
        a.store.deposit({ accountId, currency: KES, depositId: `${accountId}-fund`, amountMinor: 1_000n }),
      );
    }
    const unitOfWork = a.units['a unit of work'];
    const results = await Promise.all(
      accounts.map((accountId) =>
        run(
          unitOfWork.transactionally(
            // each unit holds its claim a moment, so that the other claims the same id meanwhile
            Effect.zipLeft(
              a.store.authorizeAll([{ accountId, currency: KES, transactionId: `${prefix}same`, amountMinor: 10n }]),
              Effect.sleep('150 millis'),
            ),
          ),
        ),
      ),
    );
    const applied = results.filter(
      (result) => Either.isRight(result) && result.right.every((answer) => Either.isRight(answer)),
    );
    expect(applied).toHaveLength(1);
    for (const result of results) {
      if (Either.isLeft(result)) expect(result.left).toMatchObject({ _tag: 'PersistenceFailure' });
      else if (result !== applied[0])
        expect(result.right.map((answer) => Either.isLeft(answer) && answer.left._tag)).toEqual([
          'IdempotencyConflict',
        ]);
    }
    expect(
      await a.db.dataSource.query(`SELECT count(*)::int AS n FROM ledger_journal WHERE reference = $1`, [
        `${prefix}same`,
      ]),
    ).toEqual([{ n: 1 }]);
    expect(await journalBreaks(a.db, prefix)).toEqual([]);
  });

  describe.each([
    ['units of work', (db: TestDatabase) => makeUnitOfWork(db.dataSource)],
    ['group-commit units of work', (db: TestDatabase) => makeGroupCommitUnitOfWork(db.dataSource, { groups: 2 })],
  ] as const)('two %s at once on one hot account (fast-check)', (_kind, makeUnits) => {
    it('hold no more than its funds and credit limit, answer as one after the other, and record each refusal', async () => {
      const unitOfWork = makeUnits(a.db);
      const batch = fc.array(
        fc.record({
          id: fc.oneof({ weight: 4, arbitrary: fc.nat(40) }, { weight: 1, arbitrary: fc.nat(5).map((n) => `s${n}`) }),
          amount: fc.bigInt({ min: 1n, max: 600n }),
        }),
        { minLength: 1, maxLength: 25 },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.bigInt({ min: 0n, max: 4_000n }),
          fc.bigInt({ min: 0n, max: 1_000n }),
          batch,
          batch,
          async (fundMinor, creditLimitMinor, first, second) => {
            const prefix = nextPrefix();
            const hot = `${prefix}hot`;
            await Effect.runPromise(a.store.openAccount({ accountId: hot, currency: KES, creditLimitMinor }));
            if (fundMinor > 0n)
              await Effect.runPromise(
                a.store.deposit({ accountId: hot, currency: KES, depositId: `${hot}-fund`, amountMinor: fundMinor }),
              );
            // ids s0..s5 are shared by both batches (a repeat, or a conflict when the amounts differ)
            const inputsOf = (side: string, drawn: typeof first): AuthorizeInput[] =>
              drawn.map(({ id, amount }) => ({
                accountId: hot,
                currency: KES,
                transactionId: typeof id === 'string' ? `${prefix}${id}` : `${prefix}${side}${id}`,
                amountMinor: amount,
              }));
            const batches = [inputsOf('a', first), inputsOf('b', second)];
            const reversed = [...batches].reverse();
            // each unit keeps its locks a moment after its batch, so that the other waits for them
            const results = await Promise.all(
              batches.map((inputs) =>
                run(
                  unitOfWork.transactionally(Effect.zipLeft(a.store.authorizeAll(inputs), Effect.sleep('20 millis'))),
                ),
              ),
            );
            const answers = results.map((result) => {
              if (Either.isLeft(result)) throw new Error(`a unit failed: ${show(result.left)}`);
              return result.right;
            });
            const actual = answers.map((batchAnswers) => outcomes(batchAnswers));
            const [firstThen, secondThen] = [
              serially(hot, fundMinor, creditLimitMinor, batches),
              serially(hot, fundMinor, creditLimitMinor, reversed).reverse(),
            ];
            if (show(actual) !== show(firstThen) && show(actual) !== show(secondThen))
              throw new Error(`neither order: ${show(actual)}`);
            const account = await Effect.runPromise(a.store.account(hot, 'KES'));
            expect(account.holdingMinor).toBeLessThanOrEqual(fundMinor + creditLimitMinor);
            expect(account.availableMinor).toBeGreaterThanOrEqual(-creditLimitMinor);
            const holds = (await a.db.dataSource.query(
              `SELECT transaction_id, amount_minor::text AS amount, status, refusal FROM ledger_holds WHERE account_id = $1`,
              [hot],
            )) as { transaction_id: string; amount: string; status: string; refusal: unknown }[];
            const held = holds.filter((hold) => hold.status === 'HELD');
            expect(held.reduce((sum, hold) => sum + BigInt(hold.amount), 0n)).toBe(account.holdingMinor);
            const byId = new Map(holds.map((hold) => [hold.transaction_id, hold]));
            batches.flat().forEach((input, index) => {
              const answer = answers.flat()[index] as Answer;
              const hold = byId.get(input.transactionId);
              if (Either.isRight(answer)) expect(hold?.status).toBe('HELD');
              else if (answer.left._tag === 'InsufficientFunds') {
                const refusal = answer.left as unknown as { requestedMinor: bigint; availableMinor: bigint };
                expect(hold).toEqual({
                  transaction_id: input.transactionId,
                  amount: String(refusal.requestedMinor),
                  status: 'REFUSED',
                  refusal: {
                    availableMinor: String(refusal.availableMinor),
                    creditLimitMinor: String(creditLimitMinor),
                  },
                });
              } else expect(answer.left._tag).toBe('IdempotencyConflict');
            });
            expect(await storedEntryMismatches(a.db, answers.flat())).toEqual([]);
            expect(await journalBreaks(a.db, prefix)).toEqual([]);
          },
        ),
        { numRuns: 12 },
      );
    });
  });
});
