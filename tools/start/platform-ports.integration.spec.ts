// npm start when a port it needs is taken: it stops with one line naming
// the port before it writes anything. On a shared database (DATABASE_URL)
// a start that failed on SIMULATOR_PORT used to have migrated it and
// rotated the demo account's API key (revoking the running instance's):
// now the database is left as it was, here not even migrated (each case
// has a database of its own).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { freePort, runStart, startEnvironment } from './platform-process.fixture';

const databases: TestDatabase[] = [];
let taken: Server;
let takenPort: number;
const scratch = mkdtempSync(path.join(tmpdir(), 'airtime-start-settings-'));

beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const address = taken.address();
  takenPort = typeof address === 'object' && address !== null ? address.port : 0;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve));
  for (const database of databases) await database.drop();
  rmSync(scratch, { recursive: true, force: true });
}, 60_000);

const tablesOf = async (database: TestDatabase): Promise<number> =>
  (
    (await database.dataSource.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`,
    )) as { n: number }[]
  )[0]?.n ?? -1;

it.each([
  ['SIMULATOR_PORT', 'API_PORT'],
  ['API_PORT', 'SIMULATOR_PORT'],
])(
  'stops on a %s in use before it writes anything to the database',
  async (takenSetting, freeSetting) => {
    const database = await createTestDatabase({ migrate: false });
    databases.push(database);
    const running = runStart({
      ...startEnvironment({
        [takenSetting]: String(takenPort),
        [freeSetting]: String(await freePort()),
        START_DATA_DIR: '/nonexistent/never-used',
      }),
      DATABASE_URL: database.config.url,
    });
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain(`[start] port ${takenPort} is in use`);
    expect(running.output()).toContain(`set ${takenSetting} to another port`);
    expect(running.output()).not.toMatch(/migrations applied|account demo|API key/);
    expect(await tablesOf(database)).toBe(0);
  },
  120_000,
);

it.each([['0'], ['']])(
  'stops with one line naming API_HOST (not API_PORT) when API_HOST is not an address of this machine (API_PORT %p)',
  async (apiPort) => {
    const running = runStart(
      startEnvironment({
        API_HOST: '192.0.2.1',
        API_PORT: apiPort,
        SIMULATOR_PORT: String(await freePort()),
        START_DATA_DIR: path.join(scratch, `host-${apiPort || 'default'}`),
      }),
    );
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain(
      '[start] API_HOST 192.0.2.1 is not an address of this machine: set API_HOST to one (127.0.0.1, 0.0.0.0, ::)\n',
    );
    expect(running.output()).not.toMatch(/API_PORT|EADDRNOTAVAIL|database|simulator listening/);
  },
  120_000,
);

it('stops with one line naming START_DATA_DIR when a part of its path is a file', async () => {
  const file = path.join(scratch, 'a-file');
  writeFileSync(file, 'not a folder');
  const dataDir = path.join(file, 'x');
  const running = runStart(startEnvironment({ START_DATA_DIR: dataDir, API_PORT: '0', SIMULATOR_PORT: '0' }));
  expect(await running.exited).toBe(1);
  expect(running.output().replace(/\((EEXIST|ENOTDIR)\)/, '(code)')).toBe(
    `[start] START_DATA_DIR ${dataDir} cannot be made: a part of that path is a file, not a folder (code); set START_DATA_DIR to a folder path\n`,
  );
}, 120_000);
