// identifier_is_valid() as 1764700000000-inline-identifier-check leaves it: a PL/pgSQL function,
// still IMMUTABLE STRICT PARALLEL SAFE (down makes it the SQL function again); it answers exactly
// as the SQL function did for every value and bound, a NULL in any argument included, and a
// CHECK that calls it still passes a NULL. "Before" is the migration's own down, run in a
// transaction that is rolled back.
import { IDENTIFIER_RULES } from '@airtime/domain';
import {
  arbitraryHostileIdentifier,
  arbitraryValidIdentifier,
  FORBIDDEN_IDENTIFIER_CHARACTERS,
} from '@airtime/domain/testing';
import fc from 'fast-check';
import type { QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { InlineIdentifierCheck1764700000000 } from './1764700000000-inline-identifier-check.migration';

describe('identifier_is_valid() in PL/pgSQL (InlineIdentifierCheck1764700000000)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  /** Runs `work` on one connection in a transaction that is rolled back; `undone` runs the migration's down first. */
  const rolledBack = async <A>(undone: boolean, work: (runner: QueryRunner) => Promise<A>): Promise<A> => {
    const runner = db.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      if (undone) await new InlineIdentifierCheck1764700000000().down(runner);
      return await work(runner);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  };

  /** The verdict of identifier_is_valid() for each of `values` (true, false or null), in order. */
  const verdicts = async (
    runner: QueryRunner,
    values: readonly (string | null)[],
    maxLength: number | null,
    spaceInside: boolean | null,
  ): Promise<(boolean | null)[]> =>
    (
      (await runner.query(
        `SELECT identifier_is_valid(value, $2, $3) AS ok FROM unnest($1::text[]) WITH ORDINALITY AS v(value, n) ORDER BY n`,
        [values, maxLength, spaceInside],
      )) as { ok: boolean | null }[]
    ).map((row) => row.ok);

  /** The language and markings of identifier_is_valid(text, integer, boolean). */
  const markings = async (runner: QueryRunner) =>
    (
      (await runner.query(
        `SELECT l.lanname AS language, p.proisstrict AS strict, p.provolatile AS volatility, p.proparallel AS parallel
           FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
          WHERE p.oid = 'identifier_is_valid(text, integer, boolean)'::regprocedure`,
      )) as { language: string; strict: boolean; volatility: string; parallel: string }[]
    )[0];

  it('is a STRICT IMMUTABLE PARALLEL SAFE PL/pgSQL function; down makes it the SQL function again', async () => {
    expect(await rolledBack(false, markings)).toEqual({
      language: 'plpgsql',
      strict: true,
      volatility: 'i',
      parallel: 's',
    });
    expect(await rolledBack(true, markings)).toEqual({ language: 'sql', strict: true, volatility: 'i', parallel: 's' });
  });

  it('a CHECK that calls it passes a NULL and refuses a bad identifier', async () => {
    await rolledBack(false, async (runner) => {
      await runner.query(`CREATE TABLE scratch_identifiers (value text CHECK (identifier_is_valid(value, 40, false)))`);
      await runner.query(`INSERT INTO scratch_identifiers VALUES (NULL), ('order-1')`);
      await expect(runner.query(`INSERT INTO scratch_identifiers VALUES ('order 1')`)).rejects.toThrow(
        /scratch_identifiers_value_check/,
      );
    });
  });

  // characters an identifier is made of, and the ones the rule is about
  const character = fc.oneof(
    fc.constantFrom('a', 'Z', '0', '-', '_', '.', ' ', '\u0301', '\u093f', '\u3164', '\u2800', '\ufe0f', '\uffff'),
    fc.constantFrom(...FORBIDDEN_IDENTIFIER_CHARACTERS),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  );
  // what a text column can hold at all: no NUL, no lone surrogate
  const storable = (value: string) => !value.includes('\u0000') && !/\p{Cs}/u.test(value);
  const value: fc.Arbitrary<string | null> = fc.oneof(
    fc.constant(null),
    fc.constantFrom(
      '',
      ' ',
      '   ',
      'a b',
      ' a',
      'a ',
      'x'.repeat(40),
      'x'.repeat(41),
      'x'.repeat(100),
      'x'.repeat(101),
    ),
    fc.string({ unit: character, maxLength: 12 }),
    fc
      .constantFrom(39, 40, 41, 99, 100, 101)
      .chain((length) =>
        fc.oneof(
          fc.string({ unit: character, minLength: length, maxLength: length }),
          fc.string({ unit: fc.constantFrom('a', ' '), minLength: length, maxLength: length }),
        ),
      ),
    ...Object.values(IDENTIFIER_RULES).flatMap((rule) => [
      arbitraryValidIdentifier(rule),
      arbitraryHostileIdentifier(rule),
    ]),
  );

  it('answers as the SQL function did for every value and bound, a NULL in any argument included (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(value, { maxLength: 40 }),
        fc.oneof(
          fc
            .constantFrom(...Object.values(IDENTIFIER_RULES))
            .map((rule) => [rule.maxLength, rule.spaceInside] as const),
          fc.tuple(fc.option(fc.integer({ min: -1, max: 120 }), { freq: 4 }), fc.option(fc.boolean(), { freq: 4 })),
        ),
        async (values, [maxLength, spaceInside]) => {
          const stored = values.filter((v) => v === null || storable(v));
          const after = await rolledBack(false, (runner) => verdicts(runner, stored, maxLength, spaceInside));
          const before = await rolledBack(true, (runner) => verdicts(runner, stored, maxLength, spaceInside));
          expect(after).toEqual(before);
          stored.forEach((v, index) => {
            if (v === null || maxLength === null || spaceInside === null) expect(after[index]).toBeNull();
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});
