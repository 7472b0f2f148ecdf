// Changes of stored top-ups written many at once (issue 12's group commit on
// the send side: the attempt starts, answers and final statuses of
// concurrent sends): the changes of distinct top-ups in ONE unit of work,
// set-based (one `updateAll` for every top-up, one `settleAll` for their
// holds' captures and voids, one read of the requests the events need, one
// `appendAll` for every event), each answered exactly as
// `saveTopUpChange` in a unit of work of its own would answer it.
import { ConcurrentModification, type TopUpChange, TopUpRepository, UnitOfWork } from '@airtime/domain';
import { Effect, Either, Exit } from 'effect';
import { type StoredTopUpRequest, TopUpRequestStore } from '../ports/top-up-requests.port';
import {
  applyLedgerMovementsOfAll,
  eventsOf,
  type SaveError,
  type SaveServices,
  commitAlone,
  type VersionedTopUp,
  writeEvents,
} from './save-top-up-change.use-case';
import { eventTypesOf } from './top-up-events.mapper';

/** A change of a stored top-up: the top-up as read (at its version) and the change the domain decided. */
export interface TopUpChangeWrite {
  readonly before: VersionedTopUp;
  readonly change: TopUpChange;
}

/** How a batch answers a change: its top-up at its new version, why it was not written, or the defect it met. */
export type TopUpChangeAnswer = Exit.Exit<VersionedTopUp, SaveError>;

/** A change written with others: its top-up at its new version, or another writer got there first. */
export type TopUpChangeWritten = Either.Either<VersionedTopUp, ConcurrentModification>;

/** The stored requests of these changes' top-ups, by top-up id: one read. */
const requestsOf = (
  writes: readonly TopUpChangeWrite[],
): Effect.Effect<ReadonlyMap<string, StoredTopUpRequest>, SaveError, TopUpRequestStore> =>
  Effect.gen(function* () {
    if (writes.length === 0) return new Map();
    const found = yield* (yield* TopUpRequestStore).findAll(
      writes.map(({ change }) => ({ accountId: change.topUp.accountId, externalId: change.topUp.externalId })),
    );
    return new Map(found.map((request) => [request.topUpId, request]));
  });

/**
 * `saveTopUpChange` for changes of DISTINCT top-ups at once: every top-up in
 * one call (`updateAll`, each guarded by its version), then the ledger
 * movements of those written (their settlements in one `settleAll`), then every outbox event of those written in
 * one call (the requests their events need read in one call). Answers each
 * change, in order, as `saveTopUpChange` would: its new version, or
 * `ConcurrentModification` (nothing of that change written) where another
 * writer got there first. Run it inside a unit of work, which must fail as a
 * whole when this fails (a ledger error of one change fails them all).
 */
export const saveTopUpChanges = (
  writes: readonly TopUpChangeWrite[],
): Effect.Effect<readonly TopUpChangeWritten[], SaveError, SaveServices> =>
  Effect.gen(function* () {
    if (writes.length === 0) return [];
    const written = yield* (yield* TopUpRepository).updateAll(
      writes.map(({ before, change }) => ({ topUp: change.topUp, expectedVersion: before.version })),
    );
    const saved = writes.filter((_, index) => written[index] === true);
    yield* applyLedgerMovementsOfAll(saved.map(({ change }) => change));
    const withEvents = saved.filter(({ before, change }) => eventTypesOf(before.topUp, change.topUp).length > 0);
    const requests = yield* requestsOf(withEvents);
    const events = yield* Effect.forEach(withEvents, (write) => eventsOf(write, requests.get(write.change.topUp.id)));
    yield* writeEvents(events);
    return writes.map(({ before, change }, index): TopUpChangeWritten =>
      written[index] === true
        ? Either.right({ topUp: change.topUp, version: before.version + 1 })
        : Either.left(new ConcurrentModification({ entity: 'TopUp', id: change.topUp.id })),
    );
  });

/**
 * Writes a batch of changes from concurrent callers, each answered as
 * `saveTopUpChange` in a unit of work of its own would answer it, in this
 * order: the first change of each top-up together, in ONE unit of work
 * (`saveTopUpChanges`; one alone goes as `saveTopUpChange`); then each
 * further change of a top-up already in the batch, on its own (after the
 * first was written, so it answers `ConcurrentModification` unless it was
 * decided at the new version). When the unit of work of the batch fails as
 * a whole (a ledger error, a lost connection, even a defect), every change
 * of it runs again on its own, in order, and gets its own answer; a defect
 * of one change is that change's answer alone.
 *
 * A commit whose outcome is unknown (the connection dropped during COMMIT)
 * may have written the batch: each change then runs again on its own and
 * answers `ConcurrentModification` (its version moved on), which its caller
 * takes as any lost race: it decides again on a fresh read, where it finds
 * its own change. So here `ConcurrentModification` does not prove that
 * nothing of the change was written; alone, that case answers a retryable
 * `PersistenceFailure`, which callers handle the same way.
 */
export const saveTopUpChangeBatch = (
  writes: readonly TopUpChangeWrite[],
): Effect.Effect<readonly TopUpChangeAnswer[], never, SaveServices | UnitOfWork> =>
  Effect.gen(function* () {
    const unitOfWork = yield* UnitOfWork;
    const alone = (write: TopUpChangeWrite) => Effect.exit(commitAlone(write.before, write.change));
    const firsts: { readonly index: number; readonly write: TopUpChangeWrite }[] = [];
    const twins: { readonly index: number; readonly write: TopUpChangeWrite }[] = [];
    const seen = new Set<string>();
    writes.forEach((write, index) => {
      (seen.has(write.change.topUp.id) ? twins : firsts).push({ index, write });
      seen.add(write.change.topUp.id);
    });
    const answers: TopUpChangeAnswer[] = [];
    const together =
      firsts.length > 1
        ? yield* Effect.exit(unitOfWork.transactionally(saveTopUpChanges(firsts.map(({ write }) => write))))
        : undefined;
    if (together !== undefined && Exit.isSuccess(together)) {
      firsts.forEach(({ index }, at) => {
        const written = together.value[at];
        if (written !== undefined) answers[index] = Either.match(written, { onLeft: Exit.fail, onRight: Exit.succeed });
      });
    } else {
      for (const { index, write } of firsts) answers[index] = yield* alone(write);
    }
    for (const { index, write } of twins) answers[index] = yield* alone(write);
    return answers;
  });
