import { type StoredTopUpRequest, type TopUpRequestStoreService } from '@airtime/application';
import type { TopUp } from '@airtime/domain';
import { Effect, Either, Option } from 'effect';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeTopUpRepository } from '../top-ups/top-up-repository.adapter';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { makeTopUpRequestStore } from './top-up-request-store.adapter';
import { sampleTopUp, storedRequestOf } from '../../testing/top-up-requests.fixture';

const PHONE = '+639171234567';
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const result = await Effect.runPromise(Effect.either(effect));
  return Either.isLeft(result) ? result.left : undefined;
};
/** Requests in one order (by top-up id), to compare answers given in no particular order. */
const byTopUpId = (requests: readonly StoredTopUpRequest[]) =>
  [...requests].sort((a, b) => (a.topUpId < b.topUpId ? -1 : a.topUpId > b.topUpId ? 1 : 0));

let sequence = 0;
const newTopUp = (accountId: string, externalId = `order-${sequence + 1}`): TopUp => {
  sequence += 1;
  return sampleTopUp(`rb-${sequence}`, accountId, externalId);
};
const requestOf = (topUp: TopUp, overrides: Partial<StoredTopUpRequest> = {}): StoredTopUpRequest =>
  storedRequestOf(
    topUp,
    {
      external_id: topUp.externalId,
      phone_number: PHONE,
      max_amount: '100',
      metadata: { note: 'ünïcode 字 😀 "q" \\', lines: [1, { x: null }], '': true },
    },
    Number(topUp.id.slice(3)) % 2 === 0 ? undefined : `https://caller.example/hooks/${topUp.id}?x=1`,
    overrides,
  );

describe('top-up requests recordAll and findAll on PostgreSQL', () => {
  let db: TestDatabase;
  let store: TopUpRequestStoreService;
  const unitOfWork = () => makeUnitOfWork(db.dataSource);
  const inUnit = <A, E>(effect: Effect.Effect<A, E>) => unitOfWork().transactionally(effect);
  /** Top-ups stored on their own, for requests to refer to (a request's top-up must exist). */
  const storedTopUps = async (accountId: string, count: number, externalIds?: readonly string[]) => {
    const topUps = Array.from({ length: count }, (_, index) => newTopUp(accountId, externalIds?.[index]));
    await Effect.runPromise(makeTopUpRepository(db.dataSource).insertAll(topUps));
    return topUps;
  };
  const findAll = async (keys: readonly { accountId: string; externalId: string }[]) =>
    byTopUpId(await Effect.runPromise(store.findAll(keys)));
  const storedOf = async (requests: readonly StoredTopUpRequest[]) =>
    Promise.all(
      requests.map(async ({ topUpId }) => Option.getOrUndefined(await Effect.runPromise(store.findByTopUpId(topUpId)))),
    );
  const keyOf = ({ accountId, externalId }: { accountId: string; externalId: string }) => ({ accountId, externalId });

  beforeAll(async () => {
    db = await createTestDatabase();
    store = makeTopUpRequestStore(db.dataSource);
  });
  afterAll(async () => db.drop());

  describe('recordAll', () => {
    it('stores every request as given: found by top-up id, by key, by token and by findAll', async () => {
      const topUps = await storedTopUps('record-all', 7);
      const requests = topUps.map((topUp) => requestOf(topUp));
      await Effect.runPromise(inUnit(store.recordAll(requests)));
      expect(await storedOf(requests)).toEqual(requests);
      for (const request of requests) {
        expect(
          Option.getOrUndefined(await Effect.runPromise(store.find(request.accountId, request.externalId))),
        ).toEqual(request);
        expect(
          Option.getOrUndefined(await Effect.runPromise(store.findByCallbackToken(request.callbackToken))),
        ).toEqual(request);
      }
      expect(await findAll(requests.map(keyOf))).toEqual(byTopUpId(requests));
      // the URL is left out of a request that had none
      const read = await storedOf(requests.filter((request) => request.callbackUrl === undefined));
      expect(read.length).toBeGreaterThan(0);
      expect(read.every((request) => request !== undefined && !('callbackUrl' in request))).toBe(true);
    });

    it('stores many requests in one call', async () => {
      const topUps = await storedTopUps('record-many', 800);
      const requests = topUps.map((topUp) => requestOf(topUp));
      await Effect.runPromise(inUnit(store.recordAll(requests)));
      expect(await findAll(requests.map(keyOf))).toEqual(byTopUpId(requests));
    });

    it('does nothing for an empty list, inside a unit of work or not', async () => {
      const count = () => db.dataSource.query(`SELECT count(*)::int AS n FROM top_up_requests`);
      const before = await count();
      await Effect.runPromise(store.recordAll([]));
      await Effect.runPromise(inUnit(store.recordAll([])));
      expect(await count()).toStrictEqual(before);
    });

    it('stores nothing when its unit of work rolls back', async () => {
      const requests = (await storedTopUps('record-rolled', 3)).map((topUp) => requestOf(topUp));
      expect(await failureOf(inUnit(Effect.zipRight(store.recordAll(requests), Effect.fail('later' as const))))).toBe(
        'later',
      );
      expect(await storedOf(requests)).toStrictEqual([undefined, undefined, undefined]);
    });

    describe('all or none: a clash fails the call, non-retryable, and none of the list is stored', () => {
      let held: StoredTopUpRequest;
      let fresh: [TopUp, TopUp, TopUp];
      beforeAll(async () => {
        const [first] = await storedTopUps('clash', 1);
        held = requestOf(first as TopUp);
        await Effect.runPromise(store.record(held));
      });
      beforeEach(async () => {
        fresh = (await storedTopUps('clash', 3)) as [TopUp, TopUp, TopUp];
      });
      const clashes: [string, (fresh: readonly [TopUp, TopUp, TopUp]) => StoredTopUpRequest[]][] = [
        [
          'a top-up id already held',
          ([a, b]) => [
            requestOf(a),
            { ...held, callbackToken: `other-${held.callbackToken}`, externalId: 'clash-other' },
            requestOf(b),
          ],
        ],
        [
          'a key already held',
          ([a, b, c]) => [requestOf(a), requestOf(b, { externalId: held.externalId }), requestOf(c)],
        ],
        [
          'a callback token already held',
          ([a, b]) => [requestOf(a), requestOf(b, { callbackToken: held.callbackToken })],
        ],
        [
          'a top-up id held twice in the list',
          ([a]) => [
            requestOf(a),
            requestOf(a, { externalId: 'clash-twice', callbackToken: 'another-token-0123456789' }),
          ],
        ],
        ['a key held twice in the list', ([a, b]) => [requestOf(a), requestOf(b, { externalId: a.externalId })]],
        [
          'a callback token held twice in the list',
          ([a, b]) => [requestOf(a), requestOf(b, { callbackToken: requestOf(a).callbackToken })],
        ],
        ['the very same request twice in the list', ([a, b]) => [requestOf(a), requestOf(a), requestOf(b)]],
        [
          'a request whose top-up was never stored',
          ([a, b]) => [requestOf(a), { ...requestOf(b), topUpId: 'never-stored' }],
        ],
        ['an account id the store refuses', ([a, b]) => [requestOf(a), requestOf(b, { accountId: 'acct\u202e1' })]],
        ['a callback token the store refuses', ([a, b]) => [requestOf(a), requestOf(b, { callbackToken: 'short' })]],
        [
          'a callback URL the store refuses',
          ([a, b]) => [requestOf(a), requestOf(b, { callbackUrl: 'javascript:alert(1)' })],
        ],
        ['a NUL in a key', ([a, b]) => [requestOf(a), requestOf(b, { externalId: 'nul\u0000' })]],
      ];
      it.each(clashes)('%s', async (_, listOf) => {
        const list = listOf(fresh);
        for (const attempt of [inUnit(store.recordAll(list)), store.recordAll(list)]) {
          const failure = await failureOf(attempt);
          expect(failure).toMatchObject({ _tag: 'PersistenceFailure', retryable: false });
          expect(failure?.reason).not.toContain(PHONE);
          for (const request of list) expect(failure?.reason).not.toContain(request.callbackToken);
        }
        expect(await storedOf(fresh.map((topUp) => requestOf(topUp)))).toStrictEqual([undefined, undefined, undefined]);
        expect(await storedOf([held])).toEqual([held]);
      });

      it.each<[string, Record<string, unknown>]>([
        ['a bigint', { max_amount: 100n }],
        ['a NUL', { note: 'a\u0000' }],
        ['an unpaired surrogate', { metadata: { note: '\udc00' } }],
        ['a Date', { at: new Date(0) }],
      ])('refuses a request holding %s before writing any, keeping the unit of work usable', async (_, request) => {
        const [first, second, third] = fresh;
        const refused = await Effect.runPromise(
          inUnit(
            Effect.gen(function* () {
              const failure = yield* Effect.flip(
                store.recordAll([requestOf(first), requestOf(second, { request }), requestOf(third)]),
              );
              yield* store.record(requestOf(third));
              return failure;
            }),
          ),
        );
        expect(refused).toMatchObject({
          _tag: 'PersistenceFailure',
          retryable: false,
          reason: expect.stringMatching(new RegExp(`^the request of top-up ${second.id} cannot be stored: request`)),
        });
        expect(await storedOf([requestOf(first), requestOf(second), requestOf(third)])).toEqual([
          undefined,
          undefined,
          requestOf(third),
        ]);
      });
    });
  });

  describe('findAll', () => {
    let requests: StoredTopUpRequest[];
    beforeAll(async () => {
      // two accounts sharing external ids, so that crossed pairs name keys that are not stored
      const externalIds = ['x1', 'x2', 'x3', 'x/4', 'é字😀', 'NULL'];
      const topUps = [
        ...(await storedTopUps('find-a', 6, externalIds)),
        ...(await storedTopUps('find-b', 3, externalIds)),
      ];
      requests = topUps.map((topUp) => requestOf(topUp));
      await Effect.runPromise(store.recordAll(requests));
    });

    it('answers exactly the stored requests of the keys given, in any mix of keys', async () => {
      const accounts = ['find-a', 'find-b', 'find-c', 'find-a ', 'FIND-A'];
      const externalIds = ['x1', 'x2', 'x3', 'x/4', 'é字😀', 'NULL', 'x4', '', 'X1'];
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({ accountId: fc.constantFrom(...accounts), externalId: fc.constantFrom(...externalIds) }),
            { maxLength: 20 },
          ),
          async (keys) => {
            const given = new Set(keys.map((key) => JSON.stringify([key.accountId, key.externalId])));
            const expected = requests.filter((request) =>
              given.has(JSON.stringify([request.accountId, request.externalId])),
            );
            expect(await findAll(keys)).toEqual(byTopUpId(expected));
          },
        ),
        { numRuns: 100 },
      );
    });

    it('answers [] for an empty list and for keys with no request', async () => {
      expect(await findAll([])).toStrictEqual([]);
      expect(
        await findAll([
          { accountId: 'find-a', externalId: 'missing' },
          { accountId: 'nobody', externalId: 'x1' },
        ]),
      ).toStrictEqual([]);
    });

    it('answers each request once, however often its key is given', async () => {
      const [first] = requests as [StoredTopUpRequest];
      expect(await findAll([keyOf(first), keyOf(first), keyOf(first)])).toEqual([first]);
    });

    it('answers none for keys holding a NUL, without failing, inside a unit of work too', async () => {
      const [first, second] = requests as [StoredTopUpRequest, StoredTopUpRequest];
      const nul = [
        { accountId: first.accountId, externalId: `${first.externalId}\u0000` },
        { accountId: `${first.accountId}\u0000`, externalId: first.externalId },
        { accountId: '\u0000', externalId: '\u0000' },
      ];
      expect(await findAll(nul)).toStrictEqual([]);
      expect(await findAll([...nul, keyOf(second)])).toEqual([second]);
      const inside = await Effect.runPromise(
        inUnit(Effect.zipRight(store.findAll(nul), store.findAll([keyOf(first)]))),
      );
      expect(inside).toEqual([first]);
    });

    it('answers none for a key with an unpaired surrogate: no stored key can hold one', async () => {
      const [topUp] = await storedTopUps('surrogate', 1, ['s\ufffd']);
      const stored = requestOf(topUp as TopUp);
      await Effect.runPromise(store.recordAll([stored]));
      expect(await findAll([keyOf(stored)])).toEqual([stored]);
      // pg sends text as UTF-8: an unpaired surrogate would arrive as U+FFFD and find the request above
      expect(await findAll([{ accountId: 'surrogate', externalId: 's\ud800' }])).toStrictEqual([]);
      expect(await findAll([{ accountId: 'surrogate\udc00', externalId: 's\ufffd' }])).toStrictEqual([]);
    });

    it('answers many keys at once', async () => {
      const stored = (await storedTopUps('find-many', 1500)).map((topUp) => requestOf(topUp));
      await Effect.runPromise(store.recordAll(stored));
      const keys = [
        ...stored.map(keyOf),
        ...Array.from({ length: 3000 }, (_, index) => ({ accountId: 'find-many', externalId: `missing-${index}` })),
      ];
      expect(await findAll(keys)).toEqual(byTopUpId(stored));
    });
  });
});
