import {
  AirtimeProvider,
  type PreciseMoney,
  preciseMoney,
  ProviderRejected,
  ProviderUnavailable,
  type ProviderBalances,
  transactionStatus,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import { type InMemoryWorld, USD } from '../../testing';
import { applyProviderUpdate } from '../apply-provider-update/apply-provider-update.use-case';
import { DAY, reconcile, reconcilingWorld, sentTopUp } from './reconcile-day.fixture';
import { reconcileDay } from './reconcile-day.use-case';

const usd = (units: bigint, scale: number): PreciseMoney => preciseMoney(units, scale, USD);

/** The provider's answer: one USD balance holding `holding`. */
const holdingUsd = (holding: PreciseMoney): ProviderBalances => ({
  balances: [{ available: usd(1_000_000n, 2), holding, creditLimit: usd(0n, 2) }],
  unreadable: [],
});

const holdingRow = (report: { readonly balances: readonly { readonly field: string }[] }) =>
  report.balances.find((balance) => balance.field === 'holding');

/** Two top-ups the provider holds (USD 1.857 each), sent at noon of the window. */
const twoPending = async (world: InMemoryWorld) => {
  await sentTopUp(world, 'order-1', { _tag: 'Pending' });
  return sentTopUp(world, 'order-2', { _tag: 'Pending' });
};

describe('reconcileDay, balance phase', () => {
  it('compares the holding exactly at the provider’s precision (USD 3.714 against 3.7140)', async () => {
    const world = await reconcilingWorld();
    await twoPending(world);
    world.provider.setBalances(holdingUsd(usd(37140n, 4)));
    const { report } = await reconcile(world);
    expect(holdingRow(report)).toEqual({
      currency: 'USD',
      field: 'holding',
      ours: '3.714',
      theirs: '3.714',
      difference: '0.00',
      matches: true,
      unstable: false,
      unstableReason: null,
      mismatch: false,
    });
    expect(report).toMatchObject({ outcome: 'MATCHED', counts: { balanceMismatches: 0 } });
  });

  it('reports a holding that differs while our side is quiet as a balance mismatch', async () => {
    const world = await reconcilingWorld();
    await twoPending(world);
    world.provider.setBalances(holdingUsd(usd(3715n, 3)));
    const { report, summary } = await reconcile(world);
    expect(holdingRow(report)).toMatchObject({ ours: '3.714', theirs: '3.715', difference: '0.001', mismatch: true });
    expect(report).toMatchObject({ outcome: 'MISMATCHES', counts: { balanceMismatches: 1 } });
    expect(summary).toContain('USD holding: ours 3.714, theirs 3.715, differs by 0.001');
  });

  it('lists every unreadable balance with its reason, each a balance mismatch', async () => {
    const world = await reconcilingWorld();
    await sentTopUp(world, 'order-1');
    world.provider.setBalances({
      balances: [{ available: usd(100n, 0), holding: usd(0n, 2), creditLimit: usd(0n, 2) }],
      unreadable: [
        { field: 'balances[2].holding', reason: 'not a number' },
        { field: 'balances[1].unit', reason: 'unknown currency' },
      ],
    });
    const { report, summary } = await reconcile(world);
    expect(report.unreadableBalances).toEqual([
      { field: 'balances[1].unit', reason: 'unknown currency' },
      { field: 'balances[2].holding', reason: 'not a number' },
    ]);
    expect(report).toMatchObject({ outcome: 'MISMATCHES', counts: { balanceMismatches: 2 } });
    expect(summary).toContain('Unreadable balances');
    expect(summary).toContain('balances[1].unit: unknown currency');
    expect(summary).toContain('balances[2].holding: not a number');
  });

  it('reports a currency we hold and the provider gives no balance of as a mismatch; none on both sides is nothing', async () => {
    const world = await reconcilingWorld();
    await twoPending(world);
    const held = await reconcile(world);
    expect(holdingRow(held.report)).toMatchObject({ ours: '3.714', theirs: null, difference: null, mismatch: true });
    expect(held.report.counts.balanceMismatches).toBe(1);
    expect(held.summary).toContain('USD holding: ours 3.714, theirs -, the provider reports no balance in USD');

    const clean = await reconcilingWorld();
    await sentTopUp(clean, 'order-1');
    const { report } = await reconcile(clean);
    expect(report.balances.map((balance) => [balance.currency, balance.field])).toEqual([['USD', 'captured']]);
    expect(report.outcome).toBe('MATCHED');
  });

  it('marks a holding difference unstable, not a mismatch, while an attempt of ours is younger than the grace', async () => {
    const world = await reconcilingWorld();
    world.clock.set(new Date('2026-01-01T23:55:00.000Z'));
    await sentTopUp(world, 'order-1', { _tag: 'Pending' });
    world.provider.setBalances(holdingUsd(usd(0n, 2)));
    const { report, summary } = await reconcile(world, { at: new Date('2026-01-02T00:05:00.000Z') });
    expect(holdingRow(report)).toMatchObject({
      ours: '1.857',
      theirs: '0.00',
      matches: false,
      unstable: true,
      unstableReason: '1 attempt of ours at scripted in USD started less than 900000 ms ago',
      mismatch: false,
    });
    expect(report).toMatchObject({ outcome: 'MATCHED', counts: { balanceMismatches: 0, inFlight: 1 } });
    expect(summary).toContain('unstable: 1 attempt of ours at scripted in USD started less than 900000 ms ago');
  });

  it('marks it unstable when our holding moved while the provider was asked', async () => {
    const world = await reconcilingWorld();
    const { providerExternalId } = await sentTopUp(world, 'order-1', { _tag: 'Pending' });
    const completeMeanwhile = Effect.promise(() =>
      world.run(
        applyProviderUpdate({ providerTransactionId: '', providerExternalId, status: transactionStatus('COMPLETED') }),
      ),
    );
    const provider = {
      ...world.provider,
      balances: () => Effect.as(completeMeanwhile, holdingUsd(usd(1857n, 3))),
    };
    const { report } = await reconcile(world, { provider });
    expect(holdingRow(report)).toMatchObject({
      ours: '0.00',
      theirs: '1.857',
      unstable: true,
      unstableReason: 'our holding moved while the provider was asked (USD 1.857 before, 0.00 after)',
      mismatch: false,
    });
    expect(report.counts.balanceMismatches).toBe(0);
  });

  it('goes on without the holding when the provider refuses to give balances, saying it was not verified', async () => {
    const world = await reconcilingWorld();
    await sentTopUp(world, 'order-1');
    const refusing = {
      ...world.provider,
      balances: () =>
        Effect.fail(
          new ProviderRejected({
            provider: 'scripted',
            providerCode: 'BALANCE_QUERY_UNSUPPORTED',
            reason: 'no balance query',
            retryable: false,
          }),
        ),
    };
    const { report, summary } = await reconcile(world, { provider: refusing });
    expect(report.outcome).toBe('UNVERIFIED');
    expect(report.unverified).toEqual([
      { what: 'holding', why: 'PROVIDER_REJECTED: scripted refused (BALANCE_QUERY_UNSUPPORTED): no balance query' },
    ]);
    expect(report.balances.map((balance) => balance.field)).toEqual(['captured']);
    expect(summary).toContain('Not verified');
    expect(summary).toContain('holding: PROVIDER_REJECTED');

    const unavailable = {
      ...world.provider,
      balances: () => Effect.fail(new ProviderUnavailable({ provider: 'scripted', reason: 'connection refused' })),
    };
    world.clock.set(new Date(DAY.to.getTime() + 5 * 3_600_000));
    const failed = await world.runEither(
      Effect.provideService(reconcileDay({ providerId: 'scripted', ...DAY }), AirtimeProvider, unavailable),
    );
    expect(failed).toEqual(Either.left(expect.objectContaining({ _tag: 'ProviderUnavailable' })));
  });
});
