// The bounds of the batched ledger store: how many lanes, how many
// operations a batch takes at most, how long a busy lane may wait to fill one.
import { taggedError } from '@airtime/domain';
import { Either, Schema } from 'effect';

export interface LedgerBatchConfig {
  /** Lanes of accounts (1 to 256): operations on one account always share a lane. */
  readonly lanes: number;
  /** Most operations in one batch, one transaction (1 to 10,000). */
  readonly maxBatch: number;
  /** Milliseconds a busy lane may wait for a fuller batch (0 to 1,000; 0: never). */
  readonly lingerMs: number;
}

/**
 * One lane by default: on the 2-core machine measured (tools/bench/ledger.ts) one lane's batches are
 * the largest and the fastest, at any skew; more lanes pay off only when PostgreSQL has cores to run
 * their statements side by side.
 */
export const DEFAULT_LEDGER_BATCH_CONFIG: LedgerBatchConfig = { lanes: 1, maxBatch: 500, lingerMs: 0 };

/** The bounds given are out of range. */
export class InvalidLedgerBatchConfig extends taggedError('InvalidLedgerBatchConfig', {
  code: 'INVALID_LEDGER_BATCH_CONFIG',
  retryable: false,
})<{ readonly reason: string }>((e) => `invalid ledger batch settings: ${e.reason}`) {}

const Bounds = Schema.Struct({
  lanes: Schema.Int.pipe(Schema.between(1, 256)),
  maxBatch: Schema.Int.pipe(Schema.between(1, 10_000)),
  lingerMs: Schema.Number.pipe(Schema.between(0, 1_000)),
});

/** The defaults with `overrides`, checked; `InvalidLedgerBatchConfig` names what is out of range. */
export const ledgerBatchConfigFrom = (
  overrides: Partial<LedgerBatchConfig> = {},
): Either.Either<LedgerBatchConfig, InvalidLedgerBatchConfig> =>
  Either.mapLeft(
    Schema.decodeUnknownEither(Bounds)({ ...DEFAULT_LEDGER_BATCH_CONFIG, ...overrides }),
    () =>
      new InvalidLedgerBatchConfig({
        reason: 'expected lanes an integer from 1 to 256, maxBatch an integer from 1 to 10000, lingerMs from 0 to 1000',
      }),
  );

/** The variables of the bounds, with what each expects: each optional, the default when unset or empty. */
export const LEDGER_BATCH_VARIABLES = {
  lanes: { variable: 'LEDGER_BATCH_LANES', expected: 'an integer from 1 to 256' },
  maxBatch: { variable: 'LEDGER_BATCH_MAX', expected: 'an integer from 1 to 10000' },
  lingerMs: { variable: 'LEDGER_BATCH_LINGER_MS', expected: 'a number of milliseconds from 0 to 1000' },
} as const;

/**
 * The bounds from the environment (LEDGER_BATCH_LANES, LEDGER_BATCH_MAX,
 * LEDGER_BATCH_LINGER_MS; plain decimal numbers), checked as
 * `ledgerBatchConfigFrom` does. `InvalidLedgerBatchConfig` names the first
 * variable that is wrong and what it expects, never its value.
 */
export const ledgerBatchConfigFromEnv = (
  env: Readonly<Record<string, string | undefined>>,
): Either.Either<LedgerBatchConfig, InvalidLedgerBatchConfig> => {
  const overrides: Record<string, number> = {};
  for (const [key, { variable, expected }] of Object.entries(LEDGER_BATCH_VARIABLES)) {
    const text = env[variable]?.trim();
    if (text === undefined || text === '') continue;
    const value = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
    const alone = ledgerBatchConfigFrom({ [key]: value });
    if (Number.isNaN(value) || Either.isLeft(alone))
      return Either.left(new InvalidLedgerBatchConfig({ reason: `${variable}: expected ${expected}` }));
    overrides[key] = value;
  }
  return ledgerBatchConfigFrom(overrides);
};
