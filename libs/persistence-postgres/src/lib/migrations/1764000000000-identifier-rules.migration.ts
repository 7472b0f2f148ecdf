// Identifiers that reach the store keep the domain's identifier rule (airtime-domain,
// lib/identifier/identifier.ts), each kind with its bound: 1..max characters, no control,
// format (bidi overrides, isolates and marks, zero-width characters, BOM), line or paragraph
// separator, no whitespace but the plain space, no space at either end, and for external ids
// no space at all. One IMMUTABLE function holds the rule; a CHECK per column applies it. The
// character class lists, by code point, Unicode's Cc, Cf, Zl, Zp and Zs-but-U+0020 (Unicode
// 15.1); lone surrogates cannot be stored in UTF-8 text at all. A database holding rows that
// break the rule fails this migration on the first such constraint, naming it; nothing is
// changed then (migrations run in a transaction). The initial schema's narrower checks on
// these columns (length, \S) are replaced, so that the rule stands in one place; down puts
// them back as they were.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Code points no identifier may hold (PostgreSQL regular expression bracket contents). */
export const FORBIDDEN_CHARACTERS = [
  '\\u0001-\\u001f', // C0 controls (NUL cannot be stored in text)
  '\\u007f-\\u009f', // DEL, C1 controls
  '\\u00a0', // no-break space
  '\\u00ad', // soft hyphen
  '\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890-\\u0891\\u08e2', // Arabic and Syriac format, Arabic letter mark
  '\\u1680', // Ogham space mark
  '\\u180e', // Mongolian vowel separator
  '\\u2000-\\u200f', // en quad .. hair space, zero-width space / non-joiner / joiner, LRM, RLM
  '\\u2028-\\u202f', // line and paragraph separators, LRE RLE PDF LRO RLO, narrow no-break space
  '\\u205f-\\u2064', // medium mathematical space, word joiner, invisible operators
  '\\u2066-\\u206f', // LRI RLI FSI PDI, deprecated format characters
  '\\u3000', // ideographic space
  '\\ufeff', // BOM, zero-width no-break space
  '\\ufff9-\\ufffb', // interlinear annotation
  '\\U000110bd\\U000110cd\\U00013430-\\U0001343f\\U0001bca0-\\U0001bca3\\U0001d173-\\U0001d17a', // other format
  '\\U000e0001\\U000e0020-\\U000e007f', // tags
].join('');

/** The columns that hold identifiers, with their constraint, bound and whether a space may appear inside. */
export const IDENTIFIER_COLUMNS = [
  {
    table: 'ledger_accounts',
    column: 'account_id',
    constraint: 'ledger_accounts_account_id_valid',
    max: 100,
    space: true,
  },
  {
    table: 'ledger_holds',
    column: 'transaction_id',
    constraint: 'ledger_holds_transaction_id_valid',
    max: 100,
    space: true,
  },
  // a deposit id (DEPOSIT) or a transaction id (the others): both 1..100
  { table: 'ledger_journal', column: 'reference', constraint: 'ledger_journal_reference_valid', max: 100, space: true },
  { table: 'top_ups', column: 'account_id', constraint: 'top_ups_account_id_valid', max: 100, space: true },
  { table: 'top_ups', column: 'external_id', constraint: 'top_ups_external_id_valid', max: 40, space: false },
  {
    table: 'top_up_attempts',
    column: 'provider_external_id',
    constraint: 'top_up_attempts_provider_external_id_valid',
    max: 40,
    space: false,
  },
] as const;

/** The initial schema's checks that the rule replaces, as they were written (restored by `down`). */
const REPLACED_CHECKS = [
  {
    table: 'ledger_accounts',
    constraint: 'ledger_accounts_account_id_check',
    check: 'length(account_id) BETWEEN 1 AND 100',
  },
  {
    table: 'ledger_holds',
    constraint: 'ledger_holds_transaction_id_check',
    check: 'length(transaction_id) BETWEEN 1 AND 100',
  },
  { table: 'top_ups', constraint: 'top_ups_external_id_check', check: "external_id ~ '^\\S{1,40}$'" },
  {
    table: 'top_up_attempts',
    constraint: 'top_up_attempts_provider_external_id_check',
    check: "provider_external_id ~ '^\\S{1,40}$'",
  },
] as const;

/**
 * `identifier_is_valid()` as SQL: refuses the `forbidden` characters anywhere and, when given,
 * the `neverFirst` ones at the start. `replace` writes CREATE OR REPLACE (a later rule);
 * `language` is the body's language: `sql` (the default) makes it a single SELECT of the
 * verdict, `plpgsql` a block that RETURNs the same verdict. Either way the function is
 * IMMUTABLE STRICT PARALLEL SAFE, so a NULL argument gives NULL without running the body.
 */
export const identifierFunctionSql = (
  forbidden: string,
  options: { neverFirst?: string; replace?: boolean; language?: 'sql' | 'plpgsql' } = {},
) => {
  const verdict = `length(value) BETWEEN 1 AND max_length
           AND value !~ '[${forbidden}]'${options.neverFirst === undefined ? '' : `\n           AND value !~ '^[${options.neverFirst}]'`}
           AND CASE WHEN space_inside THEN value !~ '^ | $' ELSE strpos(value, ' ') = 0 END`;
  const language = options.language ?? 'sql';
  return `
      CREATE ${options.replace === true ? 'OR REPLACE ' : ''}FUNCTION identifier_is_valid(value text, max_length integer, space_inside boolean) RETURNS boolean
      LANGUAGE ${language} IMMUTABLE STRICT PARALLEL SAFE AS $$
        ${language === 'sql' ? `SELECT ${verdict}` : `BEGIN RETURN ${verdict}; END`}
      $$`;
};

export class IdentifierRules1764000000000 implements MigrationInterface {
  name = 'IdentifierRules1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(identifierFunctionSql(FORBIDDEN_CHARACTERS));
    for (const { table, column, constraint, max, space } of IDENTIFIER_COLUMNS) {
      await runner.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${constraint} CHECK (identifier_is_valid(${column}, ${max}, ${space}))`,
      );
    }
    for (const { table, constraint } of REPLACED_CHECKS) {
      await runner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${constraint}`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const { table, constraint, check } of REPLACED_CHECKS) {
      await runner.query(`ALTER TABLE ${table} ADD CONSTRAINT ${constraint} CHECK (${check})`);
    }
    for (const { table, constraint } of [...IDENTIFIER_COLUMNS].reverse()) {
      await runner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${constraint}`);
    }
    await runner.query(`DROP FUNCTION identifier_is_valid(text, integer, boolean)`);
  }
}
