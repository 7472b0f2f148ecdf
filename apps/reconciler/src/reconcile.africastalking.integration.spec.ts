// The reconciler on Africa's Talking and engageSPARK (`--provider`): their
// own adapters, which can neither answer a status query nor list their
// transactions nor give a balance. A top-up sent to Africa's Talking (the
// use cases over PostgreSQL, the AT adapter over HTTP to a fake AT) and left
// pending past the decision deadline is listed for a decision by hand,
// never settled; the day is not matched (said so); the run calls out for
// nothing. A day with nothing at engageSPARK is UNVERIFIED, never MATCHED.
import {
  cachedProviderCatalogueLayer,
  openCustomerAccount,
  requestTopUp,
  sendAttempt,
  type ReconciliationReport,
} from '@airtime/application';
import { fundAccount } from '@airtime/application/testing';
import { TopUpRepository } from '@airtime/domain';
import { reconciliationStoreLayer } from '@airtime/persistence-postgres';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import {
  persistenceLayer,
  providerCallbackUrlsLayer,
  scaledClockLayer,
  uuidIdGeneratorLayer,
} from '@airtime/platform-runtime';
import { silentLogger } from '@airtime/platform-runtime/testing';
import { africasTalkingConfigFrom, africasTalkingProviderLayer } from '@airtime/provider-africastalking';
import {
  FAKE_AT_API_KEY,
  FAKE_AT_USERNAME,
  type FakeAfricasTalking,
  startFakeAfricasTalking,
} from '@airtime/provider-africastalking/testing';
import { Effect, Either, Layer, ManagedRuntime } from 'effect';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { yesterdayOf } from './cli/reconcile-arguments.input';
import { runReconciler } from './reconciler-app.runner';
import { reportBaseName } from './report/report-files';

const DAY_MS = 86_400_000;

describe("the reconciler on Africa's Talking and engageSPARK (--provider)", () => {
  let db: TestDatabase;
  let fakeAt: FakeAfricasTalking;
  let reports: string;
  // the day before yesterday (UTC): a top-up sent then is past the 24 h decision deadline
  const yesterday = yesterdayOf(new Date());
  const day = { from: new Date(yesterday.from.getTime() - DAY_MS), to: yesterday.from };
  const date = day.from.toISOString().slice(0, 10);
  let atEnv: Record<string, string>;
  let topUpId: string;

  beforeAll(async () => {
    [db, fakeAt] = await Promise.all([createTestDatabase({ poolSize: 4 }), startFakeAfricasTalking()]);
    reports = mkdtempSync(path.join(tmpdir(), 'reconciler-at-'));
    atEnv = {
      AFRICASTALKING_USERNAME: FAKE_AT_USERNAME,
      AFRICASTALKING_API_KEY: FAKE_AT_API_KEY,
      AFRICASTALKING_BASE_URL: fakeAt.baseUrl,
      AFRICASTALKING_AMOUNT_RANGES: 'KE:KES:10:10000',
    };
    // our books as production writes them, on a clock set to that day, 10:00
    const shiftMs = Date.now() - (day.from.getTime() + 10 * 3_600_000);
    const persistence = Layer.merge(persistenceLayer(db.dataSource), reconciliationStoreLayer(db.dataSource));
    const provider = africasTalkingProviderLayer(Either.getOrThrow(africasTalkingConfigFrom(atEnv)));
    const seeding = ManagedRuntime.make(
      Layer.mergeAll(
        persistence,
        provider,
        Layer.provide(cachedProviderCatalogueLayer(), provider),
        scaledClockLayer({ now: () => Effect.sync(() => new Date(Date.now() - shiftMs)) }),
        uuidIdGeneratorLayer(),
        providerCallbackUrlsLayer('http://127.0.0.1:9'),
      ),
    );
    try {
      topUpId = await seeding.runPromise(
        Effect.gen(function* () {
          yield* openCustomerAccount({ id: 'acme', name: 'Acme Ltd' });
          yield* fundAccount('acme', 'KES', 100_000_000n);
          const requested = yield* requestTopUp({
            external_id: 'sent-to-at',
            account_id: 'acme',
            phone_number: '+254711000111',
            currency: 'KES',
            max_amount: '100',
          });
          if (requested._tag === 'AlreadyProcessed') return yield* Effect.die('a repeated seed');
          yield* sendAttempt(requested.topUp.id);
          return requested.topUp.id;
        }),
      );
      const stored = await seeding.runPromise(
        Effect.flatMap(TopUpRepository, (topUps) => topUps.findById(topUpId as never)),
      );
      // sent and accepted: pending at AT until its callback (which never comes here)
      expect(stored).toMatchObject({
        value: {
          topUp: { status: { status: 'SUBMITTED' }, attempts: [{ providerId: 'africastalking', state: 'Pending' }] },
        },
      });
    } finally {
      await seeding.dispose();
    }
    expect(fakeAt.requests).toHaveLength(1);
  });
  afterAll(async () => {
    rmSync(reports, { recursive: true, force: true });
    await Promise.all([db?.drop(), fakeAt?.close()]);
  });

  const reconcile = async (argv: readonly string[], env: Record<string, string>) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runReconciler(
      {
        argv,
        // no DT One keys: PROVIDER's adapter is not the one reconciled
        env: { DATABASE_URL: db.config.url, RECONCILE_REPORT_DIR: reports, ...env },
        stdout: { write: (text) => stdout.push(text) },
        stderr: { isTTY: false, write: (text) => stderr.push(text) },
        now: () => new Date(),
      },
      { logger: silentLogger() },
    );
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  };
  const reportOf = (providerId: string): ReconciliationReport =>
    JSON.parse(
      readFileSync(path.join(reports, `${reportBaseName(providerId, day.from, day.to)}.json`), 'utf8'),
    ) as ReconciliationReport;

  it("lists Africa's Talking's top-ups past the deadline for a decision, never settles them, calls out for nothing", async () => {
    const outcome = await reconcile(['--provider', 'africastalking', '--date', date], atEnv);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/\nreconcile: MISMATCHES: report .+africastalking-.+\.json \(not compared: /);
    const report = reportOf('africastalking');
    expect(report).toMatchObject({
      provider: 'africastalking',
      outcome: 'MISMATCHES',
      match: { performed: false },
      counts: { settled: 0, awaitingDecision: 1 },
      settlements: [],
      awaitingDecision: [
        {
          topUpId,
          externalId: 'sent-to-at',
          status: 'SUBMITTED',
          command: expect.stringMatching(new RegExp(`^npm run admin -- top-up settle ${topUpId} --status `)),
        },
      ],
    });
    expect(report.unverified.map((item) => item.what)).toContain('transactions');
    expect(outcome.stdout).toContain(topUpId);
    // no status query, no list, no balance: nothing sent to AT beyond the seed's send
    expect(fakeAt.requests).toHaveLength(1);
  });

  it('reports a day at engageSPARK with nothing of ours UNVERIFIED (exit 1), never MATCHED', async () => {
    const outcome = await reconcile(['--provider', 'engagespark', '--date', date], {
      ENGAGESPARK_ORG_ID: 'org-1',
      ENGAGESPARK_TOKEN: 'token-1',
      ENGAGESPARK_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(outcome.code).toBe(1);
    expect(reportOf('engagespark')).toMatchObject({
      provider: 'engagespark',
      outcome: 'UNVERIFIED',
      match: { performed: false },
      counts: { ours: 0, awaitingDecision: 0 },
    });
  });
});
