// Amounts, times and stored text as the console writes them.
import { escapeHiddenCharacters } from '@airtime/application';
import { formatMoney, type Money } from '@airtime/domain';

/** `PHP 20.00`: the currency code and the exact amount at its minor unit. */
export const moneyText = (value: Money): string => `${value.currency.code} ${formatMoney(value)}`;

/** `2026-12-01 09:30:05` (UTC, to the second). */
export const timeText = (at: Date): string => at.toISOString().slice(0, 19).replace('T', ' ');

/** Kept as they are: JSON.stringify leaves them only between values, and a page shows them plainly. */
const LINE_FEED_AND_TAB: ReadonlySet<string> = new Set(['\n', '\t']);

/**
 * Stored text (a body, an event's payload: what a caller or a provider
 * wrote) as a page shows it: every hidden character (`HIDDEN_CHARACTER`) but the line
 * feed and the tab written as a visible \uXXXX escape, so that a bidi
 * override in a top-up's metadata cannot reorder what the page shows. In
 * JSON text this is the same JSON (an escape inside a string), since
 * JSON.stringify leaves a line feed only between values.
 */
export const visibleText = (text: string): string => escapeHiddenCharacters(text, LINE_FEED_AND_TAB);
