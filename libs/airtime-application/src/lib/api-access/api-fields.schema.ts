// The fields the API and admin inputs share, as effect/Schema shapes: ids
// held to the domain's identifier rule (and Unicode NFC, as requestTopUp
// holds them), decimal amounts as text, ISO 8601 times, page numbers. Every
// refusal names the rule, never the value.
import {
  ACCOUNT_ID_MAX_LENGTH,
  checkAccountId,
  checkDepositId,
  checkIdentifier,
  checkTransactionId,
  DEPOSIT_ID_MAX_LENGTH,
  EXTERNAL_ID_MAX_LENGTH,
  IDENTIFIER_RULES,
  type InvalidIdentifier,
  ruleViolation,
  TRANSACTION_ID_MAX_LENGTH,
} from '@airtime/domain';
import { Either, Schema, type SchemaAST } from 'effect';

/** A text matching `pattern`; `rule` says what was expected. */
const matching = (pattern: RegExp, rule: string) =>
  Schema.String.pipe(
    Schema.filter((text, _options, ast) => (pattern.test(text) ? true : ruleViolation(ast, text, rule))),
  );

const identifier = (
  check: (value: unknown) => Either.Either<string, InvalidIdentifier>,
  identifierName: string,
  maxLength: number,
) =>
  Schema.String.pipe(
    Schema.filter((value, _options, ast) => {
      const checked = check(value);
      if (Either.isLeft(checked)) return ruleViolation(ast, value, checked.left.message);
      return value.normalize('NFC') === value ? true : ruleViolation(ast, value, 'not in Unicode normalisation form C');
    }),
  ).annotations({ identifier: identifierName, jsonSchema: { minLength: 1, maxLength } });

/** An account id (1..100 characters, the domain's identifier rule, NFC). */
export const AccountIdField = identifier(checkAccountId, 'AccountId', ACCOUNT_ID_MAX_LENGTH);

/** A top-up id (1..100 characters, the identifier rule). */
export const TopUpIdField = identifier(checkTransactionId, 'TopUpId', TRANSACTION_ID_MAX_LENGTH);

/** A deposit's idempotency key (1..100 characters, the identifier rule, NFC). */
export const DepositIdField = identifier(checkDepositId, 'DepositId', DEPOSIT_ID_MAX_LENGTH);

/** A caller's external id (1..40 characters without whitespace, the identifier rule, NFC). */
export const ExternalIdField = identifier(
  (value) => checkIdentifier(IDENTIFIER_RULES.EXTERNAL_ID, value),
  'ExternalId',
  EXTERNAL_ID_MAX_LENGTH,
);

const DECIMAL_TEXT = /^[0-9]{1,15}(\.[0-9]{1,12})?$/;

/** A decimal amount as text in major units, e.g. "100" or "100.50" (never a JSON number: no float on the way). */
export const DecimalText = matching(DECIMAL_TEXT, 'expected a decimal text such as "100.50"').annotations({
  identifier: 'DecimalText',
  description: 'a decimal amount in major units, e.g. "100.50"',
  jsonSchema: { pattern: DECIMAL_TEXT.source },
});

/**
 * A name people give (an account's name, an API key's label): trimmed, 1..`max` characters, no control
 * character (Unicode Cc: C0, DEL, C1), so nothing printed from it can carry a terminal escape; the database's CHECK
 * says the same. Emoji joiners and variation selectors are kept.
 */
export const DisplayNameField = (max: number) =>
  Schema.Trim.pipe(
    Schema.minLength(1),
    Schema.maxLength(max),
    Schema.pattern(/^\P{Cc}*$/u, {
      message: () => 'expected no control character',
    }),
  ).annotations({ identifier: 'DisplayName', description: `1..${max} characters, no control character` });

/** An ISO 4217 code as text (looked up by the use case). */
export const CurrencyCodeField = matching(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as "USD"').annotations({
  identifier: 'CurrencyCode',
  jsonSchema: { pattern: '^[A-Z]{3}$' },
});

// YYYY-MM-DD, optionally THH:MM[:SS[.fraction]] with Z or an offset
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;

/** Whether `text` is a real day (no 31 February) in the ISO shape above (years 0001..9999 as written, not 19xx). */
const isIsoTime = (text: string): boolean => {
  const parts = ISO_TIME.exec(text);
  if (parts === null) return false;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    !Number.isNaN(Date.parse(text))
  );
};

/** The first instant an `IsoTimeText` may start at: 0001-01-01T00:00:00Z (PostgreSQL has no year 0). */
export const EARLIEST_INSTANT = Date.parse('0001-01-01T00:00:00Z');

/**
 * The latest `endOf` an `IsoTimeText` may have: 9999-12-31T23:59:59.999Z (a later instant prints as
 * `+010000-…`, which PostgreSQL refuses); so the last time is 9999-12-31T23:59:59.998Z, the last day 9999-12-30.
 */
export const LATEST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

const DAY_MS = 86_400_000;

/** Whether an `IsoTimeText` names a whole day (no time of day). */
export const isDay = (text: string): boolean => text.length === 10;

/** Milliseconds since the epoch at which `text` starts (a day: its midnight, UTC). */
const startMs = (text: string): number => Date.parse(text);

/** Milliseconds since the epoch of the first instant after `text` taken as inclusive. */
const endMs = (text: string): number => startMs(text) + (isDay(text) ? DAY_MS : 1);

/** Whether `text`'s start and end (`endOf`) both lie within EARLIEST_INSTANT..LATEST_INSTANT. */
const isWithinRange = (text: string): boolean => startMs(text) >= EARLIEST_INSTANT && endMs(text) <= LATEST_INSTANT;

/**
 * An ISO 8601 day (`2025-01-31`, UTC) or time with its zone
 * (`2025-01-31T10:00:00Z`, `2025-01-31T12:00:00.5+02:00`); kept as text
 * (see `instantOf`, `endOf`). Its start and its end (`endOf`) lie within
 * EARLIEST_INSTANT..LATEST_INSTANT, so both print as four-digit years that
 * PostgreSQL reads (a later end, e.g. `9999-12-31`, whose end is year 10000, is refused).
 */
export const IsoTimeText = Schema.String.pipe(
  Schema.filter((text, _options, ast) => {
    if (!isIsoTime(text))
      return ruleViolation(
        ast,
        text,
        'expected an ISO 8601 day (2025-01-31) or time with its zone (2025-01-31T10:00:00Z)',
      );
    return isWithinRange(text)
      ? true
      : ruleViolation(
          ast,
          text,
          'expected a time from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.998Z (a day up to 9999-12-30)',
        );
  }),
).annotations({
  identifier: 'IsoTime',
  description: 'an ISO 8601 day (2025-01-31, UTC) or time with its zone (2025-01-31T10:00:00Z)',
  jsonSchema: { pattern: ISO_TIME.source },
});

/** The instant an `IsoTimeText` starts at (a day: its midnight, UTC). */
export const instantOf = (text: string): Date => new Date(startMs(text));

/**
 * The first instant after an `IsoTimeText` taken as inclusive: the next
 * midnight for a day, the next millisecond for a time (times are kept to
 * the millisecond).
 */
export const endOf = (text: string): Date => new Date(endMs(text));

/** A whole number in a range, from a JSON number or a text of digits (a query string, a CLI argument). */
const wholeNumber = (minimum: number, maximum: number, identifierName: string) => {
  const rule = `expected a whole number from ${minimum} to ${maximum}`;
  const inRange = (value: number, ast: SchemaAST.AST) =>
    Number.isSafeInteger(value) && value >= minimum && value <= maximum ? true : ruleViolation(ast, value, rule);
  return Schema.Union(
    Schema.Number.pipe(Schema.filter((value, _options, ast) => inRange(value, ast))),
    Schema.compose(matching(/^[0-9]{1,9}$/, rule), Schema.NumberFromString).pipe(
      Schema.filter((value, _options, ast) => inRange(value, ast)),
    ),
  ).annotations({
    identifier: identifierName,
    jsonSchema: {
      anyOf: [
        { type: 'integer', minimum, maximum },
        { type: 'string', pattern: '^[0-9]{1,9}$' },
      ],
    },
  });
};

/** The most items a page may hold. */
export const MAX_PER_PAGE = 100;
/** Items per page when none is asked for. */
export const DEFAULT_PER_PAGE = 20;
/** The highest page number accepted. */
export const MAX_PAGE = 1_000_000;

/** A 1-based page number (1..MAX_PAGE). */
export const PageField = wholeNumber(1, MAX_PAGE, 'Page');

/** Items per page (1..MAX_PER_PAGE). */
export const PerPageField = wholeNumber(1, MAX_PER_PAGE, 'PerPage');
