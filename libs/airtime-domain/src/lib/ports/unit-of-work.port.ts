import { Context, type Effect } from 'effect';
import type { PersistenceFailure } from './persistence.errors';

/**
 * Runs an effect in one database transaction: the top-up, its ledger
 * movement and its outbox event are all stored, or none is.
 */
export interface UnitOfWorkService {
  readonly transactionally: <A, E, R>(work: Effect.Effect<A, E, R>) => Effect.Effect<A, E | PersistenceFailure, R>;
}

export class UnitOfWork extends Context.Tag('@airtime/domain/UnitOfWork')<UnitOfWork, UnitOfWorkService>() {}
