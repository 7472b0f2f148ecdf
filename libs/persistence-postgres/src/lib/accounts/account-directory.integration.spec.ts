import { type Account, AccountAlreadyExists, AccountDirectory } from '@airtime/application';
import { PersistenceFailure } from '@airtime/domain';
import { Effect, Either, Option } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { accountDirectoryLayer, makeAccountDirectory } from './account-directory.adapter';

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const result = await Effect.runPromise(Effect.either(effect));
  return Either.isLeft(result) ? result.left : undefined;
};
const found = async <A, E>(effect: Effect.Effect<Option.Option<A>, E>) =>
  Option.getOrUndefined(await Effect.runPromise(effect));

const account = (id: string, name = `Team ${id}`): Account => ({
  id,
  name,
  createdAt: new Date('2026-03-01T10:00:00.123Z'),
});

describe('the account directory on PostgreSQL', () => {
  let db: TestDatabase;
  const directory = () => makeAccountDirectory(db.dataSource);
  const unitOfWork = () => makeUnitOfWork(db.dataSource);

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('creates an account and finds it as written (the time to the millisecond, any name text)', async () => {
    const written = account('team growth', 'Équipe croissance \u{1F469}\u200D\u{1F4BB}');
    expect(await run(directory().create(written))).toEqual(written);
    expect(await found(directory().find('team growth'))).toEqual(written);
    expect(await found(directory().find('team'))).toBeUndefined();
    expect(await found(directory().find('TEAM GROWTH'))).toBeUndefined();
  });

  it('refuses a taken id with AccountAlreadyExists, keeps the first, and leaves the unit of work usable', async () => {
    await run(directory().create(account('team-a', 'First')));
    const outcome = await run(
      unitOfWork().transactionally(
        Effect.gen(function* () {
          const clash = yield* Effect.flip(directory().create(account('team-a', 'Second')));
          const created = yield* directory().create(account('team-b'));
          return { clash, created };
        }),
      ),
    );
    expect(outcome.clash).toBeInstanceOf(AccountAlreadyExists);
    expect(outcome.clash).toMatchObject({ accountId: 'team-a', code: 'ACCOUNT_ALREADY_EXISTS' });
    expect(await found(directory().find('team-a'))).toMatchObject({ name: 'First' });
    expect(await found(directory().find('team-b'))).toEqual(account('team-b'));
  });

  it('one of eight concurrent creates of one id wins; the others get AccountAlreadyExists', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        run(Effect.either(unitOfWork().transactionally(directory().create(account('team-race', `Racer ${index}`))))),
      ),
    );
    expect(outcomes.filter(Either.isRight)).toHaveLength(1);
    expect(outcomes.filter(Either.isLeft).map((outcome) => outcome.left)).toEqual(
      Array.from({ length: 7 }, () => expect.any(AccountAlreadyExists)),
    );
    const winner = outcomes.find(Either.isRight);
    expect(await found(directory().find('team-race'))).toEqual(winner?.right);
  });

  it('stores nothing when the unit of work rolls back', async () => {
    const failed = await failureOf(
      unitOfWork().transactionally(
        Effect.zipRight(directory().create(account('team-rolled-back')), Effect.fail('later step failed' as const)),
      ),
    );
    expect(failed).toBe('later step failed');
    expect(await found(directory().find('team-rolled-back'))).toBeUndefined();
  });

  it('refuses an id that breaks the identifier rule before any SQL, and a name its CHECK refuses, naming no value', async () => {
    for (const id of ['', ' team', 'team\u202e', 'a'.repeat(101), 'nul\u0000id']) {
      const failure = await failureOf(directory().create(account(id)));
      expect(failure).toBeInstanceOf(PersistenceFailure);
      expect(failure).toMatchObject({ retryable: false, reason: expect.stringMatching(/identifier rule/) });
    }
    for (const name of ['', 'x'.repeat(201), 'red\u001b[31m']) {
      const failure = await failureOf(directory().create(account('team-named', name)));
      expect(failure).toMatchObject({ retryable: false, reason: expect.stringMatching(/accounts_name_valid/) });
      expect((failure as PersistenceFailure).reason).not.toContain('red');
    }
    expect(await found(directory().find('team-named'))).toBeUndefined();
  });

  it('answers none for an id no account can have, without a database error', async () => {
    for (const id of ['', 'nul\u0000id', 'x'.repeat(100_000), '\uD800']) {
      expect(await found(directory().find(id))).toBeUndefined();
    }
  });

  it('is provided by its layer and joins the unit of work (a read sees the uncommitted account)', async () => {
    const seen = await run(
      Effect.provide(
        unitOfWork().transactionally(
          Effect.gen(function* () {
            const accounts = yield* AccountDirectory;
            yield* accounts.create(account('team-layer'));
            return yield* accounts.find('team-layer');
          }),
        ),
        accountDirectoryLayer(db.dataSource),
      ),
    );
    expect(Option.getOrUndefined(seen)).toEqual(account('team-layer'));
    expect(await found(directory().find('team-layer'))).toEqual(account('team-layer'));
  });
});
