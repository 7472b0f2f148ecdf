// npm run bench:consumer — top-ups per second from publish to final status
// through the consumer (a child process of plain node, as in production),
// next to the broker's own publish-to-consume rate measured in the same
// run on the same queue type with the same messages (v1 top-up commands,
// publisher confirms), plus the consumer's RSS:
//   1. broker: commands published with confirms to the commands queue (a
//      quorum queue) and consumed and acked by a bare amqplib consumer;
//   2. consumer, in-process simulator, zero latency;
//   3. consumer, DVS simulator over HTTP answering after 3 s, many in flight.
// Each consumer run prints its phases (every command a top-up, every first
// send answered, every top-up final), the sends in flight at most, RSS and
// V8 heap, CPU of the consumer and of PostgreSQL per top-up, transactions
// (pg_stat_database's commits: units of work and single reads alike) and WAL
// flushes (pg_stat_wal) per top-up, and the fault specs' checks on the run.
// Settings: DATABASE_URL (server), AMQP_URL, BENCH_ONLY (broker,fast,slow),
// BENCH_BROKER_MESSAGES (5000), BENCH_FAST_TOP_UPS (2000), BENCH_PREFETCH
// (fast run; default the consumer's 50), BENCH_SLOW_TOP_UPS (1500),
// BENCH_SLOW_PREFETCH (2000), BENCH_LATENCY_MS (3000),
// BENCH_PROVIDER_TIMEOUT_MS, BENCH_STALLED_AFTER_MS, BENCH_SLOW_POOL_SIZE
// (20), BENCH_SLOW_TIMEOUT_MS (180000), BENCH_CONSUMER_ENTRY (bundle: main.ts
// bundled by esbuild; build: tsc's dist/apps/consumer/main.js, made by
// `npm run consumer:build`), BENCH_CONSUMER_NODE_ARGS (e.g.
// "--max-old-space-size=200"). The consumer's write-path bounds (its
// runtime variables UNIT_OF_WORK_*, LEDGER_BATCH_*, COMMAND_BATCH_MAX and CHANGE_BATCH_MAX) are
// passed to both consumer runs when set, and printed; the consumer checks them at its start.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { deleteTopology, testAmqpUrl, uniqueTopologyPrefix } from '@airtime/messaging-rabbitmq/testing';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { RUNTIME_VARIABLES } from '@airtime/platform-runtime';
import { startSimulatorServer } from '@airtime/provider-simulator';
import * as amqp from 'amqplib';
// the benchmark drives the consumer through the fault specs' harness (one copy); tools may not import an app
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  builtConsumerEntry,
  bundledConsumerEntry,
  type ConsumerEntry,
  type ConsumerProcess,
  killStartedConsumers,
  startConsumerProcess,
} from '../../apps/consumer/src/faults/consumer-process.fixture';
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  doubleSends,
  ledgerViolations,
  lostTopUps,
  type ProviderSideTransaction,
  resendsWithoutStatusQuery,
} from '../../apps/consumer/src/faults/top-up-flow.queries';
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  FINAL_STATUS_CLASSES,
  openTopUpWorld,
  topUpCommandBatch,
  type TopUpWorld,
} from '../../apps/consumer/src/faults/top-up-world.fixture';

const setting = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name}: expected a non-negative number`);
  return value;
};

const BROKER_MESSAGES = setting('BENCH_BROKER_MESSAGES', 5_000);
const FAST_TOP_UPS = setting('BENCH_FAST_TOP_UPS', 2_000);
const SLOW_TOP_UPS = setting('BENCH_SLOW_TOP_UPS', 1_500);
const LATENCY_MS = setting('BENCH_LATENCY_MS', 3_000);
const FAST_PREFETCH = process.env['BENCH_PREFETCH'];
const SLOW_PREFETCH = setting('BENCH_SLOW_PREFETCH', 2_000);
const SLOW_TIMEOUT_MS = setting('BENCH_SLOW_TIMEOUT_MS', 180_000);
const SLOW_POOL_SIZE = setting('BENCH_SLOW_POOL_SIZE', 20);
/** Node flags of the consumer process, e.g. `--max-old-space-size=200` (default none). */
const CONSUMER_NODE_ARGS = (process.env['BENCH_CONSUMER_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
const ONLY = new Set((process.env['BENCH_ONLY'] ?? 'broker,fast,slow').split(','));
const ACCOUNT = 'bench-account';
/**
 * The send's answer is the provider's acceptance (CONFIRMED); the final
 * status comes from a status query once the top-up has waited
 * STALLED_AFTER_MS (no provider callbacks reach the consumer), so the loops
 * run often, take big batches and run up to 256 status queries at once (the
 * default SCHEDULER_CONCURRENCY of 8 let the slow run finish 8 top-ups per
 * latency, and the fast run's final phase wait on its commits). A top-up counts as stalled only after its
 * send has surely ended (answered or timed out): the slow run's provider
 * timeout is BENCH_PROVIDER_TIMEOUT_MS (default latency + 5 s), its stalled
 * time BENCH_STALLED_AFTER_MS (default that timeout + 2 s). With a thousand
 * commands at once, waiting for one of the pool's connections counts against
 * DATABASE_CONNECT_TIMEOUT_MS (pg's connectionTimeoutMillis, default 5 s):
 * the slow run gives the pool BENCH_SLOW_POOL_SIZE connections (20) and 60 s.
 */
const SCHEDULER = { SCHEDULER_INTERVAL_MS: '100', SCHEDULER_BATCH_SIZE: '500', SCHEDULER_CONCURRENCY: '256' };
/** The consumer's write-path bounds, from this process's environment when set, as they are (the consumer checks them). */
const WRITE_PATH_BOUNDS: Readonly<Record<string, string>> = Object.fromEntries(
  RUNTIME_VARIABLES.filter(
    (name) =>
      name.startsWith('UNIT_OF_WORK_') ||
      name.startsWith('LEDGER_BATCH_') ||
      name === 'COMMAND_BATCH_MAX' ||
      name === 'CHANGE_BATCH_MAX',
  ).flatMap((name) => {
    const value = process.env[name];
    return value === undefined ? [] : [[name, value]];
  }),
);
const FAST_STALLED_AFTER_MS = 1_000;
const PROVIDER_TIMEOUT_MS = setting('BENCH_PROVIDER_TIMEOUT_MS', LATENCY_MS + 5_000);
const SLOW_STALLED_AFTER_MS = setting('BENCH_STALLED_AFTER_MS', PROVIDER_TIMEOUT_MS + 2_000);

const MB = 1024 * 1024;

/** Rejects on Ctrl-C or SIGTERM, so that the run stops and still cleans up (consumers, topologies, database). */
const interrupted = new Promise<never>((_, reject) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => reject(new Error(`${signal}: interrupted`)));
  }
});
interrupted.catch(() => undefined);
const unlessInterrupted = <A>(work: Promise<A>): Promise<A> => Promise.race([work, interrupted]);
const seconds = (startedAt: bigint): number => Number(process.hrtime.bigint() - startedAt) / 1e9;

/** Samples `sample` every `everyMs` until `stop()`; keeps the peak. */
const peakOf = (sample: () => number | undefined, everyMs = 200) => {
  let peak = 0;
  let last: number | undefined;
  const timer = setInterval(() => {
    const value = sample();
    if (value === undefined) return;
    last = value;
    peak = Math.max(peak, value);
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return { peak, last };
    },
  };
};

interface BrokerFigures {
  readonly messages: number;
  readonly bytes: number;
  readonly publishPerSecond: number;
  readonly endToEndPerSecond: number;
}

/** Phase 1: the broker alone (publisher confirms, quorum queue, a bare consumer acking each message). */
const measureBroker = async (world: TopUpWorld): Promise<BrokerFigures> => {
  const commands = topUpCommandBatch({ accountId: ACCOUNT, prefix: 'broker', count: BROKER_MESSAGES });
  const connection = await amqp.connect(world.amqpUrl);
  const channel = await connection.createChannel();
  await channel.prefetch(500);
  let consumed = 0;
  let bytes = 0;
  let allConsumed: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    allConsumed = resolve;
  });
  await channel.consume(world.topology.queues.topUpCommands.name, (message) => {
    if (message === null) return;
    bytes = message.content.length;
    channel.ack(message);
    consumed += 1;
    if (consumed === commands.length) allConsumed();
  });
  const startedAt = process.hrtime.bigint();
  await world.publish(commands);
  const publishSeconds = seconds(startedAt);
  await done;
  const totalSeconds = seconds(startedAt);
  await channel.close();
  await connection.close();
  return {
    messages: commands.length,
    bytes,
    publishPerSecond: commands.length / publishSeconds,
    endToEndPerSecond: commands.length / totalSeconds,
  };
};

interface ConsumerFigures {
  readonly label: string;
  readonly topUps: number;
  /** From the first publish until every top-up is final. */
  readonly seconds: number;
  readonly perSecond: number;
  /** Until every command became a top-up, and until every top-up's first send was answered. */
  readonly createdSeconds: number | undefined;
  readonly answeredSeconds: number | undefined;
  readonly counts: Readonly<Record<string, number>>;
  readonly peakInFlight: number;
  readonly peakRssBytes: number;
  readonly idleRssBytes: number;
  /** The V8 heap in use (prom-client's nodejs_heap_size_used_bytes), sampled every second. */
  readonly peakHeapUsedBytes: number;
  /** CPU seconds the consumer used during the run, and the machine's busy share (all cores) then. */
  readonly consumerCpuSeconds: number;
  /** CPU seconds of every PostgreSQL process during the run (other databases' work included). */
  readonly postgresCpuSeconds: number;
  /**
   * Transactions committed in the bench's database during the run
   * (pg_stat_database.xact_commit): units of work, and each statement run
   * outside one (a read) alike; the sampler's own queries included.
   */
  readonly commits: number;
  /** WAL flushes of the whole server during the run (pg_stat_wal.wal_sync): what durable commits cost; none where the view is missing. */
  readonly walSyncs: number | undefined;
  readonly machineBusyShare: number;
  readonly done: boolean;
  /** The fault specs' checks on the run (nothing lost, sent twice or resent blindly; books balanced). */
  readonly violations: Readonly<Record<string, readonly string[]>>;
  /** The consumer's warnings and errors (kept lines), counted by message and code. */
  readonly logSummary: string;
}

/** Warning and error lines counted by message (and code or reason kind), most frequent first. */
const summarizeLog = (lines: readonly string[]): string => {
  const counts = new Map<string, { n: number; sample: string }>();
  for (const line of lines) {
    if (!line.includes('"level":"warn"') && !line.includes('"level":"error"')) continue;
    let key = '(unparsed line)';
    let sample = '';
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      key = `${String(record['msg'])}${record['code'] === undefined ? '' : ` [${String(record['code'])}]`}`;
      sample = String(record['reason'] ?? record['failure'] ?? '').slice(0, 160);
    } catch {
      // counted as unparsed
    }
    const entry = counts.get(key) ?? { n: 0, sample };
    counts.set(key, { n: entry.n + 1, sample: entry.sample || sample });
  }
  return [...counts.entries()]
    .sort((a, b) => b[1].n - a[1].n)
    .slice(0, 8)
    .map(([key, { n, sample }]) => `${n}x ${key}${sample === '' ? '' : ` (e.g. ${sample})`}`)
    .join('; ');
};

/** The consumer's V8 heap in use now, from its /metrics. */
const heapUsedOf = async (metricsUrl: string): Promise<number | undefined> => {
  try {
    const text = await (await fetch(`${metricsUrl}/metrics`)).text();
    const match = /^airtime_consumer_nodejs_heap_size_used_bytes (\d+(?:\.\d+)?)$/m.exec(text);
    return match === null ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
};

/** Busy and total jiffies of all cores (/proc/stat). */
const machineJiffies = (): { busy: number; total: number } => {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
};

/** CPU seconds used so far by every process whose command name is `name` (e.g. PostgreSQL's backends). */
const cpuSecondsOf = (name: string): number => {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes(`(${name})`)) continue;
      const fields = stat.split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100;
};

/** Transactions committed in the bench's database so far (pg_stat_database). */
const commitsOf = async (world: TopUpWorld): Promise<number> => {
  const [row] = (await world.database.dataSource.query(
    'SELECT xact_commit::bigint::text AS n FROM pg_stat_database WHERE datname = current_database()',
  )) as { n: string }[];
  return Number(row?.n ?? 0);
};

/** WAL flushes of the server so far (pg_stat_wal, PostgreSQL 14 and later); undefined where it cannot be read. */
const walSyncsOf = async (world: TopUpWorld): Promise<number | undefined> => {
  try {
    const [row] = (await world.database.dataSource.query('SELECT wal_sync::bigint::text AS n FROM pg_stat_wal')) as {
      n: string;
    }[];
    return row === undefined ? undefined : Number(row.n);
  } catch {
    return undefined;
  }
};

interface Progress {
  readonly topUps: number;
  readonly answered: number;
  readonly inFlight: number;
}

/** Top-ups of the account, those whose first send was answered (past CREATED), and sends awaiting an answer now. */
const progressOf = async (world: TopUpWorld, accountId: string): Promise<Progress> => {
  const [row] = (await world.database.dataSource.query(
    `SELECT count(*)::int AS top_ups,
            count(*) FILTER (WHERE status_class <> 'CREATED')::int AS answered,
            (SELECT count(*) FROM top_up_attempts WHERE state = 'InFlight')::int AS in_flight
       FROM top_ups WHERE account_id = $1`,
    [accountId],
  )) as { top_ups: number; answered: number; in_flight: number }[];
  return { topUps: row?.top_ups ?? 0, answered: row?.answered ?? 0, inFlight: row?.in_flight ?? 0 };
};

/** Phases 2 and 3: one consumer process, `count` commands published at once, until every top-up is final. */
const measureConsumer = async (
  label: string,
  world: TopUpWorld,
  entry: ConsumerEntry,
  env: Readonly<Record<string, string>>,
  count: number,
  timeoutMs: number,
  /** The provider's transactions, when the provider runs here (the simulator's HTTP server). */
  providerTransactions?: () => readonly ProviderSideTransaction[],
): Promise<ConsumerFigures> => {
  const consumer: ConsumerProcess = startConsumerProcess({
    entry,
    name: label,
    env: world.consumerEnv(env),
    keepLines: 50_000,
    nodeArgs: CONSUMER_NODE_ARGS,
  });
  await unlessInterrupted(consumer.ready);
  await sleep(500);
  const idleRssBytes = consumer.rssBytes() ?? 0;
  const rss = peakOf(() => consumer.rssBytes());
  const metricsUrl = await consumer.ready;
  let peakHeapUsedBytes = 0;
  const heapTimer = setInterval(() => {
    void heapUsedOf(metricsUrl).then((bytes) => {
      peakHeapUsedBytes = Math.max(peakHeapUsedBytes, bytes ?? 0);
    });
  }, 1_000);
  const accountId = `${ACCOUNT}-${label}`;
  await world.fund(accountId, 'USD', '100000000');
  const commands = topUpCommandBatch({ accountId, prefix: label, count });
  let startedAt = process.hrtime.bigint();
  let peakInFlight = 0;
  let createdSeconds: number | undefined;
  let answeredSeconds: number | undefined;
  let sampling = true;
  let logSummary = '';
  const sampler = (async () => {
    while (sampling) {
      const progress = await progressOf(world, accountId).catch(() => undefined);
      if (progress !== undefined) {
        peakInFlight = Math.max(peakInFlight, progress.inFlight);
        if (createdSeconds === undefined && progress.topUps >= count) createdSeconds = seconds(startedAt);
        if (answeredSeconds === undefined && progress.answered >= count) answeredSeconds = seconds(startedAt);
      }
      await sleep(250);
    }
  })();
  try {
    const cpuBefore = consumer.cpuSeconds() ?? 0;
    const postgresBefore = cpuSecondsOf('postgres');
    const commitsBefore = await commitsOf(world);
    const walSyncsBefore = await walSyncsOf(world);
    const machineBefore = machineJiffies();
    startedAt = process.hrtime.bigint();
    await unlessInterrupted(world.publish(commands));
    const result = await unlessInterrupted(world.waitForFinal(accountId, count, timeoutMs));
    const elapsed = seconds(startedAt);
    const machineAfter = machineJiffies();
    const postgresCpuSeconds = cpuSecondsOf('postgres') - postgresBefore;
    // pg_stat_database is updated by each backend at the end of its transactions, a little late
    await sleep(1_000);
    const commits = (await commitsOf(world)) - commitsBefore;
    const walSyncsAfter = await walSyncsOf(world);
    const walSyncs =
      walSyncsBefore === undefined || walSyncsAfter === undefined ? undefined : walSyncsAfter - walSyncsBefore;
    logSummary = summarizeLog(consumer.lines());
    const externalIds = commands.map((message) => (message.command as { external_id: string }).external_id);
    const { dataSource } = world.database;
    const violations = {
      lost: await lostTopUps(dataSource, accountId, externalIds),
      ledger: await ledgerViolations(dataSource),
      ...(providerTransactions === undefined
        ? {}
        : {
            sentTwice: await doubleSends(dataSource, accountId, externalIds, providerTransactions()),
            resentBlindly: await resendsWithoutStatusQuery(dataSource, accountId, providerTransactions()),
          }),
    };
    return {
      label,
      topUps: count,
      seconds: elapsed,
      perSecond: count / elapsed,
      createdSeconds,
      answeredSeconds,
      counts: result.counts,
      peakInFlight,
      peakRssBytes: rss.stop().peak,
      peakHeapUsedBytes,
      idleRssBytes,
      consumerCpuSeconds: (consumer.cpuSeconds() ?? cpuBefore) - cpuBefore,
      postgresCpuSeconds,
      commits,
      walSyncs,
      machineBusyShare:
        (machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total),
      done: result.done,
      violations,
      logSummary,
    };
  } finally {
    sampling = false;
    clearInterval(heapTimer);
    rss.stop();
    await sampler;
    await consumer.stop(30_000);
  }
};

const main = async (): Promise<void> => {
  const db: TestDatabase = await createTestDatabase({ poolSize: 4 });
  const amqpUrl = testAmqpUrl();
  const worlds: TopUpWorld[] = [];
  const openWorld = async (label: string): Promise<TopUpWorld> => {
    const world = await openTopUpWorld({
      database: { url: db.config.url, dataSource: db.dataSource },
      amqpUrl,
      topologyPrefix: uniqueTopologyPrefix(`bench-${label}`),
    });
    worlds.push(world);
    return world;
  };
  let entry: ConsumerEntry | undefined;
  try {
    console.log(`consumer benchmark: ${new Date().toISOString()}, node ${process.version}, ${cpus().length} cores`);
    const bounds = Object.entries(WRITE_PATH_BOUNDS).map(([name, value]) => `${name}=${value}`);
    console.log(`write-path bounds: ${bounds.length === 0 ? "the consumer's defaults" : bounds.join(' ')}`);
    if (ONLY.has('broker')) {
      const broker = await measureBroker(await openWorld('broker'));
      console.log(
        `broker (confirms, quorum queue, ${broker.bytes}-byte v1 commands, ${broker.messages} messages): ` +
          `publish ${broker.publishPerSecond.toFixed(0)} msgs/s, publish-to-consume ${broker.endToEndPerSecond.toFixed(0)} msgs/s`,
      );
    }
    if (ONLY.has('fast') || ONLY.has('slow')) {
      entry = process.env['BENCH_CONSUMER_ENTRY'] === 'build' ? builtConsumerEntry() : await bundledConsumerEntry();
      if (entry === undefined) throw new Error('BENCH_CONSUMER_ENTRY=build: run `npm run consumer:build` first');
      console.log(
        `consumer: plain node running ${entry.kind === 'build' ? "tsc's build" : 'an esbuild bundle of main.ts'}`,
      );
    }
    if (ONLY.has('fast') && entry !== undefined) {
      const world = await openWorld('fast');
      const figures = await measureConsumer(
        'fast',
        world,
        entry,
        {
          PROVIDER: 'simulator',
          SIMULATOR_TIME_SCALE: '0',
          ...SCHEDULER,
          STALLED_AFTER_MS: String(FAST_STALLED_AFTER_MS),
          ...(FAST_PREFETCH === undefined ? {} : { AMQP_PREFETCH: FAST_PREFETCH }),
          ...WRITE_PATH_BOUNDS,
        },
        FAST_TOP_UPS,
        300_000,
      );
      report(figures);
    }
    if (ONLY.has('slow') && entry !== undefined) {
      const simulator = await startSimulatorServer({
        apiKey: 'bench-key',
        apiSecret: 'bench-secret',
        timeScale: 0,
      });
      simulator.engine.setFaults({ latencyMs: LATENCY_MS });
      try {
        const world = await openWorld('slow');
        const figures = await measureConsumer(
          'slow',
          world,
          entry,
          {
            PROVIDER: 'simulator-http',
            DTONE_BASE_URL: `${simulator.url}/v1`,
            DTONE_API_KEY: 'bench-key',
            DTONE_API_SECRET: 'bench-secret',
            DTONE_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
            STALLED_AFTER_MS: String(SLOW_STALLED_AFTER_MS),
            DATABASE_POOL_SIZE: String(SLOW_POOL_SIZE),
            DATABASE_CONNECT_TIMEOUT_MS: '60000',
            AMQP_PREFETCH: String(SLOW_PREFETCH),
            ...SCHEDULER,
            ...WRITE_PATH_BOUNDS,
          },
          SLOW_TOP_UPS,
          SLOW_TIMEOUT_MS,
          () => simulator.engine.transactions({ fromMs: 0 }),
        );
        report(figures);
      } finally {
        await simulator.close();
      }
    }
  } finally {
    await killStartedConsumers();
    entry?.dispose();
    for (const world of worlds) {
      await world.close();
      await deleteTopology(world.topology);
    }
    await db.drop();
  }
};

const report = (figures: ConsumerFigures): void => {
  const at = (value: number | undefined): string => (value === undefined ? '?' : `${value.toFixed(1)} s`);
  const rate = (value: number | undefined): string =>
    value === undefined ? 'not all' : `${(figures.topUps / value).toFixed(0)}/s`;
  const finals = Object.entries(figures.counts)
    .filter(([status]) => (FINAL_STATUS_CLASSES as readonly string[]).includes(status))
    .reduce((sum, [, n]) => sum + n, 0);
  console.log(
    [
      figures.done
        ? `consumer ${figures.label}: ${figures.topUps} top-ups final in ${figures.seconds.toFixed(1)} s = ` +
          `${figures.perSecond.toFixed(0)} top-ups/s from publish to final status`
        : `consumer ${figures.label}: ${finals} of ${figures.topUps} top-ups final after ${figures.seconds.toFixed(1)} s ` +
          `(${(finals / figures.seconds).toFixed(1)}/s; NOT ALL FINAL)`,
      `  every command a top-up by ${at(figures.createdSeconds)} (${rate(figures.createdSeconds)}), ` +
        `every first send answered by ${at(figures.answeredSeconds)} (${rate(figures.answeredSeconds)}); ` +
        `peak sends in flight ${figures.peakInFlight}`,
      `  consumer RSS idle ${(figures.idleRssBytes / MB).toFixed(0)} MB, peak ${(figures.peakRssBytes / MB).toFixed(0)} MB (V8 heap in use at most ${(figures.peakHeapUsedBytes / MB).toFixed(0)} MB); ` +
        `consumer CPU ${figures.consumerCpuSeconds.toFixed(1)} s (${((1000 * figures.consumerCpuSeconds) / figures.topUps).toFixed(1)} ms per top-up); ` +
        `PostgreSQL CPU ${figures.postgresCpuSeconds.toFixed(1)} s (${((1000 * figures.postgresCpuSeconds) / figures.topUps).toFixed(1)} ms per top-up); ` +
        `${(figures.commits / figures.topUps).toFixed(1)} transactions (units of work and single reads) and ` +
        `${figures.walSyncs === undefined ? 'n/a' : (figures.walSyncs / figures.topUps).toFixed(2)} WAL flushes per top-up; ` +
        `machine busy ${(100 * figures.machineBusyShare).toFixed(0)}% of ${cpus().length} cores`,
      `  statuses ${JSON.stringify(figures.counts)}`,
      `  checks: ${Object.entries(figures.violations)
        .map(
          ([name, found]) =>
            `${name} ${found.length === 0 ? 'none' : `${found.length} (${found.slice(0, 3).join('; ')})`}`,
        )
        .join(', ')}`,
      ...(figures.logSummary === '' ? [] : [`  consumer warnings: ${figures.logSummary}`]),
    ].join('\n'),
  );
};

main().catch(async (error: unknown) => {
  console.error(error);
  await killStartedConsumers();
  process.exit(1);
});
