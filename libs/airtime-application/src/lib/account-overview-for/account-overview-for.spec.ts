import type { RequestTopUpInputJson } from '../request-top-up/request-top-up.input';
import { Either } from 'effect';
import {
  inMemoryLayers,
  type InMemoryWorld,
  openFundedAccounts,
  principalOf,
  requestedTopUp,
  sampleCatalogue,
  type SendScript,
} from '../../testing';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { accountOverviewFor, OVERVIEW_HOURS } from './account-overview-for.use-case';

const at = (iso: string) => new Date(iso);
const NOW = at('2025-03-11T08:30:00.000Z');
const KE = { phone_number: '+254711000111', currency: 'KES' } as const;

/** A top-up created at `time`, sent once with `script` when given. */
const topUpAt = async (
  world: InMemoryWorld,
  time: string,
  externalId: string,
  script?: SendScript,
  overrides: Partial<RequestTopUpInputJson> = {},
) => {
  world.clock.set(at(time));
  const topUp = await world.run(requestedTopUp({ external_id: externalId, ...overrides }));
  if (script === undefined) return topUp;
  world.provider.scriptSends(script);
  return world.run(sendAttempt(topUp.id));
};

const setUp = async () => {
  const world = inMemoryLayers({ products: sampleCatalogue, start: at('2025-03-10T08:00:00Z') });
  await world.run(openFundedAccounts(['account-1', 'account-2']));
  await topUpAt(world, '2025-03-10T08:59:59.999Z', 'too-early', { _tag: 'Complete' });
  await topUpAt(world, '2025-03-10T09:00:00.000Z', 'first-hour', { _tag: 'Complete' });
  await topUpAt(world, '2025-03-10T09:59:59.999Z', 'first-hour-2', { _tag: 'Decline' });
  await topUpAt(world, '2025-03-10T12:15:00.000Z', 'pending', { _tag: 'Pending' });
  await topUpAt(world, '2025-03-10T12:45:00.000Z', 'created');
  await topUpAt(world, '2025-03-10T12:50:00.000Z', 'kenya', { _tag: 'Complete' }, KE);
  await topUpAt(world, '2025-03-10T12:55:00.000Z', 'other-account', { _tag: 'Decline' }, { account_id: 'account-2' });
  await topUpAt(world, '2025-03-11T08:30:00.000Z', 'last-instant', { _tag: 'Decline' });
  await topUpAt(world, '2025-03-11T08:30:00.001Z', 'too-late', { _tag: 'Complete' });
  return world;
};

const counts = (fields: Partial<Record<string, number>>) => ({
  COMPLETED: 0,
  REVERSED: 0,
  REJECTED: 0,
  CANCELLED: 0,
  DECLINED: 0,
  pending: 0,
  ...fields,
});

describe('accountOverviewFor', () => {
  it('counts the top-ups of 24 UTC hours up to now by status, in the scope only', async () => {
    const world = await setUp();
    const overview = await world.run(accountOverviewFor({ principal: principalOf('account-1'), now: NOW }));
    expect(overview.from).toEqual(at('2025-03-10T09:00:00Z'));
    expect(overview.to).toEqual(NOW);
    expect(overview.hours).toHaveLength(OVERVIEW_HOURS);
    expect(overview.hours.map((hour) => hour.hourStart.toISOString())).toEqual(
      Array.from({ length: OVERVIEW_HOURS }, (_, i) => new Date(Date.UTC(2025, 2, 10, 9 + i)).toISOString()),
    );
    expect(overview.hours[0]).toMatchObject({ counts: counts({ COMPLETED: 1, DECLINED: 1 }), total: 2 });
    expect(overview.hours[3]).toMatchObject({ counts: counts({ COMPLETED: 1, pending: 2 }), total: 3 });
    expect(overview.hours[23]).toMatchObject({ counts: counts({ DECLINED: 1 }), total: 1 });
    expect(overview.hours.reduce((sum, hour) => sum + hour.total, 0)).toBe(6);
    expect(overview.totals).toEqual(counts({ COMPLETED: 2, DECLINED: 2, pending: 2 }));
    expect(overview.providers).toEqual([{ providerId: 'scripted', final: 4, completed: 2, successRate: 0.5 }]);
    expect(overview.operators).toEqual([
      { operatorId: 'safaricom-ke', operatorName: 'Safaricom', final: 1, completed: 1, successRate: 1 },
      { operatorId: 'smart-ph', operatorName: 'Smart', final: 3, completed: 1, successRate: 1 / 3 },
    ]);
    expect(overview.accounts.map((account) => account.accountId)).toEqual(['account-1']);
    expect(overview.accounts[0]?.balances.map((balance) => balance.currency.code)).toEqual(['USD']);
  });

  it('narrows to one account of the scope, refuses another, and is empty without accounts', async () => {
    const world = await setUp();
    const both = principalOf('account-1', 'account-2');
    const all = await world.run(accountOverviewFor({ principal: both, now: NOW }));
    expect(all.totals).toEqual(counts({ COMPLETED: 2, DECLINED: 3, pending: 2 }));
    const second = await world.run(accountOverviewFor({ principal: both, accountId: 'account-2', now: NOW }));
    expect(second.totals).toEqual(counts({ DECLINED: 1 }));
    expect(second.accounts.map((account) => account.accountId)).toEqual(['account-2']);
    expect(
      await world.runEither(
        accountOverviewFor({ principal: principalOf('account-1'), accountId: 'account-2', now: NOW }),
      ),
    ).toEqual(Either.left(expect.objectContaining({ _tag: 'CustomerAccountNotFound' })));
    const none = await world.run(accountOverviewFor({ principal: principalOf(), now: NOW }));
    expect(none).toMatchObject({ accounts: [], totals: counts({}), providers: [], operators: [] });
    expect(none.hours).toHaveLength(OVERVIEW_HOURS);
    expect(await world.runEither(accountOverviewFor({ principal: both, now: new Date(Number.NaN) }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidInput', field: 'now' })),
    );
  });
});
