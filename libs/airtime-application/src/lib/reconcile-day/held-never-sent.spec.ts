// A top-up left CREATED with its ledger hold and no attempt (the API ran
// without workers, or a crash before the first send): the customer's money
// is held and nothing was sent. The reconciler reports it, in every report
// made while it is so, and never settles it (the workers' recovery sends it).
import { LedgerStore } from '@airtime/domain';
import { Effect } from 'effect';
import { type InMemoryWorld, sampleRequestInput } from '../../testing';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { DAY, HOUR, NEXT_MORNING, reconcile, reconcilingWorld, sentTopUp, withoutRun } from './reconcile-day.fixture';

const usd = (world: InMemoryWorld) =>
  world.run(Effect.flatMap(LedgerStore, (ledger) => ledger.account('account-1', 'USD')));

/** A top-up requested (its cost held) and never sent. */
const heldTopUp = async (world: InMemoryWorld, externalId: string) => {
  const created = await world.run(requestTopUp(sampleRequestInput({ external_id: externalId })));
  if (created._tag !== 'Created') throw new Error('expected a new top-up');
  return created.topUp;
};

const DAY_MS = 24 * HOUR;

describe('reconcileDay: top-ups held and never sent', () => {
  it('reports one with its age, id, account and held amount, needing attention, and changes nothing', async () => {
    const world = await reconcilingWorld();
    await sentTopUp(world, 'order-1');
    const held = await heldTopUp(world, 'order-held');
    const calls = world.provider.calls().length;
    const { report, summary } = await reconcile(world);
    expect(report.heldNeverSent).toEqual([
      {
        topUpId: held.id,
        accountId: 'account-1',
        externalId: 'order-held',
        status: 'CREATED',
        createdAt: '2026-01-01T12:00:00.000Z',
        held: { amount: '1.86', currency: 'USD' },
      },
    ]);
    expect(report).toMatchObject({ outcome: 'MISMATCHES', counts: { heldNeverSent: 1, matched: 1 }, settlements: [] });
    // report only: never sent, never settled, the hold kept for the workers to send it
    const stored = world.database.tables().topUps.get(held.id)?.topUp;
    expect(stored).toMatchObject({ status: { status: 'CREATED' }, attempts: [] });
    expect(await usd(world)).toMatchObject({ holdingMinor: 186n });
    expect(
      world.provider
        .calls()
        .slice(calls)
        .map((call) => call.operation),
    ).toEqual(['listTransactions']);
    expect(summary).toContain('  held and never sent 1');
    expect(summary).toContain(
      `\nHeld and never sent (the customer's money is held and no provider was sent it; the workers' recovery sends it)\n` +
        `  - top-up ${held.id} (external id order-held, account account-1), CREATED, holds USD 1.86 ` +
        `since 2026-01-01T12:00:00.000Z (14h 0m before the run)\n`,
    );
  });

  it('keeps reporting one held for days in every later day until it is sent, never in a day before it', async () => {
    const world = await reconcilingWorld();
    const held = await heldTopUp(world, 'order-held');
    const later = { from: new Date(DAY.from.getTime() + 2 * DAY_MS), to: new Date(DAY.to.getTime() + 2 * DAY_MS) };
    const third = await reconcile(world, {
      at: new Date(NEXT_MORNING.getTime() + 2 * DAY_MS),
      input: later,
    });
    expect(third.report.heldNeverSent.map((item) => item.topUpId)).toEqual([held.id]);
    expect(third.summary).toContain('(2d 14h 0m before the run)');
    const before = { from: new Date(DAY.from.getTime() - DAY_MS), to: DAY.from };
    const earlier = await reconcile(world, { at: new Date(NEXT_MORNING.getTime() + 2 * DAY_MS), input: before });
    expect(earlier.report).toMatchObject({ outcome: 'MATCHED', heldNeverSent: [], counts: { heldNeverSent: 0 } });
    expect(earlier.summary).toContain('Held and never sent');
  });

  it('writes the same report when run again (the age is in the summary only)', async () => {
    const world = await reconcilingWorld();
    await heldTopUp(world, 'order-held');
    const first = await reconcile(world);
    const again = await reconcile(world, { at: new Date(NEXT_MORNING.getTime() + 3 * HOUR) });
    expect(withoutRun(again.report)).toEqual(withoutRun(first.report));
    expect(again.summary).toContain('(17h 0m before the run)');
  });

  it('leaves out one younger than the settle age (the workers are sending it), and one that was sent', async () => {
    const world = await reconcilingWorld();
    await heldTopUp(world, 'order-new');
    await sentTopUp(world, 'order-1');
    const { report } = await reconcile(world, {
      at: new Date('2026-01-01T12:10:00.000Z'),
      input: { settleAfterMs: 15 * 60_000 },
    });
    expect(report.heldNeverSent).toEqual([]);
    expect(report.counts.heldNeverSent).toBe(0);
  });
});
