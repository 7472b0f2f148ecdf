// Amounts and times as the console writes them.
import { formatMoney, type Money } from '@airtime/domain';

/** `PHP 20.00`: the currency code and the exact amount at its minor unit. */
export const moneyText = (value: Money): string => `${value.currency.code} ${formatMoney(value)}`;

/** `2026-12-01 09:30:05` (UTC, to the second). */
export const timeText = (at: Date): string => at.toISOString().slice(0, 19).replace('T', ' ');
