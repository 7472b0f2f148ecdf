import { transactionStatus } from '@airtime/domain';
import { Effect, Either, Option } from 'effect';
import { ReconciliationStore, type SettlementRecord, windowKeyOf } from '../lib/ports/reconciliation-store.port';
import { DAY, reconcilingWorld, sentTopUp } from '../lib/reconcile-day/reconcile-day.fixture';

const WINDOW = { providerId: 'scripted', ...DAY };

const record = (fields: Partial<SettlementRecord>): SettlementRecord => ({
  id: 'settlement-1',
  topUpId: 'topup-x',
  providerId: 'scripted',
  providerExternalId: undefined,
  attemptNumber: 1,
  fromStatus: transactionStatus('CONFIRMED'),
  toStatus: transactionStatus('COMPLETED'),
  reason: 'why',
  actor: 'reconciler',
  operator: undefined,
  windowKey: windowKeyOf(WINDOW),
  state: 'APPLYING',
  refusal: undefined,
  recordedAt: new Date('2026-01-02T02:00:00.000Z'),
  completedAt: undefined,
  ...fields,
});

describe('the in-memory reconciliation store', () => {
  it('reads the attempts of a window, by external id, the stale non-final ones by start, and the holding', async () => {
    const world = await reconcilingWorld();
    const done = await sentTopUp(world, 'order-1');
    const pending = await sentTopUp(world, 'order-2', { _tag: 'Pending' });
    world.clock.set(new Date('2026-01-02T01:00:00.000Z'));
    const outside = await sentTopUp(world, 'order-3', { _tag: 'Pending' });
    const read = await world.run(
      Effect.flatMap(ReconciliationStore, (store) =>
        Effect.all({
          window: store.attemptsStartedIn(WINDOW),
          byId: store.attemptsByProviderExternalIds([outside.providerExternalId, 'nobody']),
          stale: store.nonFinalSince('scripted', new Date('2026-01-01T12:00:00.000Z')),
          holding: store.holdingAtProvider('scripted'),
        }),
      ),
    );
    expect(read.window.map((attempt) => attempt.topUpId)).toEqual([done.topUp.id, pending.topUp.id]);
    expect(read.window[0]).toMatchObject({
      status: { class: 'COMPLETED' },
      isLastAttempt: true,
      providerId: 'scripted',
    });
    expect(read.byId.map((attempt) => attempt.topUpId)).toEqual([outside.topUp.id]);
    expect(read.stale.map((attempt) => attempt.topUpId)).toEqual([pending.topUp.id]);
    expect(read.holding).toEqual([
      expect.objectContaining({ currency: 'USD', holding: expect.objectContaining({ units: 3714n }) }),
    ]);
  });

  it('keeps one settlement per (window or operator, top-up, status) and lists a window’s own and its top-ups’ operators’', async () => {
    const world = await reconcilingWorld();
    const { topUp } = await sentTopUp(world, 'order-1');
    const answers = await world.run(
      Effect.flatMap(ReconciliationStore, (store) =>
        Effect.gen(function* () {
          const first = yield* store.recordSettlement(record({ id: 's-1' }));
          const repeat = yield* store.recordSettlement(record({ id: 's-2' }));
          yield* store.completeSettlement('s-1', 'APPLIED', undefined, new Date('2026-01-02T02:00:01.000Z'));
          yield* store.recordSettlement(
            record({ id: 's-3', topUpId: topUp.id, actor: 'operator', operator: 'ops-1', windowKey: undefined }),
          );
          yield* store.recordSettlement(
            record({ id: 's-4', topUpId: 'elsewhere', actor: 'operator', operator: 'ops-1', windowKey: undefined }),
          );
          yield* store.recordSettlement(record({ id: 's-5', windowKey: 'scripted/another' }));
          return {
            first,
            repeat,
            unfinished: yield* store.unfinishedSettlements(windowKeyOf(WINDOW)),
            ofWindow: yield* store.settlementsOf(WINDOW),
          };
        }),
      ),
    );
    expect(answers.repeat.id).toBe('s-1');
    expect(answers.unfinished).toEqual([]);
    expect(answers.ofWindow.map((settlement) => [settlement.id, settlement.state])).toEqual([
      ['s-1', 'APPLIED'],
      ['s-3', 'APPLYING'],
    ]);
  });

  it('keys a settlement by its attempt too, and lists every unfinished one when no window key is given', async () => {
    const world = await reconcilingWorld();
    const answers = await world.run(
      Effect.flatMap(ReconciliationStore, (store) =>
        Effect.gen(function* () {
          const first = yield* store.recordSettlement(record({ id: 's-1', attemptNumber: 1 }));
          const second = yield* store.recordSettlement(record({ id: 's-2', attemptNumber: 2 }));
          yield* store.recordSettlement(record({ id: 's-3', windowKey: 'scripted/another' }));
          yield* store.recordSettlement(
            record({ id: 's-4', actor: 'operator', operator: 'ops-1', windowKey: undefined, attemptNumber: undefined }),
          );
          yield* store.completeSettlement('s-2', 'APPLIED', undefined, new Date('2026-01-02T02:00:01.000Z'));
          return {
            first,
            second,
            ofWindow: yield* store.unfinishedSettlements(windowKeyOf(WINDOW)),
            all: yield* store.unfinishedSettlements(),
          };
        }),
      ),
    );
    expect([answers.first.id, answers.second.id]).toEqual(['s-1', 's-2']);
    expect(answers.ofWindow.map((settlement) => settlement.id)).toEqual(['s-1']);
    expect(answers.all.map((settlement) => settlement.id)).toEqual(['s-1', 's-3', 's-4']);
  });

  it('holds a window lock for the work: the same window is busy meanwhile, another is not, and it is free after', async () => {
    const world = await reconcilingWorld();
    const key = windowKeyOf(WINDOW);
    const answers = await world.run(
      Effect.flatMap(ReconciliationStore, (store) =>
        Effect.gen(function* () {
          const inside = yield* store.withWindowLock(
            key,
            Effect.all({
              same: Effect.either(store.withWindowLock(key, Effect.succeed('second'))),
              other: store.withWindowLock('scripted/another', Effect.succeed('other')),
            }),
          );
          const failed = yield* Effect.either(store.withWindowLock(key, Effect.fail('boom' as const)));
          const after = yield* store.withWindowLock(key, Effect.succeed('after'));
          return { inside, failed, after };
        }),
      ),
    );
    expect(answers.inside.same).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ReconciliationWindowBusy', windowKey: key })),
    );
    expect(answers.inside.other).toBe('other');
    expect(answers.failed).toEqual(Either.left('boom'));
    expect(answers.after).toBe('after');
  });

  it('keeps runs and answers the latest of a window', async () => {
    const world = await reconcilingWorld();
    const latest = await world.run(
      Effect.flatMap(ReconciliationStore, (store) =>
        Effect.gen(function* () {
          yield* store.startRun({ id: 'run-1', window: WINDOW, startedAt: new Date('2026-01-02T01:00:00.000Z') });
          yield* store.startRun({ id: 'run-2', window: WINDOW, startedAt: new Date('2026-01-02T02:00:00.000Z') });
          return yield* store.latestRun({ ...WINDOW, from: new Date(DAY.from.getTime()) });
        }),
      ),
    );
    expect(Option.getOrThrow(latest)).toMatchObject({ id: 'run-2', finishedAt: undefined });
  });
});
