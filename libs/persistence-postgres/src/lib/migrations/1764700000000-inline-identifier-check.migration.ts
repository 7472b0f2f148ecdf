// identifier_is_valid() (1764000000000-identifier-rules, 1764100000000-invisible-identifier-
// characters) rewritten in PL/pgSQL: same signature, same markings (IMMUTABLE STRICT PARALLEL
// SAFE) and the same verdict, `BEGIN RETURN <the SQL function's expression>; END`, with the
// same forbidden and never-first character classes. The identifier CHECKs call it for every
// row written; the SQL function ran through the SQL-function executor on each call, and an
// inlined one has its ~5.5 KB source read and parsed again by every statement that prepares
// the CHECKs, whereas PL/pgSQL keeps the compiled function and its expression's plan for
// the rest of the session. STRICT stays, so a NULL in any of the three arguments still gives
// NULL without running the body (a CHECK passes on it), and with all three given the body
// answers exactly as before. A CHECK is not checked again when its function changes, and none
// need be: no verdict has changed. Down puts back the SQL function exactly as
// 1764100000000-invisible-identifier-characters left it (same source text, byte for byte).
// (File and class keep the name of this unreleased migration's first draft, which inlined the
// SQL function instead.)
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { identifierFunctionSql } from './1764000000000-identifier-rules.migration';
import { COMBINING_MARKS, FORBIDDEN_CHARACTERS } from './1764100000000-invisible-identifier-characters.migration';

/** The rule as 1764100000000 left it: these characters nowhere, combining marks not first. */
const RULE = { neverFirst: COMBINING_MARKS, replace: true } as const;

export class InlineIdentifierCheck1764700000000 implements MigrationInterface {
  name = 'InlineIdentifierCheck1764700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(identifierFunctionSql(FORBIDDEN_CHARACTERS, { ...RULE, language: 'plpgsql' }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(identifierFunctionSql(FORBIDDEN_CHARACTERS, RULE));
  }
}
