// An account's balances and journal entries as the API shows them.
import { currencyOf, formatMoney, type JournalEntry, type LedgerAccount, money } from '@airtime/domain';
import { Either } from 'effect';
import type { BalanceView, LedgerEntryView } from './account-view.schema';
import type { MoneyView } from './money-view.schema';
import { moneyView } from './top-up-view.mapper';

/** One currency's balances: available, holding and credit limit. */
export const balanceView = (account: LedgerAccount): BalanceView => ({
  currency: account.currency.code,
  available: moneyView(money(account.availableMinor, account.currency)),
  holding: moneyView(money(account.holdingMinor, account.currency)),
  credit_limit: moneyView(money(account.creditLimitMinor, account.currency)),
});

/** Minor units of an ISO 4217 code as a decimal (a journal entry holds its currency's code). */
const minorView = (amountMinor: bigint, code: string): MoneyView =>
  Either.match(currencyOf(code), {
    onLeft: () => ({ amount: amountMinor.toString(), currency: code }),
    onRight: (currency) => ({ amount: formatMoney(money(amountMinor, currency)), currency: code }),
  });

/** One journal entry with its amount and its effect on available and holding, as decimals, and its time. */
export const ledgerEntryView = (entry: JournalEntry): LedgerEntryView => ({
  sequence: entry.sequence,
  currency: entry.currency,
  kind: entry.kind,
  reference: entry.reference,
  amount: minorView(entry.amountMinor, entry.currency),
  available_delta: minorView(entry.availableDeltaMinor, entry.currency),
  holding_delta: minorView(entry.holdingDeltaMinor, entry.currency),
  created_at: entry.recordedAt?.toISOString() ?? null,
});
