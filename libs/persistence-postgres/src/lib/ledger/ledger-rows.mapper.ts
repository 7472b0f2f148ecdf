import {
  currencyOf,
  type JournalEntry,
  type JournalEntryKind,
  type LedgerAccount,
  PersistenceFailure,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import { bigintOf } from '../unit-of-work/sql';

/** Rows as pg returns them: bigint columns as text. */
export interface AccountRow {
  readonly account_id: string;
  readonly currency: string;
  /** smallint: pg gives it as a number. */
  readonly currency_exponent: number;
  readonly credit_limit_minor: string;
  readonly available_minor: string;
  readonly holding_minor: string;
  readonly captured_minor: string;
  readonly reversed_minor: string;
  readonly funded_minor: string;
}

export type HoldStatusColumn = 'HELD' | 'VOIDED' | 'CAPTURED' | 'REVERSED' | 'REFUSED';

export interface HoldRow {
  readonly transaction_id: string;
  readonly account_id: string;
  readonly currency: string;
  readonly amount_minor: string;
  readonly status: HoldStatusColumn;
  readonly captured_minor: string | null;
  readonly refusal: { readonly availableMinor: string; readonly creditLimitMinor: string } | null;
}

export interface JournalRow {
  readonly sequence: string;
  readonly account_id: string;
  readonly currency: string;
  readonly reference: string;
  readonly kind: JournalEntryKind;
  readonly amount_minor: string;
  readonly available_delta_minor: string;
  readonly holding_delta_minor: string;
  /** The row's created_at, when selected (JOURNAL_READ_COLUMNS). */
  readonly created_at?: Date | undefined;
}

export const ACCOUNT_COLUMNS =
  'account_id, currency, currency_exponent, credit_limit_minor, available_minor, holding_minor, captured_minor, reversed_minor, funded_minor';
export const JOURNAL_COLUMNS =
  'sequence, account_id, currency, reference, kind, amount_minor, available_delta_minor, holding_delta_minor';
/** The journal columns of a read of the journal: JOURNAL_COLUMNS and the time each entry was recorded. */
export const JOURNAL_READ_COLUMNS = `${JOURNAL_COLUMNS}, created_at`;

/** An account row as the domain's account; its currency must be known, with the exponent it was opened with. */
export const accountOf = (row: AccountRow): Effect.Effect<LedgerAccount, PersistenceFailure> =>
  Either.match(currencyOf(row.currency), {
    onLeft: () =>
      Effect.fail(
        new PersistenceFailure({ reason: `ledger account in unknown currency ${row.currency}`, retryable: false }),
      ),
    onRight: (currency) =>
      Number(row.currency_exponent) !== currency.exponent
        ? Effect.fail(
            new PersistenceFailure({
              reason: `ledger account in ${currency.code} stored with exponent ${row.currency_exponent}, not ${currency.exponent}`,
              retryable: false,
            }),
          )
        : Effect.succeed({
            accountId: row.account_id,
            currency,
            creditLimitMinor: bigintOf(row.credit_limit_minor),
            availableMinor: bigintOf(row.available_minor),
            holdingMinor: bigintOf(row.holding_minor),
            capturedMinor: bigintOf(row.captured_minor),
            reversedMinor: bigintOf(row.reversed_minor),
            fundedMinor: bigintOf(row.funded_minor),
          }),
  });

export const entryOf = (row: JournalRow): JournalEntry => ({
  sequence: Number(row.sequence),
  accountId: row.account_id,
  currency: row.currency,
  reference: row.reference,
  kind: row.kind,
  amountMinor: bigintOf(row.amount_minor),
  availableDeltaMinor: bigintOf(row.available_delta_minor),
  holdingDeltaMinor: bigintOf(row.holding_delta_minor),
  ...(row.created_at === undefined ? {} : { recordedAt: row.created_at }),
});
