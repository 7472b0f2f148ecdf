// Amounts, times and stored text as the console writes them.
import { formatMoney, type Money } from '@airtime/domain';

/** `PHP 20.00`: the currency code and the exact amount at its minor unit. */
export const moneyText = (value: Money): string => `${value.currency.code} ${formatMoney(value)}`;

/** `2026-12-01 09:30:05` (UTC, to the second). */
export const timeText = (at: Date): string => at.toISOString().slice(0, 19).replace('T', ' ');

/**
 * What a browser acts on or hides without showing it: control characters
 * (C0, DEL, C1), format characters (bidi overrides and isolates such as
 * U+202E, zero-width characters), line and paragraph separators, lone
 * surrogates and other default-ignorable code points (as npm start's log).
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;

/** One character as \uXXXX escapes of its UTF-16 code units (two beyond the BMP). */
const escaped = (character: string): string =>
  Array.from(
    { length: character.length },
    (_, index) => `\\u${character.charCodeAt(index).toString(16).padStart(4, '0')}`,
  ).join('');

/**
 * Stored text (a body, an event's payload: what a caller or a provider
 * wrote) as a page shows it: every hidden character (HIDDEN) but the line
 * feed and the tab written as a visible \uXXXX escape, so that a bidi
 * override in a top-up's metadata cannot reorder what the page shows. In
 * JSON text this is the same JSON (an escape inside a string), since
 * JSON.stringify leaves a line feed only between values.
 */
export const visibleText = (text: string): string =>
  text.replace(HIDDEN, (character) => (character === '\n' || character === '\t' ? character : escaped(character)));
