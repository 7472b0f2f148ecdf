// The retries of a top-up command that failed for now (a dependency down),
// through the commands retry queue: the same three variables wherever the
// consumer's workers run (apps/consumer, apps/api with API_WORKERS=true).
import { Schema } from 'effect';
import { IntegerFromString } from './environment.schema';

/** Retries of a command that failed for now, through the retry queue. */
export interface CommandRetrySettings {
  /** The first retry's delay, ms; each next one doubles, up to `maxDelayMs` (drawn in [half, all] of it). */
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** Retries of one command; the next failure dead-letters it with its reason (30: about 1 to 2 hours). */
  readonly maxRetries: number;
}

/** The variables' schema fields, to spread into an app's environment schema. */
export const COMMAND_RETRY_FIELDS = {
  CONSUMER_RETRY_DELAY_MS: Schema.optionalWith(IntegerFromString(0, 600_000), { default: () => 1_000 }),
  CONSUMER_RETRY_MAX_DELAY_MS: Schema.optionalWith(IntegerFromString(0, 86_400_000), { default: () => 300_000 }),
  CONSUMER_MAX_RETRIES: Schema.optionalWith(IntegerFromString(0, 10_000), { default: () => 30 }),
};

/** What each variable must look like (the schema's messages could echo a value). */
export const COMMAND_RETRY_EXPECTED = {
  CONSUMER_RETRY_DELAY_MS: 'expected an integer from 0 to 600000',
  CONSUMER_RETRY_MAX_DELAY_MS: 'expected an integer from 0 to 86400000',
  CONSUMER_MAX_RETRIES: 'expected an integer from 0 to 10000',
} as const;

type CommandRetryVariables = Schema.Struct.Type<typeof COMMAND_RETRY_FIELDS>;

/** The rule between the variables: the first delay is no longer than the longest. */
export const commandRetryProblems = (settings: CommandRetryVariables): readonly string[] =>
  settings.CONSUMER_RETRY_DELAY_MS > settings.CONSUMER_RETRY_MAX_DELAY_MS
    ? [
        'CONSUMER_RETRY_DELAY_MS: expected no more than CONSUMER_RETRY_MAX_DELAY_MS (the first retry delay, doubled up to the longest)',
      ]
    : [];

/** The settings of decoded variables. */
export const commandRetryOf = (settings: CommandRetryVariables): CommandRetrySettings => ({
  minDelayMs: settings.CONSUMER_RETRY_DELAY_MS,
  maxDelayMs: settings.CONSUMER_RETRY_MAX_DELAY_MS,
  maxRetries: settings.CONSUMER_MAX_RETRIES,
});
