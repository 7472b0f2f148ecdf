import { Effect, Either } from 'effect';
import {
  inMemoryLayers,
  type InMemoryWorld,
  observingTopUpReads,
  openFundedAccounts,
  sampleCatalogue,
  requestedTopUp,
} from '../../testing';
import { sendAttempt } from '../send-attempt/send-attempt.use-case';
import { changeTopUp, loadTopUp } from '../top-up-change/save-top-up-change.use-case';
import { applyProviderCallback } from './apply-provider-callback.use-case';

/** A top-up sent and pending at the provider, with its callback token and its attempt's external id. */
const pendingTopUp = async (world: InMemoryWorld, externalId: string) => {
  const created = await world.run(requestedTopUp({ external_id: externalId }));
  world.provider.scriptSends({ _tag: 'Pending' });
  const sent = await world.run(sendAttempt(created.id));
  const token = world.database.tables().requests.get(sent.id)?.callbackToken ?? '';
  return { topUp: sent, token, providerExternalId: sent.attempts[0]?.providerExternalId ?? '' };
};

const setUp = async () => {
  const world = inMemoryLayers({ products: sampleCatalogue });
  await world.run(openFundedAccounts(['account-1']));
  return { world, first: await pendingTopUp(world, 'order-1'), second: await pendingTopUp(world, 'order-2') };
};

describe('applyProviderCallback', () => {
  it("applies an update to the token's top-up; a repeat answers Unchanged and writes nothing", async () => {
    const { world, first } = await setUp();
    const update = world.provider.settle(first.providerExternalId, 'COMPLETED');
    expect(await world.run(applyProviderCallback({ callbackToken: first.token, update }))).toMatchObject({
      _tag: 'Applied',
      topUp: { id: first.topUp.id, status: { class: 'COMPLETED' } },
    });
    const before = world.database.tables();
    expect(await world.run(applyProviderCallback({ callbackToken: first.token, update }))).toMatchObject({
      _tag: 'Unchanged',
    });
    expect(world.database.tables()).toBe(before);
  });

  it("matches on the provider's transaction id when the update carries no external id of ours", async () => {
    const { world, first } = await setUp();
    const { providerExternalId: _ours, ...update } = world.provider.settle(first.providerExternalId, 'DECLINED');
    expect(await world.run(applyProviderCallback({ callbackToken: first.token, update }))).toMatchObject({
      _tag: 'Applied',
      topUp: { id: first.topUp.id, status: { class: 'DECLINED' } },
    });
  });

  it("refuses an update about another top-up than the token's, applying nothing", async () => {
    const { world, first, second } = await setUp();
    const other = world.provider.settle(second.providerExternalId, 'COMPLETED');
    const before = world.database.tables();
    for (const update of [
      other,
      { ...other, providerExternalId: undefined },
      { ...world.provider.settle(first.providerExternalId, 'COMPLETED'), providerTransactionId: 'forged' },
    ])
      expect(await world.runEither(applyProviderCallback({ callbackToken: first.token, update }))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'UnknownProviderTransaction' })),
      );
    expect(world.database.tables()).toBe(before);
  });

  it('decides again on a fresh read when another writer changed the top-up after the callback read it', async () => {
    const { world, first } = await setUp();
    const update = world.provider.settle(first.providerExternalId, 'COMPLETED');
    const versionBefore = world.database.tables().topUps.get(first.topUp.id)?.version ?? 0;
    // another writer (the stalled loop's touch, say) commits right after the callback's first read
    let reads = 0;
    const touchAfterFirstRead = observingTopUpReads(
      applyProviderCallback({ callbackToken: first.token, update }),
      (id, soFar) => {
        reads = soFar;
        return soFar === 1
          ? Effect.promise(() =>
              world.run(
                changeTopUp(loadTopUp(id), (topUp, now) =>
                  Effect.succeed({ topUp: { ...topUp, updatedAt: now }, movements: [] }),
                ),
              ),
            )
          : Effect.void;
      },
    );
    expect(await world.run(touchAfterFirstRead)).toMatchObject({
      _tag: 'Applied',
      topUp: { status: { class: 'COMPLETED' } },
    });
    expect(reads).toBe(2);
    expect(world.database.tables().topUps.get(first.topUp.id)).toMatchObject({
      version: versionBefore + 2,
      topUp: { status: { class: 'COMPLETED' }, attempts: [{ state: 'Succeeded' }] },
    });
  });

  it('answers an unknown or malformed token TopUpNotFound, never quoting it', async () => {
    const { world, first } = await setUp();
    const update = world.provider.settle(first.providerExternalId, 'COMPLETED');
    for (const callbackToken of ['token-999999', '', '../token-000001', 'x'.repeat(201), undefined]) {
      const answer = await world.runEither(applyProviderCallback({ callbackToken, update }));
      expect(answer).toEqual(Either.left(expect.objectContaining({ _tag: 'TopUpNotFound' })));
      if (Either.isLeft(answer) && typeof callbackToken === 'string' && callbackToken.length > 0)
        expect(answer.left.message).not.toContain(callbackToken);
    }
  });
});
