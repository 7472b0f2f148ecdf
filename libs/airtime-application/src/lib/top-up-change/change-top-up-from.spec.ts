// changeTopUpFrom: a change decided on a copy the caller holds is written
// under the copy's version without a read; a stale copy, or one the domain
// leaves as it is or refuses, is decided again on a fresh read, so the
// answer is always the one a fresh read would have given.
import type { TopUp, TopUpChange } from '@airtime/domain';
import { Effect, Either } from 'effect';
import {
  fundAccount,
  inMemoryLayers,
  type InMemoryServices,
  observingTopUpReads,
  type InMemoryWorld,
  sampleCatalogue,
  sampleRequestInput,
} from '../../testing';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { changeTopUp, changeTopUpFrom, loadTopUp, type VersionedTopUp } from './save-top-up-change.use-case';

const createdIn = async (world: InMemoryWorld): Promise<VersionedTopUp> => {
  await world.run(fundAccount('account-1', 'USD', 10_000n));
  const created = await world.run(requestTopUp(sampleRequestInput()));
  if (created._tag !== 'Created') throw new Error('expected a new top-up');
  return { topUp: created.topUp, version: created.version };
};

/** Moves the top-up's update time on by `ms`: a change whose result shows which copy it was decided on. */
const later =
  (ms: number, seen: TopUp[] = []) =>
  (topUp: TopUp): Effect.Effect<TopUpChange> =>
    Effect.sync(() => {
      seen.push(topUp);
      return { topUp: { ...topUp, updatedAt: new Date(topUp.updatedAt.getTime() + ms) }, movements: [] };
    });

/** Runs `effect` counting the repository's reads by id. */
const countingReads = async <A, E>(world: InMemoryWorld, effect: Effect.Effect<A, E, InMemoryServices>) => {
  let reads = 0;
  const result = await world.run(observingTopUpReads(effect, () => Effect.sync(() => (reads += 1))));
  return { result, reads };
};

const stored = (world: InMemoryWorld, id: string) => world.database.tables().topUps.get(id);

describe('changeTopUpFrom', () => {
  it('writes a change decided on a current copy under its version, reading nothing', async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    const known = await createdIn(world);
    const { result, reads } = await countingReads(world, changeTopUpFrom(known, later(1_000)));
    expect(reads).toBe(0);
    expect(result).toMatchObject({ changed: true, version: known.version + 1 });
    expect(stored(world, known.topUp.id)).toMatchObject({
      version: known.version + 1,
      topUp: { updatedAt: new Date(known.topUp.updatedAt.getTime() + 1_000) },
    });
  });

  it('decides again on a fresh read when another writer changed the top-up after the copy', async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    const known = await createdIn(world);
    // another writer moves it on first (version 2, update time +5 s)
    await world.run(changeTopUp(loadTopUp(known.topUp.id), later(5_000)));
    const seen: TopUp[] = [];
    const result = await world.run(changeTopUpFrom(known, later(1_000, seen)));
    const base = known.topUp.updatedAt.getTime();
    expect(seen.map((topUp) => topUp.updatedAt.getTime() - base)).toEqual([0, 5_000]);
    expect(result).toMatchObject({ changed: true, version: known.version + 2 });
    expect(stored(world, known.topUp.id)).toMatchObject({
      version: known.version + 2,
      topUp: { updatedAt: new Date(base + 6_000) },
    });
  });

  // decisions that change only a top-up already moved on: on the copy, nothing (or a refusal); on the fresh read, a change
  const onTheCopy = {
    'changes nothing': (topUp: TopUp) => Effect.succeed<TopUpChange>({ topUp, movements: [] }),
    refuses: () => Effect.fail('not on this copy' as const),
  };

  it.each(Object.keys(onTheCopy) as (keyof typeof onTheCopy)[])(
    'reads again when the domain, deciding on the copy, %s, and answers what the fresh read decides',
    async (what) => {
      const world = inMemoryLayers({ products: sampleCatalogue });
      const known = await createdIn(world);
      await world.run(changeTopUp(loadTopUp(known.topUp.id), later(5_000)));
      const decide = (topUp: TopUp) =>
        topUp.updatedAt.getTime() === known.topUp.updatedAt.getTime() ? onTheCopy[what](topUp) : later(1_000)(topUp);
      const { result, reads } = await countingReads(world, changeTopUpFrom(known, decide));
      expect(reads).toBe(1);
      expect(result).toMatchObject({ changed: true, version: known.version + 2 });
      expect(stored(world, known.topUp.id)?.topUp.updatedAt).toEqual(new Date(known.topUp.updatedAt.getTime() + 6_000));
    },
  );

  it('answers the refusal of the fresh read when the stored top-up is refused too', async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    const known = await createdIn(world);
    const answer = await world.runEither(changeTopUpFrom(known, () => Effect.fail('refused' as const)));
    expect(answer).toEqual(Either.left('refused'));
    expect(stored(world, known.topUp.id)?.version).toBe(known.version);
  });

  it('answers unchanged, as a fresh read would, when neither the copy nor the stored top-up changes', async () => {
    const world = inMemoryLayers({ products: sampleCatalogue });
    const known = await createdIn(world);
    const result = await world.run(changeTopUpFrom(known, (topUp) => Effect.succeed({ topUp, movements: [] })));
    expect(result).toMatchObject({ changed: false, version: known.version });
    expect(stored(world, known.topUp.id)?.version).toBe(known.version);
  });
});
