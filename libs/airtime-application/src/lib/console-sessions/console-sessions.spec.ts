import { Either } from 'effect';
import { inMemoryLayers, openFundedAccounts } from '../../testing';
import { issueApiKey } from '../issue-api-key/issue-api-key.use-case';
import { revokeApiKey } from '../revoke-api-key/revoke-api-key.use-case';
import { closeConsoleSession } from './close-console-session.use-case';
import { hashSessionToken } from './console-session-token';
import { openConsoleSession } from './open-console-session.use-case';
import { pruneConsoleSessions } from './prune-console-sessions.use-case';
import { resumeConsoleSession } from './resume-console-session.use-case';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const MINUTE = 60_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

const setUp = async () => {
  const world = inMemoryLayers({ start: T0 });
  await world.run(openFundedAccounts(['team-a', 'team-b', 'team-c']));
  const team = await world.run(issueApiKey({ label: 'team', accountIds: ['team-a', 'team-b'] }));
  const other = await world.run(issueApiKey({ label: 'other', accountIds: ['team-c'] }));
  return { world, team, other };
};

const ended = (reason: string) =>
  Either.left(expect.objectContaining({ _tag: 'ConsoleSessionEnded', code: 'UNAUTHENTICATED', reason }));

describe('console sessions', () => {
  it('open answers a token, a CSRF token, the principal and the absolute end; resume answers them again', async () => {
    const { world, team } = await setUp();
    const opened = await world.run(openConsoleSession({ apiKey: team.key, now: T0 }));
    expect(opened).toEqual({
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      principal: { keyId: team.apiKey.id, accountIds: ['team-a', 'team-b'] },
      expiresAt: at(12 * 60 * MINUTE),
    });
    expect(await world.run(resumeConsoleSession({ token: opened.token, now: at(5 * MINUTE) }))).toEqual({
      principal: opened.principal,
      csrfToken: opened.csrfToken,
      expiresAt: opened.expiresAt,
    });
  });

  it('stores only the SHA-256 of the token, never the token or the CSRF token', async () => {
    const { world, team } = await setUp();
    const opened = await world.run(openConsoleSession({ apiKey: team.key, now: T0 }));
    const rows = [...world.consoleSessions.rows().values()];
    expect(rows).toEqual([
      {
        tokenHash: hashSessionToken(opened.token),
        apiKeyId: team.apiKey.id,
        csrfSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        createdAt: T0,
        lastSeenAt: T0,
        expiresAt: opened.expiresAt,
      },
    ]);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(opened.token);
    expect(stored).not.toContain(opened.csrfToken);
  });

  it('refuses to open with anything but an issued, unrevoked key, storing nothing', async () => {
    const { world, team, other } = await setUp();
    await world.run(revokeApiKey(other.apiKey.id));
    for (const apiKey of [other.key, `${team.key}x`, '', undefined, 42])
      expect(await world.runEither(openConsoleSession({ apiKey, now: T0 }))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'ApiKeyRefused' })),
      );
    expect(world.consoleSessions.rows().size).toBe(0);
  });

  it('takes the clock when no time is given, and the timings given', async () => {
    const { world, team } = await setUp();
    const opened = await world.run(openConsoleSession({ apiKey: team.key, lifetimeMs: 60 * MINUTE }));
    expect(opened.expiresAt).toEqual(at(60 * MINUTE));
    world.clock.advance(10 * MINUTE);
    expect(await world.runEither(resumeConsoleSession({ token: opened.token, idleTimeoutMs: 10 * MINUTE }))).toEqual(
      ended('idle'),
    );
  });

  it('refuses timings out of their bounds, naming the field', async () => {
    const { world, team } = await setUp();
    for (const [field, value] of [
      ['lifetimeMs', 59_999],
      ['lifetimeMs', 31 * 24 * 60 * MINUTE],
      ['idleTimeoutMs', 1.5 * MINUTE + 0.5],
      ['idleTimeoutMs', '30'],
    ] as const)
      expect(await world.runEither(openConsoleSession({ apiKey: team.key, now: T0, [field]: value }))).toEqual(
        Either.left(expect.objectContaining({ _tag: 'InvalidInput', field })),
      );
    expect(await world.runEither(resumeConsoleSession({ token: 'x', idleTimeoutMs: 0 }))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidInput', field: 'idleTimeoutMs' })),
    );
  });

  it('ends after the idle timeout without use, and lives on while used', async () => {
    const { world, team } = await setUp();
    const { token } = await world.run(openConsoleSession({ apiKey: team.key, now: T0 }));
    for (let minute = 29; minute <= 29 * 10; minute += 29)
      await world.run(resumeConsoleSession({ token, now: at(minute * MINUTE) }));
    expect(world.consoleSessions.rows().get(hashSessionToken(token))?.lastSeenAt).toEqual(at(290 * MINUTE));
    expect(await world.runEither(resumeConsoleSession({ token, now: at(320 * MINUTE) }))).toEqual(ended('idle'));
    expect(world.consoleSessions.rows().size).toBe(0);
    expect(await world.runEither(resumeConsoleSession({ token, now: at(321 * MINUTE) }))).toEqual(ended('unknown'));
  });

  it('ends at its absolute end however it is used', async () => {
    const { world, team } = await setUp();
    const { token, expiresAt } = await world.run(openConsoleSession({ apiKey: team.key, now: T0 }));
    for (let minute = 20; minute < 12 * 60; minute += 20)
      await world.run(resumeConsoleSession({ token, now: at(minute * MINUTE) }));
    await world.run(resumeConsoleSession({ token, now: new Date(expiresAt.getTime() - 1) }));
    expect(await world.runEither(resumeConsoleSession({ token, now: expiresAt }))).toEqual(ended('expired'));
    expect(world.consoleSessions.rows().size).toBe(0);
  });

  it('writes the last use at most once a minute', async () => {
    const { world, team } = await setUp();
    const { token } = await world.run(openConsoleSession({ apiKey: team.key, now: T0 }));
    const lastSeen = () => world.consoleSessions.rows().get(hashSessionToken(token))?.lastSeenAt;
    await world.run(resumeConsoleSession({ token, now: at(MINUTE - 1) }));
    expect(lastSeen()).toEqual(T0);
    await world.run(resumeConsoleSession({ token, now: at(MINUTE) }));
    expect(lastSeen()).toEqual(at(MINUTE));
  });

  it("a page's background poll is no activity: it never keeps an unattended session past its idle timeout", async () => {
    const { world, team } = await setUp();
    const { token } = await world.run(openConsoleSession({ apiKey: team.key, now: T0 }));
    for (let minute = 1; minute < 30; minute += 1)
      await world.run(resumeConsoleSession({ token, now: at(minute * MINUTE), activity: false }));
    expect(world.consoleSessions.rows().get(hashSessionToken(token))?.lastSeenAt).toEqual(T0);
    expect(await world.runEither(resumeConsoleSession({ token, now: at(30 * MINUTE), activity: false }))).toEqual(
      ended('idle'),
    );
  });

  it('ends every session of a key revoked since, at once', async () => {
    const { world, team } = await setUp();
    const first = await world.run(openConsoleSession({ apiKey: team.key, now: T0 }));
    const second = await world.run(openConsoleSession({ apiKey: team.key, now: T0 }));
    await world.run(revokeApiKey(team.apiKey.id));
    expect(await world.runEither(resumeConsoleSession({ token: first.token, now: at(1) }))).toEqual(ended('revoked'));
    expect(await world.runEither(resumeConsoleSession({ token: second.token, now: at(1) }))).toEqual(ended('revoked'));
    expect(world.consoleSessions.rows().size).toBe(0);
  });

  it('answers a malformed token as ended without reading the store', async () => {
    const { world, team } = await setUp();
    const { token } = await world.run(openConsoleSession({ apiKey: team.key, now: T0 }));
    for (const text of [undefined, '', 'token-000001', `${token}x`, token.slice(1), team.key, 7])
      expect(await world.runEither(resumeConsoleSession({ token: text, now: T0 }))).toEqual(ended('unknown'));
    expect(world.consoleSessions.finds()).toBe(0);
    await world.run(closeConsoleSession({ token: 'not a token' }));
    expect(world.consoleSessions.rows().size).toBe(1);
  });

  it('close ends that session only, and closing again is nothing', async () => {
    const { world, team } = await setUp();
    const first = await world.run(openConsoleSession({ apiKey: team.key, now: T0 }));
    const second = await world.run(openConsoleSession({ apiKey: team.key, now: T0 }));
    expect(first.token).not.toBe(second.token);
    expect(first.csrfToken).not.toBe(second.csrfToken);
    await world.run(closeConsoleSession({ token: first.token }));
    await world.run(closeConsoleSession({ token: first.token }));
    expect(await world.runEither(resumeConsoleSession({ token: first.token, now: at(1) }))).toEqual(ended('unknown'));
    expect(await world.run(resumeConsoleSession({ token: second.token, now: at(1) }))).toMatchObject({
      csrfToken: second.csrfToken,
    });
  });

  it('prune deletes the ended sessions of every key and keeps the live ones; a sign-in prunes too', async () => {
    const { world, team, other } = await setUp();
    const idle = await world.run(openConsoleSession({ apiKey: team.key, now: T0 }));
    const old = await world.run(openConsoleSession({ apiKey: other.key, now: T0, lifetimeMs: 60 * MINUTE }));
    await world.run(resumeConsoleSession({ token: old.token, now: at(25 * MINUTE) }));
    const live = await world.run(openConsoleSession({ apiKey: team.key, now: at(28 * MINUTE) }));
    expect(world.consoleSessions.rows().size).toBe(3);
    await world.run(resumeConsoleSession({ token: old.token, now: at(50 * MINUTE) }));
    await world.run(resumeConsoleSession({ token: live.token, now: at(50 * MINUTE) }));
    expect(await world.run(pruneConsoleSessions({ now: at(59 * MINUTE) }))).toBe(1);
    expect([...world.consoleSessions.rows().keys()].sort()).toEqual(
      [hashSessionToken(old.token), hashSessionToken(live.token)].sort(),
    );
    await world.run(openConsoleSession({ apiKey: other.key, now: at(60 * MINUTE) }));
    expect(world.consoleSessions.rows().has(hashSessionToken(old.token))).toBe(false);
    expect(world.consoleSessions.rows().has(hashSessionToken(live.token))).toBe(true);
    expect(world.consoleSessions.rows().has(hashSessionToken(idle.token))).toBe(false);
  });
});
