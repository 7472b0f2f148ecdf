import {
  AirtimeProvider,
  type AirtimeProviderService,
  ExternalIdAlreadyUsed,
  ProviderAnswerMismatch,
  type ProviderError,
  ProviderOutcomeUnknown,
  ProviderRateLimited,
  ProviderRejected,
  ProviderResponseInvalid,
  ProviderRetryLater,
  ProviderUnavailable,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import type { InMemoryWorld } from '../../testing';
import { DAY, reconcile, reconcilingWorld, sentTopUp } from './reconcile-day.fixture';
import { reconcileDay } from './reconcile-day.use-case';
import { nonStoppingProviderFailure, stopsTheRun } from './provider-failure.policy';

const provider = 'scripted';
const invalid = new ProviderResponseInvalid({ provider, reason: 'status is not a DVS status' });

/** The world's provider, but a status query about `providerExternalId` fails with `error`. */
const failingFor = (
  world: InMemoryWorld,
  providerExternalId: string,
  error: ProviderError,
): AirtimeProviderService => ({
  ...world.provider,
  statusByExternalId: (id) => (id === providerExternalId ? Effect.fail(error) : world.provider.statusByExternalId(id)),
});

const topUpOf = (world: InMemoryWorld, topUpId: string) => world.database.tables().topUps.get(topUpId)?.topUp;

describe('provider failures while reconciling', () => {
  it.each([
    ['unavailable', new ProviderUnavailable({ provider, reason: 'connection refused' }), true],
    ['rate limited', new ProviderRateLimited({ provider, retryAfterMs: 1000 }), true],
    ['retry later', new ProviderRetryLater({ provider, reason: 'busy', earliestRetryAt: new Date(0) }), true],
    [
      'a retryable refusal',
      new ProviderRejected({ provider, providerCode: '503', reason: 'x', retryable: true }),
      true,
    ],
    [
      'an unknown outcome of the query',
      new ProviderOutcomeUnknown({ provider, reason: 'timeout', kind: 'TIMEOUT' }),
      true,
    ],
    [
      'a refusal of our credentials (DVS 1000401)',
      new ProviderRejected({ provider, providerCode: '1000401', reason: 'Unauthorized', retryable: false }),
      true,
    ],
    [
      'a refusal of our credentials (HTTP 403)',
      new ProviderRejected({ provider, providerCode: 'HTTP_403', reason: 'Forbidden', retryable: false }),
      true,
    ],
    ['an unreadable answer', invalid, false],
    ['a mismatched answer', new ProviderAnswerMismatch({ provider, field: 'external_id', reason: 'another' }), false],
    [
      'a definite refusal',
      new ProviderRejected({ provider, providerCode: '1003001', reason: 'x', retryable: false }),
      false,
    ],
    ['an external id already used', new ExternalIdAlreadyUsed({ provider, providerExternalId: 'x' }), false],
  ] as const)('%s: stops the run or not, as its kind says', (_, error, stops) => {
    expect(stopsTheRun(error)).toBe(stops);
    expect(nonStoppingProviderFailure(error)).toBe(stops ? undefined : error);
  });

  it('never takes an error that is not the provider’s for one', () => {
    expect(nonStoppingProviderFailure(new Error('boom'))).toBeUndefined();
    expect(nonStoppingProviderFailure({ _tag: 'PersistenceFailure', retryable: false })).toBeUndefined();
  });

  it('settle: a top-up whose status answer cannot be used waits for a decision with the error, the others are settled', async () => {
    const world = await reconcilingWorld();
    const broken = await sentTopUp(world, 'order-1', { _tag: 'Pending' });
    const fine = await sentTopUp(world, 'order-2', { _tag: 'Pending' });
    world.provider.settle(broken.providerExternalId, 'COMPLETED');
    world.provider.settle(fine.providerExternalId, 'COMPLETED');
    world.provider.scriptListings({ _tag: 'Answer', transactions: [] });
    const { report, summary } = await reconcile(world, {
      provider: failingFor(world, broken.providerExternalId, invalid),
    });
    expect(report.outcome).toBe('MISMATCHES');
    expect(report.awaitingDecision).toEqual([
      expect.objectContaining({
        topUpId: broken.topUp.id,
        reason:
          "the provider's answer about it could not be used: PROVIDER_RESPONSE_INVALID: " +
          'scripted answered an undecodable response: status is not a DVS status',
      }),
    ]);
    expect(topUpOf(world, fine.topUp.id)?.status.status).toBe('COMPLETED');
    expect(topUpOf(world, broken.topUp.id)?.status.status).toBe('CONFIRMED');
    expect(report.mismatches).toEqual([]);
    expect(summary).toContain('PROVIDER_RESPONSE_INVALID');
  });

  it('settle: a transport failure of a status query fails the run', async () => {
    const world = await reconcilingWorld();
    const { providerExternalId } = await sentTopUp(world, 'order-1', { _tag: 'Pending' });
    const timeout = new ProviderOutcomeUnknown({ provider, reason: 'no answer in 10 s', kind: 'TIMEOUT' });
    world.clock.set(new Date('2026-01-02T02:00:00.000Z'));
    const failed = await world.runEither(
      Effect.provideService(
        reconcileDay({ providerId: 'scripted', ...DAY }),
        AirtimeProvider,
        failingFor(world, providerExternalId, timeout),
      ),
    );
    expect(failed).toEqual(Either.left(timeout));
  });

  it('match: an attempt the list lacks whose status answer cannot be used waits for a decision, not MISSING_AT_PROVIDER', async () => {
    const world = await reconcilingWorld();
    const { topUp, providerExternalId } = await sentTopUp(world, 'order-1');
    await sentTopUp(world, 'order-2');
    world.provider.scriptListings({
      _tag: 'Answer',
      transactions: world.provider.atProvider().filter((t) => t.providerExternalId !== providerExternalId),
    });
    const mismatch = new ProviderAnswerMismatch({ provider, field: 'external_id', reason: 'another transaction' });
    const { report } = await reconcile(world, { provider: failingFor(world, providerExternalId, mismatch) });
    expect(report.mismatches).toEqual([]);
    expect(report.awaitingDecision).toEqual([
      expect.objectContaining({
        topUpId: topUp.id,
        reason: expect.stringContaining('could not be used: PROVIDER_ANSWER_MISMATCH: scripted answer does not match'),
      }),
    ]);
    expect(report).toMatchObject({ outcome: 'MISMATCHES', counts: { ours: 2, matched: 1 } });
  });
});
