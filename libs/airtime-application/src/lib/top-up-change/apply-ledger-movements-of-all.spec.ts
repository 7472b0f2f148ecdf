// applyLedgerMovementsOfAll against applyLedgerMovements of each change in
// order, in two identical in-memory worlds: which LedgerStore calls it makes
// (settleAll only when every movement of the batch settles a hold, and more
// than one does), its answer (the first refusal in order) and what a unit of
// work keeps.
import {
  type HoldSettlement,
  type LedgerMovementKind,
  LedgerStore,
  type LedgerStoreService,
  type TopUp,
  type TopUpChange,
  UnitOfWork,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import { fundAccount, inMemoryLayers, type InMemoryWorld, sampleCatalogue, sampleRequestInput } from '../../testing';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { applyLedgerMovements, applyLedgerMovementsOfAll } from './save-top-up-change.use-case';

/** A world with three top-ups, each holding its cost on account-1. */
const world = async (): Promise<{ world: InMemoryWorld; topUps: TopUp[] }> => {
  const created = inMemoryLayers({ products: sampleCatalogue });
  await created.run(fundAccount('account-1', 'USD', 100_000n));
  const topUps: TopUp[] = [];
  for (const index of [0, 1, 2]) {
    const requested = await created.run(requestTopUp(sampleRequestInput({ external_id: `order-${index}` })));
    if (requested._tag !== 'Created') throw new Error('a top-up of the world was not created');
    topUps.push(requested.topUp);
  }
  return { world: created, topUps };
};

type Call = string;

/** The world's LedgerStore, recording each call (kind and transaction ids). */
const recording = (store: LedgerStoreService, calls: Call[], name: (id: string) => string): LedgerStoreService => ({
  ...store,
  authorize: (input) =>
    Effect.suspend(() => (calls.push(`authorize ${name(input.transactionId)}`), store.authorize(input))),
  capture: (input) => Effect.suspend(() => (calls.push(`capture ${name(input.transactionId)}`), store.capture(input))),
  voidHold: (input) =>
    Effect.suspend(() => (calls.push(`voidHold ${name(input.transactionId)}`), store.voidHold(input))),
  reverse: (input) => Effect.suspend(() => (calls.push(`reverse ${name(input.transactionId)}`), store.reverse(input))),
  settleAll: (settlements: readonly HoldSettlement[]) =>
    Effect.suspend(() => {
      calls.push(`settleAll ${settlements.map((s) => `${s.kind} ${name(s.input.transactionId)}`).join(', ')}`);
      return store.settleAll(settlements);
    }),
});

/** Runs `ledgerCalls` in one unit of work on `target`, recording its ledger calls; its answer, calls and ledger after. */
const inUnit = async (
  target: InMemoryWorld,
  ledgerCalls: Effect.Effect<void, { readonly _tag: string }, LedgerStore>,
  topUps: readonly TopUp[],
) => {
  const name = (id: string) => {
    const index = topUps.findIndex((topUp) => topUp.id === id);
    return index < 0 ? id : `t${index}`;
  };
  const calls: Call[] = [];
  const answer = await target.runEither(
    Effect.gen(function* () {
      const store = yield* LedgerStore;
      const unit = yield* UnitOfWork;
      return yield* unit.transactionally(
        Effect.provideService(ledgerCalls, LedgerStore, recording(store, calls, name)),
      );
    }),
  );
  return {
    answer: Either.isLeft(answer) ? answer.left._tag : 'done',
    calls,
    ledger: target.database.tables().ledger,
  };
};

const oneByOne = (changes: readonly TopUpChange[]) =>
  Effect.forEach(changes, ({ topUp, movements }) => applyLedgerMovements(topUp, movements), { discard: true });

/** Both sides on identical worlds; the changes built from each world's top-ups. */
const bothSides = async (
  build: (topUps: readonly TopUp[]) => TopUpChange[],
  prepare?: (w: InMemoryWorld, t: readonly TopUp[]) => Promise<void>,
) => {
  const [a, b] = await Promise.all([world(), world()]);
  if (prepare) {
    await prepare(a.world, a.topUps);
    await prepare(b.world, b.topUps);
  }
  const all = await inUnit(a.world, applyLedgerMovementsOfAll(build(a.topUps)), a.topUps);
  const one = await inUnit(b.world, oneByOne(build(b.topUps)), b.topUps);
  return { all, one };
};

const change = (topUp: TopUp, ...movements: LedgerMovementKind[]): TopUpChange => ({ topUp, movements });

describe('applyLedgerMovementsOfAll', () => {
  it('settles a batch of captures, voids and reverses in ONE settleAll, storing what one by one stores', async () => {
    const { all, one } = await bothSides(([t0, t1, t2]) => [
      change(t0 as TopUp, 'CAPTURE'),
      change(t1 as TopUp, 'VOID'),
      change(t2 as TopUp, 'CAPTURE', 'REVERSE'),
    ]);
    expect(all.answer).toBe('done');
    expect(all.calls).toEqual(['settleAll capture t0, voidHold t1, capture t2, reverse t2']);
    expect(one.calls).toEqual(['capture t0', 'voidHold t1', 'capture t2', 'reverse t2']);
    expect(all.ledger).toEqual(one.ledger);
  });

  it('a batch mixing an authorization with settlements goes one by one, in order', async () => {
    const { all, one } = await bothSides(([t0, t1]) => [
      change(t0 as TopUp, 'CAPTURE'),
      change({ ...(t1 as TopUp), id: 'fresh-hold' }, 'AUTHORIZE'),
      change(t1 as TopUp, 'VOID'),
    ]);
    expect(all.answer).toBe('done');
    expect(all.calls).toEqual(one.calls);
    expect(all.calls).toEqual(['capture t0', 'authorize fresh-hold', 'voidHold t1']);
    expect(all.ledger).toEqual(one.ledger);
  });

  it('a batch of one settlement is its own call; a batch with no movement makes none', async () => {
    const { all, one } = await bothSides(([t0, t1]) => [change(t0 as TopUp), change(t1 as TopUp, 'VOID')]);
    expect(all.calls).toEqual(['voidHold t1']);
    expect(all.ledger).toEqual(one.ledger);
    const empty = await bothSides(([t0]) => [change(t0 as TopUp)]);
    expect(empty.all.calls).toEqual([]);
    expect(empty.all.answer).toBe('done');
  });

  it('answers the first refusal in order, and its unit keeps nothing, as one by one', async () => {
    // t1 voided before: its capture is refused (HoldAlreadySettled); t2 never captured: its reverse too
    const { all, one } = await bothSides(
      ([t0, t1, t2]) => [
        change(t0 as TopUp, 'CAPTURE'),
        change(t1 as TopUp, 'CAPTURE'),
        change(t2 as TopUp, 'REVERSE'),
      ],
      async (w, [, t1]) => {
        await w.run(Effect.flatMap(LedgerStore, (store) => store.voidHold({ transactionId: (t1 as TopUp).id })));
      },
    );
    expect(one.answer).toBe('HoldAlreadySettled');
    expect(all.answer).toBe(one.answer);
    expect(all.calls).toHaveLength(1);
    expect(all.calls[0]).toMatch(/^settleAll /);
    expect(all.ledger).toEqual(one.ledger);
    // nothing of the failed unit kept: the first top-up's hold is still held, not captured
    const first = [...all.ledger.holds.values()].filter((hold) => hold.settlement === undefined);
    expect(first).toHaveLength(2);
  });
});
