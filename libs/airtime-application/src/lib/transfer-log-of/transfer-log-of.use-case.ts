// The transfer log of a top-up: every provider exchange of its attempts,
// redacted by the provider transport before it was stored.
import type { PersistenceFailure, TopUpRepository } from '@airtime/domain';
import { Effect } from 'effect';
import { type StoredExchange, TransferLog } from '../ports/transfer-log.port';
import { loadTopUp } from '../top-up-change/save-top-up-change.use-case';
import type { TopUpNotFound } from '../top-up-change/top-up-change.errors';

/** The exchanges of every attempt of the top-up, oldest first; `TopUpNotFound` for an unknown id. */
export const transferLogOf = (
  topUpId: string,
): Effect.Effect<readonly StoredExchange[], TopUpNotFound | PersistenceFailure, TopUpRepository | TransferLog> =>
  Effect.zipRight(
    loadTopUp(topUpId),
    Effect.flatMap(TransferLog, (log) => log.forTopUp(topUpId)),
  );
