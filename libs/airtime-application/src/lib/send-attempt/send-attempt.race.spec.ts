// Races of the send: a provider callback overtaking the send's answer, and two
// workers sending the same top-up. fast-check's scheduler plays every order.
import { LedgerStore, type DetailedStatus, UnitOfWork, type UnitOfWorkService } from '@airtime/domain';
import fc from 'fast-check';
import { Effect } from 'effect';
import {
  fundAccount,
  inMemoryLayers,
  type InMemoryWorld,
  sampleCatalogue,
  sampleRequestInput,
  type SendScript,
} from '../../testing';
import { applyProviderUpdate } from '../apply-provider-update/apply-provider-update.use-case';
import { requestTopUp } from '../request-top-up/request-top-up.use-case';
import { sendAttemptReporting } from './send-attempt.use-case';

const createdIn = async (world: InMemoryWorld) => {
  await world.run(fundAccount('account-1', 'USD', 10_000n));
  const created = await world.run(requestTopUp(sampleRequestInput({ callback_url: 'https://caller.example/hook' })));
  if (created._tag !== 'Created') throw new Error('expected a new top-up');
  return created;
};

/** How a worker holds the top-up it sends: read by id, or the copy its request just created (the consumer's). */
type Start = 'read' | 'created copy';

const ledgerOf = (world: InMemoryWorld) =>
  world.run(Effect.flatMap(LedgerStore, (ledger) => ledger.account('account-1', 'USD')));

const eventTypes = (world: InMemoryWorld) => world.database.tables().outbox.map((record) => record.event.type);

/** What the send answers, and the status the provider's callback reports, consistent at the provider. */
const arbitraryRace: fc.Arbitrary<{ readonly answer: SendScript; readonly callback: DetailedStatus }> = fc.oneof(
  fc.constant({ answer: { _tag: 'Complete' } as const, callback: 'COMPLETED' as const }),
  fc.record({
    answer: fc.constantFrom<SendScript>(
      { _tag: 'Pending', status: 'CONFIRMED' },
      { _tag: 'Pending', status: 'SUBMITTED' },
      { _tag: 'TimeoutAfterArrival', status: 'CONFIRMED' },
    ),
    callback: fc.constantFrom<DetailedStatus>('COMPLETED', 'DECLINED', 'DECLINED-BARRED-CREDIT-PARTY'),
  }),
);

describe('sendAttempt races', () => {
  it.each<Start>(['read', 'created copy'])(
    'ends the same whether the callback or the send answer comes first: one capture or void, one final event (start: %s)',
    async (start) => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), arbitraryRace, async (s, race) => {
          let callback: Promise<unknown> = Promise.resolve();
          // every unit of work waits for the scheduler first: a writer may read before the other commits, and retry
          const gated = (): UnitOfWorkService => ({
            transactionally: (work) =>
              Effect.zipRight(
                Effect.promise(() => s.schedule(Promise.resolve(), 'commit')),
                world.database.unitOfWork.transactionally(work),
              ),
          });
          const world: InMemoryWorld = inMemoryLayers({
            products: sampleCatalogue,
            afterArrival: (arrived) =>
              Effect.promise(() => {
                // the provider calls back while its answer to the send is still on its way
                callback = s
                  .schedule(Promise.resolve(), 'callback')
                  .then(() =>
                    world.run(
                      Effect.provideService(
                        applyProviderUpdate(world.provider.settle(arrived.request.providerExternalId, race.callback)),
                        UnitOfWork,
                        gated(),
                      ),
                    ),
                  );
                return s.schedule(Promise.resolve(), 'send answer');
              }),
          });
          const created = await createdIn(world);
          const topUp = created.topUp;
          const known = start === 'read' ? undefined : { topUp, version: created.version };
          world.provider.scriptSends(race.answer);
          const sent = world.run(Effect.provideService(sendAttemptReporting(topUp.id, known), UnitOfWork, gated()));
          await s.waitFor(sent);
          await s.waitFor(callback);
          const final = world.database.tables().topUps.get(topUp.id)?.topUp;
          const completed = race.callback === 'COMPLETED';
          expect(final?.status.status).toBe(race.callback);
          expect(final?.attempts).toHaveLength(1);
          expect(await ledgerOf(world)).toMatchObject(
            completed
              ? { capturedMinor: 186n, holdingMinor: 0n }
              : { capturedMinor: 0n, holdingMinor: 0n, availableMinor: 10_000n },
          );
          const finals = eventTypes(world).filter((type) => type === 'topup.completed' || type === 'topup.failed');
          expect(finals).toEqual([completed ? 'topup.completed' : 'topup.failed']);
          expect(world.database.tables().deliveries.size).toBe(1);
        }),
        { numRuns: 60 },
      );
    },
  );

  it.each<[Start, Start]>([
    ['read', 'read'],
    ['created copy', 'read'],
    ['created copy', 'created copy'],
  ])('sends once when two workers send the same top-up at the same time (starts: %s, %s)', async (...starts) => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const world = inMemoryLayers({
          products: sampleCatalogue,
          gate: (call) =>
            call.operation === 'send'
              ? Effect.promise(() => s.schedule(Promise.resolve(), 'send leaves'))
              : Effect.void,
        });
        const created = await createdIn(world);
        const topUp = created.topUp;
        // each unit of work waits for the scheduler first, so that both workers may read before either commits
        const gated: UnitOfWorkService = {
          transactionally: (work) =>
            Effect.zipRight(
              Effect.promise(() => s.schedule(Promise.resolve(), 'commit')),
              world.database.unitOfWork.transactionally(work),
            ),
        };
        const worker = (start: Start) =>
          s
            .schedule(Promise.resolve(), 'worker starts')
            .then(() =>
              world.run(
                Effect.provideService(
                  sendAttemptReporting(topUp.id, start === 'read' ? undefined : { topUp, version: created.version }),
                  UnitOfWork,
                  gated,
                ),
              ),
            );
        const results = await s.waitFor(Promise.all(starts.map(worker)));
        expect(results.map((result) => result._tag).sort()).toEqual(['NotStarted', 'Sent']);
        expect(world.provider.calls().filter((call) => call.operation === 'send')).toHaveLength(1);
        expect(world.provider.arrived()).toHaveLength(1);
        expect(world.database.tables().topUps.get(topUp.id)?.topUp).toMatchObject({
          status: { class: 'COMPLETED' },
          attempts: [{ number: 1, state: 'Succeeded' }],
        });
        expect(await ledgerOf(world)).toMatchObject({ capturedMinor: 186n, holdingMinor: 0n });
      }),
      { numRuns: 60 },
    );
  });
});
