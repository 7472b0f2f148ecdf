import type { TopUp } from '@airtime/domain';
import { Either } from 'effect';
import fc from 'fast-check';
import {
  inMemoryLayers,
  type InMemoryWorld,
  openFundedAccounts,
  principalOf,
  sampleCatalogue,
  requestedTopUp,
} from '../../testing';
import { cancelTopUp } from '../cancel-top-up/cancel-top-up.use-case';
import { listTopUps } from './list-top-ups.use-case';

const START = new Date('2025-03-10T09:00:00.000Z');

/** Top-ups of `account-1`, `gapsMs[i]` after the one before (0: the same time, ordered by id). */
const withTopUps = async (gapsMs: readonly number[]) => {
  const world = inMemoryLayers({ products: sampleCatalogue, start: START });
  await world.run(openFundedAccounts(['account-1', 'account-2']));
  const topUps: TopUp[] = [];
  for (const [index, gap] of gapsMs.entries()) {
    world.clock.advance(gap);
    topUps.push(await world.run(requestedTopUp({ external_id: `order-${index}` })));
  }
  return { world, topUps };
};

const ids = (topUps: readonly TopUp[]) => topUps.map((topUp) => topUp.id);
const newestFirst = (topUps: readonly TopUp[]) =>
  [...topUps].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));

const everyPage = async (world: InMemoryWorld, perPage: number, fields: Record<string, unknown> = {}) => {
  const first = await world.run(listTopUps({ principal: principalOf('account-1'), perPage, ...fields }));
  const pages = [first];
  for (let page = 2; page <= Math.ceil(first.total / perPage) + 1; page += 1)
    pages.push(await world.run(listTopUps({ principal: principalOf('account-1'), perPage, page, ...fields })));
  return pages;
};

describe('listTopUps', () => {
  it('pages partition the result set, newest first, and every page tells the total', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(0, 1, 1000, 86_400_000), { maxLength: 24 }),
        fc.integer({ min: 1, max: 7 }),
        async (gaps, perPage) => {
          const { world, topUps } = await withTopUps(gaps);
          const pages = await everyPage(world, perPage);
          const last = pages.pop();
          expect(last?.items).toEqual([]);
          expect(pages.every((page) => page.items.length === perPage || page === pages[pages.length - 1])).toBe(true);
          expect([...pages, last].every((page) => page?.total === topUps.length && page.perPage === perPage)).toBe(
            true,
          );
          expect(pages.flatMap((page) => ids(page.items))).toEqual(ids(newestFirst(topUps)));
          await world.runtime.dispose();
        },
      ),
      { numRuns: 25 },
    );
  });

  it('filters by external id, status and creation time (day and time bounds inclusive)', async () => {
    const { world, topUps } = await withTopUps([0, 3_600_000, 86_400_000, 86_400_000]);
    await world.run(cancelTopUp({ topUpId: topUps[1]?.id ?? '', accountId: 'account-1' }));
    const principal = principalOf('account-1');
    const list = async (fields: Record<string, unknown>) =>
      ids((await world.run(listTopUps({ principal, ...fields }))).items);
    const [t0, t1, t2, t3] = ids(topUps);
    expect(await list({ externalId: 'order-2' })).toEqual([t2]);
    expect(await list({ externalId: 'order-9' })).toEqual([]);
    expect(await list({ status: 'CANCELLED' })).toEqual([t1]);
    expect(await list({ status: 'CREATED' })).toEqual([t3, t2, t0]);
    expect(await list({ from: '2025-03-10', to: '2025-03-10' })).toEqual([t1, t0]);
    expect(await list({ from: '2025-03-11' })).toEqual([t3, t2]);
    expect(await list({ to: '2025-03-10T10:00:00Z' })).toEqual([t1, t0]);
    expect(await list({ to: '2025-03-10T09:59:59.999Z' })).toEqual([t0]);
    expect(await list({ from: '2025-03-10T12:00:00+02:00', to: '2025-03-11T10:00:00Z' })).toEqual([t2, t1]);
    // a day-only `to` covers its whole day, so a `from` later that day is not after it
    expect(await list({ from: '2025-03-10T09:30:00Z', to: '2025-03-10' })).toEqual([t1]);
    expect(await list({ from: '2025-03-10T23:59:59.999Z', to: '2025-03-10' })).toEqual([]);
    expect(await list({ from: '2025-03-10T10:00:00Z', to: '2025-03-10T10:00:00Z' })).toEqual([t1]);
  });

  it('finds by phone number as people write it, exactly, within the scope; a bad number is refused on phone_number', async () => {
    const { world, topUps } = await withTopUps([0, 1000]);
    const other = await world.run(
      requestedTopUp({ external_id: 'ke-1', phone_number: '+254711000111', currency: 'KES' }),
    );
    const elsewhere = await world.run(requestedTopUp({ account_id: 'account-2', external_id: 'b-1' }));
    const principal = principalOf('account-1');
    const list = async (phone_number: unknown) => ids((await world.run(listTopUps({ principal, phone_number }))).items);
    const [t0, t1] = ids(topUps);
    for (const written of [
      '+639171234100',
      '+63 917 123 4100',
      '639171234100',
      '+63 (917) 123-4100',
      '+63.917.123.4100',
    ])
      expect(await list(written)).toEqual([t1, t0]);
    expect(await list('+254 711 000 111')).toEqual([other.id]);
    expect(await list('+639171234101')).toEqual([]);
    expect(
      ids((await world.run(listTopUps({ principal: principalOf('account-2'), phone_number: '+639171234100' }))).items),
    ).toEqual([elsewhere.id]);
    for (const bad of ['0917 123 4100', '+63 917', 'call me', '+639171234100x1', `+63${'9'.repeat(40)}`, 639171234100])
      expect(await world.runEither(listTopUps({ principal, phone_number: bad }))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'InvalidInput', field: 'phone_number' })),
      );
  });

  it('narrows to one account of the scope; another is CustomerAccountNotFound', async () => {
    const { world, topUps } = await withTopUps([0]);
    const other = await world.run(requestedTopUp({ account_id: 'account-2', external_id: 'b-1' }));
    const both = principalOf('account-1', 'account-2');
    expect(ids((await world.run(listTopUps({ principal: both }))).items)).toEqual([other.id, topUps[0]?.id]);
    expect(ids((await world.run(listTopUps({ principal: both, accountId: 'account-2' }))).items)).toEqual([other.id]);
    expect(await world.runEither(listTopUps({ principal: principalOf('account-1'), accountId: 'account-2' }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'CustomerAccountNotFound' })),
    );
    expect(await world.run(listTopUps({ principal: principalOf() }))).toEqual({
      items: [],
      total: 0,
      page: 1,
      perPage: 20,
    });
  });

  it('refuses bad filters by name', async () => {
    const { world } = await withTopUps([]);
    const principal = principalOf('account-1');
    for (const [fields, field] of [
      [{ status: 'completed' }, 'status'],
      [{ status: 'PENDING' }, 'status'],
      [{ from: '2025-02-30' }, 'from'],
      [{ from: '2025-03-10T10:00:00' }, 'from'],
      [{ from: 'yesterday' }, 'from'],
      [{ to: '1741600000000' }, 'to'],
      [{ from: '2025-03-11', to: '2025-03-10' }, 'to'],
      [{ from: '2025-03-10T10:00:00Z', to: '2025-03-10T09:00:00Z' }, 'to'],
      [{ from: '2025-03-11T00:00:00Z', to: '2025-03-10' }, 'to'],
      [{ to: '9999-12-31' }, 'to'],
      [{ to: '9999-12-31T23:59:59.999Z' }, 'to'],
      [{ from: '9999-12-31T23:59:59.999-23:59' }, 'from'],
      [{ externalId: 'has space' }, 'externalId'],
      [{ page: '0' }, 'page'],
      [{ perPage: 101 }, 'perPage'],
    ] as const)
      expect(await world.runEither(listTopUps({ principal, ...fields }))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'InvalidInput', field })),
      );
    expect(await world.run(listTopUps({ principal, from: '2025-03-10', to: '2025-03-10' }))).toMatchObject({
      total: 0,
    });
  });
});
