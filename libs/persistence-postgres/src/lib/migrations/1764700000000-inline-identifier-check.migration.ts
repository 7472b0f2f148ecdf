// identifier_is_valid() (1764000000000-identifier-rules, 1764100000000-invisible-identifier-
// characters) no longer declared STRICT, so that the planner inlines its body into each of the
// identifier CHECK constraints instead of running it through the SQL-function executor for
// every row written (the planner still reads and parses its long source once per statement
// that checks it, when it prepares the constraint's expression). A SQL function is inlined
// only when its body is a single SELECT of an expression the planner can
// prove keeps the declared markings: IMMUTABLE (length, strpos and the regular expression
// operators are immutable, so that holds) and, for a STRICT function, provably strict, which
// no AND or CASE is; a parameter used more than once also needs a cheap argument, which the
// CHECKs' column and constants are. Only the marking changes, not the body: a NULL value still
// makes every term of the body NULL, so the result is NULL as before and a CHECK passes on it.
// With a value and both bounds given the verdict is the same as well; only a call that passes
// a NULL max_length or space_inside, which no CHECK does, may now answer false or true where
// STRICT answered NULL. A CHECK is not checked again when its function changes, and none need
// be: no verdict a CHECK gets has changed. Down declares the function STRICT again, exactly as
// 1764100000000-invisible-identifier-characters left it.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The function whose marking changes (its signature as `regprocedure` reads it). */
const IDENTIFIER_FUNCTION = 'identifier_is_valid(text, integer, boolean)';

export class InlineIdentifierCheck1764700000000 implements MigrationInterface {
  name = 'InlineIdentifierCheck1764700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER FUNCTION ${IDENTIFIER_FUNCTION} CALLED ON NULL INPUT`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER FUNCTION ${IDENTIFIER_FUNCTION} STRICT`);
  }
}
