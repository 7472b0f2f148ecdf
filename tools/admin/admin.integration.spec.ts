// npm run admin as an operator runs it (the script's tsx command line), on
// databases of this file's own: an account opened and funded, a credit
// limit, a key printed once that authenticates (stored only as its hash),
// listed by prefix, revoked; a pending top-up settled by hand (recorded with
// its reason and operator, the ledger following; an operator or reason the table
// cannot hold refused); an account's callback signing secret made, printed
// once and stored, a completed top-up's callback then delivered signed with
// it (a request naming a callback URL refused before it was set), --rotate replacing it; bad arguments exit 2 with the usage, refusals
// exit 3, an unmigrated database exits 1 untouched; never a stack trace or
// the database password. The first command runs through the script's tsx
// command line; the others run the same script bundled once by esbuild
// (plain node starts in a fraction of tsx's time).
import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  authenticateApiKey,
  CALLBACK_EVENT_ID_HEADER,
  CALLBACK_SIGNATURE_HEADER,
  CallbackSender,
  cachedProviderCatalogueLayer,
  deliverCallbacks,
  openCustomerAccount,
  requestTopUp,
  sendAttempt,
  verifyCallbackSignature,
} from '@airtime/application';
import {
  fundAccount,
  makeScriptedProvider,
  sampleCatalogue,
  sampleRequestInput,
  scriptedProviderLayer,
  type SendScript,
} from '@airtime/application/testing';
import { apiKeyStoreLayer, reconciliationStoreLayer } from '@airtime/persistence-postgres';
import { makeScaledClock, persistenceLayer, scaledClockLayer, uuidIdGeneratorLayer } from '@airtime/platform-runtime';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { type BundledEntry, bundleEntry } from '@airtime/platform-runtime/testing';
import { Effect, Layer } from 'effect';
import type { DataSource } from 'typeorm';

const workspaceRoot = path.resolve(__dirname, '../..');
const execute = promisify(execFile);

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let bundle: BundledEntry | undefined;

/** The script's own command line (`npm run admin`'s tsx invocation). */
const tsxCommand = (): [string, string[]] => [
  path.join(workspaceRoot, 'node_modules/.bin/tsx'),
  ['--tsconfig', 'tools/tsconfig.json', '--require', './tools/ci/services-env.js', 'tools/admin/admin.ts'],
];

/** The same script, bundled: node with services-env.js, as the tsx command line preloads it. */
const bundledCommand = (file: string): [string, string[]] => [
  process.execPath,
  ['--require', './tools/ci/services-env.js', file],
];

/** `npm run admin -- ...args` with DATABASE_URL set to `url` (through tsx when `viaTsx`, else the bundle). */
const admin = async (url: string, args: readonly string[], viaTsx = false): Promise<Outcome> => {
  const [program, prefix] = viaTsx || bundle === undefined ? tsxCommand() : bundledCommand(bundle.file);
  try {
    const { stdout, stderr } = await execute(program, [...prefix, ...args], {
      cwd: workspaceRoot,
      env: { ...process.env, DATABASE_URL: url },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
};

let database: TestDatabase;
let unmigrated: TestDatabase;

beforeAll(async () => {
  [database, unmigrated, bundle] = await Promise.all([
    createTestDatabase({ poolSize: 2 }),
    createTestDatabase({ migrate: false, poolSize: 1 }),
    bundleEntry({ entry: 'tools/admin/admin.ts', tsconfig: 'tools/tsconfig.json', name: 'admin' }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([database?.drop(), unmigrated?.drop()]);
  bundle?.dispose();
}, 60_000);

const run = (...args: string[]) => admin(database.config.url, args);

const noStackTrace = (outcome: Outcome) => expect(`${outcome.stdout}${outcome.stderr}`).not.toMatch(/\n\s+at /);

/**
 * A top-up of `accountId` requested and sent through the use cases on the
 * database, left SUBMITTED at a provider that never answers again (its cost
 * held in the ledger); its id.
 */
const pendingTopUp = (dataSource: DataSource, accountId: string, externalId: string): Promise<string> =>
  sentTopUp(dataSource, accountId, externalId, { _tag: 'Pending', status: 'SUBMITTED' });

/**
 * A top-up of `accountId` (opened and funded when it is not) requested with
 * `request`'s fields and sent through the use cases on the database, the
 * provider answering with `send`; its id.
 */
const sentTopUp = async (
  dataSource: DataSource,
  accountId: string,
  externalId: string,
  send: SendScript,
  request: Parameters<typeof sampleRequestInput>[0] = {},
): Promise<string> => {
  const provider = makeScriptedProvider({ products: sampleCatalogue, defaultSend: send });
  const providerLayer = scriptedProviderLayer(provider);
  const layer = Layer.mergeAll(
    persistenceLayer(dataSource),
    reconciliationStoreLayer(dataSource),
    providerLayer,
    Layer.provide(cachedProviderCatalogueLayer(), providerLayer),
    scaledClockLayer(makeScaledClock({ scale: 1 })),
    uuidIdGeneratorLayer(),
  );
  return Effect.runPromise(
    Effect.gen(function* () {
      yield* Effect.either(openCustomerAccount({ id: accountId, name: accountId }));
      yield* Effect.either(fundAccount(accountId, 'USD', 100_000n));
      const requested = yield* requestTopUp(
        sampleRequestInput({ ...request, account_id: accountId, external_id: externalId }),
      );
      if (requested._tag === 'AlreadyProcessed') return yield* Effect.die('unexpected repeat');
      yield* sendAttempt(requested.topUp.id);
      return requested.topUp.id;
    }).pipe(Effect.provide(layer)),
  );
};

/** A top-up's status, its hold's and how many settlements it has: what a refused settle leaves as it was. */
const settlementState = (topUpId: string) =>
  database.dataSource.query(
    `SELECT t.status, h.status AS hold, (SELECT count(*)::int FROM reconciliation_settlements s WHERE s.top_up_id = t.id) AS settlements
       FROM top_ups t JOIN ledger_holds h ON h.transaction_id = t.id WHERE t.id = $1`,
    [topUpId],
  );

interface Post {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * One run of the callbacks' dispatcher (deliverCallbacks, as the consumer's
 * scheduler runs it) on the database, its POSTs answered 204 and recorded.
 */
const deliverDueCallbacks = async (dataSource: DataSource) => {
  const posts: Post[] = [];
  const sender = Layer.succeed(CallbackSender, {
    post: (url, body, headers) =>
      Effect.sync(() => {
        posts.push({ url, body, headers });
        return { status: 204, durationMs: 1 };
      }),
  });
  const report = await Effect.runPromise(
    deliverCallbacks({ batchSize: 16 }).pipe(
      Effect.provide(
        Layer.mergeAll(persistenceLayer(dataSource), sender, scaledClockLayer(makeScaledClock({ scale: 1 }))),
      ),
    ),
  );
  return { report, posts };
};

/** A top-up's callback deliveries as recorded: tries, delivered or abandoned, the last error. */
const deliveriesOf = (topUpId: string) =>
  database.dataSource.query(
    `SELECT attempts, delivered_at IS NOT NULL AS delivered, abandoned_at IS NOT NULL AS abandoned, last_error AS error
       FROM callback_deliveries WHERE top_up_id = $1`,
    [topUpId],
  );

/** The callback signing secret as the store keeps it (none: undefined). */
const storedSecretOf = async (accountId: string): Promise<string | undefined> => {
  const rows = (await database.dataSource.query(`SELECT secret FROM account_callback_secrets WHERE account_id = $1`, [
    accountId,
  ])) as { secret: string }[];
  return rows[0]?.secret;
};

/** The secret `account callback-secret` printed (its own indented line). */
const printedSecret = (stdout: string): string => /^ {2}([0-9a-f]{64})$/m.exec(stdout)?.[1] ?? '';

describe('npm run admin', () => {
  it('opens and funds an account, sets its credit limit, and creates, lists and revokes a key', async () => {
    const opened = await admin(database.config.url, ['account', 'create', '--id', 'acme', '--name', 'Acme Ltd'], true);
    expect(opened).toMatchObject({ code: 0, stdout: 'opened account acme (Acme Ltd)\n' });

    const deposited = await run(
      'account',
      'deposit',
      '--id',
      'acme',
      '--currency',
      'USD',
      '--amount',
      '250.00',
      '--deposit-id',
      'seed-1',
    );
    expect(deposited.code).toBe(0);
    expect(deposited.stdout).toContain('deposited USD 250.00 on account acme under deposit id seed-1');
    const again = await run(
      'account',
      'deposit',
      '--id',
      'acme',
      '--currency',
      'USD',
      '--amount',
      '250.00',
      '--deposit-id',
      'seed-1',
    );
    expect(again.stdout).toContain('deposit id seed-1 was already recorded: nothing added');
    // the same deposit id in another currency is refused, and opens no ledger account (one unit of work)
    const conflicting = await run(
      'account',
      'deposit',
      '--id',
      'acme',
      '--currency',
      'KES',
      '--amount',
      '250.00',
      '--deposit-id',
      'seed-1',
    );
    expect(conflicting.code).toBe(3);
    expect(
      await database.dataSource.query(
        `SELECT currency FROM ledger_accounts WHERE account_id = 'acme' ORDER BY currency`,
      ),
    ).toEqual([{ currency: 'USD' }]);
    const made = await run('account', 'deposit', '--id', 'acme', '--currency', 'USD', '--amount', '10');
    expect(made.stdout).toMatch(/under deposit id admin-deposit-[0-9a-f-]{36}\n/);

    const limited = await run('account', 'credit-limit', '--id', 'acme', '--currency', 'USD', '--limit', '50');
    expect(limited.stdout).toContain('credit limit of account acme in USD: USD 50.00');
    const [balance] = (await database.dataSource.query(
      `SELECT available_minor::text AS available, credit_limit_minor::text AS limit
         FROM ledger_accounts WHERE account_id = 'acme' AND currency = 'USD'`,
    )) as { available: string; limit: string }[];
    expect(balance).toEqual({ available: '26000', limit: '5000' });

    const created = await run('key', 'create', '--account', 'acme', '--label', 'billing team');
    expect(created.code).toBe(0);
    const key = /^ {2}(atk_[0-9a-f]{12}_[A-Za-z0-9_-]+)$/m.exec(created.stdout)?.[1] ?? '';
    const keyId = /^API key (\S+) \(billing team\) for acme:/.exec(created.stdout)?.[1] ?? '';
    expect(key).not.toBe('');
    const stored = JSON.stringify(await database.dataSource.query('SELECT * FROM api_keys'));
    const secret = key.slice('atk_'.length + 13);
    expect(secret.length).toBeGreaterThan(20);
    expect(stored).not.toContain(secret);
    const principal = await Effect.runPromise(
      authenticateApiKey(key).pipe(Effect.provide(apiKeyStoreLayer(database.dataSource))),
    );
    expect(principal).toEqual({ keyId, accountIds: ['acme'] });

    const listed = await run('key', 'list', '--account', 'acme');
    expect(listed.stdout).toContain(`${keyId}  atk_${key.split('_')[1]}_…  "billing team"  acme  created `);
    expect(listed.stdout).not.toContain(key);

    const revoked = await run('key', 'revoke', '--key-id', keyId);
    expect(revoked).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^revoked API key \S+ \(billing team\) at /),
    });
    const refused = await Effect.runPromise(
      Effect.either(authenticateApiKey(key).pipe(Effect.provide(apiKeyStoreLayer(database.dataSource)))),
    );
    expect(refused).toMatchObject({ left: { _tag: 'ApiKeyRefused' } });
    expect((await run('key', 'list', '--account', 'acme')).stdout).toContain('  revoked ');
  }, 120_000);

  it('exits 2 with the usage for bad arguments and values, naming the flag, never the value', async () => {
    for (const args of [
      ['account', 'create', '--id', 'acme'],
      ['account', 'wipe'],
      ['account', 'deposit', '--id', 'acme', '--currency', 'USD', '--amount', '-5.123'],
      ['account', 'deposit', '--id', 'acme', '--currency', 'usd', '--amount', '5'],
      ['key', 'create', '--account', 'acme', '--label', ' '],
    ]) {
      const outcome = await run(...args);
      expect({ args, code: outcome.code }).toEqual({ args, code: 2 });
      expect(outcome.stderr).toMatch(/^admin: /);
      expect(outcome.stderr).toContain('npm run admin -- account create');
      expect(outcome.stderr).not.toContain('-5.123');
      noStackTrace(outcome);
    }
    expect((await run('account', 'deposit', '--id', 'acme', '--currency', 'USD', '--amount', '0')).stderr).toMatch(
      /^admin: --amount: /,
    );
  }, 120_000);

  it('exits 3 for refusals: unknown account or key, another name, a deposit id with another amount', async () => {
    await run('account', 'create', '--id', 'globex', '--name', 'Globex');
    await run('account', 'deposit', '--id', 'globex', '--currency', 'USD', '--amount', '5', '--deposit-id', 'g-1');
    const cases: readonly [readonly string[], RegExp][] = [
      [['account', 'create', '--id', 'globex', '--name', 'Other'], /another name/],
      [['account', 'deposit', '--id', 'nobody', '--currency', 'USD', '--amount', '5'], /no such account/],
      [
        ['account', 'deposit', '--id', 'globex', '--currency', 'USD', '--amount', '6', '--deposit-id', 'g-1'],
        /USD 5\.00/,
      ],
      [['key', 'create', '--account', 'globex', '--account', 'nobody', '--label', 'x'], /no such account/],
      [['key', 'revoke', '--key-id', 'no-such-key'], /no API key with this id/],
      [['key', 'list', '--account', 'nobody'], /no such account/],
    ];
    for (const [args, message] of cases) {
      const outcome = await run(...args);
      expect({ args, code: outcome.code }).toEqual({ args, code: 3 });
      expect(outcome.stderr).toMatch(/^admin: refused: /);
      expect(outcome.stderr).toMatch(message);
      noStackTrace(outcome);
    }
  }, 120_000);

  it('exits 1 on an unmigrated database, leaving it as it is, with the advice to migrate and no password', async () => {
    const outcome = await admin(unmigrated.config.url, ['account', 'create', '--id', 'acme', '--name', 'Acme']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('run npm run db:migrate first');
    const tables = (await unmigrated.dataSource.query(
      `SELECT count(*)::int AS count FROM information_schema.tables WHERE table_schema = 'public'`,
    )) as { count: number }[];
    expect(tables[0]?.count).toBe(0);
    const password = new URL(unmigrated.config.url).password;
    if (password !== '') expect(outcome.stderr).not.toContain(password);
    noStackTrace(outcome);
  }, 60_000);

  it('refuses an open top-up no reconciliation run has listed as awaiting a decision: exit 3 naming --force, nothing written', async () => {
    // before: settled at once, though the provider could still deliver it (a DECLINED then voided a hold
    // whose airtime DT One completed minutes later, unseen)
    const topUpId = await pendingTopUp(database.dataSource, 'settle-co', 'order-settle-5');
    const before = await settlementState(topUpId);
    const refused = await run('top-up', 'settle', topUpId, '--status', 'DECLINED', '--reason', 'looks failed');
    expect(refused).toMatchObject({ code: 3, stdout: '' });
    expect(refused.stderr).toMatch(
      /^admin: refused: the top-up is still open \(SUBMITTED\) and the latest reconciliation run of its provider does not list it as awaiting a decision: .* repeat with --force\n$/,
    );
    expect(await settlementState(topUpId)).toEqual(before);
    noStackTrace(refused);
  }, 120_000);

  it('settles a pending top-up by hand (--force): recorded with its reason and operator, the ledger following; then refuses it', async () => {
    const topUpId = await pendingTopUp(database.dataSource, 'settle-co', 'order-settle-1');
    const settled = await run(
      'top-up',
      'settle',
      topUpId,
      '--status',
      'COMPLETED',
      '--reason',
      'confirmed by the provider support, ticket 4411',
      '--operator',
      'amina',
      '--force',
    );
    expect(settled).toMatchObject({ code: 0, stderr: '' });
    expect(settled.stdout.split('\n')).toEqual([
      `settled top-up ${topUpId}: SUBMITTED -> COMPLETED by operator amina`,
      'reason: confirmed by the provider support, ticket 4411',
      expect.stringMatching(new RegExp(`^top-up ${topUpId} is now COMPLETED \\(settlement \\S+, APPLIED\\)$`)),
      '',
    ]);
    expect(
      await database.dataSource.query(
        `SELECT t.status, h.status AS hold, s.actor, s.operator, s.reason, s.from_status, s.to_status, s.state
           FROM top_ups t JOIN ledger_holds h ON h.transaction_id = t.id
           JOIN reconciliation_settlements s ON s.top_up_id = t.id WHERE t.id = $1`,
        [topUpId],
      ),
    ).toEqual([
      {
        status: 'COMPLETED',
        hold: 'CAPTURED',
        actor: 'operator',
        operator: 'amina',
        reason: 'confirmed by the provider support, ticket 4411',
        from_status: 'SUBMITTED',
        to_status: 'COMPLETED',
        state: 'APPLIED',
      },
    ]);

    const again = await run('top-up', 'settle', topUpId, '--status', 'DECLINED', '--reason', 'second thoughts');
    expect(again.code).toBe(3);
    expect(again.stderr).toBe(
      'admin: refused: the top-up is already COMPLETED: a final status changes only from COMPLETED to REVERSED\n',
    );
    // a well-formed id of no top-up is a refusal (exit 3); one that is no id at all is a usage error (exit 2, below)
    const unknown = await run(
      'top-up',
      'settle',
      '01a22f3d-0a3a-757f-b386-627882829940',
      '--status',
      'COMPLETED',
      '--reason',
      'x',
    );
    expect(unknown).toMatchObject({ code: 3, stderr: 'admin: refused: no top-up with this id\n' });
    const badStatus = await run('top-up', 'settle', topUpId, '--status', 'PENDING', '--reason', 'x');
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toMatch(/^admin: --status: /);
    noStackTrace(badStatus);
  }, 120_000);

  it('refuses a TOP_UP_ID that is no UUID: exit 2, one line naming it and its shape, then the usage; nothing written', async () => {
    // before: 'refused: no top-up with this id' (exit 3), as if the id had been looked up and found missing
    const topUpId = await pendingTopUp(database.dataSource, 'settle-co', 'order-settle-6');
    const before = await settlementState(topUpId);
    const settlements = () =>
      database.dataSource.query(`SELECT count(*)::int AS n FROM reconciliation_settlements`) as Promise<unknown>;
    const settlementsBefore = await settlements();
    for (const given of ['abc', `${topUpId.slice(0, -1)}g`, `${topUpId}0`, 'y'.repeat(300)]) {
      const refused = await run('top-up', 'settle', given, '--status', 'COMPLETED', '--reason', 'x', '--force');
      expect({ given, code: refused.code, stdout: refused.stdout }).toEqual({ given, code: 2, stdout: '' });
      const [first, ...usage] = refused.stderr.split('\n');
      expect(first).toBe(
        'admin: top-up settle: TOP_UP_ID must be a top-up id: a UUID, 32 hexadecimal digits in groups of 8-4-4-4-12 (any letter case)',
      );
      expect(usage.join('\n')).toContain('npm run admin -- top-up settle TOP_UP_ID');
      expect(refused.stderr).not.toContain('y'.repeat(50));
      noStackTrace(refused);
    }
    expect(await settlementState(topUpId)).toEqual(before);
    expect(await settlements()).toEqual(settlementsBefore);
  }, 120_000);

  it('refuses a reason with control characters or over 500 characters: exit 2, one line, nothing written', async () => {
    const topUpId = await pendingTopUp(database.dataSource, 'settle-co', 'order-settle-3');
    const state = () => settlementState(topUpId);
    const before = await state();
    expect(before).toEqual([{ status: 'SUBMITTED', hold: 'HELD', settlements: 0 }]);
    for (const reason of ['paid \u001b[2J\u001b[31mCOMPLETED', 'line\rover', 'x'.repeat(501), 'paid \u202eDETELPMOC']) {
      const refused = await run('top-up', 'settle', topUpId, '--status', 'COMPLETED', '--reason', reason);
      expect(refused).toMatchObject({ code: 2, stdout: '' });
      // the one line, then the usage (as for every bad argument); never the value
      const [first, ...usage] = refused.stderr.split('\n');
      expect(first).toBe(
        'admin: --reason: 1 to 500 characters, no control or invisible format characters but tab and line feed; nothing was recorded',
      );
      expect(usage.join('\n')).toContain('npm run admin -- top-up settle TOP_UP_ID');
      expect(refused.stderr).not.toContain('\u001b');
      expect(refused.stderr).not.toContain('x'.repeat(50));
    }
    expect(await state()).toEqual(before);
  }, 120_000);

  it('refuses an --operator the settlements table cannot hold: exit 2 naming --operator, nothing written; takes a plain space inside at 100 characters', async () => {
    // before: each passed the 1..100 check and broke the table's CHECK (identifier_is_valid(operator, 100, true)):
    // exit 1, 'run the command again', which could never succeed
    const topUpId = await pendingTopUp(database.dataSource, 'settle-co', 'order-settle-4');
    const state = () => settlementState(topUpId);
    const before = await state();
    expect(before).toEqual([{ status: 'SUBMITTED', hold: 'HELD', settlements: 0 }]);
    const settle = (operator: string) =>
      run(
        'top-up',
        'settle',
        topUpId,
        '--status',
        'COMPLETED',
        '--reason',
        'confirmed',
        '--operator',
        operator,
        '--force',
      );
    // a no-break space, a tab, a zero-width space, a right-to-left override inside; a combining mark first
    for (const operator of ['amina\u00a0k', 'amina\tk', 'ami\u200bna', 'amina\u202ek', '\u0301amina']) {
      const refused = await settle(operator);
      expect(refused).toMatchObject({ code: 2, stdout: '' });
      expect(refused.stderr.split('\n')[0]).toMatch(
        /^admin: --operator: 1 to 100 characters .*; nothing was recorded$/,
      );
      expect(refused.stderr).not.toContain(operator);
    }
    expect(await state()).toEqual(before);
    const operator = `amina ${'k'.repeat(94)}`;
    expect((await settle(operator)).code).toBe(0);
    expect(
      await database.dataSource.query(`SELECT operator FROM reconciliation_settlements WHERE top_up_id = $1`, [
        topUpId,
      ]),
    ).toEqual([{ operator }]);
  }, 120_000);

  it('makes a callback signing secret, printed once and stored: callbacks are then delivered signed with it; --rotate replaces it', async () => {
    const hooks = { callback_url: 'https://hooks-co.example/hooks/topups' };
    const complete: SendScript = { _tag: 'Complete' };
    // no secret yet: a request naming a callback URL is refused (CallbackSecretMissing), nothing written
    const topUpsBefore = await database.dataSource.query(`SELECT count(*)::int AS n FROM top_ups`);
    await expect(sentTopUp(database.dataSource, 'hooks-co', 'order-cb-1', complete, hooks)).rejects.toThrow(
      'no callback signing secret',
    );
    expect(await database.dataSource.query(`SELECT count(*)::int AS n FROM top_ups`)).toEqual(topUpsBefore);

    const made = await run('account', 'callback-secret', '--id', 'hooks-co');
    expect(made).toMatchObject({ code: 0, stderr: '' });
    expect(made.stdout).toMatch(/^callback signing secret of account hooks-co:\n/);
    const secret = printedSecret(made.stdout);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(await storedSecretOf('hooks-co')).toBe(secret);

    // again without --rotate: refused, the secret kept and not shown
    const again = await run('account', 'callback-secret', '--id', 'hooks-co');
    expect(again).toMatchObject({ code: 3, stdout: '' });
    expect(again.stderr).toBe(
      'admin: refused: the account already has a callback signing secret, which its receivers check: nothing was changed (give --rotate to replace it)\n',
    );
    expect(await storedSecretOf('hooks-co')).toBe(secret);

    // the same request is taken now, and its callback is POSTed signed with the printed secret
    const signed = await sentTopUp(database.dataSource, 'hooks-co', 'order-cb-1', complete, hooks);
    const after = await deliverDueCallbacks(database.dataSource);
    expect(after.report).toMatchObject({ claimed: 1, delivered: 1, abandoned: 0 });
    const [post] = after.posts;
    if (post === undefined) throw new Error('expected a POST');
    expect(post.url).toBe(hooks.callback_url);
    expect(JSON.parse(post.body)).toMatchObject({
      id: post.headers[CALLBACK_EVENT_ID_HEADER],
      type: 'topup.completed',
    });
    expect(
      verifyCallbackSignature(secret, post.headers[CALLBACK_SIGNATURE_HEADER], post.body, Date.now()),
    ).toMatchObject({ valid: true });
    expect(await deliveriesOf(signed)).toEqual([{ attempts: 1, delivered: true, abandoned: false, error: null }]);

    // --rotate: a new secret signs what comes next; the previous one no longer verifies
    const rotated = await run('account', 'callback-secret', '--id', 'hooks-co', '--rotate');
    expect(rotated).toMatchObject({ code: 0, stderr: '' });
    expect(rotated.stdout).toMatch(
      /^new callback signing secret of account hooks-co \(it replaces the previous one\):\n/,
    );
    const next = printedSecret(rotated.stdout);
    expect(next).toMatch(/^[0-9a-f]{64}$/);
    expect(next).not.toBe(secret);
    expect(rotated.stdout).not.toContain(secret);
    expect(await storedSecretOf('hooks-co')).toBe(next);
    await sentTopUp(database.dataSource, 'hooks-co', 'order-cb-3', complete, hooks);
    const [third] = (await deliverDueCallbacks(database.dataSource)).posts;
    if (third === undefined) throw new Error('expected a POST');
    const header = third.headers[CALLBACK_SIGNATURE_HEADER];
    expect(verifyCallbackSignature(next, header, third.body, Date.now())).toMatchObject({ valid: true });
    expect(verifyCallbackSignature(secret, header, third.body, Date.now())).toEqual({
      valid: false,
      reason: 'mismatch',
    });

    // an account not in the directory: refused, nothing stored
    const unknown = await run('account', 'callback-secret', '--id', 'nobody', '--rotate');
    expect(unknown).toMatchObject({ code: 3, stdout: '' });
    expect(unknown.stderr).toMatch(/^admin: refused: no such account/);
    expect(await storedSecretOf('nobody')).toBeUndefined();
    noStackTrace(unknown);
  }, 120_000);

  it('records the login name as the operator when --operator is not given', async () => {
    const topUpId = await pendingTopUp(database.dataSource, 'settle-co', 'order-settle-2');
    const settled = await run(
      'top-up',
      'settle',
      topUpId,
      '--status',
      'declined',
      '--reason',
      'the provider lost it',
      '--force',
    );
    expect(settled.code).toBe(0);
    const [row] = (await database.dataSource.query(
      `SELECT s.operator, t.status, h.status AS hold FROM reconciliation_settlements s
         JOIN top_ups t ON t.id = s.top_up_id JOIN ledger_holds h ON h.transaction_id = t.id WHERE s.top_up_id = $1`,
      [topUpId],
    )) as { operator: string; status: string; hold: string }[];
    expect(row).toEqual({ operator: userInfo().username, status: 'DECLINED', hold: 'VOIDED' });
  }, 120_000);
});
