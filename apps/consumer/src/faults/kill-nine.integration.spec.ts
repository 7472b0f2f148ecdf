// Kill -9 the consumer at seeded random points of a batch and start it
// again: nothing lost, nothing sent twice, no resend without a status query
// first, the ledger balanced. 12 seeds (KILL_NINE_SEEDS=N runs seeds 1 to
// N). Each seed publishes 50 commands (5 of them repeats of another under a
// new message id; some to numbers the sandbox declines) for an account of
// its own, then runs the consumer (a real process: SIGKILL runs none of its
// code) 1 to 3 times, killing it in a seeded phase of the work (starting,
// taking commands, sending, settling, any time) after a seeded delay, and a
// last time until every top-up is final. The use cases' time runs 60 times
// faster (CLOCK_SCALE; every process of a lane gets the lane's
// CLOCK_ORIGIN_MS): an attempt killed between its durable start and its send
// is found missing by a status query and retried a (scaled) minute later.
// The seeds run in three lanes at once, each lane with its own database, DVS
// simulator (HTTP) and topology; a lane runs its seeds one after the other.
// Real PostgreSQL and RabbitMQ.
import { testAmqpUrl, uniqueTopologyPrefix } from '@airtime/messaging-rabbitmq/testing';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import { seededRandom } from '@airtime/provider-simulator';
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '@airtime/provider-simulator/testing';
import {
  between,
  bundledConsumerEntry,
  type ConsumerEntry,
  killStartedConsumers,
  pause,
  startConsumerProcess,
} from './consumer-process.fixture';
import { flowViolations } from './top-up-flow.queries';
import {
  faultSpecConsumerEnv,
  openTopUpWorld,
  type SandboxSuffix,
  scaledClockEnv,
  topUpCommandBatch,
  type TopUpWorld,
} from './top-up-world.fixture';

/** How many seeds (1..N): 12 unless KILL_NINE_SEEDS says more, for a deeper run than CI's. */
const seedCount = (value: string | undefined): number => {
  const count = Number(value ?? '12');
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`KILL_NINE_SEEDS must be a whole number >= 1, not ${value}`);
  return count;
};
const SEEDS = Array.from({ length: seedCount(process.env['KILL_NINE_SEEDS']) }, (_, index) => index + 1);
const LANES = 3;
const COMMANDS = 50;
const REPEATS = 5;

interface Lane {
  /** Where the consumers' scaled time starts (one timeline for every restart). */
  readonly clockOriginMs: number;
  readonly db: TestDatabase;
  readonly simulator: DvsSimulatorTestServer;
  readonly world: TopUpWorld;
}

/**
 * When a kill comes: while the process starts, once it has taken some
 * commands (top-ups created), while sends are on their way (an attempt in
 * flight), while answers are pending (a status query due), or at any
 * moment of the run; always after a seeded extra delay.
 */
const KILL_PHASES = ['starting', 'taking', 'sending', 'settling', 'anytime'] as const;
type KillPhase = (typeof KILL_PHASES)[number];

/** Where a kill landed: what was unfinished in the database right after it. */
interface KillPoint {
  readonly phase: KillPhase;
  readonly delayMs: number;
  readonly topUps: number;
  readonly createdUnsent: number;
  readonly attemptsInFlight: number;
  readonly attemptsPending: number;
}

interface SeedOutcome {
  readonly kills: readonly KillPoint[];
  readonly allFinal: boolean;
  readonly counts: Readonly<Record<string, number>>;
  readonly violations: Awaited<ReturnType<typeof flowViolations>> & { readonly deadLettered: number };
  readonly logTail: readonly string[];
}

type Snapshot = Omit<KillPoint, 'phase' | 'delayMs'>;

const snapshotOf = async (lane: Lane, accountId: string): Promise<Snapshot> => {
  const [row] = (await lane.db.dataSource.query(
    `SELECT count(*)::int AS top_ups,
            count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM top_up_attempts a WHERE a.top_up_id = t.id))::int AS unsent,
            (SELECT count(*) FROM top_up_attempts a JOIN top_ups u ON u.id = a.top_up_id
              WHERE u.account_id = $1 AND a.state = 'InFlight')::int AS in_flight,
            (SELECT count(*) FROM top_up_attempts a JOIN top_ups u ON u.id = a.top_up_id
              WHERE u.account_id = $1 AND a.state IN ('Pending', 'Unknown'))::int AS pending
       FROM top_ups t WHERE t.account_id = $1`,
    [accountId],
  )) as { top_ups: number; unsent: number; in_flight: number; pending: number }[];
  return {
    topUps: row?.top_ups ?? 0,
    createdUnsent: row?.unsent ?? 0,
    attemptsInFlight: row?.in_flight ?? 0,
    attemptsPending: row?.pending ?? 0,
  };
};

/** Waits (polling the database) until `reached` holds, or `timeoutMs` passed: the work may be done already. */
const untilPhase = async (
  lane: Lane,
  accountId: string,
  reached: (snapshot: Snapshot) => boolean,
  timeoutMs: number,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !reached(await snapshotOf(lane, accountId))) await pause(20);
};

const runSeed = async (entry: ConsumerEntry, lane: Lane, seed: number): Promise<SeedOutcome> => {
  const random = seededRandom(seed * 7_919);
  const accountId = `kill-${seed}`;
  await lane.world.fund(accountId, 'USD', '100000');
  const suffixOf = (): SandboxSuffix => (random() < 0.85 ? '100' : '102');
  const commands = topUpCommandBatch({ accountId, prefix: `s${seed}`, count: COMMANDS - REPEATS, suffixOf });
  const messages = [...commands];
  for (let repeat = 0; repeat < REPEATS; repeat += 1) {
    const original = commands[between(random, 0, commands.length - 1)];
    if (original === undefined) continue;
    messages.splice(between(random, 0, messages.length), 0, { ...original, messageId: `s${seed}-repeat-${repeat}` });
  }
  lane.simulator.setFaults({ latencyMs: between(random, 0, 30) });
  await lane.world.publish(messages);

  const env = faultSpecConsumerEnv(lane.world, lane.simulator, scaledClockEnv(lane.clockOriginMs));
  const kills: KillPoint[] = [];
  const runs = between(random, 1, 3);
  for (let run = 1; run <= runs; run += 1) {
    const consumer = startConsumerProcess({ entry, name: `seed ${seed} run ${run}`, env });
    const phase = KILL_PHASES[between(random, 0, KILL_PHASES.length - 1)] ?? 'anytime';
    const delayMs = between(random, 0, phase === 'anytime' ? 2_500 : phase === 'starting' ? 700 : 60);
    if (phase !== 'starting') await consumer.ready;
    if (phase === 'taking') {
      const taken = between(random, 1, COMMANDS / 2);
      await untilPhase(lane, accountId, (now) => now.topUps >= taken, 15_000);
    }
    if (phase === 'sending') await untilPhase(lane, accountId, (now) => now.attemptsInFlight > 0, 15_000);
    if (phase === 'settling') await untilPhase(lane, accountId, (now) => now.attemptsPending > 0, 15_000);
    await pause(delayMs);
    await consumer.kill();
    kills.push({ phase, delayMs, ...(await snapshotOf(lane, accountId)) });
  }
  const last = startConsumerProcess({ entry, name: `seed ${seed} last run`, env });
  await last.ready;
  const final = await lane.world.waitForFinal(accountId, commands.length, 150_000);
  await last.stop(10_000);
  const violations = await flowViolations(
    lane.db.dataSource,
    accountId,
    commands.map((message) => (message.command as { external_id: string }).external_id),
    lane.simulator.engine.transactions({ fromMs: 0 }),
  );
  return {
    kills,
    allFinal: final.done,
    counts: final.counts,
    violations: { ...violations, deadLettered: await lane.world.deadLetterCount() },
    logTail: final.done ? [] : last.lines().slice(-40),
  };
};

describe('kill -9 of the consumer at seeded random points', () => {
  let entry: ConsumerEntry;
  const lanes: Lane[] = [];
  const outcomes = new Map<number, SeedOutcome>();

  beforeAll(async () => {
    // the consumer is bundled while the lanes are set up, all at once (each its own database, simulator and topology)
    await Promise.all([
      bundledConsumerEntry().then((bundled) => (entry = bundled)),
      ...Array.from({ length: LANES }, async (_, index) => {
        const db = await createTestDatabase({ poolSize: 4 });
        const simulator = await startDvsSimulatorServer();
        simulator.setBalance('USD', { available: '10000000' });
        const world = await openTopUpWorld({
          database: { url: db.config.url, dataSource: db.dataSource },
          amqpUrl: testAmqpUrl(),
          topologyPrefix: uniqueTopologyPrefix(`kill-nine-${index}`),
        });
        lanes[index] = { clockOriginMs: Date.now(), db, simulator, world };
      }),
    ]);
    await Promise.all(
      lanes.map(async (lane, index) => {
        for (const seed of SEEDS.filter((_, position) => position % LANES === index)) {
          outcomes.set(seed, await runSeed(entry, lane, seed));
        }
      }),
    );
    // a deadline for a wedged lane only: 12 seeds take about a minute alone and 3 to 4 on a loaded CI machine
  }, 1_200_000);

  afterAll(async () => {
    await killStartedConsumers();
    // a lane whose setup failed is a hole in the array
    for (const lane of lanes) {
      if (lane === undefined) continue;
      await lane.world.close();
      await lane.simulator.close();
      await lane.db.drop();
    }
    entry?.dispose();
  }, 60_000);

  it.each(SEEDS)(
    'seed %i: every top-up final, none lost, none sent twice or resent blindly, books balanced',
    (seed) => {
      const outcome = outcomes.get(seed);
      expect(outcome).toBeDefined();
      if (outcome === undefined) return;
      expect({ allFinal: outcome.allFinal, counts: outcome.counts, logTail: outcome.logTail }).toEqual({
        allFinal: true,
        counts: outcome.counts,
        logTail: [],
      });
      expect(outcome.violations).toEqual({ lost: [], sentTwice: [], resentBlindly: [], ledger: [], deadLettered: 0 });
    },
  );

  it('the kills landed in the middle of the work: commands taken but not sent, sends in flight, answers pending', () => {
    const kills = [...outcomes.values()].flatMap((outcome) => outcome.kills);
    expect(kills.length).toBeGreaterThanOrEqual(SEEDS.length);
    expect(kills.some((kill) => kill.createdUnsent > 0)).toBe(true);
    expect(kills.some((kill) => kill.attemptsInFlight > 0)).toBe(true);
    expect(kills.some((kill) => kill.attemptsPending > 0)).toBe(true);
  });
});
