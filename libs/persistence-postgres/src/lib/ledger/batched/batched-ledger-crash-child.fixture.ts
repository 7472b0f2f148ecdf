// The child program of the batched ledger store's kill -9 test
// (batched-ledger-store.crash.integration.spec.ts). Bundled once per spec
// run by esbuild (it uses no decorators: the data source has no entities)
// and run as plain node (one process: SIGKILL stops all of it) with
// BATCHED_LEDGER_CRASH_MAIN=1 and its settings as JSON in
// BATCHED_LEDGER_CRASH_SETTINGS. From its seed it plans a workload on a few
// accounts (deposits, authorizations, captures, voids, reverses; twins of
// one key, conflicting settlements, over-spends, conflicts, unknown holds
// and accounts), opens and funds the accounts, then runs the plan through
// `makeBatchedLedgerStore` from many concurrent callers until it is killed.
// The instant a movement answers (success or typed refusal) the caller
// writes one JSON line on stdout with a synchronous write, before anything
// else runs: a line on stdout is an answer a client was given.
import { writeSync } from 'node:fs';
import { type Currency, currencyOf, type LedgerStoreService, type StoredMovement } from '@airtime/domain';
import { Cause, Effect, Either, Exit, Option } from 'effect';
import { makeDataSource } from '../../data-source';
import { makeBatchedLedgerStore } from './batched-ledger-store.adapter';

/** What the parent passes to the child (as JSON in BATCHED_LEDGER_CRASH_SETTINGS). */
export interface CrashWorkerSettings {
  /** The database, migrated. */
  readonly url: string;
  /** Chooses the accounts' limits and funds and the plan. */
  readonly seed: number;
  /** Every account, transaction and deposit id of the run starts with it. */
  readonly prefix: string;
  readonly bounds: { readonly lanes: number; readonly maxBatch: number; readonly lingerMs: number };
  /** How many callers run the plan at once. */
  readonly callers: number;
  /** How many movements the plan holds (after the funding deposits). */
  readonly operations: number;
}

/** A movement as the child sends it to the store; amounts in minor units, as decimal text. KES throughout. */
export type CrashOperation =
  | {
      readonly kind: 'deposit';
      readonly input: { readonly accountId: string; readonly depositId: string; readonly amountMinor: string };
    }
  | {
      readonly kind: 'authorize';
      readonly input: { readonly accountId: string; readonly transactionId: string; readonly amountMinor: string };
    }
  | { readonly kind: 'voidHold'; readonly input: { readonly transactionId: string } }
  | { readonly kind: 'capture'; readonly input: { readonly transactionId: string; readonly amountMinor: string } }
  | { readonly kind: 'reverse'; readonly input: { readonly transactionId: string } };

/** A journal entry as answered; amounts as decimal text. */
export interface AnsweredEntry {
  readonly sequence: number;
  readonly kind: string;
  readonly reference: string;
  readonly accountId: string;
  readonly currency: string;
  readonly amountMinor: string;
  readonly availableDeltaMinor: string;
  readonly holdingDeltaMinor: string;
}

/**
 * An answer: the stored movement, or the error with its fields (bigints as
 * decimal text); `_tag` 'Defect' for a defect or an interruption.
 */
export type CrashAnswer =
  | { readonly ok: true; readonly applied: boolean; readonly entry: AnsweredEntry }
  | { readonly ok: false; readonly error: { readonly _tag: string } & Readonly<Record<string, unknown>> };

/** One stdout line per answered movement. */
export interface CrashLine {
  /** 1, 2, 3, ...: the order the answers were written in. */
  readonly n: number;
  /** How many answers were written when this movement was sent (those happened before it). */
  readonly after: number;
  readonly op: CrashOperation;
  readonly answer: CrashAnswer;
}

/** The child's first stdout line: how many answers the run will write if it is not killed. */
export interface CrashHeader {
  readonly planned: number;
}

export const KES: Currency = Either.getOrThrow(currencyOf('KES'));

/** A small deterministic PRNG (mulberry32): the same seed gives the same sequence in [0, 1). */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** An integer from `min` to `max`, both included. */
export const between = (random: () => number, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));

/** The run's accounts: the hot one first; `ghost` is never opened. */
export const crashAccounts = (prefix: string) => ({
  hot: `${prefix}hot`,
  others: [`${prefix}a1`, `${prefix}a2`, `${prefix}a3`],
  ghost: `${prefix}ghost`,
});

interface Funding {
  readonly accountId: string;
  readonly creditLimitMinor: bigint;
  readonly depositMinor: bigint;
}

interface Plan {
  readonly funding: readonly Funding[];
  readonly movements: readonly CrashOperation[];
}

/** The seeded workload: funding of each account, then the movements (twins adjacent, so they meet in one batch). */
export const crashPlan = (settings: Pick<CrashWorkerSettings, 'seed' | 'prefix' | 'operations'>): Plan => {
  const random = seededRandom(settings.seed * 104_729 + 17);
  const { prefix } = settings;
  const accounts = crashAccounts(prefix);
  const funding: Funding[] = [accounts.hot, ...accounts.others].map((accountId, index) => ({
    accountId,
    creditLimitMinor: random() < 0.5 ? 0n : BigInt(between(random, 1, 10) * 100),
    depositMinor: BigInt(index === 0 ? between(random, 20, 60) * 100 : between(random, 5, 20) * 100),
  }));
  const holds: { transactionId: string; amountMinor: number }[] = [];
  const deposits: { depositId: string; accountId: string; amountMinor: number }[] = [];
  const movements: CrashOperation[] = [];
  const account = () =>
    random() < 0.5 ? accounts.hot : (accounts.others[between(random, 0, accounts.others.length - 1)] as string);
  /** A recent hold (settlements crowd on the holds in flight); a fresh id when there is none yet. */
  const recentHold = () =>
    holds.length === 0
      ? { transactionId: `${prefix}t-none`, amountMinor: 100 }
      : (holds[holds.length - 1 - between(random, 0, Math.min(24, holds.length - 1))] as (typeof holds)[number]);
  const captureOf = (hold: { transactionId: string; amountMinor: number }): CrashOperation => ({
    kind: 'capture',
    input: {
      transactionId: hold.transactionId,
      // mostly within the hold, sometimes above it
      amountMinor: String(
        random() < 0.1 ? hold.amountMinor + between(random, 1, 50) : between(random, 0, hold.amountMinor),
      ),
    },
  });
  const next = (): CrashOperation[] => {
    const roll = random();
    if (roll < 0.34) {
      const transactionId = `${prefix}t${holds.length}`;
      // over-spends: now and then far more than any account holds
      const amountMinor = random() < 0.12 ? between(random, 2_000, 9_000) : between(random, 1, 400);
      holds.push({ transactionId, amountMinor });
      return [{ kind: 'authorize', input: { accountId: account(), transactionId, amountMinor: String(amountMinor) } }];
    }
    if (roll < 0.54) {
      const hold = recentHold();
      const capture = captureOf(hold);
      // a conflicting settlement: a void of the same hold right after
      return random() < 0.3 ? [capture, { kind: 'voidHold', input: { transactionId: hold.transactionId } }] : [capture];
    }
    if (roll < 0.68) {
      const hold = recentHold();
      const voided: CrashOperation = { kind: 'voidHold', input: { transactionId: hold.transactionId } };
      return random() < 0.3 ? [voided, captureOf(hold)] : [voided];
    }
    if (roll < 0.76) return [{ kind: 'reverse', input: { transactionId: recentHold().transactionId } }];
    if (roll < 0.88) {
      const depositId = `${prefix}d${deposits.length}`;
      const deposit = { depositId, accountId: account(), amountMinor: between(random, 1, 30) * 50 };
      deposits.push(deposit);
      return [{ kind: 'deposit', input: { ...deposit, amountMinor: String(deposit.amountMinor) } }];
    }
    if (roll < 0.92 && deposits.length > 0) {
      // a deposit id again with another amount: a conflict (or a repeat when the amount happens to match)
      const deposit = deposits[between(random, 0, deposits.length - 1)] as (typeof deposits)[number];
      return [
        {
          kind: 'deposit',
          input: { ...deposit, amountMinor: String(deposit.amountMinor + between(random, 0, 1) * 50) },
        },
      ];
    }
    if (roll < 0.96 && holds.length > 0) {
      // an authorization again: a repeat, or a conflict (other amount or account)
      const hold = recentHold();
      const accountId = random() < 0.5 ? accounts.hot : account();
      return [
        {
          kind: 'authorize',
          input: {
            accountId,
            transactionId: hold.transactionId,
            amountMinor: String(hold.amountMinor + between(random, 0, 1)),
          },
        },
      ];
    }
    if (roll < 0.98) return [{ kind: 'voidHold', input: { transactionId: `${prefix}never${between(random, 0, 3)}` } }];
    return [
      {
        kind: 'authorize',
        input: { accountId: accounts.ghost, transactionId: `${prefix}g${holds.length}`, amountMinor: '10' },
      },
    ];
  };
  while (movements.length < settings.operations) {
    const batch = next();
    // twins: the same movement from 2 or 3 callers at once
    const copies = random() < 0.25 ? between(random, 2, 3) : 1;
    for (const operation of batch) for (let copy = 0; copy < copies; copy += 1) movements.push(operation);
  }
  return { funding, movements: movements.slice(0, settings.operations) };
};

/** The store call of an operation. */
export const runOperation = (
  store: LedgerStoreService,
  operation: CrashOperation,
): Effect.Effect<StoredMovement, { readonly _tag: string }> => {
  switch (operation.kind) {
    case 'deposit':
      return store.deposit({ ...operation.input, currency: KES, amountMinor: BigInt(operation.input.amountMinor) });
    case 'authorize':
      return store.authorize({ ...operation.input, currency: KES, amountMinor: BigInt(operation.input.amountMinor) });
    case 'voidHold':
      return store.voidHold(operation.input);
    case 'capture':
      return store.capture({ ...operation.input, amountMinor: BigInt(operation.input.amountMinor) });
    case 'reverse':
      return store.reverse(operation.input);
  }
};

const asText = (value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);

/** An answer as a line carries it. */
export const answerOf = (exit: Exit.Exit<StoredMovement, { readonly _tag: string }>): CrashAnswer => {
  if (Exit.isSuccess(exit)) {
    const { entry, applied } = exit.value;
    return {
      ok: true,
      applied,
      entry: {
        sequence: entry.sequence,
        kind: entry.kind,
        reference: entry.reference,
        accountId: entry.accountId,
        currency: entry.currency,
        amountMinor: entry.amountMinor.toString(),
        availableDeltaMinor: entry.availableDeltaMinor.toString(),
        holdingDeltaMinor: entry.holdingDeltaMinor.toString(),
      },
    };
  }
  return Option.match(Cause.failureOption(exit.cause), {
    onNone: () => ({ ok: false, error: { _tag: 'Defect', message: Cause.pretty(exit.cause) } }),
    onSome: (error) => ({
      ok: false,
      error: {
        ...Object.fromEntries(Object.entries(error).map(([key, value]) => [key, asText(value)])),
        _tag: error._tag,
      },
    }),
  });
};

/** Writes all of `text` on stdout now (a line is far below PIPE_BUF: one atomic write; EAGAIN on a full pipe is retried). */
const writeNow = (text: string): void => {
  const buffer = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(1, buffer, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
};

const childMain = async (settings: CrashWorkerSettings): Promise<void> => {
  const dataSource = makeDataSource({
    url: settings.url,
    poolSize: settings.bounds.lanes + 4,
    statementTimeoutMs: 30_000,
    connectTimeoutMs: 10_000,
    idleInTransactionTimeoutMs: 60_000,
    migrateOnStart: false,
  });
  await dataSource.initialize();
  const store = makeBatchedLedgerStore(dataSource, settings.bounds);
  const plan = crashPlan(settings);
  for (const account of plan.funding) {
    await Effect.runPromise(
      store.openAccount({ accountId: account.accountId, currency: KES, creditLimitMinor: account.creditLimitMinor }),
    );
  }
  const funding: CrashOperation[] = plan.funding.map((account) => ({
    kind: 'deposit',
    input: {
      accountId: account.accountId,
      depositId: `${account.accountId}-funds`,
      amountMinor: `${account.depositMinor}`,
    },
  }));
  writeNow(`${JSON.stringify({ planned: funding.length + plan.movements.length } satisfies CrashHeader)}\n`);

  let written = 0;
  /** Sends one operation; the moment it answers, its line is written (synchronously, in the caller's fiber). */
  const send = (operation: CrashOperation) =>
    Effect.suspend(() => {
      const after = written;
      return Effect.flatMap(Effect.exit(runOperation(store, operation)), (exit) =>
        Effect.sync(() => {
          written += 1;
          const line: CrashLine = { n: written, after, op: operation, answer: answerOf(exit) };
          writeNow(`${JSON.stringify(line)}\n`);
        }),
      );
    });
  await Effect.runPromise(Effect.forEach(funding, send, { concurrency: 'unbounded', discard: true }));
  let taken = 0;
  const caller = Effect.gen(function* () {
    while (taken < plan.movements.length) {
      const operation = plan.movements[taken] as CrashOperation;
      taken += 1;
      yield* send(operation);
    }
  });
  await Effect.runPromise(
    Effect.forEach(
      Array.from({ length: settings.callers }, () => caller),
      (run) => run,
      { concurrency: 'unbounded', discard: true },
    ),
  );
  // done before the kill: wait for it all the same (the parent tells a finished run from one killed in its batches)
  setInterval(() => undefined, 60_000);
};

if (process.env['BATCHED_LEDGER_CRASH_MAIN'] === '1') {
  childMain(JSON.parse(process.env['BATCHED_LEDGER_CRASH_SETTINGS'] ?? '{}') as CrashWorkerSettings).catch(
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
