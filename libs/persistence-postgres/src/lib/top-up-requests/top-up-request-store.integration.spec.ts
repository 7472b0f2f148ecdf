import { type StoredTopUpRequest, TopUpRequestStore } from '@airtime/application';
import type { TopUp } from '@airtime/domain';
import { Effect, Either, Option } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeTopUpRepository } from '../top-ups/top-up-repository.adapter';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { makeTopUpRequestStore, topUpRequestStoreLayer } from './top-up-request-store.adapter';
import { sampleTopUp, storedRequestOf } from '../../testing/top-up-requests.fixture';

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const result = await Effect.runPromise(Effect.either(effect));
  return Either.isLeft(result) ? result.left : undefined;
};
const found = async <A, E>(effect: Effect.Effect<Option.Option<A>, E>) =>
  Option.getOrUndefined(await Effect.runPromise(effect));

const PHONE = '+639171234567';

let sequence = 0;
const newTopUp = (): TopUp => {
  sequence += 1;
  return sampleTopUp(`t${sequence}`, 'acct-1', `order-${sequence}`);
};

const requestOf = (topUp: TopUp, overrides: Partial<StoredTopUpRequest> = {}): StoredTopUpRequest =>
  storedRequestOf(
    topUp,
    {
      external_id: topUp.externalId,
      account_id: topUp.accountId,
      phone_number: PHONE,
      currency: 'PHP',
      max_amount: '100',
      exact_amount: false,
      metadata: { order: { lines: [1, 2] }, note: 'ünïcode' },
    },
    'https://caller.example/hooks/topups?x=1',
    overrides,
  );

describe('top-up requests on PostgreSQL', () => {
  let db: TestDatabase;
  const store = () => makeTopUpRequestStore(db.dataSource);
  const unitOfWork = () => makeUnitOfWork(db.dataSource);
  const repository = () => makeTopUpRepository(db.dataSource);
  /** A top-up stored on its own, for requests to refer to. */
  const storedTopUp = async (): Promise<TopUp> => {
    const topUp = newTopUp();
    await run(repository().insert(topUp));
    return topUp;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('stores a request with its top-up and finds it by key and by top-up id, the same as written', async () => {
    const topUp = newTopUp();
    const request = requestOf(topUp);
    await run(unitOfWork().transactionally(Effect.zipRight(repository().insert(topUp), store().record(request))));
    expect(await found(store().find(topUp.accountId, topUp.externalId))).toEqual(request);
    expect(await found(store().findByTopUpId(topUp.id))).toEqual(request);
    expect(await found(store().find(topUp.accountId, 'order-unknown'))).toBeUndefined();
    expect(await found(store().find('acct-2', topUp.externalId))).toBeUndefined();
    expect(await found(store().findByTopUpId('t-unknown'))).toBeUndefined();
    // a key holding a NUL is no stored key: nothing found, no statement sent (before: database error 22021)
    expect(await found(store().find(topUp.accountId, `${topUp.externalId}\u0000`))).toBeUndefined();
    expect(await found(store().find(`${topUp.accountId}\u0000`, topUp.externalId))).toBeUndefined();
    expect(await found(store().findByTopUpId(`${topUp.id}\u0000`))).toBeUndefined();
  });

  it('finds a request by its callback token (exactly: no prefix, no other case), inside a unit of work too', async () => {
    const topUp = await storedTopUp();
    const other = await storedTopUp();
    const request = requestOf(topUp);
    await run(store().record(request));
    await run(store().record(requestOf(other)));
    expect(await found(store().findByCallbackToken(request.callbackToken))).toEqual(request);
    for (const token of [
      request.callbackToken.slice(0, -1),
      request.callbackToken.toUpperCase(),
      `${request.callbackToken} `,
      'token-unknown-0123456789abcdef',
      '',
      `${request.callbackToken}\u0000`,
    ]) {
      expect(await found(store().findByCallbackToken(token))).toBeUndefined();
    }
    const inUnitOfWork = await run(
      unitOfWork().transactionally(store().findByCallbackToken(requestOf(other).callbackToken)),
    );
    expect(Option.getOrUndefined(inUnitOfWork)).toEqual(requestOf(other));
  });

  it('leaves out the callback URL when the request had none', async () => {
    const topUp = await storedTopUp();
    const { callbackUrl: _, ...withoutUrl } = requestOf(topUp);
    await run(store().record(withoutUrl));
    const read = await found(store().findByTopUpId(topUp.id));
    expect(read).toEqual(withoutUrl);
    expect(read !== undefined && 'callbackUrl' in read).toBe(false);
  });

  it('stores nothing when the unit of work rolls back', async () => {
    const topUp = newTopUp();
    const failed = await failureOf(
      unitOfWork().transactionally(
        Effect.gen(function* () {
          yield* repository().insert(topUp);
          yield* store().record(requestOf(topUp));
          expect(Option.isSome(yield* store().findByTopUpId(topUp.id))).toBe(true);
          return yield* Effect.fail('provider lookup failed' as const);
        }),
      ),
    );
    expect(failed).toBe('provider lookup failed');
    expect(await found(store().findByTopUpId(topUp.id))).toBeUndefined();
    expect(await found(store().find(topUp.accountId, topUp.externalId))).toBeUndefined();
  });

  it('takes the very same request again as a no-op (keys in any order)', async () => {
    const topUp = await storedTopUp();
    const request = requestOf(topUp);
    await run(store().record(request));
    const reordered = { ...request, request: Object.fromEntries(Object.entries(request.request).reverse()) };
    await run(store().record(reordered));
    expect(await found(store().findByTopUpId(topUp.id))).toEqual(request);
  });

  it('refuses a request that clashes with another on its top-up id, key or token, without aborting the unit of work', async () => {
    const first = await storedTopUp();
    const second = await storedTopUp();
    const request = requestOf(first);
    await run(store().record(request));

    const outcome = await run(
      unitOfWork().transactionally(
        Effect.gen(function* () {
          const otherPayload = yield* Effect.flip(
            store().record({ ...request, request: { ...request.request, max_amount: '200' } }),
          );
          const otherUrl = yield* Effect.flip(store().record({ ...request, callbackUrl: undefined }));
          const sameKey = yield* Effect.flip(
            store().record(requestOf(second, { accountId: first.accountId, externalId: first.externalId })),
          );
          const sameToken = yield* Effect.flip(
            store().record(requestOf(second, { callbackToken: request.callbackToken })),
          );
          // the transaction is still usable: the second top-up's own request goes through and commits
          yield* store().record(requestOf(second));
          return { otherPayload, otherUrl, sameKey, sameToken };
        }),
      ),
    );
    expect(outcome.otherPayload).toMatchObject({
      _tag: 'PersistenceFailure',
      retryable: false,
      reason: `the request of top-up ${first.id} cannot be stored: another request is stored for this top-up`,
    });
    expect(outcome.otherUrl.reason).toMatch(/another request is stored for this top-up$/);
    expect(outcome.sameKey).toMatchObject({
      retryable: false,
      reason: `the request of top-up ${second.id} cannot be stored: its key acct-1/${first.externalId} already belongs to another top-up's request`,
    });
    expect(outcome.sameToken).toMatchObject({
      retryable: false,
      reason: `the request of top-up ${second.id} cannot be stored: its callback token already belongs to another top-up's request`,
    });
    for (const failure of Object.values(outcome)) {
      expect(failure.reason).not.toContain(PHONE);
      expect(failure.reason).not.toContain(request.callbackToken);
    }
    expect(await found(store().findByTopUpId(first.id))).toEqual(request);
    expect(await found(store().findByTopUpId(second.id))).toEqual(requestOf(second));
  });

  it('refuses a request that is not JSON-safe, or with no top-up, or with a bad identifier; nothing is stored', async () => {
    const topUp = await storedTopUp();
    expect(
      await failureOf(store().record(requestOf(topUp, { request: { max_amount: 100n } as Record<string, unknown> }))),
    ).toMatchObject({
      retryable: false,
      reason: `the request of top-up ${topUp.id} cannot be stored: request.max_amount is a bigint (use a decimal string), not JSON`,
    });
    expect(await failureOf(store().record(requestOf(topUp, { topUpId: 'never-stored' })))).toMatchObject({
      _tag: 'PersistenceFailure',
      retryable: false,
    });
    expect(await failureOf(store().record(requestOf(topUp, { accountId: 'acct\u202e1' })))).toMatchObject({
      reason: expect.stringMatching(/top_up_requests_account_id_valid/),
    });
    expect(await failureOf(store().record(requestOf(topUp, { callbackToken: 'short' })))).toMatchObject({
      reason: expect.stringMatching(/top_up_requests_callback_token_valid/),
    });
    expect(await failureOf(store().record(requestOf(topUp, { callbackUrl: 'javascript:alert(1)' })))).toMatchObject({
      reason: expect.stringMatching(/top_up_requests_callback_url_valid/),
    });
    expect(await found(store().findByTopUpId(topUp.id))).toBeUndefined();
  });

  it('is provided by its layer', async () => {
    const topUp = await storedTopUp();
    await run(store().record(requestOf(topUp)));
    const read = await run(
      Effect.provide(
        Effect.flatMap(TopUpRequestStore, (requests) => requests.findByTopUpId(topUp.id)),
        topUpRequestStoreLayer(db.dataSource),
      ),
    );
    expect(Option.getOrUndefined(read)).toEqual(requestOf(topUp));
  });

  it('reads a row that does not decode as a non-retryable failure naming it, never the payload', async () => {
    const topUp = await storedTopUp();
    await run(store().record(requestOf(topUp)));
    // a row written by a broken writer, past the CHECK that would have refused it
    await db.dataSource.query(`ALTER TABLE top_up_requests DROP CONSTRAINT top_up_requests_request_is_object`);
    await db.dataSource.query(`UPDATE top_up_requests SET request = $2::jsonb WHERE top_up_id = $1`, [
      topUp.id,
      JSON.stringify([PHONE]),
    ]);
    for (const read of [store().findByTopUpId(topUp.id), store().find(topUp.accountId, topUp.externalId)]) {
      const failure = await failureOf(read);
      expect(failure).toMatchObject({ _tag: 'PersistenceFailure', retryable: false });
      expect(failure?.reason).toMatch(new RegExp(`^the request of top-up ${topUp.id} does not decode: `));
      expect(failure?.reason).not.toContain(PHONE);
    }
  });
});
