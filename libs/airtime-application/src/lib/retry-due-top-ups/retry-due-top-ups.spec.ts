import { fundAccount, inMemoryLayers, sampleCatalogue, sampleRequestInput } from '../../testing';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { retryDueTopUps } from './retry-due-top-ups.use-case';

const MINUTE = 60_000;

const world = async (count: number) => {
  const setUp = inMemoryLayers({ products: sampleCatalogue });
  await setUp.run(fundAccount('account-1', 'USD', 100_000n));
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const created = await setUp.run(requestTopUp(sampleRequestInput({ external_id: `order-${index}` })));
    if (created._tag !== 'Created') throw new Error('expected a new top-up');
    ids.push(created.topUp.id);
  }
  return { setUp, ids };
};

describe('retryDueTopUps', () => {
  it('sends the next attempt of the due top-ups only, up to the limit, and answers how many were sent', async () => {
    const { setUp, ids } = await world(4);
    setUp.provider.scriptSends(
      { _tag: 'Unavailable' },
      { _tag: 'Unavailable' },
      { _tag: 'Unavailable' },
      { _tag: 'Pending' },
    );
    for (const id of ids) await setUp.run(sendAttempt(id));
    expect(await setUp.run(retryDueTopUps({ limit: 10 }))).toBe(0);
    setUp.clock.advance(MINUTE);
    expect(await setUp.run(retryDueTopUps({ limit: 2 }))).toBe(2);
    expect(await setUp.run(retryDueTopUps({ limit: 2 }))).toBe(1);
    expect(await setUp.run(retryDueTopUps({ limit: 10 }))).toBe(0);
    const classes = ids.map((id) => setUp.database.tables().topUps.get(id)?.topUp.status.class);
    expect(classes).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'CONFIRMED']);
  });

  it('leaves a top-up that fails for the next run and goes on with the others', async () => {
    const { setUp, ids } = await world(2);
    setUp.provider.scriptSends({ _tag: 'Unavailable' }, { _tag: 'Unavailable' });
    for (const id of ids) await setUp.run(sendAttempt(id));
    setUp.clock.advance(MINUTE);
    setUp.database.failNextCommits(1);
    expect(await setUp.run(retryDueTopUps({ limit: 10, concurrency: 1 }))).toBe(1);
    expect(await setUp.run(retryDueTopUps({ limit: 10 }))).toBe(1);
  });

  it('sends each due attempt once when several schedulers run at the same time', async () => {
    const { setUp, ids } = await world(5);
    setUp.provider.scriptSends(...ids.map(() => ({ _tag: 'Unavailable' }) as const));
    for (const id of ids) await setUp.run(sendAttempt(id));
    setUp.clock.advance(MINUTE);
    const counts = await Promise.all([1, 2, 3].map(() => setUp.run(retryDueTopUps({ limit: 10, concurrency: 3 }))));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(5);
    expect(setUp.provider.calls().filter((call) => call.operation === 'send')).toHaveLength(10);
  });
});
