import { Context, type Effect } from 'effect';

/** The only source of fresh identifiers (and so of randomness) for use cases. */
export interface IdGeneratorService {
  /** A new unique id, e.g. a UUID v7. */
  readonly next: () => Effect.Effect<string>;
  /** An unguessable token, e.g. for a per-top-up callback URL. */
  readonly secretToken: () => Effect.Effect<string>;
}

export class IdGenerator extends Context.Tag('@airtime/domain/IdGenerator')<IdGenerator, IdGeneratorService>() {}
