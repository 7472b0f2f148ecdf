// The transfer log: every provider exchange of an attempt, redacted by the
// provider transport before it gets here, kept with the attempt.
import { Context, type Effect } from 'effect';
import type { PersistenceFailure } from '@airtime/domain';

/** One provider exchange (the shape of provider-http-kit's `TransferLogRecord`, which the adapters produce). */
export interface TransferLogEntry {
  readonly provider: string;
  /** The attempt's provider external id; exchanges without one (catalogue reads) are not kept. */
  readonly reference?: string | undefined;
  readonly method: string;
  readonly url: string;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly durationMs: number;
  readonly status: number | null;
  readonly requestBody: string | null;
  readonly responseBody: string | null;
  readonly failure?: string | undefined;
}

/** A stored exchange with the attempt it belongs to. */
export interface StoredExchange extends TransferLogEntry {
  readonly attemptNumber: number;
}

export interface TransferLogService {
  /** Appends an exchange (its own short transaction: the log outlives a rolled-back unit of work). */
  readonly append: (entry: TransferLogEntry) => Effect.Effect<void, PersistenceFailure>;
  /** The exchanges of every attempt of a top-up, oldest first. */
  readonly forTopUp: (topUpId: string) => Effect.Effect<readonly StoredExchange[], PersistenceFailure>;
}

export class TransferLog extends Context.Tag('@airtime/application/TransferLog')<TransferLog, TransferLogService>() {}
