// The bounds of the group-commit unit of work: how many groups commit side
// by side, and how many units of work one group takes at most.
import { taggedError } from '@airtime/domain';
import { Either, Schema } from 'effect';

export interface GroupCommitConfig {
  /** Groups committing side by side, each on a connection of its own (1 to 64). */
  readonly groups: number;
  /** Units of work in one group, one transaction (1 to 1,000; 1: no grouping). */
  readonly maxGroup: number;
}

/**
 * One group at a time per process (two groups hold row locks until their
 * commits and can deadlock on a hot account; PostgreSQL breaks the cycle and
 * the unit runs again, but that costs a second), of at most 32 units: past
 * 64 subtransactions PostgreSQL's snapshots get slower for every session.
 */
export const DEFAULT_GROUP_COMMIT_CONFIG: GroupCommitConfig = { groups: 1, maxGroup: 32 };

/** The bounds given are out of range. */
export class InvalidGroupCommitConfig extends taggedError('InvalidGroupCommitConfig', {
  code: 'INVALID_GROUP_COMMIT_CONFIG',
  retryable: false,
})<{ readonly reason: string }>((e) => `invalid group commit settings: ${e.reason}`) {}

const Bounds = Schema.Struct({
  groups: Schema.Int.pipe(Schema.between(1, 64)),
  maxGroup: Schema.Int.pipe(Schema.between(1, 1_000)),
});

/** The defaults with `overrides`; throws `InvalidGroupCommitConfig` naming the rule when out of range. */
export const groupCommitConfigFrom = (overrides: Partial<GroupCommitConfig> = {}): GroupCommitConfig =>
  Either.getOrThrowWith(
    Either.mapLeft(
      Schema.decodeUnknownEither(Bounds)({ ...DEFAULT_GROUP_COMMIT_CONFIG, ...overrides }),
      () =>
        new InvalidGroupCommitConfig({
          reason: 'expected groups an integer from 1 to 64, maxGroup an integer from 1 to 1000',
        }),
    ),
    (invalid) => invalid,
  );
