// npm run bench:api — the HTTP API's throughput and latency next to a bare
// Fastify route, measured in the same run at the same concurrency:
//   - a bare Fastify server with the API's server options (JSON body read,
//     JSON answer, no validation or response schema), POST /bare;
//   - POST /v1/topups (a new top-up per request: a unique Idempotency-Key,
//     requestTopUp committed in PostgreSQL, its command confirmed by
//     RabbitMQ);
//   - POST /v1/quotes (the selector over the cached catalogue; nothing written);
//   - GET /v1/topups/{id} (one top-up and its request, read back).
// The API runs in this process (its container and server, as `main.ts`
// builds them) on a fresh database from DATABASE_URL (tmp/services.env,
// removed afterwards), a RabbitMQ topology of its own (deleted afterwards)
// and the in-process DVS simulator; an account with funds and an API key
// whose rate limit is raised out of the way. autocannon fires from worker
// threads (BENCH_WORKERS), so the load generator does not share the
// server's event loop. Prints requests/s, p50 and p99 for each, and each
// one's requests/s as a share of the bare route's (aim: POST /v1/topups at
// least 40% with p99 under 50 ms).
// Settings: DATABASE_URL, AMQP_URL, BENCH_CONNECTIONS (100), BENCH_DURATION_S
// (10), BENCH_WARMUP_S (2), BENCH_WORKERS (1; 0: autocannon in the server's
// thread), BENCH_POOL_SIZE (the API's database pool, 20), BENCH_ACCOUNTS (1:
// every top-up charges one account, one hot ledger row; N: the top-ups go to
// N accounts in turn, each with its key), BENCH_ONLY (bare,topups,quotes,find).
import 'reflect-metadata';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { depositFunds, issueApiKey, openCustomerAccount } from '@airtime/application';
import { deleteTopology, testAmqpUrl, uniqueTopologyPrefix } from '@airtime/messaging-rabbitmq/testing';
import { topologyFor } from '@airtime/messaging-rabbitmq';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { silentLogger } from '@airtime/platform-runtime/testing';
import autocannon from 'autocannon';
import { Either } from 'effect';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
// the benchmark runs the API as its main.ts does (one copy of the composition); tools may not import an app
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type ApiApp, startApiApp } from '../../apps/api/src/api-app.runner';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { TOKENS } from '../../apps/api/src/composition/tokens';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { type ApiConfig, apiConfigFrom } from '../../apps/api/src/config/api.config';

const setting = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name}: expected a non-negative integer`);
  return value;
};

const CONNECTIONS = setting('BENCH_CONNECTIONS', 100);
const DURATION_S = setting('BENCH_DURATION_S', 10);
const WARMUP_S = setting('BENCH_WARMUP_S', 2);
const WORKERS = setting('BENCH_WORKERS', 1);
const POOL_SIZE = setting('BENCH_POOL_SIZE', 20);
/** Accounts (each with its key) the top-ups are spread over, in turn: 1 is one hot ledger row. */
const ACCOUNTS = Math.max(1, setting('BENCH_ACCOUNTS', 1));
const ONLY = new Set((process.env['BENCH_ONLY'] ?? 'bare,topups,quotes,find').split(','));

/** The aim of the issue: POST /v1/topups at least this share of the bare route's requests/s ... */
const AIM_SHARE = 0.4;
/** ... with its p99 under this. */
const AIM_P99_MS = 50;

const ACCOUNT = 'bench-api';
/** A Philippine number the simulator completes (no consumer sends here: nothing reaches it). */
const TOP_UP = { phone_number: '+639171234100', currency: 'PHP', max_amount: '100' };

interface Target {
  readonly name: string;
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
  /** `[<id>]` in the request (a header) is replaced by a fresh id per request. */
  readonly uniqueIds?: boolean | undefined;
  /** Headers of each request in turn (e.g. one API key per account), over `headers`. */
  readonly rotation?: readonly Readonly<Record<string, string>>[] | undefined;
}

interface Figures {
  readonly name: string;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly requests: number;
  /** Transactions committed in the API's database per request answered (undefined for the bare route). */
  readonly commitsPerRequest?: number | undefined;
}

/** One autocannon run against a target. */
const fire = async (target: Target, durationS: number): Promise<Figures> => {
  const result = await autocannon({
    url: target.url,
    method: target.method,
    headers: { ...target.headers },
    ...(target.body === undefined ? {} : { body: target.body }),
    connections: CONNECTIONS,
    duration: durationS,
    workers: WORKERS,
    idReplacement: target.uniqueIds === true,
    ...(target.rotation === undefined
      ? {}
      : { requests: target.rotation.map((headers) => ({ headers: { ...target.headers, ...headers } })) }),
  });
  return {
    name: target.name,
    perSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    requests: result.requests.total,
  };
};

/** Transactions committed in the database so far (pg_stat_database, updated by each backend a little late). */
const commitsOf = async (db: TestDatabase): Promise<number> => {
  await sleep(700);
  const [row] = (await db.dataSource.query(
    'SELECT xact_commit::bigint::text AS n FROM pg_stat_database WHERE datname = current_database()',
  )) as { n: string }[];
  return Number(row?.n ?? 0);
};

/** A warm-up run (JIT, caches, connections), then the measured one, with its commits per request when `db` is given. */
const measure = async (target: Target, db: TestDatabase | undefined): Promise<Figures> => {
  if (WARMUP_S > 0) await fire(target, WARMUP_S);
  const before = db === undefined ? 0 : await commitsOf(db);
  const fired = await fire(target, DURATION_S);
  const answered = fired.requests - fired.errors;
  const figures =
    db === undefined
      ? fired
      : { ...fired, commitsPerRequest: ((await commitsOf(db)) - before) / Math.max(1, answered) };
  console.log(
    `  ${target.name}: ${figures.perSecond.toFixed(0)} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms` +
      (figures.non2xx + figures.errors > 0 ? ` (${figures.non2xx} non-2xx, ${figures.errors} errors)` : ''),
  );
  return figures;
};

/**
 * A Fastify server with the API's server options (api.server.ts): body
 * limit, no request logging, router options, no schema validation, answers
 * by JSON.stringify; one route reading a JSON body and answering JSON.
 */
const startBareServer = async (config: ApiConfig): Promise<FastifyInstance> => {
  const bare = Fastify({
    bodyLimit: config.http.bodyLimitBytes,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 },
  });
  bare.setValidatorCompiler(() => () => true);
  bare.setSerializerCompiler(() => (data) => JSON.stringify(data));
  bare.post('/bare', async (request) => ({ ok: true, fields: Object.keys(request.body as object).length }));
  await bare.listen({ host: '127.0.0.1', port: 0 });
  return bare;
};

const urlOf = (server: FastifyInstance): string => {
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('the bare server has no TCP address');
  return `http://127.0.0.1:${address.port}`;
};

const table = (rows: readonly Figures[], bare: Figures | undefined): string => {
  const header = ['route', 'req/s', 'p50 ms', 'p99 ms', 'vs bare', 'commits/req', 'non-2xx', 'errors'];
  const lines = rows.map((row) => [
    row.name,
    row.perSecond.toFixed(0),
    String(row.p50Ms),
    String(row.p99Ms),
    bare === undefined ? '-' : `${((100 * row.perSecond) / bare.perSecond).toFixed(1)}%`,
    row.commitsPerRequest === undefined ? '-' : row.commitsPerRequest.toFixed(2),
    String(row.non2xx),
    String(row.errors),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]?.length ?? 0)),
  );
  return [header, ...lines]
    .map((line) =>
      line
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
        .join('  '),
    )
    .join('\n');
};

const main = async (): Promise<void> => {
  console.log(
    `API benchmark: ${new Date().toISOString()}, node ${process.version}, ${cpus().length} cores, ` +
      `${CONNECTIONS} connections, ${DURATION_S} s each (after ${WARMUP_S} s of warm-up), autocannon workers ${WORKERS}, ` +
      `${ACCOUNTS} account${ACCOUNTS === 1 ? '' : 's'}`,
  );
  const db: TestDatabase = await createTestDatabase({ poolSize: 2 });
  const topologyPrefix = uniqueTopologyPrefix('bench-api');
  let app: ApiApp | undefined;
  let bare: FastifyInstance | undefined;
  try {
    const config = Either.getOrThrow(
      apiConfigFrom({
        ...process.env,
        DATABASE_URL: db.config.url,
        DATABASE_POOL_SIZE: String(POOL_SIZE),
        AMQP_URL: testAmqpUrl(),
        AMQP_TOPOLOGY_PREFIX: topologyPrefix,
        API_HOST: '127.0.0.1',
        API_PORT: '0',
        API_RATE_LIMIT_PER_MINUTE: '1000000',
        MESSAGING: 'rabbitmq',
        API_WORKERS: 'false',
        PROVIDER: 'simulator',
        LOG_LEVEL: 'silent',
      }),
    );
    app = await startApiApp({ config, logger: silentLogger() });
    const runtime = await app.container.getAsync(TOKENS.runtime);
    const keys: string[] = [];
    for (let index = 1; index <= ACCOUNTS; index += 1) {
      const accountId = `${ACCOUNT}-${index}`;
      await runtime.runPromise(openCustomerAccount({ id: accountId, name: `API benchmark ${index}` }));
      await runtime.runPromise(
        depositFunds({ accountId, currency: 'USD', amount: '1000000000', depositId: `bench-api-funds-${index}` }),
      );
      const issued = await runtime.runPromise(issueApiKey({ label: `bench:api ${index}`, accountIds: [accountId] }));
      keys.push(issued.key);
    }
    const [key = ''] = keys;
    const json = { 'content-type': 'application/json', authorization: `Bearer ${key}` };

    const seed = await fetch(`${app.url}/v1/topups`, {
      method: 'POST',
      headers: { ...json, 'idempotency-key': 'bench-seed' },
      body: JSON.stringify(TOP_UP),
    });
    if (seed.status !== 202) throw new Error(`the seed top-up was answered ${seed.status}: ${await seed.text()}`);
    const seeded = (await seed.json()) as { id: string };

    bare = await startBareServer(config);
    const targets: readonly (Target & { readonly key: string })[] = [
      {
        key: 'bare',
        name: 'bare Fastify POST /bare',
        url: `${urlOf(bare)}/bare`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(TOP_UP),
      },
      {
        key: 'topups',
        name: 'POST /v1/topups',
        url: `${app.url}/v1/topups`,
        method: 'POST',
        headers: { ...json, 'idempotency-key': 'bench-[<id>]' },
        body: JSON.stringify(TOP_UP),
        uniqueIds: true,
        ...(keys.length > 1 ? { rotation: keys.map((each) => ({ authorization: `Bearer ${each}` })) } : {}),
      },
      {
        key: 'quotes',
        name: 'POST /v1/quotes',
        url: `${app.url}/v1/quotes`,
        method: 'POST',
        headers: json,
        body: JSON.stringify(TOP_UP),
      },
      {
        key: 'find',
        name: 'GET /v1/topups/{id}',
        url: `${app.url}/v1/topups/${encodeURIComponent(seeded.id)}`,
        method: 'GET',
        headers: { authorization: json.authorization },
      },
    ];
    const results: Figures[] = [];
    for (const target of targets.filter((candidate) => ONLY.has(candidate.key)))
      results.push(await measure(target, target.key === 'bare' ? undefined : db));

    const bareFigures = results.find((row) => row.name.startsWith('bare'));
    console.log(`\n${table(results, bareFigures)}`);
    const topUps = results.find((row) => row.name === 'POST /v1/topups');
    if (topUps !== undefined && bareFigures !== undefined) {
      const share = topUps.perSecond / bareFigures.perSecond;
      const [rows] = (await db.dataSource.query('SELECT count(*)::int AS count FROM top_ups')) as { count: number }[];
      console.log(
        `\nPOST /v1/topups: ${(100 * share).toFixed(1)}% of the bare route (aim >= ${100 * AIM_SHARE}%: ` +
          `${share >= AIM_SHARE ? 'met' : 'missed'}), p99 ${topUps.p99Ms} ms (aim < ${AIM_P99_MS} ms: ` +
          `${topUps.p99Ms < AIM_P99_MS ? 'met' : 'missed'}); ${rows?.count ?? 0} top-ups stored`,
      );
    }
  } finally {
    await bare?.close();
    await app?.stop();
    await deleteTopology(topologyFor(topologyPrefix)).catch(() => undefined);
    await db.drop();
  }
};

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    console.error(`bench:api failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
