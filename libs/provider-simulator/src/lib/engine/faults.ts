import { describeParseError } from '@airtime/domain';
import { Either, Schema } from 'effect';

/**
 * Fault knobs for tests. `latencyMs`, `errorRate`, `timeoutAfterAccept` and
 * `rateLimitPerSecond` act on the HTTP API (and, for the error rate and the
 * timeout, on the in-process provider); `dropCallbacks` on callbacks.
 */
export interface Faults {
  /** Real milliseconds added before each DVS API answer. */
  readonly latencyMs: number;
  /** Share (0..1) of DVS API requests answered 5xx before any processing. */
  readonly errorRate: number;
  /** The status of those answers: 503 (1009503) or 500 (1009001). */
  readonly errorStatus: 500 | 503;
  /** Sends (create, confirm) are processed, then never answered: the client times out, the transaction exists. */
  readonly timeoutAfterAccept: boolean;
  /** Callbacks are recorded as dropped and never sent. */
  readonly dropCallbacks: boolean;
  /** Requests allowed per second and API key; beyond, 429 (1000429) with Retry-After. Undefined: no limit. */
  readonly rateLimitPerSecond: number | undefined;
}

export const NO_FAULTS: Faults = {
  latencyMs: 0,
  errorRate: 0,
  errorStatus: 503,
  timeoutAfterAccept: false,
  dropCallbacks: false,
  rateLimitPerSecond: undefined,
};

/** A partial update of the faults, as the admin API receives it (`rateLimitPerSecond: null` removes the limit). */
export const FaultsPatch = Schema.Struct({
  latencyMs: Schema.optional(Schema.Number.pipe(Schema.int(), Schema.between(0, 600_000))),
  errorRate: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  errorStatus: Schema.optional(Schema.Literal(500, 503)),
  timeoutAfterAccept: Schema.optional(Schema.Boolean),
  dropCallbacks: Schema.optional(Schema.Boolean),
  rateLimitPerSecond: Schema.optional(Schema.NullOr(Schema.Number.pipe(Schema.int(), Schema.positive()))),
});

export type FaultsPatch = typeof FaultsPatch.Type;

export const decodeFaultsPatch = (input: unknown): Either.Either<FaultsPatch, string> =>
  Either.mapLeft(Schema.decodeUnknownEither(FaultsPatch, { onExcessProperty: 'error' })(input), (error) =>
    describeParseError(error),
  );

export const applyFaultsPatch = (faults: Faults, patch: FaultsPatch): Faults => ({
  latencyMs: patch.latencyMs ?? faults.latencyMs,
  errorRate: patch.errorRate ?? faults.errorRate,
  errorStatus: patch.errorStatus ?? faults.errorStatus,
  timeoutAfterAccept: patch.timeoutAfterAccept ?? faults.timeoutAfterAccept,
  dropCallbacks: patch.dropCallbacks ?? faults.dropCallbacks,
  rateLimitPerSecond:
    patch.rateLimitPerSecond === undefined ? faults.rateLimitPerSecond : (patch.rateLimitPerSecond ?? undefined),
});
