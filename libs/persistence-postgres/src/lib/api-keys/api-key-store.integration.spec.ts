import { ApiKeyStore, type ApiKeyStoreService, type StoredApiKey } from '@airtime/application';
import {
  makeInMemoryAccountDirectory,
  makeInMemoryApiKeyStore,
  makeInMemoryDatabase,
} from '@airtime/application/testing';
import { PersistenceFailure } from '@airtime/domain';
import { Effect, Either, Option } from 'effect';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeAccountDirectory } from '../accounts/account-directory.adapter';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { apiKeyStoreLayer, makeApiKeyStore } from './api-key-store.adapter';

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const result = await Effect.runPromise(Effect.either(effect));
  return Either.isLeft(result) ? result.left : undefined;
};
const found = async <A, E>(effect: Effect.Effect<Option.Option<A>, E>) =>
  Option.getOrUndefined(await Effect.runPromise(effect));

const ACCOUNTS = ['team-a', 'team-b', 'team-c'] as const;
const T0 = Date.parse('2026-03-01T10:00:00.000Z');

/** The n-th key id: a lowercase UUID (v7 layout). */
const keyId = (n: number) => `018f0000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
/** The n-th prefix: 12 lowercase hex characters. */
const prefixOf = (n: number) => `a${n.toString(16).padStart(11, '0')}`;

let keys = 0;
const newKey = (overrides: Partial<StoredApiKey> = {}): StoredApiKey => {
  keys += 1;
  return {
    id: keyId(keys),
    prefix: prefixOf(keys),
    secretHash: keys.toString(16).padStart(64, 'c'),
    label: `key ${keys}`,
    accountIds: ['team-a'],
    createdAt: new Date(T0 + keys * 1000),
    ...overrides,
  };
};

describe('API keys on PostgreSQL', () => {
  let db: TestDatabase;
  const store = () => makeApiKeyStore(db.dataSource);
  const unitOfWork = () => makeUnitOfWork(db.dataSource);

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const id of ACCOUNTS) {
      await run(makeAccountDirectory(db.dataSource).create({ id, name: id, createdAt: new Date(T0) }));
    }
  });
  afterAll(async () => db.drop());

  it('stores a key with its accounts (in the order issued, repeats once) and finds it by prefix as written', async () => {
    const key = newKey({ accountIds: ['team-c', 'team-a', 'team-c'] });
    await run(store().insert(key));
    expect(await found(store().findByPrefix(key.prefix))).toEqual({ ...key, accountIds: ['team-c', 'team-a'] });
    const stored = (await db.dataSource.query(`SELECT * FROM api_keys WHERE prefix = $1`, [key.prefix])) as Record<
      string,
      unknown
    >[];
    expect(Object.keys(stored[0] ?? {}).sort()).toEqual([
      'created_at',
      'id',
      'label',
      'prefix',
      'revoked_at',
      'secret_hash',
    ]);
  });

  it('answers none for an unknown prefix, and for one no key can have without a database error', async () => {
    for (const prefix of [prefixOf(9999), '', 'A00000000001', 'nul\u0000', 'x'.repeat(100_000), '\uD800']) {
      expect(await found(store().findByPrefix(prefix))).toBeUndefined();
    }
  });

  it('refuses a prefix or an id another key holds, without aborting the unit of work', async () => {
    const first = newKey();
    await run(store().insert(first));
    const outcome = await run(
      unitOfWork().transactionally(
        Effect.gen(function* () {
          const samePrefix = yield* Effect.flip(store().insert(newKey({ prefix: first.prefix })));
          const sameId = yield* Effect.flip(store().insert(newKey({ id: first.id })));
          const other = newKey();
          yield* store().insert(other);
          return { samePrefix, sameId, other };
        }),
      ),
    );
    expect(outcome.samePrefix).toMatchObject({
      retryable: false,
      reason: 'an API key with this prefix is already stored',
    });
    expect(outcome.sameId).toMatchObject({ retryable: false, reason: 'an API key with this id is already stored' });
    expect(await found(store().findByPrefix(first.prefix))).toEqual(first);
    expect(await found(store().findByPrefix(outcome.other.prefix))).toEqual(outcome.other);
  });

  it('one of six concurrent keys with one prefix is stored; the others are refused', async () => {
    const prefix = prefixOf(5000);
    const candidates = Array.from({ length: 6 }, () => newKey({ prefix }));
    const outcomes = await Promise.all(
      candidates.map((key) => run(Effect.either(unitOfWork().transactionally(store().insert(key))))),
    );
    expect(outcomes.filter(Either.isRight)).toHaveLength(1);
    for (const outcome of outcomes.filter(Either.isLeft)) {
      expect(outcome.left).toMatchObject({ reason: 'an API key with this prefix is already stored' });
    }
    const winner = candidates[outcomes.findIndex(Either.isRight)];
    expect(await found(store().findByPrefix(prefix))).toEqual(winner);
  });

  it('refuses a key with no account, an account outside the directory, or an id that is not a lowercase UUID; nothing is stored', async () => {
    const refusals: [StoredApiKey, RegExp][] = [
      [newKey({ accountIds: [] }), /at least one account/],
      [newKey({ accountIds: ['team-a', 'team-unknown'] }), /must be in the directory/],
      [newKey({ accountIds: ['team\u202ea'] }), /must be in the directory/],
      [newKey({ id: 'key-1' }), /lowercase UUID/],
      [newKey({ id: keyId(777).toUpperCase() }), /lowercase UUID/],
    ];
    for (const [key, reason] of refusals) {
      expect(await failureOf(store().insert(key))).toMatchObject({
        retryable: false,
        reason: expect.stringMatching(reason),
      });
      expect(await found(store().findByPrefix(key.prefix))).toBeUndefined();
    }
    const unitOfWorkGoesOn = await run(
      unitOfWork().transactionally(
        Effect.zipRight(
          Effect.flip(store().insert(newKey({ accountIds: ['team-unknown'] }))),
          Effect.succeed('committed'),
        ),
      ),
    );
    expect(unitOfWorkGoesOn).toBe('committed');
  });

  it('refuses a prefix, hash or label its CHECK refuses, naming the constraint and not the value', async () => {
    const refusals: [StoredApiKey, string][] = [
      [newKey({ prefix: 'ABCDEF012345' }), 'api_keys_prefix_valid'],
      [newKey({ secretHash: 'f'.repeat(63) }), 'api_keys_secret_hash_valid'],
      [newKey({ label: 'ops\u001b[2J' }), 'api_keys_label_valid'],
      [newKey({ label: '' }), 'api_keys_label_valid'],
    ];
    for (const [key, constraint] of refusals) {
      const failure = await failureOf(store().insert(key));
      expect(failure).toBeInstanceOf(PersistenceFailure);
      expect(failure).toMatchObject({ retryable: false, reason: expect.stringContaining(constraint) });
      expect((failure as PersistenceFailure).reason).not.toMatch(/ABCDEF|ffff|ops/);
    }
  });

  it('revokes once: the first time stays, the key is still found (revoked), unknown ids answer none', async () => {
    const key = newKey();
    await run(store().insert(key));
    const first = new Date(T0 + 60_000);
    expect(await found(store().revoke(key.id, first))).toEqual({ ...key, revokedAt: first });
    expect(await found(store().revoke(key.id, new Date(T0 + 120_000)))).toEqual({ ...key, revokedAt: first });
    expect(await found(store().findByPrefix(key.prefix))).toEqual({ ...key, revokedAt: first });
    for (const id of [keyId(888_888), 'key-1', keyId(1).toUpperCase(), '', 'nul\u0000']) {
      expect(await found(store().revoke(id, first))).toBeUndefined();
    }
  });

  it('eight concurrent revocations at different times all answer the one time that was stored', async () => {
    const key = newKey();
    await run(store().insert(key));
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        found(unitOfWork().transactionally(store().revoke(key.id, new Date(T0 + 100_000 + index)))),
      ),
    );
    const stored = await found(store().findByPrefix(key.prefix));
    expect(stored?.revokedAt).toBeInstanceOf(Date);
    for (const answer of answers) expect(answer).toEqual(stored);
  });

  it('lists the keys of an account, revoked ones too, oldest first (then by id); none for an id no account can have', async () => {
    await db.dataSource.query(`DELETE FROM api_keys`);
    const at = new Date(T0 + 500_000);
    const later = newKey({ accountIds: ['team-b'], createdAt: new Date(T0 + 600_000) });
    const tieHigh = newKey({ id: keyId(0xfff0), accountIds: ['team-a', 'team-b'], createdAt: at });
    const tieLow = newKey({ id: keyId(0x0ff0), accountIds: ['team-b'], createdAt: at });
    const elsewhere = newKey({ accountIds: ['team-c'] });
    for (const key of [later, tieHigh, tieLow, elsewhere]) await run(store().insert(key));
    const revokedAt = new Date(T0 + 700_000);
    await run(store().revoke(tieLow.id, revokedAt));
    expect(await run(store().listFor('team-b'))).toEqual([{ ...tieLow, revokedAt }, tieHigh, later]);
    expect(await run(store().listFor('team-a'))).toEqual([tieHigh]);
    for (const id of ['team-unknown', '', 'nul\u0000', 'x'.repeat(100_000)]) {
      expect(await run(store().listFor(id))).toEqual([]);
    }
  });

  it('is provided by its layer', async () => {
    const key = newKey();
    const read = await run(
      Effect.provide(
        Effect.gen(function* () {
          const store = yield* ApiKeyStore;
          yield* store.insert(key);
          return yield* store.findByPrefix(key.prefix);
        }),
        apiKeyStoreLayer(db.dataSource),
      ),
    );
    expect(Option.getOrUndefined(read)).toEqual(key);
  });

  describe('agrees with the in-memory store of @airtime/application/testing (fast-check)', () => {
    type Command =
      | { readonly kind: 'insert'; readonly key: StoredApiKey }
      | { readonly kind: 'findByPrefix'; readonly prefix: string }
      | { readonly kind: 'revoke'; readonly id: string; readonly at: Date }
      | { readonly kind: 'listFor'; readonly accountId: string };

    const ids = fc.integer({ min: 1, max: 4 }).map(keyId);
    const prefixes = fc.integer({ min: 1, max: 4 }).map((n) => prefixOf(100 + n));
    const times = fc.integer({ min: 0, max: 1 }).map((n) => new Date(T0 + n * 1000));
    const accounts = fc.constantFrom('team-a', 'team-b', 'team-c', 'team-unknown');
    // inserts weigh most, so that keys accumulate and tie on their creation time
    const command: fc.Arbitrary<Command> = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant('insert' as const),
          key: fc.record({
            id: ids,
            prefix: prefixes,
            secretHash: fc.constantFrom('a'.repeat(64), 'b'.repeat(64)),
            label: fc.constantFrom('ops', 'billing'),
            accountIds: fc.array(accounts, { maxLength: 3 }),
            createdAt: times,
          }),
        }),
      },
      fc.record({ kind: fc.constant('findByPrefix' as const), prefix: prefixes }),
      fc.record({ kind: fc.constant('revoke' as const), id: ids, at: times }),
      fc.record({ kind: fc.constant('listFor' as const), accountId: accounts }),
    );

    /** What a command answers: its value, or only that it failed (the two stores may name another of several problems). */
    const outcomeOf = async (keyStore: ApiKeyStoreService, step: Command): Promise<unknown> => {
      const effect: Effect.Effect<unknown, PersistenceFailure> =
        step.kind === 'insert'
          ? keyStore.insert(step.key)
          : step.kind === 'findByPrefix'
            ? keyStore.findByPrefix(step.prefix)
            : step.kind === 'revoke'
              ? keyStore.revoke(step.id, step.at)
              : keyStore.listFor(step.accountId);
      const result = await run(Effect.either(effect));
      return Either.isLeft(result) ? { failed: true, retryable: result.left.retryable } : { value: result.right };
    };

    it('same commands, same answers', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), async (commands) => {
          await db.dataSource.query(`DELETE FROM api_keys`);
          const memory = makeInMemoryDatabase();
          for (const id of ACCOUNTS) {
            await run(makeInMemoryAccountDirectory(memory).create({ id, name: id, createdAt: new Date(T0) }));
          }
          const inMemory = makeInMemoryApiKeyStore(memory);
          for (const step of commands) {
            expect(await outcomeOf(store(), step)).toEqual(await outcomeOf(inMemory, step));
          }
        }),
        { numRuns: 60 },
      );
    });
  });
});
