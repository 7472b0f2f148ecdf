// Two runs of one window at once, in-process on one database and the DVS simulator over HTTP:
// while the first holds the window (stopped before the provider's list), the second exits 3 with
// one line and writes nothing (no report, no metrics, no run row); the first then ends with its
// report whole, the same report a later run on its own gives.
import { AirtimeProvider, transactionStatus } from '@airtime/domain';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { type ProviderLayer, providerLayerOf } from '@airtime/platform-runtime';
import { silentLogger } from '@airtime/platform-runtime/testing';
import { dvsConfigFrom } from '@airtime/provider-dtone';
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '@airtime/provider-simulator/testing';
import { Deferred, Effect, Either, Layer } from 'effect';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runReconciler, WINDOW_BUSY_LINE } from './reconciler-app.runner';

const DAY = '2026-11-20';
const BASE = 'dtone-20261120T000000Z-20261121T000000Z';

describe('two runs of one window at once', () => {
  let db: TestDatabase;
  let simulator: DvsSimulatorTestServer;
  let reports: string;

  beforeAll(async () => {
    [db, simulator] = await Promise.all([createTestDatabase({ poolSize: 2 }), startDvsSimulatorServer()]);
    // a transaction at the provider we never sent: the run has something to report
    simulator.injectTransaction({
      externalId: 'never-sent-by-us',
      productId: 101,
      creditPartyMobileNumber: '+639171234567',
      status: transactionStatus('COMPLETED').status,
      createdAtMs: Date.parse(`${DAY}T10:00:00Z`),
    });
    reports = mkdtempSync(path.join(tmpdir(), 'reconciler-busy-'));
  });
  afterAll(async () => {
    rmSync(reports, { recursive: true, force: true });
    await Promise.all([db?.drop(), simulator?.close()]);
  });

  const env = () => ({
    DATABASE_URL: db.config.url,
    DTONE_BASE_URL: simulator.baseUrl,
    DTONE_API_KEY: simulator.apiKey,
    DTONE_API_SECRET: simulator.apiSecret,
    RECONCILE_REPORT_DIR: reports,
  });

  const runWith = async (provider?: ProviderLayer) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runReconciler(
      {
        argv: ['--date', DAY],
        env: env(),
        stdout: { write: (text) => stdout.push(text) },
        stderr: { isTTY: false, write: (text) => stderr.push(text) },
        now: () => new Date(),
      },
      { logger: silentLogger(), provider },
    );
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  };

  /** The configured provider, whose transaction list waits at a gate: `reached` once asked, going on once `open`. */
  const gatedProvider = (reached: Deferred.Deferred<void>, open: Deferred.Deferred<void>): ProviderLayer => {
    const dvs = Either.getOrThrow(dvsConfigFrom(env()));
    return Layer.effect(
      AirtimeProvider,
      Effect.map(AirtimeProvider, (provider) => ({
        ...provider,
        listTransactions: (window, onPage) =>
          Deferred.succeed(reached, undefined).pipe(
            Effect.zipRight(Deferred.await(open)),
            Effect.zipRight(provider.listTransactions(window, onPage)),
          ),
      })),
    ).pipe(Layer.provide(providerLayerOf({ kind: 'simulator-http', dvs }, silentLogger())));
  };

  const reportWithoutRun = (text: string): unknown => {
    const { run: _run, ...rest } = JSON.parse(text) as Record<string, unknown>;
    return rest;
  };

  it('refuses the second with exit 3 and one line, writing nothing; the first ends with its report whole', async () => {
    const reached = Effect.runSync(Deferred.make<void>());
    const open = Effect.runSync(Deferred.make<void>());
    const first = runWith(gatedProvider(reached, open));
    await Promise.race([
      Effect.runPromise(Deferred.await(reached)),
      first.then((outcome) => {
        throw new Error(`the first run ended before asking for the provider's list: ${JSON.stringify(outcome)}`);
      }),
    ]);

    const second = await runWith();
    expect(second.code).toBe(3);
    expect(second.stdout).toBe('');
    expect(second.stderr.split('\n').filter((line) => line.startsWith('reconcile: '))).toEqual([
      `reconcile: ${WINDOW_BUSY_LINE}`,
    ]);
    expect(readdirSync(reports)).toEqual([]);
    const runRows = () =>
      db.dataSource.query(
        `SELECT id, finished_at IS NOT NULL AS finished FROM reconciliation_runs WHERE window_from = $1 ORDER BY started_at`,
        [`${DAY}T00:00:00Z`],
      ) as Promise<{ id: string; finished: boolean }[]>;
    expect(await runRows()).toEqual([{ id: expect.any(String), finished: false }]);

    await Effect.runPromise(Deferred.succeed(open, undefined));
    const firstOutcome = await first;
    expect(firstOutcome.code).toBe(1);
    expect(readdirSync(reports).sort()).toEqual([`${BASE}.json`, `${BASE}.prom`, `${BASE}.txt`]);
    const firstReport = readFileSync(path.join(reports, `${BASE}.json`), 'utf8');
    expect(JSON.parse(firstReport)).toMatchObject({
      outcome: 'MISMATCHES',
      counts: { mismatches: { MISSING_HERE: 1 } },
      mismatches: [{ kind: 'MISSING_HERE', providerExternalId: 'never-sent-by-us' }],
    });
    expect(firstOutcome.stdout).toBe(readFileSync(path.join(reports, `${BASE}.txt`), 'utf8'));
    expect(readFileSync(path.join(reports, `${BASE}.prom`), 'utf8')).toContain(
      'airtime_reconcile_outcome{provider="dtone",outcome="MISMATCHES"} 1',
    );

    // once the first has ended the window is free: a run on its own gives the same report
    const third = await runWith();
    expect(third.code).toBe(1);
    expect(reportWithoutRun(readFileSync(path.join(reports, `${BASE}.json`), 'utf8'))).toEqual(
      reportWithoutRun(firstReport),
    );
    expect((await runRows()).map((row) => row.finished)).toEqual([true, true]);
  });
});
