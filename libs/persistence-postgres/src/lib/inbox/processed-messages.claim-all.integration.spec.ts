import { Deferred, Effect, Either } from 'effect';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { makeProcessedMessages, type ProcessedMessagesStore } from './processed-messages.adapter';

const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const result = await Effect.runPromise(Effect.either(effect));
  return Either.isLeft(result) ? result.left : undefined;
};
const sorted = (ids: Iterable<string>) => [...ids].sort();

/** One step of a consumer: a claim of one message or of many, in a unit of work that commits or rolls back. */
type Step =
  | { readonly kind: 'claim'; readonly consumer: string; readonly id: string; readonly rollBack: boolean }
  | {
      readonly kind: 'claimAll';
      readonly consumer: string;
      readonly ids: readonly string[];
      readonly rollBack: boolean;
    };

const ID = fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'M1', 'm1 ', '');
const CONSUMER = fc.constantFrom('topup-commands', 'reconciler');
const arbitraryStep: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('claim' as const), consumer: CONSUMER, id: ID, rollBack: fc.boolean() }),
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('claimAll' as const),
      consumer: CONSUMER,
      ids: fc.array(ID, { maxLength: 8 }),
      rollBack: fc.boolean(),
    }),
  },
);

describe('processed messages claimAll on PostgreSQL', () => {
  let db: TestDatabase;
  let inbox: ProcessedMessagesStore;
  const unitOfWork = () => makeUnitOfWork(db.dataSource);
  const inUnit = <A, E>(effect: Effect.Effect<A, E>) => unitOfWork().transactionally(effect);
  const claimAll = (consumer: string, ids: readonly string[]) =>
    Effect.runPromise(inUnit(inbox.claimAll(consumer, ids)));
  const claimed = async (consumer: string) =>
    sorted(
      (
        (await db.dataSource.query(`SELECT message_id FROM processed_messages WHERE consumer = $1`, [consumer])) as {
          message_id: string;
        }[]
      ).map((row) => row.message_id),
    );
  /** Polls the server until a session of this database waits for a lock, or fails after 30 s. */
  const waitForLockWaiter = async (): Promise<void> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [row] = (await db.dataSource.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )) as { waiting: number }[];
      if ((row?.waiting ?? 0) > 0) return;
      if (Date.now() > deadline) throw new Error('no session waited for the first claim within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    inbox = makeProcessedMessages(db.dataSource);
  });
  afterAll(async () => db.drop());

  it('answers exactly the ids claimed now, as claim one by one would, whatever came before', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(arbitraryStep, { minLength: 1, maxLength: 12 }), async (steps) => {
        run += 1;
        const consumerOf = (consumer: string) => `${consumer}-${run}`;
        const model = new Set<string>();
        for (const step of steps) {
          const consumer = consumerOf(step.consumer);
          const ids = step.kind === 'claim' ? [step.id] : step.ids;
          const expected = new Set(ids.filter((id) => !model.has(JSON.stringify([consumer, id]))));
          const work =
            step.kind === 'claim'
              ? Effect.map(inbox.claim(consumer, step.id), (first) => new Set(first ? [step.id] : []))
              : inbox.claimAll(consumer, step.ids);
          const answer = await Effect.runPromise(
            Effect.either(
              inUnit(
                Effect.flatMap(work, (answered) => (step.rollBack ? Effect.fail(answered) : Effect.succeed(answered))),
              ),
            ),
          );
          // the answer inside the unit of work is the same whether it then commits or not
          expect(sorted(Either.isRight(answer) ? answer.right : (answer.left as ReadonlySet<string>))).toStrictEqual(
            sorted(expected),
          );
          if (!step.rollBack) for (const id of expected) model.add(JSON.stringify([consumer, id]));
        }
        for (const consumer of ['topup-commands', 'reconciler']) {
          const kept = [...model]
            .map((key) => JSON.parse(key) as [string, string])
            .filter(([owner]) => owner === consumerOf(consumer))
            .map(([, id]) => id);
          expect(await claimed(consumerOf(consumer))).toStrictEqual(sorted(kept));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('claims an id named twice once, and answers it once', async () => {
    const answer = await claimAll('twice', ['a', 'b', 'a', 'a', 'b']);
    expect(sorted(answer)).toStrictEqual(['a', 'b']);
    expect(await claimed('twice')).toStrictEqual(['a', 'b']);
  });

  it('leaves out ids processed before, by claim or by claimAll, for this consumer only', async () => {
    await Effect.runPromise(inUnit(inbox.claim('before', 'by-claim')));
    await claimAll('before', ['by-claim-all']);
    expect(sorted(await claimAll('before', ['by-claim', 'new', 'by-claim-all']))).toStrictEqual(['new']);
    expect(sorted(await claimAll('before', ['by-claim', 'new', 'by-claim-all']))).toStrictEqual([]);
    expect(sorted(await claimAll('another-consumer', ['by-claim', 'new']))).toStrictEqual(['by-claim', 'new']);
    // and claim sees what claimAll claimed
    expect(await Effect.runPromise(inUnit(inbox.claim('before', 'new')))).toBe(false);
  });

  it('answers the ids exactly as given, whatever characters they hold', async () => {
    const ids = [
      'NULL',
      'null',
      '',
      ' ',
      '"',
      '\\',
      'a,b',
      '{x}',
      '{"a":1}',
      "it's",
      'é',
      'e\u0301',
      '字',
      '😀',
      '\n',
      'x'.repeat(5000),
    ];
    expect(sorted(await claimAll('characters', ids))).toStrictEqual(sorted(ids));
    expect(await claimed('characters')).toStrictEqual(sorted(ids));
    expect(sorted(await claimAll('characters', ids))).toStrictEqual([]);
  });

  it('answers an id with an unpaired surrogate as given; ids the column holds alike are one claim, as with claim', async () => {
    // pg sends text as UTF-8: 'x\ud800', 'x\udc00' and 'x\ufffd' all arrive as 'x\ufffd'
    expect(sorted(await claimAll('surrogates', ['x\ud800', 'y', 'x\udc00', 'x\ufffd']))).toStrictEqual([
      'x\ud800',
      'y',
    ]);
    expect(await claimed('surrogates')).toStrictEqual(['x\ufffd', 'y']);
    expect(sorted(await claimAll('surrogates', ['x\udc00', 'z']))).toStrictEqual(['z']);
    expect(await Effect.runPromise(inUnit(inbox.claim('surrogates', 'x\ud800')))).toBe(false);
  });

  it('claims many ids in one call', async () => {
    const ids = Array.from({ length: 5000 }, (_, index) => `bulk-${index}`);
    expect((await claimAll('bulk', [...ids, ...ids.slice(0, 100)])).size).toBe(5000);
    expect((await claimed('bulk')).length).toBe(5000);
  });

  it('answers no id for an empty list, claiming nothing', async () => {
    expect(sorted(await claimAll('empty', []))).toStrictEqual([]);
    expect(await claimed('empty')).toStrictEqual([]);
  });

  it('refuses to claim outside a unit of work, as claim does, claiming nothing', async () => {
    for (const outside of [inbox.claimAll('outside', ['o1', 'o2']), inbox.claimAll('outside', [])]) {
      expect(await failureOf(outside)).toMatchObject({
        _tag: 'PersistenceFailure',
        retryable: false,
        reason: expect.stringMatching(/inside the unit of work/),
      });
    }
    expect(await claimed('outside')).toStrictEqual([]);
    expect(sorted(await claimAll('outside', ['o1', 'o2']))).toStrictEqual(['o1', 'o2']);
  });

  it('leaves nothing claimed when its unit of work rolls back, so a redelivery claims them all', async () => {
    expect(
      await failureOf(
        inUnit(Effect.zipRight(inbox.claimAll('rolled', ['r1', 'r2']), Effect.fail('effect failed' as const))),
      ),
    ).toBe('effect failed');
    expect(await claimed('rolled')).toStrictEqual([]);
    expect(sorted(await claimAll('rolled', ['r2', 'r1']))).toStrictEqual(['r1', 'r2']);
  });

  it('fails, as claim does, on an id holding a NUL, and claims none of the list', async () => {
    expect(await failureOf(inUnit(inbox.claim('nul', 'n\u0000')))).toMatchObject({
      _tag: 'PersistenceFailure',
      retryable: false,
    });
    expect(await failureOf(inUnit(inbox.claimAll('nul', ['n1', 'n\u0000', 'n2'])))).toMatchObject({
      _tag: 'PersistenceFailure',
      retryable: false,
    });
    expect(await claimed('nul')).toStrictEqual([]);
  });

  it.each([
    ['commits', ['c3']],
    ['rolls back', ['c2', 'c3']],
  ] as const)(
    'makes a concurrent claimAll of c2, c3 wait for the first of c1, c2; when the first %s it answers %j',
    async (ending, expected) => {
      const consumer = `concurrent-${ending}`;
      const claimedFirst = Effect.runSync(Deferred.make<ReadonlySet<string>>());
      const end = Effect.runSync(Deferred.make<void>());
      const first = Effect.runPromise(
        Effect.either(
          inUnit(
            Effect.gen(function* () {
              yield* Deferred.succeed(claimedFirst, yield* inbox.claimAll(consumer, ['c1', 'c2']));
              yield* Deferred.await(end);
              if (ending === 'rolls back') return yield* Effect.fail('rolled back' as const);
            }),
          ),
        ),
      );
      expect(sorted(await Effect.runPromise(Deferred.await(claimedFirst)))).toStrictEqual(['c1', 'c2']);
      const secondAnswer = claimAll(consumer, ['c2', 'c3']);
      await waitForLockWaiter();
      await Effect.runPromise(Deferred.succeed(end, undefined));
      await first;
      expect(sorted(await secondAnswer)).toStrictEqual(expected);
      expect(await claimed(consumer)).toStrictEqual(ending === 'commits' ? ['c1', 'c2', 'c3'] : ['c2', 'c3']);
    },
  );
});
