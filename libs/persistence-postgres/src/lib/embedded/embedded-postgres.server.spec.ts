// What the embedded server refuses before it loads PostgreSQL (the server
// itself runs in embedded-postgres.server.integration.spec.ts).
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { Effect, Either } from 'effect';
import { startEmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded-postgres.server';

const failureOf = async (options: EmbeddedPostgresOptions) => {
  const result = await Effect.runPromise(Effect.either(startEmbeddedPostgres(options)));
  if (Either.isRight(result)) {
    await result.right.stop();
    throw new Error('the server started');
  }
  return result.left;
};

describe('embedded PostgreSQL refusals', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'airtime-embedded-refusals-'));
  beforeAll(() => chmodSync(root, 0o711));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a database name PostgreSQL would need quoting for', async () => {
    for (const database of ['Airtime', '1db', 'a-b', '', 'x'.repeat(64), 'db; DROP']) {
      const failure = await failureOf({ dataDir: path.join(root, 'names'), database });
      expect(failure._tag).toBe('EmbeddedPostgresFailed');
      expect(failure.code).toBe('EMBEDDED_POSTGRES_FAILED');
      expect(failure.message).toMatch(/database name/);
      expect(failure.message).not.toContain(database === '' ? 'database ""' : database);
    }
  });

  it('refuses a port out of range', async () => {
    for (const port of [-1, 65_536, 1.5, Number.NaN]) {
      expect((await failureOf({ dataDir: path.join(root, 'ports'), port })).message).toMatch(/port/);
    }
  });

  (userInfo().uid === 0 ? it : it.skip)(
    'as root, refuses a data folder the postgres user cannot enter, naming the closed folder',
    async () => {
      const closed = path.join(root, 'closed');
      mkdirSync(closed, { mode: 0o700 });
      chmodSync(closed, 0o700);
      const failure = await failureOf({ dataDir: path.join(closed, 'data') });
      expect(failure.message).toContain(`cannot enter ${closed}`);
    },
  );
});
