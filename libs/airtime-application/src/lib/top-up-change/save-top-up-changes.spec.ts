// saveTopUpChangeBatch answers each change as saveTopUpChange in a unit of
// work of its own would, in the batch's order (the first change of each
// top-up, then the further ones): checked as a model against a second,
// identical world that writes the same changes one by one in that order,
// answers and stores compared, with stale versions, twins, attempt starts,
// successes (a capture, a callback delivery), failures (a void), touches, a
// change whose ledger movement fails (the batch then runs one by one) and
// commits that fail.
import {
  attemptFailed,
  attemptSucceeded,
  type LedgerMovementKind,
  LedgerStore,
  recordAttemptOutcome,
  startAttempt,
  type TopUp,
  type TopUpChange,
  TopUpRepository,
  UnitOfWork,
} from '@airtime/domain';
import { Cause, Effect, Either, Exit, Option } from 'effect';
import fc from 'fast-check';
import {
  fundAccount,
  inMemoryLayers,
  SAMPLE_CALLBACK_SECRET,
  type InMemoryWorld,
  sampleCatalogue,
  sampleRequestInput,
} from '../../testing';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { saveTopUpChange, type VersionedTopUp } from './save-top-up-change.use-case';
import {
  saveTopUpChangeBatch,
  saveTopUpChanges,
  type TopUpChangeAnswer,
  type TopUpChangeWrite,
} from './save-top-up-changes.use-case';

const ACCOUNTS = ['account-1', 'account-2'] as const;
/** Top-ups 0-2 are CREATED; 3-5 have an attempt in flight; 6 is REJECTED (account-2 cannot pay twice). */
const TOP_UPS = 7;

/** A world with its seven top-ups (some with a callback URL), the same in every world. */
const world = async (): Promise<InMemoryWorld> => {
  const created = inMemoryLayers({
    products: sampleCatalogue,
    callbackSecrets: Object.fromEntries(ACCOUNTS.map((account) => [account, SAMPLE_CALLBACK_SECRET])),
  });
  await created.run(fundAccount('account-1', 'USD', 100_000n));
  await created.run(fundAccount('account-2', 'USD', 100n));
  for (let index = 0; index < TOP_UPS; index += 1) {
    const requested = await created.run(
      requestTopUp(
        sampleRequestInput({
          external_id: `order-${index}`,
          account_id: index === TOP_UPS - 1 ? 'account-2' : 'account-1',
          ...(index % 2 === 0 ? { callback_url: 'https://caller.example/hook' } : {}),
        }),
      ),
    );
    if (requested._tag !== 'Created') throw new Error('a top-up of the world was not created');
    if (index >= 3 && index < TOP_UPS - 1) {
      const now = await created.run(created.clock.now());
      const started = startAttempt(requested.topUp, now, 'scripted');
      if (Either.isLeft(started)) throw new Error('an attempt of the world did not start');
      const before = { topUp: requested.topUp, version: requested.version };
      await created.run(
        Effect.flatMap(UnitOfWork, (unit) => unit.transactionally(saveTopUpChange(before, started.right))),
      );
    }
  }
  return created;
};

/** The stored top-ups, in creation order. */
const storedTopUps = (target: InMemoryWorld): Promise<readonly VersionedTopUp[]> =>
  target.run(
    Effect.forEach([...target.database.tables().topUps.keys()], (id) =>
      Effect.map(
        Effect.flatMap(TopUpRepository, (repository) => repository.findById(id)),
        Option.getOrThrow,
      ),
    ),
  );

type Kind = 'start' | 'succeed' | 'fail' | 'touch' | 'poison' | 'defect';

/** A change to decide: of which top-up, what, and whether it names a version that moved on. */
interface Planned {
  readonly topUp: number;
  readonly kind: Kind;
  readonly stale: boolean;
}

/** The change `kind` makes of `topUp` at `now`; none when the domain refuses it. */
const decide = (topUp: TopUp, kind: Kind, now: Date): TopUpChange | undefined => {
  switch (kind) {
    case 'start':
      return Either.getOrUndefined(
        Either.map(startAttempt(topUp, now, 'scripted'), ({ topUp: after, movements }) => ({
          topUp: after,
          movements,
        })),
      );
    case 'succeed':
      return Either.getOrUndefined(recordAttemptOutcome(topUp, attemptSucceeded(`ptx-${topUp.externalId}`), now));
    case 'fail':
      return Either.getOrUndefined(
        recordAttemptOutcome(topUp, attemptFailed({ reason: 'OPERATOR_UNAVAILABLE', retryable: false }), now),
      );
    case 'touch':
      return { topUp: { ...topUp, updatedAt: now }, movements: [] };
    case 'defect':
      // a movement no ledger call answers: a defect (a bug), never a failure
      return { topUp: { ...topUp, updatedAt: now }, movements: ['NOT_A_MOVEMENT' as LedgerMovementKind] };
    case 'poison':
      // a reversal of a hold never captured: the ledger refuses it
      return { topUp: { ...topUp, updatedAt: now }, movements: ['REVERSE'] };
  }
};

/** The writes of a plan, decided on the top-ups as read (a stale one names the version before, or after). */
const writesOf = (read: readonly VersionedTopUp[], plan: readonly Planned[], now: Date): TopUpChangeWrite[] =>
  plan.flatMap(({ topUp: index, kind, stale }) => {
    const before = read[index];
    if (before === undefined) return [];
    const change = decide(before.topUp, kind, now);
    if (change === undefined) return [];
    const version = stale ? (before.version > 1 ? before.version - 1 : before.version + 1) : before.version;
    return [{ before: { topUp: before.topUp, version }, change }];
  });

/** The order the batch promises: the first change of each top-up, then the further ones. */
const batchOrder = <W extends TopUpChangeWrite>(writes: readonly W[]): W[] => {
  const seen = new Set<string>();
  const firsts: W[] = [];
  const twins: W[] = [];
  for (const write of writes) {
    (seen.has(write.change.topUp.id) ? twins : firsts).push(write);
    seen.add(write.change.topUp.id);
  }
  return [...firsts, ...twins];
};

/** An exit as an Either: its failure, or a defect named `Defect`. */
const exitAsEither = (exit: TopUpChangeAnswer): Either.Either<VersionedTopUp, { readonly _tag: string }> =>
  Exit.match(exit, {
    onFailure: (cause) => Either.left(Option.getOrElse(Cause.failureOption(cause), () => ({ _tag: 'Defect' }))),
    onSuccess: Either.right,
  });

/** What an answer says. */
const summary = (answer: TopUpChangeAnswer | Either.Either<VersionedTopUp, { readonly _tag: string }>) =>
  Either.match(Exit.isExit(answer) ? exitAsEither(answer) : answer, {
    onLeft: (error) => ({ error: error._tag }),
    onRight: (saved) => ({ id: saved.topUp.id, version: saved.version, status: saved.topUp.status.class }),
  });

/** The stores, without the event and delivery ids each world drew. */
const stores = async (target: InMemoryWorld) => {
  const tables = target.database.tables();
  const topUps = [...tables.topUps.values()].map(({ topUp, version }) => ({
    id: topUp.id,
    version,
    status: topUp.status,
    attempts: topUp.attempts.map((attempt) => [attempt.number, attempt.state, attempt.providerTransactionId]),
    updatedAt: topUp.updatedAt.toISOString(),
  }));
  const events = tables.outbox.map(({ event }) => `${event.aggregateId} ${event.type}`);
  const deliveries = [...tables.deliveries.values()].map(
    ({ delivery }) => `${delivery.topUpId} ${delivery.url} ${(JSON.parse(delivery.body) as { type: string }).type}`,
  );
  const balances = await target.run(
    Effect.forEach(ACCOUNTS, (accountId) =>
      Effect.map(
        Effect.flatMap(LedgerStore, (ledger) => ledger.account(accountId, 'USD')),
        (account) => [accountId, account.availableMinor, account.holdingMinor, account.capturedMinor],
      ),
    ),
  );
  return { topUps, events: [...events].sort(), deliveries: [...deliveries].sort(), balances };
};

/** The same writes on two identical worlds: batched on one, one by one in the batch's order on the other. */
const bothWays = async (plan: readonly Planned[], failCommits = 0) => {
  const [batched, single] = [await world(), await world()];
  const now = await batched.run(batched.clock.now());
  const writes = writesOf(await storedTopUps(batched), plan, now);
  const singleWrites = writesOf(await storedTopUps(single), plan, now);
  // the batch's own unit of work takes the first failing commit; the model's changes then meet the others
  batched.database.failNextCommits(failCommits);
  single.database.failNextCommits(Math.max(0, failCommits - 1));
  const fromBatch = await batched.run(saveTopUpChangeBatch(writes));
  const alone = await single.run(
    Effect.forEach(batchOrder(singleWrites), (write) =>
      Effect.exit(
        Effect.flatMap(UnitOfWork, (unit) => unit.transactionally(saveTopUpChange(write.before, write.change))),
      ),
    ),
  );
  // the batch answers in the writes' order; the model answered in the batch's order
  const order = batchOrder(writes.map((write, index) => ({ ...write, index })));
  const modelAnswers: TopUpChangeAnswer[] = [];
  order.forEach((write, at) => {
    const answer = alone[at];
    if (answer !== undefined) modelAnswers[write.index] = answer;
  });
  return {
    batched: fromBatch.map(summary),
    single: modelAnswers.map(summary),
    batchedStores: await stores(batched),
    singleStores: await stores(single),
  };
};

const planArbitrary = fc.array(
  fc.record({
    topUp: fc.integer({ min: 0, max: TOP_UPS - 1 }),
    kind: fc.oneof(
      { arbitrary: fc.constantFrom<Kind>('start', 'succeed', 'fail', 'touch'), weight: 12 },
      { arbitrary: fc.constant<Kind>('poison'), weight: 1 },
    ),
    stale: fc.oneof({ arbitrary: fc.constant(true), weight: 1 }, { arbitrary: fc.constant(false), weight: 3 }),
  }),
  { maxLength: 12 },
);

describe('saveTopUpChangeBatch', () => {
  it('answers and writes as saveTopUpChange one by one in the batch order (model, 200 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(planArbitrary, async (plan) => {
        const both = await bothWays(plan);
        expect(both.batched).toEqual(both.single);
        expect(both.batchedStores).toEqual(both.singleStores);
      }),
      { numRuns: 200 },
    );
  });

  it('writes the changes of distinct top-ups in one unit of work, each answered on its own', async () => {
    const both = await bothWays([
      { topUp: 0, kind: 'start', stale: false },
      { topUp: 3, kind: 'succeed', stale: false },
      { topUp: 4, kind: 'fail', stale: false },
      { topUp: 5, kind: 'touch', stale: true },
      { topUp: 0, kind: 'touch', stale: false },
    ]);
    expect(both.batched).toEqual(both.single);
    expect(both.batched.map((answer) => ('error' in answer ? answer.error : answer.status))).toEqual([
      'CREATED',
      'COMPLETED',
      expect.any(String),
      'ConcurrentModification',
      'ConcurrentModification',
    ]);
    expect(both.batchedStores).toEqual(both.singleStores);
    // the success captured its hold and, with a callback URL, queued its final event's delivery
    expect(both.batchedStores.deliveries.some((delivery) => delivery.endsWith('topup.completed'))).toBe(
      both.singleStores.deliveries.some((delivery) => delivery.endsWith('topup.completed')),
    );
  });

  it('runs every change on its own when one fails the batch (a ledger refusal), each answered on its own', async () => {
    const both = await bothWays([
      { topUp: 3, kind: 'succeed', stale: false },
      { topUp: 1, kind: 'poison', stale: false },
      { topUp: 4, kind: 'succeed', stale: false },
    ]);
    expect(both.batched).toEqual(both.single);
    expect(both.batched[0]).toMatchObject({ status: 'COMPLETED' });
    expect(both.batched[1]).toHaveProperty('error');
    expect(both.batched[2]).toMatchObject({ status: 'COMPLETED' });
    expect(both.batchedStores).toEqual(both.singleStores);
  });

  it('answers a defect of one change to its caller alone: the others run on their own and are written', async () => {
    const both = await bothWays([
      { topUp: 3, kind: 'succeed', stale: false },
      { topUp: 1, kind: 'defect', stale: false },
      { topUp: 4, kind: 'fail', stale: false },
    ]);
    expect(both.batched).toEqual(both.single);
    expect(both.batched.map((answer) => ('error' in answer ? answer.error : 'written'))).toEqual([
      'written',
      'Defect',
      'written',
    ]);
    expect(both.batchedStores).toEqual(both.singleStores);
  });

  it('runs every change on its own when the commit of the batch fails, the first failure its unit of work', async () => {
    const plan: Planned[] = [
      { topUp: 0, kind: 'start', stale: false },
      { topUp: 3, kind: 'succeed', stale: false },
      { topUp: 4, kind: 'fail', stale: false },
    ];
    const once = await bothWays(plan, 1);
    expect(once.batched).toEqual(once.single);
    expect(once.batched.every((answer) => !('error' in answer))).toBe(true);
    expect(once.batchedStores).toEqual(once.singleStores);
    const twice = await bothWays(plan, 2);
    expect(twice.batched).toEqual(twice.single);
    expect(twice.batched.map((answer) => ('error' in answer ? answer.error : 'written'))).toEqual([
      'PersistenceFailure',
      'written',
      'written',
    ]);
    expect(twice.batchedStores).toEqual(twice.singleStores);
  });

  it('saveTopUpChanges: a stale version is ConcurrentModification and nothing of it is written', async () => {
    const target = await world();
    const now = await target.run(target.clock.now());
    const read = await storedTopUps(target);
    const writes = writesOf(
      read,
      [
        { topUp: 3, kind: 'succeed', stale: true },
        { topUp: 4, kind: 'succeed', stale: false },
      ],
      now,
    );
    const before = await stores(target);
    const answers = await target.run(
      Effect.flatMap(UnitOfWork, (unit) => unit.transactionally(saveTopUpChanges(writes))),
    );
    expect(answers.map(summary)).toEqual([
      { error: 'ConcurrentModification' },
      { id: read[4]?.topUp.id, version: (read[4]?.version ?? 0) + 1, status: expect.any(String) },
    ]);
    const after = await stores(target);
    expect(after.topUps[3]).toEqual(before.topUps[3]);
    expect(after.topUps[4]).not.toEqual(before.topUps[4]);
    expect(after.events.filter((event) => event.startsWith(read[3]?.topUp.id ?? '?'))).toEqual(
      before.events.filter((event) => event.startsWith(read[3]?.topUp.id ?? '?')),
    );
  });
});
