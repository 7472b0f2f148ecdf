import {
  ApiKeyStore,
  closeConsoleSession,
  ConsoleSessionStore,
  formatApiKey,
  openConsoleSession,
  pruneConsoleSessions,
  resumeConsoleSession,
  type StoredConsoleSession,
} from '@airtime/application';
import { makeManualClock, manualClockLayer } from '@airtime/application/testing';
import { type Clock, PersistenceFailure } from '@airtime/domain';
import { Effect, Either, Layer, Option } from 'effect';
import { createHash, randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeAccountDirectory } from '../accounts/account-directory.adapter';
import { makeApiKeyStore } from '../api-keys/api-key-store.adapter';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { consoleSessionStoreLayer, makeConsoleSessionStore } from './console-session-store.adapter';

type Services = ApiKeyStore | ConsoleSessionStore | Clock;

const T0 = new Date('2026-03-01T10:00:00.000Z');
const MINUTE = 60_000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const secret = () => randomBytes(32).toString('base64url');

let keys = 0;
/** Stores a key for the accounts and answers its text and id. */
const newKey = async (db: TestDatabase, accountIds: readonly string[]) => {
  keys += 1;
  const id = `018f0000-0000-7000-8000-${keys.toString(16).padStart(12, '0')}`;
  const prefix = `b${keys.toString(16).padStart(11, '0')}`;
  const keySecret = secret();
  await Effect.runPromise(
    makeApiKeyStore(db.dataSource).insert({
      id,
      prefix,
      secretHash: sha256(keySecret),
      label: `key ${keys}`,
      accountIds,
      createdAt: T0,
    }),
  );
  return { id, key: formatApiKey({ prefix, secret: keySecret }) };
};

const ended = (reason: string) => Either.left(expect.objectContaining({ _tag: 'ConsoleSessionEnded', reason }));

describe('console sessions on PostgreSQL', () => {
  let db: TestDatabase;
  let layer: Layer.Layer<Services>;
  const run = <A, E>(effect: Effect.Effect<A, E, Services>) => Effect.runPromise(Effect.provide(effect, layer));
  const runEither = <A, E>(effect: Effect.Effect<A, E, Services>) =>
    Effect.runPromise(Effect.either(Effect.provide(effect, layer)));
  const store = () => makeConsoleSessionStore(db.dataSource);
  const rows = async (): Promise<Record<string, unknown>[]> =>
    (await db.dataSource.query(`SELECT * FROM console_sessions ORDER BY created_at, token_hash`)) as Record<
      string,
      unknown
    >[];
  const stored = async (token: string) =>
    (await rows()).find((row) => row['token_hash'] === sha256(token)) as Record<string, unknown> | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const id of ['team-a', 'team-b', 'team-c'])
      await Effect.runPromise(makeAccountDirectory(db.dataSource).create({ id, name: id, createdAt: T0 }));
    layer = Layer.mergeAll(
      Layer.succeed(ApiKeyStore, makeApiKeyStore(db.dataSource)),
      consoleSessionStoreLayer(db.dataSource),
      manualClockLayer(makeManualClock(T0)),
    );
  });
  afterEach(async () => db.dataSource.query(`DELETE FROM console_sessions`));
  afterAll(async () => db.drop());

  it('opens, resumes and closes a session; closing again is nothing', async () => {
    const team = await newKey(db, ['team-b', 'team-a']);
    const opened = await run(openConsoleSession({ apiKey: team.key, now: T0 }));
    expect(opened.principal).toEqual({ keyId: team.id, accountIds: ['team-b', 'team-a'] });
    expect(opened.expiresAt).toEqual(at(12 * 60 * MINUTE));
    expect(await run(resumeConsoleSession({ token: opened.token, now: at(5 * MINUTE) }))).toEqual({
      principal: opened.principal,
      csrfToken: opened.csrfToken,
      expiresAt: opened.expiresAt,
    });
    expect((await stored(opened.token))?.['last_seen_at']).toEqual(at(5 * MINUTE));
    await run(closeConsoleSession({ token: opened.token }));
    await run(closeConsoleSession({ token: opened.token }));
    expect(await rows()).toEqual([]);
    expect(await runEither(resumeConsoleSession({ token: opened.token, now: at(6 * MINUTE) }))).toEqual(
      ended('unknown'),
    );
  });

  it('stores the SHA-256 of the token, never the token nor the CSRF token', async () => {
    const team = await newKey(db, ['team-a']);
    const opened = await run(openConsoleSession({ apiKey: team.key, now: T0 }));
    const all = await rows();
    expect(all).toEqual([
      {
        token_hash: sha256(opened.token),
        api_key_id: team.id,
        csrf_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        created_at: T0,
        last_seen_at: T0,
        expires_at: opened.expiresAt,
      },
    ]);
    const text = JSON.stringify(all);
    expect(text).not.toContain(opened.token);
    expect(text).not.toContain(opened.csrfToken);
  });

  it('ends a session unused for the idle timeout, and deletes it', async () => {
    const team = await newKey(db, ['team-a']);
    const { token } = await run(openConsoleSession({ apiKey: team.key, now: T0 }));
    await run(resumeConsoleSession({ token, now: at(29 * MINUTE) }));
    expect(await runEither(resumeConsoleSession({ token, now: at(58 * MINUTE) }))).toEqual(
      Either.right(expect.anything()),
    );
    expect(await runEither(resumeConsoleSession({ token, now: at(88 * MINUTE) }))).toEqual(ended('idle'));
    expect(await stored(token)).toBeUndefined();
  });

  it('ends a session at its absolute end however it is used', async () => {
    const team = await newKey(db, ['team-a']);
    const { token } = await run(openConsoleSession({ apiKey: team.key, now: T0, lifetimeMs: 60 * MINUTE }));
    for (const minute of [20, 40, 59]) await run(resumeConsoleSession({ token, now: at(minute * MINUTE) }));
    expect(await runEither(resumeConsoleSession({ token, now: at(60 * MINUTE) }))).toEqual(ended('expired'));
    expect(await stored(token)).toBeUndefined();
  });

  it("ends a revoked key's sessions at once, and leaves other keys' sessions", async () => {
    const team = await newKey(db, ['team-a']);
    const other = await newKey(db, ['team-c']);
    const first = await run(openConsoleSession({ apiKey: team.key, now: T0 }));
    const second = await run(openConsoleSession({ apiKey: team.key, now: T0 }));
    const others = await run(openConsoleSession({ apiKey: other.key, now: T0 }));
    await Effect.runPromise(makeApiKeyStore(db.dataSource).revoke(team.id, at(1)));
    expect(await runEither(resumeConsoleSession({ token: first.token, now: at(2) }))).toEqual(ended('revoked'));
    expect(await stored(first.token)).toBeUndefined();
    expect(await run(pruneConsoleSessions({ now: at(3) }))).toBe(1);
    expect(await stored(second.token)).toBeUndefined();
    expect(await run(resumeConsoleSession({ token: others.token, now: at(4) }))).toMatchObject({
      principal: { keyId: other.id, accountIds: ['team-c'] },
    });
  });

  it("closing one session leaves the key's other session", async () => {
    const team = await newKey(db, ['team-a']);
    const first = await run(openConsoleSession({ apiKey: team.key, now: T0 }));
    const second = await run(openConsoleSession({ apiKey: team.key, now: T0 }));
    await run(closeConsoleSession({ token: first.token }));
    expect(await stored(first.token)).toBeUndefined();
    expect(await run(resumeConsoleSession({ token: second.token, now: at(MINUTE) }))).toMatchObject({
      csrfToken: second.csrfToken,
      principal: { keyId: team.id },
    });
  });

  it('prunes the sessions past their end or idle (a sign-in too), and keeps the live ones', async () => {
    const team = await newKey(db, ['team-a']);
    const idle = await run(openConsoleSession({ apiKey: team.key, now: T0 }));
    const short = await run(openConsoleSession({ apiKey: team.key, now: T0, lifetimeMs: 10 * MINUTE }));
    const live = await run(openConsoleSession({ apiKey: team.key, now: at(5 * MINUTE) }));
    await run(resumeConsoleSession({ token: short.token, now: at(9 * MINUTE) }));
    expect(await run(pruneConsoleSessions({ now: at(10 * MINUTE) }))).toBe(1);
    expect(await stored(short.token)).toBeUndefined();
    expect(await stored(idle.token)).toBeDefined();
    await run(openConsoleSession({ apiKey: team.key, now: at(30 * MINUTE) }));
    expect(await stored(idle.token)).toBeUndefined();
    expect(await stored(live.token)).toBeDefined();
  });

  describe('the adapter', () => {
    const session = (overrides: Partial<StoredConsoleSession> = {}): StoredConsoleSession => ({
      tokenHash: sha256(secret()),
      apiKeyId: '018f0000-0000-7000-8000-0000000000ff',
      csrfSecret: secret(),
      createdAt: T0,
      lastSeenAt: T0,
      expiresAt: at(60 * MINUTE),
      ...overrides,
    });

    it('refuses an unknown key, a stored hash and a malformed hash, leaving the transaction usable', async () => {
      const team = await newKey(db, ['team-a']);
      const first = session({ apiKeyId: team.id });
      await Effect.runPromise(store().insert(first));
      const failures = await Effect.runPromise(
        makeUnitOfWork(db.dataSource).transactionally(
          Effect.gen(function* () {
            const refusals = [];
            for (const bad of [
              session(),
              session({ apiKeyId: 'not-a-uuid' }),
              { ...session({ apiKeyId: team.id }), tokenHash: first.tokenHash },
              session({ apiKeyId: team.id, tokenHash: 'A'.repeat(64) }),
            ])
              refusals.push(yield* Effect.flip(store().insert(bad)));
            yield* store().insert(session({ apiKeyId: team.id }));
            return refusals;
          }),
        ),
      );
      expect(failures.map((failure) => [failure.reason, failure.retryable])).toEqual([
        ["a console session's API key must be stored", false],
        ["a console session's API key must be stored", false],
        ['a console session with this token hash is already stored', false],
        ['a console session token hash must be 64 lowercase hex characters', false],
      ]);
      expect(failures.every((failure) => failure instanceof PersistenceFailure)).toBe(true);
      expect(await rows()).toHaveLength(2);
    });

    it('never moves the last use back, and answers none for a hash no session can have', async () => {
      const team = await newKey(db, ['team-a']);
      const row = session({ apiKeyId: team.id });
      await Effect.runPromise(store().insert(row));
      await Effect.runPromise(store().touch(row.tokenHash, at(5 * MINUTE)));
      await Effect.runPromise(store().touch(row.tokenHash, at(2 * MINUTE)));
      const found = await Effect.runPromise(store().find(row.tokenHash));
      expect(Option.getOrUndefined(found)).toEqual({
        session: { ...row, lastSeenAt: at(5 * MINUTE) },
        apiKey: { id: team.id, accountIds: ['team-a'] },
      });
      for (const hash of ['', 'x', row.tokenHash.toUpperCase(), `${row.tokenHash}0`, 'nul\u0000'])
        expect(Option.isNone(await Effect.runPromise(store().find(hash)))).toBe(true);
    });

    it('refuses a CSRF secret out of form and times out of order, naming the constraint', async () => {
      const team = await newKey(db, ['team-a']);
      for (const [bad, constraint] of [
        [session({ apiKeyId: team.id, csrfSecret: 'short' }), 'console_sessions_csrf_secret_valid'],
        [session({ apiKeyId: team.id, lastSeenAt: at(-1) }), 'console_sessions_times_ordered'],
        [session({ apiKeyId: team.id, expiresAt: T0 }), 'console_sessions_times_ordered'],
      ] as const) {
        const failure = await Effect.runPromise(Effect.flip(store().insert(bad)));
        expect(failure.reason).toContain(constraint);
      }
      expect(await rows()).toEqual([]);
    });
  });
});
