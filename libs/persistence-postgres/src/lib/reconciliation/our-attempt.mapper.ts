// Rows of the reconciler's attempt queries (see `ourAttemptColumns`) as the domain's OurAttempt.
// A day holds thousands of rows, so each is read with plain checks and the domain's own parsers
// (currencyOf, parsePreciseMoney, parseExternalId, the status catalogue) rather than an
// effect/Schema decode per row, which costs tens of microseconds each; the same rules hold.
import {
  type AttemptFailureReason,
  type AttemptState,
  type Currency,
  currencyOf,
  type Money,
  money,
  type OurAttempt,
  parseExternalId,
  parsePreciseMoney,
  type PersistenceFailure,
  type PreciseMoney,
  statusOfClass,
  type TransactionStatus,
} from '@airtime/domain';
import { Either } from 'effect';
import { undecodable } from '../shared/codec-support';
import { FailureReasonJson } from '../top-ups/attempt.mapper';
import { statusOf } from '../top-ups/status.codec';

type Row = Record<string, unknown>;

const STATES = ['InFlight', 'Pending', 'Unknown', 'Succeeded', 'Failed'] as const satisfies readonly AttemptState[];
// A state added to the domain must be added here too: this fails to compile until it is.
const _allStates: Exclude<AttemptState, (typeof STATES)[number]> extends never ? true : never = true;

const FAILURE_REASONS: readonly string[] = FailureReasonJson.literals;
const INTEGER_TEXT = /^-?(0|[1-9]\d*)$/;
const PLAIN_DECIMAL_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** A column that does not read as it should: caught by `ourAttemptOf`, which names the top-up. */
class ColumnProblem extends Error {}

const problem = (column: string, expected: string): never => {
  throw new ColumnProblem(`${column} is not ${expected}`);
};

const text = (row: Row, column: string): string => {
  const value = row[column];
  return typeof value === 'string' ? value : problem(column, 'text');
};

const optionalText = (row: Row, column: string): string | undefined => {
  const value = row[column];
  return value === null ? undefined : typeof value === 'string' ? value : problem(column, 'text or null');
};

const instant = (row: Row, column: string): Date => {
  const value = row[column];
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : problem(column, 'a valid instant');
};

const currency = (row: Row, column: string): Currency =>
  Either.getOrElse(currencyOf(text(row, column)), () => problem(column, 'a known ISO 4217 currency code'));

/** bigint columns arrive as text from pg. */
const moneyOf = (row: Row, amountColumn: string, currencyColumn: string): Money => {
  const amount = text(row, amountColumn);
  if (!INTEGER_TEXT.test(amount)) problem(amountColumn, 'an integer');
  return money(BigInt(amount), currency(row, currencyColumn));
};

/** Exact amounts already read in this call, by their text and currency (a day repeats its products' prices). */
type AmountsRead = Map<string, PreciseMoney>;

const preciseMoneyOf = (row: Row, amountColumn: string, currencyColumn: string, read: AmountsRead): PreciseMoney => {
  const amount = text(row, amountColumn);
  const code = text(row, currencyColumn);
  const key = `${amount} ${code}`;
  const known = read.get(key);
  if (known !== undefined) return known;
  if (!PLAIN_DECIMAL_TEXT.test(amount)) problem(amountColumn, 'a plain decimal');
  const parsed = Either.getOrElse(parsePreciseMoney(amount, currency(row, currencyColumn)), (error) =>
    problem(amountColumn, `an exact amount (${error.reason})`),
  );
  read.set(key, parsed);
  return parsed;
};

/** Statuses read so far: the catalogue's, each (class, status) pair checked once per process. */
const statusesRead = new Map<string, TransactionStatus>();

const status = (row: Row, classColumn: string, statusColumn: string): TransactionStatus => {
  const statusClass = text(row, classColumn);
  const detailed = text(row, statusColumn);
  const key = `${statusClass} ${detailed}`;
  const known = statusesRead.get(key);
  if (known !== undefined) return known;
  const parsed = Either.getOrElse(statusOf(statusClass, detailed), (reason) =>
    problem(statusColumn, `a status of the catalogue (${reason})`),
  );
  statusesRead.set(key, parsed);
  return parsed;
};

const attemptOf = (row: Row, common: Omit<OurAttempt, AttemptField>, providerId: string | undefined): OurAttempt => {
  const number = row['attempt_number'];
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) problem('attempt_number', 'from 1');
  const state = text(row, 'state');
  if (!(STATES as readonly string[]).includes(state)) problem('state', 'an attempt state');
  const failureReason = optionalText(row, 'failure_reason');
  if (failureReason !== undefined && !FAILURE_REASONS.includes(failureReason))
    problem('failure_reason', 'a failure reason');
  const providerExternalId = text(row, 'provider_external_id');
  if (Either.isLeft(parseExternalId(providerExternalId))) problem('provider_external_id', 'a valid external id');
  const hasStatus = row['provider_status_class'] !== null || row['provider_status'] !== null;
  return {
    ...common,
    attemptNumber: number as number,
    isLastAttempt: row['is_last'] === true,
    providerId: optionalText(row, 'provider_id') ?? providerId ?? '',
    providerExternalId,
    providerTransactionId: optionalText(row, 'provider_transaction_id'),
    startedAt: instant(row, 'started_at'),
    state: state as AttemptState,
    // the provider's last word on the attempt; none yet (InFlight, Unknown: the state says so) reads as CREATED
    status: hasStatus ? status(row, 'provider_status_class', 'provider_status') : statusOfClass('CREATED'),
    failureReason: failureReason as AttemptFailureReason | undefined,
  };
};

type AttemptField =
  | 'attemptNumber'
  | 'isLastAttempt'
  | 'providerId'
  | 'providerExternalId'
  | 'providerTransactionId'
  | 'startedAt'
  | 'state'
  | 'status'
  | 'failureReason';

/**
 * One row as an attempt of ours. `status` is the provider's last word on the
 * attempt, or CREATED while there is none (InFlight, Unknown: `state` says
 * so). An attempt that names no provider is taken to be at `providerId`, or
 * at '' when none is given (read by external id, any provider), as the
 * in-memory store reads it. A row that does not read is a non-retryable
 * `PersistenceFailure` naming the top-up and the column.
 */
export const ourAttemptOf = (
  row: Row,
  providerId?: string,
  amountsRead: AmountsRead = new Map(),
): Either.Either<OurAttempt, PersistenceFailure> => {
  const topUpId = typeof row['top_up_id'] === 'string' ? row['top_up_id'] : '(no id)';
  try {
    const common = {
      topUpId: text(row, 'top_up_id'),
      accountId: text(row, 'account_id'),
      externalId: text(row, 'external_id'),
      receive: moneyOf(row, 'receive_minor', 'receive_currency'),
      charged: preciseMoneyOf(row, 'charged_amount', 'charged_currency', amountsRead),
      cost: moneyOf(row, 'cost_minor', 'cost_currency'),
      topUpStatus: status(row, 'top_up_status_class', 'top_up_status'),
      topUpUpdatedAt: instant(row, 'top_up_updated_at'),
    };
    return Either.right(attemptOf(row, common, providerId));
  } catch (error) {
    if (error instanceof ColumnProblem)
      return Either.left(undecodable(`top-up ${topUpId} (reconciliation)`, error.message));
    throw error;
  }
};

/** Every row as an attempt of ours, in the rows' order; the first that does not read fails the whole. */
export const ourAttemptsOf = (
  rows: readonly Row[],
  providerId?: string,
): Either.Either<readonly OurAttempt[], PersistenceFailure> => {
  const attempts: OurAttempt[] = [];
  const amountsRead: AmountsRead = new Map();
  for (const row of rows) {
    const attempt = ourAttemptOf(row, providerId, amountsRead);
    if (Either.isLeft(attempt)) return Either.left(attempt.left);
    attempts.push(attempt.right);
  }
  return Either.right(attempts);
};
